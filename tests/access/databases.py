"""Migrated test databases, SQLite or a PostgreSQL database of their own, pointed at by
the environment (bot.config reads it on every call) for this process and its children."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg2
import pytest

from bot.store import crypto, db

POSTGRES_ADMIN_DSN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
KINDS = ("sqlite", pytest.param("postgresql", marks=pytest.mark.postgres))


def postgres_admin(sql: str) -> None:
    connection = psycopg2.connect(POSTGRES_ADMIN_DSN, connect_timeout=5)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
    finally:
        connection.close()


@contextmanager
def temporary_database(kind: str, data_dir: Path) -> Iterator[dict[str, str]]:
    """Yields the environment variables that select the new, migrated database."""
    env = {"HRD_DATA_DIR": str(data_dir)}
    name = None
    if kind == "postgresql":
        name = f"hrd_access_test_{secrets.token_hex(6)}"
        postgres_admin(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = f"postgresql://postgres@127.0.0.1:5432/{name}"
        # A shared database: every process needs the keyring in HRD_DATA_KEY (issue 12).
        env["HRD_DATA_KEY"] = crypto.generate_key_text()
    saved = {key: os.environ.get(key) for key in ("HRD_DATA_DIR", "DATABASE_URL",
                                                  "HRD_DATA_KEY")}
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("HRD_DATA_KEY", None)
    os.environ.update(env)
    crypto.clear_cache()
    try:
        db.upgrade()
        yield env
    finally:
        db.dispose_engines()
        crypto.clear_cache()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        if name is not None:
            postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
