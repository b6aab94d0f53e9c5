"""Case store benchmark: submissions per second and submit latency (p50, p95) on SQLite
and PostgreSQL, each in its own temporary database.

    .venv/bin/python bench/store_bench.py [--n 200] [--threads 4] [--pg-host 127.0.0.1]

Each submit is the real path: year lock, spaces used, decision, encryption, insert, audit
event, commit (SQLite synchronous=FULL; PostgreSQL default fsync)."""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import psycopg2

from bot.store import crypto, db, submit_case

ANSWERS = {
    "partner_case_reference": "X1", "consent_to_share": True, "country_of_origin": "UG",
    "current_country": "KE", "hrd_activity": "journalism_media", "persecution_agent": "state",
    "fled_persecution": True, "refugee_status": "recognized", "safe_in_current_country": False,
    "immediate_threat": True, "threat_description": "x" * 500, "family_members": 2,
    "risk_factors": ["woman"], "medical_needs": False, "criminal_charges": "none",
    "wants_resettlement_canada": True,
}


@contextmanager
def database(kind: str, pg_host: str) -> Iterator[None]:
    with tempfile.TemporaryDirectory(prefix="hrd-store-bench-") as tmp:
        os.environ["HRD_DATA_DIR"] = tmp
        os.environ.pop("HRD_DATA_KEY", None)
        name = None
        if kind == "sqlite":
            os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'hrd.db'}"
        else:
            name = f"hrd_store_bench_{secrets.token_hex(6)}"
            _admin(pg_host, f"CREATE DATABASE {name}")
            os.environ["DATABASE_URL"] = f"postgresql://postgres@{pg_host}:5432/{name}"
        db.dispose_engines()
        crypto.clear_cache()
        try:
            db.upgrade()
            yield
        finally:
            db.dispose_engines()
            if name:
                _admin(pg_host, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _admin(host: str, sql: str) -> None:
    conn = psycopg2.connect(host=host, user="postgres", dbname="postgres")
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
    finally:
        conn.close()


def one_submit(i: int) -> float:
    start = time.perf_counter()
    submit_case(intake_id=f"bench-{i}-{secrets.token_hex(4)}", sender_id=f"s{i}",
                partner_org="unhcr", answers=ANSWERS,
                submitted_at=datetime(2030, 5, 1, tzinfo=UTC))
    return time.perf_counter() - start


def run(kind: str, n: int, threads: int, pg_host: str) -> None:
    with database(kind, pg_host):
        one_submit(-1)  # warm-up: connection, key file, policy files
        start = time.perf_counter()
        latencies = [one_submit(i) for i in range(n)]
        sequential = n / (time.perf_counter() - start)
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=threads) as pool:
            concurrent = list(pool.map(one_submit, range(n, 2 * n)))
        parallel = n / (time.perf_counter() - start)
    p50 = statistics.median(latencies) * 1000
    p95 = statistics.quantiles(latencies, n=20)[18] * 1000
    c95 = statistics.quantiles(concurrent, n=20)[18] * 1000
    print(f"{kind:10s} sequential: {sequential:7.1f} submissions/s, p50 {p50:6.1f} ms, "
          f"p95 {p95:6.1f} ms | {threads} threads: {parallel:7.1f} submissions/s, "
          f"p95 {c95:6.1f} ms  (n={n} each)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="submissions per phase")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--pg-host", default="127.0.0.1")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    for kind in ("sqlite", "postgresql"):
        if args.only in (None, kind):
            run(kind, args.n, args.threads, args.pg_host)
    return 0


if __name__ == "__main__":
    sys.exit(main())
