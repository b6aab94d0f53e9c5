"""Complete referrals through the real Rasa server, action server and case store."""

from __future__ import annotations

import re
import uuid

import pytest

from actions.responses import text
from bot.rules import outcome_messages
from bot.store import get_case
from tests.actions.support import DOMAIN
from tests.e2e.referrals import REFERRALS, Referral, answer_all
from tests.support.servers import Assistant, reply_texts

pytestmark = pytest.mark.e2e

REFERENCE = re.compile(r"\bHRD-(\d{4})-(\d{5})\b")


def current_slots(assistant: Assistant, sender: str) -> dict:
    return assistant.tracker(sender)["slots"]


@pytest.mark.parametrize("referral", REFERRALS, ids=lambda r: r.name)
def test_complete_referral_is_stored_exactly(assistant: Assistant, referral: Referral) -> None:
    sender = f"e2e-{uuid.uuid4().hex}"
    replies = assistant.say(sender, referral.opener)
    if "Start a referral" in str(replies):  # a greeting: start explicitly, as a caseworker would
        assistant.say(sender, "yes let's start a referral")
    replies, _ = answer_all(
        lambda text: assistant.say(sender, text),
        lambda: current_slots(assistant, sender),
        referral.answers,
        referral.expected,
    )
    # Before confirming: every slot holds the normalized value, and the summary was shown.
    slots = current_slots(assistant, sender)
    assert {slot: slots[slot] for slot in referral.expected} == referral.expected
    assert slots["requested_slot"] == "summary_confirmed"
    assert "Here is the referral" in reply_texts(replies)

    replies = assistant.say(sender, "yes, that's all correct")
    match = REFERENCE.search(reply_texts(replies))
    assert match, reply_texts(replies)
    case = get_case(match.group(0))
    assert case is not None
    stored = {slot: case.answers.get(slot) for slot in referral.expected}
    assert stored == referral.expected
    # The outcome follows the stored decision, each reason citing its policy source.
    said = reply_texts(replies)
    for name, values in outcome_messages(case.decision, case.answers):
        assert text(DOMAIN, name, "en").format(**values) in said, name
    assert "counts against" not in said and "next year" not in said
    assert "threat_description" in case.answers or not referral.expected["immediate_threat"]
    # The draft is cleared, so a repeated "yes" cannot submit twice.
    assert current_slots(assistant, sender)["partner_case_reference"] is None
