"""The real console (python -m bot.runtime.console_server) on a free port, and a client for
it; the `console` fixture runs it over SQLite and PostgreSQL with cases from two
organizations and users of each kind."""

from __future__ import annotations

import json
import math
import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from pathlib import Path
from typing import Any

import pyotp
import pytest

from bot.access import IssuedToken, create_user, issue_token
from bot.access.passwords import TOTP_PERIOD
from bot.store import submit_case
from tests.access.databases import KINDS, temporary_database
from tests.e2e.referrals import REFERRALS
from tests.support.servers import ROOT, free_port, stop_processes, wait_until_up

MAX_FAILURES = 5


def random_client() -> str:
    """A made-up client address (the console trusts one proxy in these tests)."""
    return f"10.{secrets.randbelow(256)}.{secrets.randbelow(256)}.{secrets.randbelow(256)}"


@dataclass
class Reply:
    status: int
    headers: Message  # case-insensitive
    raw: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.raw)


@dataclass
class Console:
    base: str
    tokens: dict[str, str]
    cases: dict[str, list[str]]  # organization -> references
    user_ids: dict[str, int] = field(default_factory=dict)

    def get(self, path: str, token: str | None = None, *, client: str | None = None,
            method: str = "GET", headers: dict[str, str] | None = None,
            body: bytes | None = None) -> Reply:
        all_headers = {"X-Forwarded-For": client or random_client(), **(headers or {})}
        if token is not None:
            all_headers["Authorization"] = f"Bearer {token}"
        request = urllib.request.Request(self.base + path, data=body, headers=all_headers,
                                         method=method)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return Reply(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.headers, error.read())


class TotpCodes:
    """One-time codes for the test users, each good once: the server accepts the steps
    either side of its own and only a step later than the user's last one. `code()` is
    called just before the code is sent, and gives the earliest unused step that stays
    accepted if a 30 s boundary passes before the server checks it (the previous step only
    with 10 s to spare), waiting for the clock when three were used in one step."""

    def __init__(self, secrets_by_email: dict[str, str] | None = None) -> None:
        self.secrets: dict[str, str] = dict(secrets_by_email or {})
        self._last: dict[str, int] = {}

    def add(self, email: str, secret: str) -> None:
        self.secrets[email] = secret

    def __contains__(self, email: str) -> bool:
        return email in self.secrets

    def code(self, email: str) -> str:
        while True:
            now = time.time()
            current = int(now // TOTP_PERIOD)
            earliest = current - 1 if now - current * TOTP_PERIOD < 20 else current
            step = max(self._last.get(email, -math.inf) + 1, earliest)
            if step <= current + 1:
                self._last[email] = int(step)
                return pyotp.TOTP(self.secrets[email], interval=TOTP_PERIOD).at(
                    int(step) * TOTP_PERIOD)
            time.sleep((step - 1) * TOTP_PERIOD - now + 0.2)


def elevated_user(email: str, role: str, days: int = 30) -> IssuedToken:
    """A supervisor or admin and their read-only token (`users add` gives them none)."""
    assert create_user(email, role).token is None
    return issue_token(email, expires_in_days=days)


def seed_case(org: str, index: int, when: datetime) -> str:
    referral = REFERRALS[index % len(REFERRALS)]
    answers = dict(referral.expected, summary_confirmed=True)
    if answers.get("immediate_threat"):
        answers.setdefault("threat_description", "threatened")
    return submit_case(intake_id=secrets.token_hex(8), sender_id=f"seed-{secrets.token_hex(4)}",
                       partner_org=org, answers=answers, submitted_at=when).reference


def console_env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HRD_", "DATABASE_URL"))}
    env.update(SQLALCHEMY_SILENCE_UBER_WARNING="1", TF_CPP_MIN_LOG_LEVEL="3",
               PYTHONWARNINGS="ignore", HRD_AUTH_MAX_FAILURES=str(MAX_FAILURES),
               HRD_TRUSTED_PROXIES="1")
    env.update(extra)
    env.pop("REDIS_URL", None)
    return env


@contextmanager
def running_console(extra_env: dict[str, str], workdir: Path) -> Iterator[str]:
    """Starts `python -m bot.runtime.console_server`; yields its base URL."""
    port = free_port()
    log = workdir / "console.log"
    env = console_env({**extra_env, "HRD_CONSOLE_PORT": str(port)})
    with log.open("ab") as handle:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.runtime.console_server"], cwd=ROOT, env=env,
            stdout=handle, stderr=handle)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/api/openapi.json", process, log, timeout=60)
        yield base
    finally:
        stop_processes(process)


@pytest.fixture(scope="module", params=KINDS)
def console(request: pytest.FixtureRequest,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    workdir = tmp_path_factory.mktemp("console")
    with temporary_database(request.param, workdir / "data") as db_env:
        users = {
            "unhcr": create_user("worker@unhcr.org", "partner", "unhcr"),
            "fld": create_user("worker@frontlinedefenders.org", "partner",
                               "front_line_defenders"),
            "supervisor": elevated_user("supervisor@irc.gc.ca", "supervisor"),
            "admin": elevated_user("admin@irc.gc.ca", "admin"),
        }
        cases = {
            "unhcr": [seed_case("unhcr", i, datetime(2024, 3, 1 + i, tzinfo=UTC))
                      for i in range(3)],
            "front_line_defenders": [
                seed_case("front_line_defenders", i, datetime(2025, 2, 1 + i, tzinfo=UTC))
                for i in range(2)],
        }
        with running_console(db_env, workdir) as base:
            yield Console(base=base, tokens={k: v.token for k, v in users.items()},
                          cases=cases, user_ids={k: v.user_id for k, v in users.items()})
