"""Engine factory and migrations for the case database (cases and the tracker store).

DATABASE_URL selects PostgreSQL (`postgresql://...`, `postgres://` accepted) or SQLite;
unset, it is a SQLite file in HRD_DATA_DIR. On SQLite every transaction starts with
BEGIN IMMEDIATE: the write lock is taken up front, so two writers queue on busy_timeout
instead of one failing when it upgrades a read lock, and the per-year reference counter
is serialized the way PostgreSQL's row lock does it.

A transaction that only reads says so (`session_scope(read_only=True)`, `mark_read_only`):
on SQLite it begins DEFERRED with `PRAGMA query_only`, so it reads a snapshot beside the
writer (WAL) instead of queuing for the write lock behind every save and commit's fsync, and
a write in it fails at once instead of passing unnoticed. PostgreSQL ignores the mark.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from bot.config import settings

logger = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
SQLITE_BUSY_TIMEOUT_MS = 30_000
POSTGRES_CONNECT_TIMEOUT_S = 5
# Any constant: taken while migrating so that servers starting together migrate once.
_MIGRATION_LOCK_ID = 0x4852_4453  # "HRDS"
READ_ONLY = "hrd_read_only"  # a connection execution option (mark_read_only below)

_engines: dict[str, Engine] = {}
_sessionmakers: dict[str, sessionmaker] = {}
_engines_lock = threading.Lock()


def database_url() -> str:
    url = settings().database_url
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    return url


def engine() -> Engine:
    """The process-wide engine for the configured database (one pool per URL)."""
    url = database_url()
    with _engines_lock:
        existing = _engines.get(url)
        if existing is None:
            existing = _engines[url] = _create_engine(url)
            _sessionmakers[url] = sessionmaker(bind=existing, future=True, expire_on_commit=False)
        return existing


def dispose_engines() -> None:
    with _engines_lock:
        for eng in _engines.values():
            eng.dispose()
        _engines.clear()
        _sessionmakers.clear()


def _create_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed)
    if parsed.get_backend_name() == "postgresql":
        return sa.create_engine(
            parsed,
            future=True,
            pool_pre_ping=True,
            connect_args={"connect_timeout": POSTGRES_CONNECT_TIMEOUT_S},
        )
    raise ValueError(f"unsupported database backend {parsed.get_backend_name()!r}")


def _sqlite_engine(url: URL) -> Engine:
    if not url.database or url.database == ":memory:":
        raise ValueError("SQLite needs a file: an in-memory database is lost at exit")
    path = Path(url.database)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not path.exists():
        # Create it private before SQLite does (its -wal/-shm files copy this mode).
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    # A pool (not 1.4's NullPool default for files): closing the last connection would
    # checkpoint the WAL on every transaction.
    eng = sa.create_engine(url, future=True, poolclass=sa.pool.QueuePool,
                           connect_args={"check_same_thread": False})

    @sa.event.listens_for(eng, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (below)
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        # FULL: a committed case survives a power cut (NORMAL may lose the last commits).
        cursor.execute("PRAGMA synchronous = FULL")
        # Deleted content is overwritten with zeros, not left in free pages (retention.py).
        cursor.execute("PRAGMA secure_delete = ON")
        cursor.close()

    @sa.event.listens_for(eng, "begin")
    def _on_begin(conn: Any) -> None:
        read_only = bool(conn.get_execution_options().get(READ_ONLY))
        # query_only stays set on the pooled DBAPI connection: switched only when it changes
        # (conn.info lives as long as that connection).
        if conn.info.get(READ_ONLY, False) != read_only:
            conn.exec_driver_sql(f"PRAGMA query_only = {'ON' if read_only else 'OFF'}")
            conn.info[READ_ONLY] = read_only
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return eng


def session_factory() -> sessionmaker:
    url = database_url()
    engine()
    return _sessionmakers[url]


@contextmanager
def session_scope(read_only: bool = False) -> Iterator[Session]:
    """One transaction: committed on success, rolled back on any error."""
    with session_factory()() as session, session.begin():
        if read_only:
            mark_read_only(session)
        yield session


def mark_read_only(session: Session) -> None:
    """Before the session's first statement: its transaction only reads (see above)."""
    session.connection(execution_options={READ_ONLY: True})


def upgrade(revision: str = "head") -> None:
    """Apply the migrations (idempotent; safe when several processes start together)."""
    from alembic import command

    with engine().connect() as connection:
        command.upgrade(_alembic_config(connection), revision)


def current_revision() -> str | None:
    from alembic.migration import MigrationContext

    with engine().connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _alembic_config(connection: Any) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    config.attributes["migration_lock_id"] = _MIGRATION_LOCK_ID
    return config


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()
