"""Errors never carry data: when an action fails (a database error, a bad key), the user is
told in their language that the intake is kept, and no answer reaches any log (Rasa's or
the action server's) or any response."""

from __future__ import annotations

import asyncio
import re
import sqlite3
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import ActionExecutor, CollectingDispatcher

from actions.guard import FAILED_RESPONSE, GuardedAction, is_guarded
from tests.e2e.referrals import REFERRALS
from tests.security.conftest import Running
from tests.support.servers import ROOT, reply_texts

KEPT = "Your intake is kept"
TRIGGER = "hrd_security_test_refuses_cases"


@pytest.fixture(params=["database_error"])
def failing(request: pytest.FixtureRequest, development: Running) -> Iterator[Running]:
    """The development servers, with the action server unable to save a case. (A wrong
    HRD_DATA_KEY no longer gets this far: every server refuses it at start, before serving;
    tests/faults/test_keys.py.)"""
    database = development.database
    with sqlite3.connect(database) as db:  # an IntegrityError, not "database unreachable"
        db.execute(f"CREATE TRIGGER {TRIGGER} BEFORE INSERT ON cases "
                   "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END")
    try:
        yield development
    finally:
        with sqlite3.connect(database) as db:
            db.execute(f"DROP TRIGGER {TRIGGER}")


@pytest.mark.e2e
def test_a_failing_action_says_so_and_leaks_nothing(failing: Running) -> None:
    referral = next(r for r in REFERRALS if r.expected["immediate_threat"])
    marker = f"Zorblax{uuid.uuid4().hex[:8]}"
    answers = list(referral.answers)
    answers[0] = f"REF-{marker}"
    answers[10] = f"{answers[10]} near the {marker} market"  # the threat description
    sender = f"failing-{uuid.uuid4().hex}"
    assistant = failing.assistant
    assistant.say(sender, "I want to refer a defender")
    for answer in answers:
        assistant.say(sender, answer)
    replies = assistant.say(sender, "yes")

    text = reply_texts(replies)
    assert KEPT in text, replies
    assert not re.search(r"HRD-\d{4}-\d{5}", text)
    assert marker not in str(replies)
    assert assistant.tracker(sender)["slots"]["partner_case_reference"]  # the draft is kept
    logs = failing.log_text()
    assert "failed for intake" in logs  # the guard logged it: ids and a type only
    for secret in [marker, *(a for a in answers[1:] if len(a) > 12)]:
        assert secret not in logs, f"{secret!r} found in a log"


class _Exploding(GuardedAction):
    def name(self) -> str:
        return "action_test_exploding"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_submitted", reference="HRD-2026-00001")
        raise RuntimeError(f"secret answer {tracker.get_slot('threat_description')}")


def test_the_guard_drops_half_answers_and_names_no_data(caplog: pytest.LogCaptureFixture) -> None:
    tracker = Tracker("sender-x", {"threat_description": "Zorblax threat", "intake_id": "i-1",
                                   "language": "fr"}, {}, [], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(_Exploding().run(dispatcher, tracker, {}))
    assert events == []
    assert [m["response"] for m in dispatcher.messages] == [FAILED_RESPONSE]
    assert "i-1" in caplog.text and "RuntimeError" in caplog.text
    assert "Zorblax" not in caplog.text and "sender-x" not in caplog.text


def test_the_failure_message_exists_in_english_and_french() -> None:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    variants = domain["responses"][FAILED_RESPONSE]
    plain = [v for v in variants if not v.get("condition")]
    french = [v for v in variants if {"type": "slot", "name": "language", "value": "fr"}
              in (v.get("condition") or [])]
    assert plain and KEPT in plain[0]["text"]
    assert french and "conservée" in french[0]["text"]


def test_every_action_is_guarded() -> None:
    executor = ActionExecutor()
    executor.register_package("actions")
    assert executor.actions
    for name, run in executor.actions.items():
        assert is_guarded(run.__self__), name
