"""Redis down under several Rasa processes (issue 18). The two Rasa servers of the
production set-up share a Redis of the test's own (the shared one is never stopped); it is
SIGKILLed mid-form and started again on its port.

While it is down, the conversation lock cannot be taken, so no process handles a turn: they
fail closed (two processes never handle one conversation at once, and no turn runs
unlocked). The message is cleanly refused: the partner channel's 503 with Retry-After (or a
200 with "draft kept, try again in a minute", issue 20's reply for a failed turn), never a
500; and the draft is untouched. When Redis is back, the same message goes
through and the intake ends in one case, every turn moving between the two processes."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from bot.store.db import session_scope
from bot.store.models import Case
from tests.e2e.referrals import REFERRALS
from tests.faults.conftest import Setup
from tests.faults.support import Intake, check_one_case, check_told_to_retry

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]


class Alternating(Intake):
    """Each turn to the next Rasa process."""

    servers: tuple = ()
    turns: int = 0

    def say(self, message: str, server: object = None) -> object:  # type: ignore[override]
        self.turns += 1
        return super().say(message, server or self.servers[self.turns % len(self.servers)])


def _user_turns(setup: Setup, sender: str) -> int:
    events = setup.main.tracker(sender)["events"]
    return sum(1 for event in events if event["event"] == "user")


def test_redis_down_fails_closed_and_recovers(postgres_setup: Setup) -> None:
    setup = postgres_setup
    assert setup.redis is not None
    intake = Alternating(setup.main, setup.token, REFERRALS[0])
    intake.servers = tuple(setup.servers)
    intake.begin()
    intake.answer(4)
    draft, turns = intake.stored_answers(), _user_turns(setup, intake.sender)
    setup.redis.kill()
    try:
        answer = intake.referral.answers[intake.answered]
        with ThreadPoolExecutor(2) as pool:  # the same conversation to both processes
            replies = list(pool.map(lambda server: intake.say(answer, server), setup.servers))
    finally:
        setup.redis.start()  # the same port: the servers' clients reconnect
    for reply in replies:
        check_told_to_retry(reply)
    assert _user_turns(setup, intake.sender) == turns  # no turn ran without the lock
    assert intake.stored_answers() == draft
    intake.answer_rest()  # the same answer again, then the rest, across both processes
    reference = intake.confirm()
    with setup.reading():
        with session_scope() as session:
            stored = list(session.execute(sa.select(Case.reference).where(
                Case.sender_id == intake.sender)).scalars())
        assert stored == [reference]
        check_one_case(intake.sender, reference, intake.referral)
