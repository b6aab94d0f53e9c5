"""The set-ups the fault tests break: SQLite with one Rasa server (the `make run` default),
and the production shape, PostgreSQL + Redis with two Rasa servers on one action server. The
Redis is one of the tests' own (redis-server on a free port), never the shared one, so it
can be killed; the PostgreSQL database is the tests' own, so its outage can be simulated
without touching the shared server. Each set-up starts once per session and is shared by
every module that asks for it; each test leaves it running and healthy."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.store import crypto, db
from tests.access.cli import new_token
from tests.access.databases import temporary_database
from tests.channels.messaging import messaging  # noqa: F401 (the replays' platforms)
from tests.faults.support import FaultyAssistant, OwnRedis, own_redis
from tests.support.servers import production_env, reading_store

_STORE_VARIABLES = ("HRD_DATA_DIR", "DATABASE_URL", "HRD_DATA_KEY")


def _restore(saved: dict[str, str | None]) -> None:
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    db.dispose_engines()
    crypto.clear_cache()


@dataclass
class Setup:
    name: str
    servers: list[FaultyAssistant]  # servers[0] also runs the action server
    token: str  # a partner caseworker's (unhcr)
    data_dir: Path
    env: dict[str, str]
    database_url: str | None = None
    redis: OwnRedis | None = None
    # SQLite: the data directory is a small file system of its own (tmpfs), so that it can
    # be made read-only under the running servers; False where mounting is not permitted.
    own_file_system: bool = False

    @property
    def main(self) -> FaultyAssistant:
        return self.servers[0]

    @contextmanager
    def reading(self) -> Iterator[None]:
        """This test process reads the servers' store (as check what they saved)."""
        with reading_store(self.data_dir):
            if self.database_url:
                os.environ["DATABASE_URL"] = self.database_url
                os.environ["HRD_DATA_KEY"] = self.env["HRD_DATA_KEY"]
            crypto.clear_cache()
            try:
                yield
            finally:
                os.environ.pop("HRD_DATA_KEY", None)
                db.dispose_engines()
                crypto.clear_cache()


@pytest.fixture(scope="session")
def sqlite_setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    workdir = tmp_path_factory.mktemp("faults_sqlite")
    data_dir = workdir / "data"
    data_dir.mkdir(mode=0o700)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m,mode=0700", "tmpfs",
                              str(data_dir)], capture_output=True).returncode == 0
    try:
        env = production_env(data_dir)
        token = new_token("--role", "partner", "--org", "unhcr", "faults@unhcr.org", env=env)
        server = FaultyAssistant(workdir=workdir, env=env)
        try:
            server.start(credentials="credentials.yml")
            yield Setup("sqlite", [server], token, data_dir, env, own_file_system=mounted)
        finally:
            server.stop()
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(data_dir)], check=False)


@pytest.fixture(scope="session")
def postgres_setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    workdir = tmp_path_factory.mktemp("faults_postgres")
    data_dir = workdir / "data"
    with ExitStack() as stack:
        saved = {key: os.environ.get(key) for key in _STORE_VARIABLES}
        database = stack.enter_context(temporary_database("postgresql", data_dir))
        _restore(saved)  # the servers get it in their env; this process only in reading()
        redis = stack.enter_context(own_redis())
        env = production_env(data_dir, DATABASE_URL=database["DATABASE_URL"],
                             HRD_DATA_KEY=database["HRD_DATA_KEY"], REDIS_URL=redis.url)
        token = new_token("--role", "partner", "--org", "unhcr", "faults@unhcr.org", env=env)
        for name in ("one", "two"):
            (workdir / name).mkdir()
        servers = [FaultyAssistant(workdir=workdir / "one", env=env)]
        try:
            servers[0].start(credentials="credentials.yml")
            servers.append(servers[0].another(workdir / "two"))
            yield Setup("postgres", servers, token, data_dir, env,
                        database["DATABASE_URL"], redis)
        finally:
            for server in reversed(servers):
                server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def setup(request: pytest.FixtureRequest) -> Setup:
    """Both set-ups, for a fault that applies to each."""
    return request.getfixturevalue(f"{request.param}_setup")
