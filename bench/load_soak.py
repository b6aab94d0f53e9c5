"""Load and soak (issue 18): whole intakes through the partner channel, on each setup.

Load: on the SQLite default setup (one Rasa server, its action server) and on the production
setup (PostgreSQL, the Redis lock store, two Rasa servers on one action server, a
conversation's turns going to each in turn),
the year is first filled to `--spaces-left` spaces below the stream policy's cap, then
`--intakes` (50) whole intakes run at once. Every one must be saved exactly once under the
reference it was given, and the cases within the cap may not take more spaces than the cap
(the rest are waitlisted `over_cap`).

Soak: on the SQLite setup, `HRD_SOAK_SECONDS` (default 600) of steady intakes, one after the
other in `--soak-workers` conversations at a time, each intake a new conversation as the
partner channel and the widget make them. The report gives each process's resident memory at
the start and the end (PASS when it grew by at most 10%), the tracker rows each conversation
left (PASS when the last intake of each referral left at most 10% more rows than its first:
nothing accumulates), and the errors (PASS at 0).

    HRD_SOAK_SECONDS=60 .venv/bin/python bench/load_soak.py
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import sqlalchemy as sa  # noqa: E402
from side_by_side import descendants, our_intake, post_json, start_ours  # noqa: E402

from bot.rules.dates import ottawa_date  # noqa: E402
from bot.store.cases import year_capacity  # noqa: E402
from bot.store.db import session_scope  # noqa: E402
from bot.store.models import Case, TrackerEvent  # noqa: E402
from tests.access.cli import new_token  # noqa: E402
from tests.access.databases import temporary_database  # noqa: E402
from tests.console.support import seed_case  # noqa: E402
from tests.e2e.referrals import REFERRALS  # noqa: E402
from tests.support.saved_cases import check_saved_once  # noqa: E402
from tests.support.servers import (  # noqa: E402
    PARTNER_WEBHOOK,
    Assistant,
    production_env,
    reading_store,
    round_robin,
)

Say = Callable[[str, str], list]
MEMORY_TOLERANCE = 0.10


@dataclass
class Setup:
    name: str
    say: Say
    data_dir: Path
    database_url: str | None
    processes: Callable[[], dict[str, int]]  # label -> pid
    problems: list[str] = field(default_factory=list)


@contextmanager
def store_of(setup: Setup) -> Iterator[None]:
    """This process reads and writes the setup's store (to fill the year, and to check)."""
    with reading_store(setup.data_dir):
        if setup.database_url:
            os.environ["DATABASE_URL"] = setup.database_url  # reading_store puts it back
        yield


# -- the setups ---------------------------------------------------------------------------

def labelled(servers: list[Assistant]) -> Callable[[], dict[str, int]]:
    def pids() -> dict[str, int]:
        found: dict[str, int] = {}
        for n, server in enumerate(servers):
            names = ("action server", "rasa server") if len(server.processes) == 2 \
                else ("rasa server",)
            for name, process in zip(names, server.processes, strict=False):
                for depth, pid in enumerate(descendants(process.pid)):
                    suffix = f" child {depth}" if depth else ""
                    found[f"{name} {n}{suffix}" if len(servers) > 1 else f"{name}{suffix}"] = pid
        return found
    return pids


def sqlite_setup(stack: ExitStack, workdir: Path) -> Setup:
    assistant, token = start_ours(workdir)
    stack.callback(assistant.stop)

    def say(sender: str, message: str) -> list:
        return post_json(assistant.base + PARTNER_WEBHOOK, {"sender": sender, "message": message},
                         {"Authorization": f"Bearer {token}"})

    return Setup("SQLite, 1 Rasa server", say, workdir / "data", None, labelled([assistant]))


def production_setup(stack: ExitStack, workdir: Path, redis_url: str) -> Setup:
    """As tests/e2e/test_production_setup.py runs it: a fresh PostgreSQL database with its
    keyring in HRD_DATA_KEY, the Redis lock store, two Rasa servers on one action server."""
    data_dir = workdir / "prod-data"
    database = stack.enter_context(temporary_database("postgresql", data_dir))
    env = production_env(data_dir, DATABASE_URL=database["DATABASE_URL"],
                         HRD_DATA_KEY=database["HRD_DATA_KEY"], REDIS_URL=redis_url)
    token = new_token("--role", "partner", "--org", "unhcr", "bench@unhcr.org", env=env)
    for name in ("one", "two"):
        (workdir / name).mkdir()
    first = Assistant(workdir=workdir / "one", env=env)
    stack.callback(first.stop)
    first.start(credentials="credentials.yml")
    second = first.another_rasa_server(workdir / "two", credentials="credentials.yml")
    stack.callback(second.stop)
    servers = [first, second]
    return Setup("PostgreSQL + Redis, 2 Rasa servers", round_robin(servers, token), data_dir,
                 database["DATABASE_URL"], labelled(servers))


# -- load ---------------------------------------------------------------------------------

def fill_year(setup: Setup, spaces_left: int) -> tuple[int, int]:
    """Seed cases (as the console tests do) until at most `spaces_left` spaces are left in
    this Ottawa year; (year, cap)."""
    year = ottawa_date(datetime.now(UTC)).year
    with store_of(setup):
        capacity = year_capacity(year)
        index = 0
        while capacity.cap - capacity.used > spaces_left and index < 10 * capacity.cap:
            seed_case("unhcr", index, datetime.now(UTC))
            index += 1
            if index % 20 == 0 or capacity.cap - capacity.used <= spaces_left + 10:
                capacity = year_capacity(year)
        return year, year_capacity(year).cap


def run_intakes(say: Say, count: int, workers: int, saved: dict[str, str | None],
                errors: list[str], deadline: float | None = None,
                finished: list[tuple[float, str, int]] | None = None) -> list[float]:
    """`count` intakes on `workers` threads (or, with a deadline, intakes one after the other
    on each worker until it passes); the turn timings in ms."""
    timings: list[float] = []
    guard = threading.Lock()
    counter = iter(range(10**9))

    def worker(_: int) -> None:
        while True:
            with guard:
                index = next(counter)
            if deadline is None and index >= count:
                return
            if deadline is not None and time.monotonic() >= deadline:
                return
            mine: dict[str, str | None] = {}
            try:
                turns = our_intake(say, index, mine)
            except Exception as error:  # counted and shown; the run goes on
                with guard:
                    errors.append(f"intake {index}: {type(error).__name__}: {error}"[:300])
                    traceback.print_exc(limit=1, file=sys.stderr)
                continue
            with guard:
                timings.extend(turns)
                saved.update(mine)
                if finished is not None:
                    finished.extend((time.monotonic(), sender, index) for sender in mine)
            if deadline is None:
                continue

    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(worker, range(workers)))
    return timings


def load(setup: Setup, intakes: int, spaces_left: int) -> list[str]:
    year, cap = fill_year(setup, spaces_left)
    saved: dict[str, str | None] = {}
    errors: list[str] = []
    started = time.perf_counter()
    timings = run_intakes(setup.say, intakes, intakes, saved, errors)
    elapsed = time.perf_counter() - started
    problems = [f"error: {e}" for e in errors]
    problems += check_saved_once(setup.data_dir, saved, setup.database_url)
    with store_of(setup):
        capacity = year_capacity(year)
        with session_scope() as session:
            outcomes = dict(session.execute(
                sa.select(Case.capacity, sa.func.count()).where(Case.sender_id.in_(list(saved)))
                .group_by(Case.capacity)).all())
    if capacity.used > cap:
        problems.append(f"cap overbooked: {capacity.used} spaces used within the cap of {cap}")
    ok = len(saved) - sum(1 for s in saved if any(p.startswith(s) for p in problems))
    print(f"  {intakes} intakes at once: {ok}/{intakes} saved exactly once, "
          f"{len(errors)} errors, {elapsed:.0f} s, "
          f"p50/p95 per turn {pct(timings, .5):.0f}/{pct(timings, .95):.0f} ms")
    print(f"  {year}: {capacity.used}/{cap} spaces used within the cap after the run "
          f"({spaces_left} were left); these intakes: {outcomes.get('within_cap', 0)} within, "
          f"{outcomes.get('over_cap', 0)} over the cap (waitlisted) -> "
          f"{'PASS' if capacity.used <= cap else 'FAIL'}")
    return problems


# -- soak ---------------------------------------------------------------------------------

def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def soak(setup: Setup, seconds: float, workers: int) -> list[str]:
    pids = setup.processes()
    before = {label: rss_mb(pid) for label, pid in pids.items()}
    saved: dict[str, str | None] = {}
    errors: list[str] = []
    finished: list[tuple[float, str, int]] = []
    middle: dict[str, float] = {}
    sample = threading.Timer(seconds / 2, lambda: middle.update(
        {label: rss_mb(pid) for label, pid in pids.items()}))
    sample.start()
    started = time.monotonic()
    timings = run_intakes(setup.say, 0, workers, saved, errors, started + seconds, finished)
    sample.cancel()
    elapsed = time.monotonic() - started
    after = {label: rss_mb(pid) for label, pid in pids.items()}
    problems = [f"error: {e}" for e in errors]
    problems += check_saved_once(setup.data_dir, saved, setup.database_url)
    with store_of(setup), session_scope() as session:
        rows = dict(session.execute(
            sa.select(TrackerEvent.sender_id, sa.func.count())
            .where(TrackerEvent.sender_id.in_(list(saved))).group_by(TrackerEvent.sender_id)
        ).all())
    print(f"  {elapsed:.0f} s, {workers} conversations at a time: {len(saved)} intakes, "
          f"{len(timings)} turns ({len(timings) / elapsed:.1f}/s), p50/p95 per turn "
          f"{pct(timings, .5):.0f}/{pct(timings, .95):.0f} ms")
    print(f"  errors: {len(problems)} -> {'PASS' if not problems else 'FAIL'}")
    print("  resident memory    start   halfway      end   change")
    flat = True
    for label in pids:
        change = (after[label] - before[label]) / before[label] if before[label] else 0.0
        flat &= change <= MEMORY_TOLERANCE
        print(f"  {label:<16} {before[label]:6.0f} MB {middle.get(label, 0):6.0f} MB "
              f"{after[label]:6.0f} MB  {change:+6.1%}")
    total_before, total_after = sum(before.values()), sum(after.values())
    print(f"  {'all':<16} {total_before:6.0f} MB {sum(middle.values()):6.0f} MB "
          f"{total_after:6.0f} MB  "
          f"{(total_after - total_before) / total_before:+6.1%}  -> "
          f"{'PASS' if flat else 'FAIL'} (each within +{MEMORY_TOLERANCE:.0%})")
    if not flat:
        problems.append("resident memory grew by more than 10%")
    # The same referral (REFERRALS cycle) must leave as many rows at the end as at the start.
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    for _, sender, index in sorted(finished):
        kind = index % len(REFERRALS)
        first.setdefault(kind, rows.get(sender, 0))
        last[kind] = rows.get(sender, 0)
    counts = list(rows.values())
    if counts:
        growth = max((last[k] - first[k]) / first[k] for k in first if first[k])
        bounded = growth <= 0.10
        print(f"  tracker rows per conversation: min {min(counts)}, median "
              f"{statistics.median(counts):.0f}, max {max(counts)}; the same referral's last "
              f"intake against its first: {growth:+.1%} at most -> "
              f"{'PASS' if bounded else 'FAIL'} (within +10%)")
        if not bounded:
            problems.append("tracker rows per conversation grew during the soak")
    return problems


def pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--intakes", type=int, default=50, help="at once, per setup")
    parser.add_argument("--spaces-left", type=int, default=40,
                        help="spaces left in the year before the load (default 40)")
    parser.add_argument("--soak-seconds", type=float,
                        default=float(os.environ.get("HRD_SOAK_SECONDS") or 600))
    parser.add_argument("--soak-workers", type=int, default=2)
    parser.add_argument("--setups", default="sqlite,production",
                        help="comma-separated: sqlite, production (default both)")
    parser.add_argument("--redis-db", type=int, default=int(os.environ.get(
        "HRD_BENCH_REDIS_DB") or 13), help="Redis database number of the production setup")
    args = parser.parse_args()

    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench_load_") as tmp:
        workdir = Path(tmp)
        makers: dict[str, Callable[[ExitStack, Path], Setup]] = {
            "sqlite": sqlite_setup,
            "production": lambda stack, path: production_setup(
                stack, path, f"redis://127.0.0.1:6379/{args.redis_db}"),
        }
        for name in args.setups.split(","):
            try:
                with ExitStack() as stack:
                    (workdir / name).mkdir()
                    setup = makers[name](stack, workdir / name)
                    print(f"== {setup.name}", flush=True)
                    our_intake(setup.say, 0, {})  # warm-up: model loading, connections
                    problems += load(setup, args.intakes, args.spaces_left)
                    if name == "sqlite" and args.soak_seconds > 0:
                        print(f"  soak ({args.soak_seconds:.0f} s, HRD_SOAK_SECONDS):",
                              flush=True)
                        problems += soak(setup, args.soak_seconds, args.soak_workers)
            except Exception as error:  # the other setup still runs; the run fails
                traceback.print_exc()
                problems.append(f"{name}: {type(error).__name__}: {error}"[:300])
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for problem in problems:
        print(f"PROBLEM: {problem}")
    print("load and soak:", "PASS" if not problems else "FAIL")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
