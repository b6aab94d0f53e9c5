"""Every store test module runs twice: against a fresh SQLite file and against a fresh
PostgreSQL database on 127.0.0.1:5432 (created here, dropped afterwards)."""

from __future__ import annotations

import secrets
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg2
import pytest

from bot.store import crypto, db

PG_ADMIN = {"host": "127.0.0.1", "port": 5432, "user": "postgres", "dbname": "postgres"}

SAMPLE_ANSWERS: dict[str, Any] = {
    "partner_case_reference": "X1",
    "consent_to_share": True,
    "country_of_origin": "UG",
    "current_country": "KE",
    "hrd_activity": "journalism_media",
    "persecution_agent": "state",
    "fled_persecution": True,
    "refugee_status": "recognized",
    "safe_in_current_country": False,
    "immediate_threat": True,
    "threat_description": "...",
    "family_members": 2,
    "risk_factors": ["woman"],
    "medical_needs": False,
    "criminal_charges": "none",
    "wants_resettlement_canada": True,
}


def answers(**overrides: Any) -> dict[str, Any]:
    return {**SAMPLE_ANSWERS, **overrides}


def new_id(prefix: str = "intake") -> str:
    return f"{prefix}-{secrets.token_hex(8)}"


@dataclass(frozen=True)
class StoreEnv:
    kind: str  # "sqlite" | "postgresql"
    url: str
    data_dir: Path
    pg_name: str | None

    def stored_bytes(self) -> bytes:
        """Everything the database holds, as bytes: the SQLite files, or a pg_dump."""
        db.dispose_engines()  # SQLite: checkpoint-free read of db + wal is fine either way
        if self.kind == "sqlite":
            return b"".join(p.read_bytes() for p in self.data_dir.glob("hrd.db*"))
        return subprocess.run(
            ["/usr/bin/pg_dump", "-h", "127.0.0.1", "-U", "postgres", self.pg_name],
            check=True, capture_output=True,
        ).stdout


    def assert_not_stored(self, marker: str) -> None:
        """Neither raw nor hex-encoded (pg_dump prints bytea as hex) anywhere in storage."""
        stored = self.stored_bytes()
        assert marker.encode() not in stored
        assert marker.encode().hex().encode() not in stored.lower()


def _admin(sql: str) -> None:
    conn = psycopg2.connect(**PG_ADMIN)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
    finally:
        conn.close()


@pytest.fixture(
    scope="module",
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
          ) -> Iterator[StoreEnv]:
    data_dir = tmp_path_factory.mktemp(f"hrd-{request.param}")
    pg_name = None
    if request.param == "sqlite":
        url = f"sqlite:///{data_dir / 'hrd.db'}"
    else:
        pg_name = f"hrd_store_test_{secrets.token_hex(6)}"
        _admin(f"CREATE DATABASE {pg_name}")
        url = f"postgresql://postgres@127.0.0.1:5432/{pg_name}"
    patch = pytest.MonkeyPatch()
    patch.setenv("HRD_DATA_DIR", str(data_dir))
    patch.setenv("DATABASE_URL", url)
    if pg_name:
        # A shared database: every process needs the keyring in HRD_DATA_KEY (issue 12).
        patch.setenv("HRD_DATA_KEY", crypto.generate_key_text())
    else:
        patch.delenv("HRD_DATA_KEY", raising=False)
    db.dispose_engines()
    crypto.clear_cache()
    try:
        db.upgrade()
        yield StoreEnv(request.param, url, data_dir, pg_name)
    finally:
        db.dispose_engines()
        crypto.clear_cache()
        patch.undo()
        if pg_name:
            _admin(f"DROP DATABASE IF EXISTS {pg_name} WITH (FORCE)")
