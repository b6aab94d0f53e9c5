"""Helpers of tests/faults/test_backup_restore.py: a load generator (a process of its own
that submits cases from several threads until told to stop, logging each committed
reference), the `hrd` command as a process, and pointing this process at a database.

    python -m tests.support.backup_support LOG STOPFILE
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.e2e.referrals import REFERRALS
from tests.support.servers import ROOT

LOAD_THREADS = 3
LOAD_MAX = 2000
_HRD = "import sys, bot.cli as c; sys.exit(c.main(sys.argv[1:]))"
ENV_KEYS = ("HRD_DATA_DIR", "DATABASE_URL", "HRD_DATA_KEY", "HRD_KEY_DIR")


def load_answers(number: int) -> dict[str, Any]:
    """The answers of the load's intake `number` (its partner reference names it)."""
    answers = dict(REFERRALS[number % len(REFERRALS)].expected, summary_confirmed=True)
    if answers.get("immediate_threat"):
        answers.setdefault("threat_description", "threatened at home")
    answers["partner_case_reference"] = f"LOAD-{number}"
    return answers


def load_org(number: int) -> str:
    return ("unhcr", "front_line_defenders")[number % 2]


def read_log(log: Path) -> dict[str, int]:
    """reference -> load number, for every intake the load saw committed."""
    if not log.exists():
        return {}
    found: dict[str, int] = {}
    for line in log.read_text().splitlines():
        number, reference = line.split()
        found[reference] = int(number)
    return found


def wait_for_log(log: Path, at_least: int, timeout: float = 60) -> dict[str, int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        seen = read_log(log)
        if len(seen) >= at_least:
            return seen
        time.sleep(0.05)
    raise AssertionError(f"the load saved only {len(read_log(log))} cases in {timeout} s")


@contextmanager
def load(env: dict[str, str], workdir: Path) -> Iterator[Path]:
    """The load generator running against `env`'s database; yields its log."""
    log, stop = workdir / "load.log", workdir / "load.stop"
    with (workdir / "load.err").open("ab") as errors:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.support.backup_support", str(log), str(stop)],
            cwd=ROOT, env=env, stderr=errors)
    try:
        yield log
    finally:
        stop.touch()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    assert process.returncode == 0, (workdir / "load.err").read_text()[-3000:]


def hrd(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", _HRD, *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=180)


def child_env(**values: str) -> dict[str, str]:
    """This process's environment without any data setting, plus `values`."""
    env = {k: v for k, v in os.environ.items() if k not in ENV_KEYS and k != "REDIS_URL"}
    env.update(SQLALCHEMY_SILENCE_UBER_WARNING="1", PYTHONWARNINGS="ignore")
    env.update({k: v for k, v in values.items() if v})
    return env


@contextmanager
def pointing_at(env: dict[str, str]) -> Iterator[None]:
    """This process reads the database and keys of `env` while the block runs."""
    from bot.store import crypto, db

    saved = {key: os.environ.get(key) for key in ENV_KEYS}
    for key in ENV_KEYS:
        os.environ.pop(key, None)
    os.environ.update({k: env[k] for k in ENV_KEYS if env.get(k)})
    db.dispose_engines()
    crypto.clear_cache()
    try:
        yield
    finally:
        db.dispose_engines()
        crypto.clear_cache()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _run_load(log: Path, stop: Path) -> None:
    from bot.store import submit_case

    numbers = itertools.count()
    guard = threading.Lock()
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    failures: list[BaseException] = []

    def work() -> None:
        try:
            while not stop.exists():
                with guard:
                    number = next(numbers)
                if number >= LOAD_MAX:
                    return
                result = submit_case(intake_id=f"load-{number}", sender_id=f"load-{number}",
                                     partner_org=load_org(number),
                                     answers=load_answers(number),
                                     submitted_at=datetime.now(UTC))
                with guard:  # logged only once committed
                    os.write(fd, f"{number} {result.reference}\n".encode())
        except BaseException as error:
            failures.append(error)
            raise

    threads = [threading.Thread(target=work) for _ in range(LOAD_THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    os.close(fd)
    if failures:
        raise SystemExit(f"load failed: {failures[0]!r}")


if __name__ == "__main__":
    _run_load(Path(sys.argv[1]), Path(sys.argv[2]))
