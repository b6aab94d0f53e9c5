"""A partner user's drafts in progress: their own widget conversations with a message from
them and no case; resuming one makes it current, and only their own can be resumed."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from bot.access import create_user
from bot.access.drafts import open_drafts, resume_draft
from bot.access.senders import claim_sender
from bot.access.widget_tokens import current_sender, new_sender, sender_prefix
from bot.store import submit_case
from bot.store.associated_data import tracker_label
from bot.store.crypto import encrypt_json
from bot.store.db import session_scope
from bot.store.models import TrackerEvent
from tests.access.databases import KINDS, temporary_database
from tests.e2e.referrals import REFERRALS


def _said(sender: str, stamp: float, event: str = "user") -> None:
    data = {"event": event, "timestamp": stamp, "text": "x"}
    with session_scope() as session:
        session.add(TrackerEvent(sender_id=sender, type_name=event, timestamp=stamp,
                                 data=encrypt_json(data, tracker_label(sender))))


@pytest.mark.parametrize("kind", KINDS)
def test_open_drafts_and_resume(kind: str, tmp_path: Path) -> None:
    with temporary_database(kind, tmp_path / "data"):
        me = create_user("me@example.org", "partner", "unhcr").user_id
        other = create_user("other@example.org", "partner", "unhcr").user_id
        prefix = sender_prefix(me)
        older, newer, silent, submitted = (new_sender(me) for _ in range(4))
        _said(older, 100.0)
        _said(older, 110.0)
        _said(newer, 200.0)
        _said(silent, 300.0, event="bot")  # the assistant only: nothing of the user's yet
        _said(submitted, 400.0)
        answers = dict(REFERRALS[0].expected, summary_confirmed=True)
        submit_case(intake_id=secrets.token_hex(8), sender_id=submitted, partner_org="unhcr",
                    answers=answers)
        theirs = f"{sender_prefix(other)}{secrets.token_hex(8)}"
        assert claim_sender(theirs, other)
        _said(theirs, 500.0)

        drafts = open_drafts(me, prefix)
        assert [d.sender_id for d in drafts] == [newer, older]
        assert drafts[1].messages == 2 and drafts[1].started_at is not None

        assert resume_draft(me, prefix, older)
        assert current_sender(me) == older
        assert not resume_draft(me, prefix, theirs)  # another user's conversation
        assert not resume_draft(me, prefix, submitted)  # not a draft any more
        assert not resume_draft(me, prefix, "web-1-nothing")
        assert current_sender(me) == older
