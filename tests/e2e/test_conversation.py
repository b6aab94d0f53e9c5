"""What a caseworker does besides answering: why, help, corrections, pause, cancel, off-topic."""

from __future__ import annotations

import uuid

import pytest

from tests.e2e.referrals import REFERRALS, answer_all
from tests.support.servers import Assistant, reply_texts

pytestmark = pytest.mark.e2e

REFERRAL = REFERRALS[0]


def slots(assistant: Assistant, sender: str) -> dict:
    return assistant.tracker(sender)["slots"]


def started(assistant: Assistant, answers: int = 0) -> str:
    """A new conversation with the referral started and the first `answers` given."""
    sender = f"e2e-{uuid.uuid4().hex}"
    assistant.say(sender, "I need to refer a defender to the HRD stream")
    answer_all(
        lambda text: assistant.say(sender, text),
        lambda: slots(assistant, sender),
        REFERRAL.answers[:answers],
        REFERRAL.expected,
    )
    return sender


def test_why_and_help_are_specific_then_the_question_is_asked_again(assistant: Assistant) -> None:
    sender = started(assistant, answers=10)  # now asked: family_members
    assert slots(assistant, sender)["requested_slot"] == "family_members"
    why = reply_texts(assistant.say(sender, "what does that have to do with anything?"))
    assert "counted in people" in why
    assert "How many family members" in why
    help_text = reply_texts(assistant.say(sender, "I'm not sure how to answer this"))
    assert "Count the family members" in help_text
    assert "How many family members" in help_text
    assert slots(assistant, sender)["requested_slot"] == "family_members"


def test_correcting_an_earlier_answer_mid_form(assistant: Assistant) -> None:
    sender = started(assistant, answers=6)  # country_of_origin UG, current_country KE given
    assert slots(assistant, sender)["current_country"] == "KE"
    replies = assistant.say(sender, "sorry, my mistake, she is in Tanzania not Kenya")
    state = slots(assistant, sender)
    assert state["current_country"] == "TZ"
    assert state["requested_slot"] == "fled_persecution"
    assert "flee" in reply_texts(replies)


def test_correcting_after_the_summary_shows_the_summary_again(assistant: Assistant) -> None:
    sender = started(assistant, answers=len(REFERRAL.answers))
    assert slots(assistant, sender)["requested_slot"] == "summary_confirmed"
    replies = assistant.say(sender, "wait, there are actually 4 family members coming, not 3")
    state = slots(assistant, sender)
    assert state["family_members"] == 4
    assert state["summary_confirmed"] is None
    assert "Family members coming: 4" in reply_texts(replies)


def test_pause_then_resume_continues_where_it_stopped(assistant: Assistant) -> None:
    sender = started(assistant, answers=4)
    asked = slots(assistant, sender)["requested_slot"]
    paused = reply_texts(
        assistant.say(sender, "I have to go to a meeting, can we stop here for now"))
    assert "Paused" in paused
    assert slots(assistant, sender)["requested_slot"] is None
    back = reply_texts(assistant.say(sender, "hi again"))
    assert "Welcome back" in back
    assert slots(assistant, sender)["requested_slot"] == asked
    assert slots(assistant, sender)["country_of_origin"] == "UG"


def test_cancel_asks_once_then_discards_the_draft(assistant: Assistant) -> None:
    sender = started(assistant, answers=5)
    question = reply_texts(assistant.say(sender, "please cancel, this was a mistake"))
    assert "discard" in question
    done = reply_texts(assistant.say(sender, "yes"))
    assert "discarded" in done
    state = slots(assistant, sender)
    assert state["partner_case_reference"] is None and state["country_of_origin"] is None


def test_cancel_declined_keeps_the_draft(assistant: Assistant) -> None:
    sender = started(assistant, answers=5)
    assistant.say(sender, "cancel the referral")
    kept = reply_texts(assistant.say(sender, "no, keep it"))
    assert "draft is kept" in kept
    state = slots(assistant, sender)
    assert state["country_of_origin"] == "UG"
    assert state["requested_slot"] == "persecution_agent"


def test_off_topic_message_keeps_the_form(assistant: Assistant) -> None:
    sender = started(assistant, answers=3)
    replies = reply_texts(assistant.say(sender, "can you recommend a good restaurant in Ottawa?"))
    assert "I can only help with referrals" in replies
    assert slots(assistant, sender)["requested_slot"] == "current_country"


def test_an_answer_not_understood_gets_a_specific_re_ask(assistant: Assistant) -> None:
    sender = started(assistant, answers=2)
    first = reply_texts(assistant.say(sender, "Atlantis"))
    assert "could not recognise that country" in first
    second = reply_texts(assistant.say(sender, "Wakanda"))
    assert "Type a country name or nationality" in second
    assistant.say(sender, "Uganda")
    assert slots(assistant, sender)["country_of_origin"] == "UG"


def test_refused_consent_stops_before_anything_sensitive(assistant: Assistant) -> None:
    sender = started(assistant, answers=1)
    replies = reply_texts(assistant.say(sender, "no, she has not agreed to that"))
    assert "cannot go ahead" in replies
    state = slots(assistant, sender)
    assert state["partner_case_reference"] is None
    assert state["requested_slot"] is None


def test_two_misunderstandings_in_a_row_offer_choices(assistant: Assistant) -> None:
    sender = f"e2e-{uuid.uuid4().hex}"
    assistant.say(sender, "hello")
    first = assistant.say(sender, "zxqv blarg wibble")
    second = assistant.say(sender, "qqq zzz pppp")
    # Gibberish reads as not understood or as off-topic; either way the second offers choices.
    first_text = reply_texts(first)
    assert "didn't understand" in first_text or "only help with referrals" in first_text
    assert any(reply.get("buttons") for reply in second)
