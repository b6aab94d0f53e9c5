"""Acceptance: a referral through the partner channel with a token from `hrd users add`
ends in a case that the case API shows to that user and to a supervisor, and hides from
another organization; an organization added with `hrd orgs add` cannot refer."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from bot.store.db import session_scope
from bot.store.models import Case
from tests.channels.conftest import Partners, new_sender
from tests.e2e.referrals import REFERRALS
from tests.support.servers import reply_texts

pytestmark = pytest.mark.e2e

REFERENCE = re.compile(r"\bHRD-\d{4}-\d{5}\b")


def _case_count() -> int:
    with session_scope() as session:
        return session.execute(sa.select(sa.func.count(Case.id))).scalar_one()


def test_referral_through_partner_channel_is_readable_by_the_right_people(
    partners: Partners,
) -> None:
    referral = REFERRALS[0]
    sender = new_sender()
    transcript: list[str] = []

    def say(text: str) -> list[dict]:
        replies = partners.say("unhcr", sender, text)
        transcript.extend([f"> {text}", reply_texts(replies)])
        return replies

    if "Start a referral" in str(say(referral.opener)):
        say("yes let's start a referral")
    for answer in referral.answers:
        say(answer)
    match = REFERENCE.search(reply_texts(say("yes")))
    assert match, "\n".join(transcript)
    reference = match.group(0)

    console = partners.console
    own = console.get(f"/api/cases/{reference}", partners.tokens["unhcr"])
    assert own.status == 200, own.raw[:300]
    case = own.json
    assert case["partner_org"] == "unhcr"
    assert {k: case["answers"].get(k) for k in referral.expected} == referral.expected
    colleague = console.get(f"/api/cases/{reference}", partners.tokens["unhcr2"])
    assert colleague.status == 200  # the organization's case, not only its author's
    supervisor = console.get(f"/api/cases/{reference}", partners.tokens["supervisor"])
    assert supervisor.status == 200 and supervisor.json == case
    other = console.get(f"/api/cases/{reference}", partners.tokens["fld"])
    assert other.status == 404
    assert reference not in {c["reference"] for c in console.get(
        "/api/cases", partners.tokens["fld"]).json}
    assert reference in {c["reference"] for c in console.get(
        "/api/cases?partner=unhcr", partners.tokens["supervisor"]).json}


def test_added_organization_cannot_refer_and_nothing_is_stored(partners: Partners) -> None:
    referral = REFERRALS[0]
    sender = new_sender()
    before = _case_count()
    replies = partners.say("ngo", sender, referral.opener)
    refusal = reply_texts(replies)
    if "Start a referral" in str(replies):
        refusal = reply_texts(partners.say("ngo", sender, "yes let's start a referral"))
    assert "designated" in refusal and "Nothing about the defender has been stored" in refusal
    # Answering anyway stores nothing and asks nothing.
    for answer in referral.answers[:3]:
        partners.say("ngo", sender, answer)
    partners.say("ngo", sender, "yes")
    assert _case_count() == before
    slots = partners.assistant.tracker(sender)["slots"]
    assert slots["partner_org"] == "ngo_kampala"
    assert slots.get("partner_case_reference") is None
    assert slots.get("consent_to_share") is None
