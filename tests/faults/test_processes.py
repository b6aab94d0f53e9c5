"""A process dies in the middle of an intake (issue 18): the action server SIGKILLed mid-form
and at the moment of submit, the Rasa server SIGKILLed mid-form. The caseworker is told in
their language (never silence, never a Rasa error), the draft is where it was once the
process is back, and the store holds exactly one case with the referral's answers."""

from __future__ import annotations

import contextlib
import threading
import time

import pytest
import sqlalchemy as sa

from bot.store.db import session_scope
from bot.store.models import Case
from tests.e2e.referrals import REFERRALS
from tests.e2e.referrals_fr import REFERRALS_FR
from tests.faults.conftest import Setup
from tests.faults.support import Intake, check_one_case

pytestmark = pytest.mark.e2e

TOLD_TO_RETRY = {"en": "try again in a minute", "fr": "réessayer dans une minute"}


def _cases_of(sender: str) -> list[str]:
    with session_scope() as session:
        return list(session.execute(
            sa.select(Case.reference).where(Case.sender_id == sender)).scalars())


# Rasa's own answer to an unreachable action server is silence, and a form validation that
# could not run leaves the unchecked text in the slot: bot/runtime/action_unreachable.py
# answers "draft kept, try again in a minute" and clears the unchecked answer.


def _check_told(told: str, language: str) -> None:
    """The localized "draft kept, try again" reply, nothing of Rasa's."""
    assert TOLD_TO_RETRY[language] in told.lower(), told
    assert "Traceback" not in told and "rasa" not in told.lower(), told


def test_action_server_killed_mid_form(sqlite_setup: Setup) -> None:
    server = sqlite_setup.main
    intake = Intake(server, sqlite_setup.token, REFERRALS[0])
    intake.begin()
    intake.answer(4)
    draft = intake.stored_answers()
    server.kill_action_server()
    try:
        nxt = intake.referral.answers[intake.answered]
        reply = intake.say(nxt)
        assert reply.status == 200, intake.log()  # answered, not a Rasa error
        assert intake.stored_answers() == draft  # nothing lost, nothing unchecked kept
    finally:
        server.start_action_server()
    intake.answer_rest()  # the same answer again, then the rest
    reference = intake.confirm()
    with sqlite_setup.reading():
        assert _cases_of(intake.sender) == [reference]
        check_one_case(intake.sender, reference, intake.referral)
    _check_told(reply.text, "en")


def test_action_server_killed_at_submit(sqlite_setup: Setup) -> None:
    """Killed just before the confirmation, and killed while the confirmation is being
    saved: either way, after the restart the caseworker's "yes" again gives one case."""
    server = sqlite_setup.main
    intake = Intake(server, sqlite_setup.token, REFERRALS_FR[0])
    intake.begin()
    intake.answer_rest()
    draft = intake.stored_answers()
    server.kill_action_server()
    try:
        reply = intake.say(intake.confirmation())
        assert reply.status == 200, intake.log()
        with sqlite_setup.reading():
            assert _cases_of(intake.sender) == []
        assert intake.stored_answers() == draft
    finally:
        server.start_action_server()
    # Killed while the confirmation is in flight: the case may or may not be written.
    in_flight: list = []
    sending = threading.Thread(target=lambda: in_flight.append(
        intake.say(intake.confirmation())))
    sending.start()
    time.sleep(0.3)
    server.kill_action_server()
    sending.join(timeout=180)
    server.start_action_server()
    assert in_flight and in_flight[0].status == 200, intake.log()
    reference = intake.confirm()  # the caseworker says yes again
    with sqlite_setup.reading():
        assert _cases_of(intake.sender) == [reference]
        check_one_case(intake.sender, reference, intake.referral)
    _check_told(reply.text, "fr")


def test_rasa_server_killed_mid_form(setup: Setup) -> None:
    """Rasa SIGKILLed between two answers, and while one is being handled: restarted, it
    reads the conversation back from the tracker store with every confirmed answer."""
    server = setup.main
    intake = Intake(server, setup.token, REFERRALS[1])
    intake.begin()
    intake.answer(5)
    draft = intake.stored_answers()
    requested = intake.slots()["requested_slot"]
    server.kill_rasa_server()
    server.start_rasa_server()
    assert intake.stored_answers() == draft
    assert intake.slots()["requested_slot"] == requested
    # Killed while an answer is in flight: the caseworker's client sees the connection drop
    # and sends it again; that answer is then taken once.
    sending = threading.Thread(target=lambda: _dropped(intake))
    sending.start()
    time.sleep(0.5)
    server.kill_rasa_server()
    sending.join(timeout=60)
    server.start_rasa_server()
    intake.answer_rest()
    reference = intake.confirm()
    with setup.reading():
        assert _cases_of(intake.sender) == [reference]
        check_one_case(intake.sender, reference, intake.referral)


def _dropped(intake: Intake) -> None:
    with contextlib.suppress(OSError):  # the connection the kill dropped
        intake.say(intake.referral.answers[intake.answered])
