"""Double and replayed messages at the moment that matters, the confirmation (issue 18): the
same "yes" sent twice at once on the partner channel, a Slack retry (X-Slack-Retry-Num)
while the first delivery is still being handled, a Twilio retry of the same MessageSid, and
a Telegram resend and edited_message. Each gives one case and one "submitted" reply.

The four intakes run at the same time on the messaging channels' assistant, each on an
account of its own linked here (so the channel tests' conversations are not touched)."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import sqlalchemy as sa

from bot.store.db import session_scope
from bot.store.models import Case
from tests.access.cli import hrd
from tests.channels.fake_platforms import Call
from tests.channels.messaging import Messaging, link_id, texts
from tests.e2e.referrals import REFERRALS
from tests.faults.support import check_one_case, partner_post
from tests.support.saved_cases import REFERENCE

pytestmark = pytest.mark.e2e

TELEGRAM_USER = 333000333
PHONE = "+254700000333"
SLACK_USER = "U0FAULTS3"
SUBMITTED = "The referral is submitted"
CONFIRM = "yes, that's all correct"


@pytest.fixture(scope="module")
def linked(messaging: Messaging) -> Messaging:
    for args in (("--telegram", str(TELEGRAM_USER)), ("--phone", PHONE),
                 ("--slack", SLACK_USER)):
        result = hrd("users", "link", "caseworker@unhcr.org", *args, env=messaging.env)
        assert result.returncode == 0, result.stderr
    return messaging


def _up_to_summary(say: Callable[[str], str]) -> None:
    """REFERRALS[0] up to its summary (its answers need no read-back)."""
    if "Start a referral" in say("I want to refer a defender"):
        say("yes let's start a referral")
    for answer in REFERRALS[0].answers:
        assert say(answer).strip(), answer


def _cases(platform: str, account: str) -> list[str]:
    link = link_id(platform, account)
    with session_scope() as session:
        return list(session.execute(sa.select(Case.reference).where(
            Case.sender_id.like(f"%:{link}"))).scalars())


def _submitted(calls: list[Call]) -> list[str]:
    return [t for t in texts(calls).split("\n") if SUBMITTED in t]


def partner_twice_at_once(messaging: Messaging) -> dict[str, Any]:
    sender = f"fault-double-{uuid.uuid4().hex[:12]}"

    def say(text: str) -> str:
        reply = partner_post(messaging.assistant, messaging.partner_token, sender, text)
        assert reply.status == 200, reply
        return reply.text

    _up_to_summary(say)
    start = threading.Barrier(2)

    def confirm(_: int) -> str:
        start.wait()
        return say(CONFIRM)

    with ThreadPoolExecutor(2) as pool:
        replies = list(pool.map(confirm, range(2)))
    return {"replies": replies, "sender": sender}


def slack_retried(messaging: Messaging) -> dict[str, Any]:
    def say(text: str) -> str:
        return texts(messaging.slack_say(text, SLACK_USER))

    _up_to_summary(say)
    event = messaging.slack_event(CONFIRM, SLACK_USER)
    mark = messaging.fake.mark()
    assert messaging.slack_post(event).status == 200
    time.sleep(0.2)  # the first delivery's turn is running: Slack retries
    for retry in ("1", "2"):
        assert messaging.slack_post(event, headers={"X-Slack-Retry-Num": retry,
                                                    "X-Slack-Retry-Reason": "http_timeout"}
                                    ).status == 200
    calls = messaging.fake.wait_quiet(mark, "slack", "chat.postMessage",
                                      channel=f"D{SLACK_USER[1:]}", quiet=3)
    return {"submitted": _submitted(calls), "cases": ("slack", SLACK_USER)}


def twilio_retried(messaging: Messaging) -> dict[str, Any]:
    def say(text: str) -> str:
        return texts(messaging.twilio_say(text, PHONE, whatsapp=True))

    _up_to_summary(say)
    params = messaging.twilio_params(CONFIRM, PHONE, whatsapp=True)
    mark = messaging.fake.mark()
    with ThreadPoolExecutor(2) as pool:  # the retry while the first is being handled
        statuses = list(pool.map(lambda _: messaging.twilio_post(params).status, range(2)))
    assert statuses == [200, 200]
    assert messaging.twilio_post(params).status == 200  # and once more, later
    time.sleep(1)
    calls = messaging.fake.since(mark, "twilio", "Messages", To=f"whatsapp:{PHONE}")
    return {"submitted": _submitted(calls), "cases": ("phone", PHONE)}


def telegram_resent_and_edited(messaging: Messaging) -> dict[str, Any]:
    def say(text: str) -> str:
        return texts(messaging.telegram_say(text, TELEGRAM_USER))

    _up_to_summary(say)
    update = messaging.telegram_update(CONFIRM, TELEGRAM_USER)
    mark = messaging.fake.mark()
    with ThreadPoolExecutor(2) as pool:  # Telegram resends the update it got no 200 for
        statuses = list(pool.map(lambda _: messaging.telegram_post(update).status, range(2)))
    assert statuses == [200, 200]
    edited = {"update_id": messaging.next_id(),
              "edited_message": {**update["message"], "edit_date": int(time.time()),
                                 "text": "yes, all of it is correct"}}
    assert messaging.telegram_post(edited).status == 200
    time.sleep(1)
    calls = messaging.fake.since(mark, "telegram", "sendMessage", chat_id=TELEGRAM_USER)
    return {"submitted": _submitted(calls), "cases": ("telegram", str(TELEGRAM_USER))}


@pytest.fixture(scope="module")
def outcomes(linked: Messaging) -> dict[str, dict[str, Any]]:
    """The four replays, at the same time (they share nothing but the servers)."""
    jobs = {"partner": partner_twice_at_once, "slack": slack_retried,
            "twilio": twilio_retried, "telegram": telegram_resent_and_edited}
    with ThreadPoolExecutor(len(jobs)) as pool:
        futures = {name: pool.submit(job, linked) for name, job in jobs.items()}
        return {name: future.result() for name, future in futures.items()}


def test_the_same_confirmation_twice_at_once_gives_one_case(
        outcomes: dict[str, dict[str, Any]]) -> None:
    outcome = outcomes["partner"]
    submitted = [r for r in outcome["replies"] if SUBMITTED in r]
    assert len(submitted) == 1, outcome["replies"]
    references = {m for r in outcome["replies"] for m in REFERENCE.findall(r)}
    assert len(references) == 1, outcome["replies"]
    with session_scope() as session:
        stored = list(session.execute(sa.select(Case.reference).where(
            Case.sender_id == outcome["sender"])).scalars())
    assert stored == list(references)
    check_one_case(outcome["sender"], stored[0], REFERRALS[0])


@pytest.mark.parametrize("platform", ["slack", "twilio", "telegram"])
def test_a_platform_retry_of_the_confirmation_gives_one_case_and_one_reply(
        outcomes: dict[str, dict[str, Any]], platform: str) -> None:
    outcome = outcomes[platform]
    assert len(outcome["submitted"]) == 1, outcome["submitted"]
    reference = REFERENCE.search(outcome["submitted"][0])
    assert reference is not None
    stored = _cases(*outcome["cases"])
    assert stored == [reference.group(0)]
    case_sender = None
    with session_scope() as session:
        case_sender = session.execute(sa.select(Case.sender_id).where(
            Case.reference == stored[0])).scalar_one()
    check_one_case(case_sender, stored[0], REFERRALS[0])
