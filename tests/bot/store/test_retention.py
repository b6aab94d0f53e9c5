"""`hrd purge --older-than DAYS`: transcripts of abandoned drafts and closed cases go,
cases stay."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from bot.cli import purge as purge_cli
from bot.store import case_events, crypto, db, get_case, submit_case, update_status
from bot.store.associated_data import tracker_label
from bot.store.models import TrackerEvent
from bot.store.retention import purge_transcripts

from .conftest import StoreEnv, answers, new_id

NOW = datetime.now(UTC)
LATER = NOW + timedelta(days=40)  # the purge runs "40 days from now" with a 30-day period


def add_events(sender: str, at: datetime, count: int = 3) -> None:
    with db.session_scope() as session:
        for i in range(count):
            session.add(TrackerEvent(sender_id=sender, type_name="user",
                                     timestamp=at.timestamp() + i,
                                     data=crypto.encrypt_json({"text": "hi"},
                                                              tracker_label(sender))))


def event_count(sender: str) -> int:
    with db.engine().connect() as connection:
        return connection.execute(sa.select(sa.func.count()).select_from(TrackerEvent)
                                  .where(TrackerEvent.sender_id == sender)).scalar_one()


def case_for(sender: str) -> str:
    return submit_case(intake_id=new_id(), sender_id=sender, partner_org="unhcr",
                       answers=answers()).reference


def test_purge(store: StoreEnv) -> None:
    old_draft, recent_draft, open_case, closed_case, closed_then_new_draft = (
        new_id("conv") for _ in range(5))
    for sender in (old_draft, open_case, closed_case, closed_then_new_draft):
        add_events(sender, NOW)
    add_events(recent_draft, NOW + timedelta(days=35))
    case_for(open_case)
    closed = case_for(closed_case)
    update_status(closed, "referred_to_ircc", actor="user:1")
    reopened = case_for(closed_then_new_draft)
    update_status(reopened, "withdrawn", actor="user:1")
    add_events(closed_then_new_draft, NOW + timedelta(days=35), count=1)  # active again

    dry = purge_transcripts(30, now=LATER, dry_run=True)
    assert event_count(old_draft) == 3  # dry run deletes nothing

    report = purge_transcripts(30, now=LATER)
    assert (dry.conversations, dry.events) == (report.conversations, report.events)
    assert report.conversations >= 2 and report.events >= 6
    assert event_count(old_draft) == 0
    assert event_count(closed_case) == 0
    assert event_count(recent_draft) == 3
    assert event_count(open_case) == 3
    assert event_count(closed_then_new_draft) == 4
    assert get_case(closed) is not None  # the case itself is kept
    assert case_events(closed)[-1]["action"] == "transcript_purged"


def test_recently_closed_case_keeps_its_transcript(store: StoreEnv) -> None:
    sender = new_id("conv")
    add_events(sender, NOW - timedelta(days=60))
    update_status(case_for(sender), "declined", actor="user:1")  # closed today
    purge_transcripts(30)
    assert event_count(sender) == 3


def test_cli(store: StoreEnv, capsys: pytest.CaptureFixture[str]) -> None:
    sender = new_id("conv")
    add_events(sender, NOW - timedelta(days=10))
    parser = argparse.ArgumentParser()
    purge_cli.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["purge", "--older-than", "7"])
    assert args.handler(args) == 0
    assert "purged" in capsys.readouterr().out
    assert event_count(sender) == 0


def test_purge_erases_the_freed_space(store: StoreEnv) -> None:
    add_events(new_id("conv"), NOW - timedelta(days=10), count=200)
    purge_transcripts(7)
    with db.engine().connect() as connection:
        if store.kind == "sqlite":
            assert connection.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA freelist_count").scalar() == 0  # VACUUM
        else:
            vacuumed = connection.execute(sa.text(
                "SELECT last_vacuum FROM pg_stat_user_tables WHERE relname = 'tracker_events'"
            )).scalar_one()
            assert vacuumed is not None
