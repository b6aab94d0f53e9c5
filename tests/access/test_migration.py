"""Migration 0002_access goes down to 0001 and up again, on both databases."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command

from bot.store import db

pytestmark = pytest.mark.usefixtures("database")


def _tables() -> set[str]:
    return set(sa.inspect(db.engine()).get_table_names())


def test_downgrade_and_upgrade() -> None:
    assert db.current_revision() == db.head_revision()
    assert {"users", "api_tokens", "sender_owners"} <= _tables()
    with db.engine().connect() as connection:
        command.downgrade(db._alembic_config(connection), "0001_case_database")
    assert not {"users", "api_tokens", "sender_owners"} & _tables()
    assert "organizations" in _tables()
    db.upgrade()
    assert db.current_revision() == db.head_revision()
    assert {"users", "api_tokens", "sender_owners"} <= _tables()
