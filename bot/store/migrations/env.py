"""Alembic environment: the URL always comes from bot.config.settings() (via bot.store.db),
never from an alembic.ini, so migrations run against the same database as the app."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from bot.store import db
from bot.store.models import Base

config = context.config


def _migrate(connection: sa.engine.Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        # SQLite supports transactional DDL: a failed migration leaves nothing half-done.
        transactional_ddl=True,
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            # Servers starting together: the second waits here, then finds nothing to do.
            lock_id = config.attributes.get("migration_lock_id", 0)
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": lock_id})
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    with db.engine().connect() as connection:
        _migrate(connection)


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported; run `hrd db upgrade`")
run_migrations_online()
