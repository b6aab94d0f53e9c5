"""Migrations, engine settings, `hrd db`."""

from __future__ import annotations

import argparse

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from bot.cli import db as db_cli
from bot.store import db
from bot.store.models import Base
from bot.store.turn_replies import TurnReply  # noqa: F401 (its table, in Base's metadata)

from .conftest import StoreEnv

STORE_TABLES = {"organizations", "reference_counters", "cases", "case_events", "tracker_events",
                "turn_replies"}


def _store_object(obj, name, type_, reflected, compare_to) -> bool:
    # Other packages (bot.access) add their own tables to the same database.
    table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
    return table in STORE_TABLES


def test_migrations_match_models(store: StoreEnv) -> None:
    with db.engine().connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_object": _store_object, "compare_type": True}
        )
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_first_migration_seeds_designated_partners(store: StoreEnv) -> None:
    with db.engine().connect() as connection:
        rows = connection.execute(sa.text("SELECT id, display_name FROM organizations")).all()
    assert set(rows) >= {
        ("unhcr", "UNHCR"),
        ("front_line_defenders", "Front Line Defenders"),
        ("protect_defenders_eu", "ProtectDefenders.eu"),
    }


def test_upgrade_is_idempotent_and_cli_reports_head(
    store: StoreEnv, capsys: pytest.CaptureFixture[str]
) -> None:
    parser = argparse.ArgumentParser()
    db_cli.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["db", "upgrade"])
    assert args.handler(args) == 0
    head = db.head_revision()
    assert head is not None
    assert f"revision {head}" in capsys.readouterr().out
    assert db.current_revision() == head


def test_engine_settings(store: StoreEnv) -> None:
    with db.engine().connect() as connection:
        if store.kind == "sqlite":
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
            assert (store.data_dir / "hrd.db").stat().st_mode & 0o077 == 0
        else:
            assert connection.dialect.name == "postgresql"


def test_foreign_keys_enforced(store: StoreEnv) -> None:
    with pytest.raises(sa.exc.IntegrityError), db.engine().begin() as connection:
        connection.execute(sa.text(
            "INSERT INTO case_events (case_id, at, actor, action, detail) "
            "VALUES (999999, CURRENT_TIMESTAMP, 'x', 'x', '{}')"
        ))


def test_postgres_scheme_normalized(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://u@h:5432/d")
    assert db.database_url() == "postgresql://u@h:5432/d"


def test_default_is_sqlite_file_in_data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("HRD_DATA_DIR", str(tmp_path / "var"))
    # In a directory of its own: the key file lives apart, in var/keys.
    assert db.database_url() == f"sqlite:///{tmp_path / 'var' / 'db' / 'hrd.db'}"
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "hrd.db").touch()  # an installation from before: used where it is
    assert db.database_url() == f"sqlite:///{tmp_path / 'var' / 'hrd.db'}"
