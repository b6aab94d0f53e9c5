"""Migration 0004_console creates exactly the console's tables as its models declare them."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import bot.console.web.models
import bot.store.annotations  # noqa: F401
from bot.store import db
from bot.store.models import Base
from tests.access.databases import KINDS, temporary_database

CONSOLE_TABLES = {"console_sessions", "console_totp_steps", "case_reviews", "case_tags",
                  "case_notes", "console_audit"}


@pytest.fixture(params=KINDS)
def migrated(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[None]:
    with temporary_database(request.param, tmp_path / "data"):
        yield


def _console_object(obj, name, type_, reflected, compare_to) -> bool:
    table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
    return table in CONSOLE_TABLES


def test_console_migration_matches_models(migrated: None) -> None:
    with db.engine().connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_object": _console_object, "compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    assert db.current_revision() == db.head_revision()


def test_key_rotation_helper_reencrypts_notes_and_totp_secrets(migrated: None) -> None:
    from datetime import UTC, datetime

    from bot.access import create_user
    from bot.access.key_rotation import reencrypt_totp_secrets
    from bot.access.passwords import enrol_totp
    from bot.console.review.reviews import add_note, review_state
    from bot.store import crypto
    from bot.store.rotation import _reencrypt_notes
    from tests.console.support import seed_case

    user = create_user("rotation@example.org", "supervisor")
    enrol_totp("rotation@example.org")
    reference = seed_case("unhcr", 0, datetime.now(UTC))
    add_note(reference, user.user_id, "a note")
    new = crypto.current_keyring().with_new_current_key()
    assert _reencrypt_notes(new) + reencrypt_totp_secrets(new) == 2
    if new.path is None:  # PostgreSQL is shared: the keys come from HRD_DATA_KEY
        os.environ["HRD_DATA_KEY"] = new.only_current().to_text()  # the old key is retired
    else:
        crypto.write_key_file(new.path, new.only_current())  # the old key is retired
    assert review_state(reference).notes[0].text == "a note"
    current = crypto.current_keyring()
    assert _reencrypt_notes(current) + reencrypt_totp_secrets(current) == 0
