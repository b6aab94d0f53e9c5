"""Migrations 0002_access and 0005_user_language go down and up again, on both databases."""

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


def _user_columns() -> set[str]:
    return {c["name"] for c in sa.inspect(db.engine()).get_columns("users")}


def test_user_language_goes_down_to_0004_and_up_again() -> None:
    """0005_user_language: the column, its check, and users kept across down and up."""
    from bot.access import create_user, set_language
    from bot.access.auth import authenticate

    issued = create_user("lang@example.org", "partner", "unhcr", language="fr")
    create_user("nolang@example.org", "supervisor")
    assert "language" in _user_columns()
    with db.engine().connect() as connection:
        rows = dict(connection.execute(sa.text("SELECT email, language FROM users")).all())
    assert rows == {"lang@example.org": "fr", "nolang@example.org": None}
    with pytest.raises(sa.exc.IntegrityError), db.engine().begin() as connection:
        connection.execute(sa.text("UPDATE users SET language = 'de'"))

    with db.engine().connect() as connection:
        command.downgrade(db._alembic_config(connection), "0004_console")
    assert db.current_revision() == "0004_console"
    assert "language" not in _user_columns()
    with db.engine().connect() as connection:
        emails = set(connection.execute(sa.text("SELECT email FROM users")).scalars())
    assert emails == {"lang@example.org", "nolang@example.org"}

    db.upgrade()
    assert db.current_revision() == db.head_revision()
    assert "language" in _user_columns()
    principal = authenticate(issued.token)  # the user and their token survived
    assert principal is not None and principal.language is None  # the choice went with 0005
    set_language("lang@example.org", "fr")
    assert authenticate(issued.token).language == "fr"


def _table_matches_the_model(wanted: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from bot.store.models import Base

    def only(obj, name, type_, reflected, compare_to) -> bool:
        table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
        return table == wanted

    with db.engine().connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_object": only, "compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_users_table_matches_the_model() -> None:
    _table_matches_the_model("users")


def test_auth_attempts_goes_down_to_0006_and_up_again() -> None:
    """0007_auth_attempts: the limiter's table when Redis is not configured."""
    assert "auth_attempts" in _tables()
    with db.engine().connect() as connection:
        command.downgrade(db._alembic_config(connection), "0006_store_at_rest")
    assert "auth_attempts" not in _tables()
    db.upgrade()
    assert "auth_attempts" in _tables()
    _table_matches_the_model("auth_attempts")


def test_0007_revokes_unlimited_elevated_tokens_and_ends_sessions_without_codes() -> None:
    """Existing accounts under issue 12's rules: a supervisor's token without an expiry is
    revoked, a partner's is kept; a session of a user without one-time codes ends."""
    from bot.access import create_user, issue_token, list_users
    from bot.access.passwords import enrol_totp
    from bot.access.sessions import load_session, start_session

    with db.engine().connect() as connection:
        command.downgrade(db._alembic_config(connection), "0006_store_at_rest")
    partner = create_user("p@example.org", "partner", "unhcr")
    enrolled = create_user("e@example.org", "partner", "unhcr")
    enrol_totp("e@example.org")
    create_user("s@example.org", "supervisor")
    issue_token("s@example.org", expires_in_days=1)
    with db.engine().begin() as connection:
        connection.execute(sa.text("UPDATE api_tokens SET expires_at = NULL"))
    unenrolled_session = start_session(partner.user_id)
    enrolled_session = start_session(enrolled.user_id)
    db.upgrade()
    tokens = {user.email: user.active_tokens for user in list_users()}
    assert tokens == {"p@example.org": 1, "e@example.org": 1, "s@example.org": 0}
    assert load_session(unenrolled_session) is None
    assert load_session(enrolled_session) is not None
