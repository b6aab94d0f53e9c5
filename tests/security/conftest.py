"""Attack tests against the real servers, started as `make run` starts them (bot/runtime's
entrypoints, the shared action secret, RASA_API_TOKEN in the environment only).

Fixtures any security test may use (each started once per session, on free ports):
- `production`: HRD_ENV=production with credentials.yml, as `make run` by default, and a
  partner API token for the authenticated partner channel;
- `development`: HRD_ENV=development with credentials.dev.yml (the local dev channel).
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.config import default_database_path
from tests.access.cli import new_token
from tests.support.servers import Assistant, assistant_env, production_env


def listeners(pids: list[int]) -> list[str]:
    """The local addresses these processes listen on (TCP), from `ss -ltnp`."""
    out = subprocess.run(["ss", "-ltnpH"], capture_output=True, text=True, check=True).stdout
    return [line.split()[3] for line in out.splitlines()
            if any(f"pid={pid}," in line for pid in pids)]


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


def http(url: str, body: Any = None, headers: dict[str, str] | None = None,
         method: str | None = None) -> Answer:
    """One request; an HTTP error is an answer like any other."""
    data = None if body is None else body if isinstance(body, bytes) else json.dumps(body).encode()
    request = urllib.request.Request(url, data, {"Content-Type": "application/json",
                                                 **(headers or {})}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return Answer(response.status, response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.read())


@dataclass
class Running:
    assistant: Assistant
    data_dir: Path
    partner_token: str | None = None

    @property
    def action_base(self) -> str:
        return f"http://127.0.0.1:{self.assistant.action_port}"

    @property
    def database(self) -> Path:
        """The servers' SQLite file (the embedded default)."""
        return default_database_path(self.data_dir)

    def count(self, table: str) -> int:
        with sqlite3.connect(self.database) as db:
            return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    def log_text(self) -> str:
        return "\n".join(path.read_text(errors="replace") for path in self.assistant.logs)


@contextmanager
def _started(workdir: Path, env: dict[str, str], credentials: str) -> Iterator[Assistant]:
    running = Assistant(workdir=workdir, env=env).start(credentials=credentials)
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="session")
def production(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    workdir = tmp_path_factory.mktemp("security_production")
    data_dir = workdir / "data"
    env = production_env(data_dir)
    token = new_token("--role", "partner", "--org", "unhcr", "caseworker@unhcr.org", env=env)
    with _started(workdir, env, "credentials.yml") as assistant:
        yield Running(assistant, data_dir, token)


@pytest.fixture(scope="session")
def development(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    workdir = tmp_path_factory.mktemp("security_development")
    data_dir = workdir / "data"
    env = production_env(data_dir)  # migrated; then development asked for explicitly
    env.update(assistant_env(data_dir))
    with _started(workdir, env, "credentials.dev.yml") as assistant:
        yield Running(assistant, data_dir)
