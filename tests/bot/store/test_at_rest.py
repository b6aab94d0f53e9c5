"""Data at rest (issue 12): a case's ciphertexts are bound to its organization, and the
migration from the earlier layout keeps old databases readable."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa
from alembic import command

from bot.store import crypto, db, get_case, list_cases, submit_case
from bot.store.associated_data import answers_label, tracker_label
from bot.store.models import Case, TrackerEvent

from .conftest import StoreEnv, answers, new_id


def submit(org: str = "unhcr", **overrides: object) -> str:
    return submit_case(intake_id=new_id(), sender_id=new_id("s"), partner_org=org,
                       answers=answers(**overrides)).reference


def move(reference: str, org: str) -> None:
    with db.engine().begin() as connection:
        connection.execute(sa.update(Case).where(Case.reference == reference)
                           .values(partner_org=org))


def test_case_moved_to_another_organization_is_refused(
    store: StoreEnv, caplog: pytest.LogCaptureFixture
) -> None:
    marker = "OKAPI-" + new_id("m")
    moved, kept = submit(threat_description=marker), submit()
    move(moved, "front_line_defenders")  # someone with write access to the database
    with caplog.at_level(logging.DEBUG):
        assert get_case(moved) is None  # refused as if absent (the API answers 404)
        listed = [c.reference for c in list_cases()]
        partner_view = [c.reference for c in list_cases(partner="front_line_defenders")]
    assert moved not in listed and kept in listed and moved not in partner_view
    assert f"case {moved} does not decrypt" in caplog.text and marker not in caplog.text
    move(moved, "unhcr")  # put back, it opens again: nothing was lost
    assert get_case(moved).answers["threat_description"] == marker


def test_label_binds_reference_and_organization() -> None:
    assert answers_label("HRD-2026-00001", "unhcr") != answers_label("HRD-2026-00001", "x")
    assert answers_label("HRD-2026-00001", "unhcr") != answers_label("HRD-2026-00002", "unhcr")


def _alembic(action: str, revision: str) -> None:
    with db.engine().connect() as connection:
        getattr(command, action)(db._alembic_config(connection), revision)
        connection.commit()


def test_migration_rebinds_old_cases_and_blanks_clear_names(store: StoreEnv) -> None:
    """Runs last in this module: it migrates the module's database down and up again."""
    reference = submit(threat_description="before the migration")
    _alembic("downgrade", "0005_user_language")
    with db.engine().connect() as connection:
        blob = connection.execute(sa.select(Case.answers)
                                  .where(Case.reference == reference)).scalar_one()
    # Down at 0005 the row is as an old database holds it: bound to the reference only.
    assert crypto.decrypt_json(blob, f"case:{reference}:answers")["threat_description"] == (
        "before the migration")
    assert get_case(reference) is None  # the new code refuses it, cleanly
    sender = new_id("conv")
    with db.session_scope() as session:  # as the old tracker store wrote events
        session.add(TrackerEvent(sender_id=sender, type_name="slot", timestamp=1.0,
                                 intent_name="inform", action_name="threat_description",
                                 data=crypto.encrypt_json({"event": "slot"},
                                                          tracker_label(sender))))
    _alembic("upgrade", "head")
    assert get_case(reference).answers["threat_description"] == "before the migration"
    with db.engine().connect() as connection:
        names = connection.execute(sa.select(TrackerEvent.intent_name, TrackerEvent.action_name)
                                   .where(TrackerEvent.sender_id == sender)).one()
    assert tuple(names) == (None, None)
    store.assert_not_stored("threat_description")  # in no clear column any more
