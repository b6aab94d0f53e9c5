"""SMS and WhatsApp through Twilio on the real Rasa server: X-Twilio-Signature over the
public URL, a full referral over WhatsApp, numbered options, duplicates, unlinked numbers."""

from __future__ import annotations

import pytest

from bot.store import get_case
from tests.channels.messaging import (
    PHONE,
    Messaging,
    link_id,
    run_referral,
    texts,
    tracker_event_count,
)

pytestmark = pytest.mark.e2e


def test_forged_and_misaddressed_requests_reach_no_conversation(messaging: Messaging) -> None:
    sender = f"whatsapp:{link_id('phone', PHONE)}"
    before, mark = tracker_event_count(sender), messaging.fake.mark()
    params = messaging.twilio_params("I want to refer a defender", whatsapp=True)
    local_url = f"{messaging.assistant.base}/webhooks/twilio/webhook"
    for kwargs in ({"signature": None}, {"signature": "bm90IGEgc2lnbmF0dXJl"},
                   {"token": "not-the-auth-token"},
                   {"signed_url": local_url}):  # the URL behind the proxy is not what's signed
        assert messaging.twilio_post(params, **kwargs).status == 403, kwargs  # type: ignore[arg-type]
    signed = messaging.twilio_params("hello", whatsapp=True)
    tampered = {**signed, "Body": "something else"}
    from twilio.request_validator import RequestValidator

    signature = RequestValidator(messaging.env["HRD_TWILIO_AUTH_TOKEN"]).compute_signature(
        "https://bot.example.org/webhooks/twilio/webhook", signed)
    assert messaging.twilio_post(tampered, signature=signature).status == 403
    assert tracker_event_count(sender) == before
    assert not messaging.fake.since(mark, "twilio", "Messages")


def test_linked_whatsapp_number_completes_a_referral(messaging: Messaging) -> None:
    def say(text: str) -> list:
        return messaging.twilio_say(text, whatsapp=True)

    reference, transcript = run_referral(say)
    case = get_case(reference)
    assert case is not None
    assert case.partner_org == "unhcr"
    assert case.sender_id == f"whatsapp:{link_id('phone', PHONE)}"
    conversation = "\n".join(transcript)
    assert "1. Yes\n2. No" in conversation  # buttons written out as numbered options
    assert PHONE not in case.sender_id


def test_sms_reply_with_a_number_picks_that_option(messaging: Messaging) -> None:
    say = messaging.twilio_say
    assert say("I want to refer a defender")
    replies = texts(say("our file number is UNHCR-SMS-0001"))
    assert "consent" in replies.lower() and "1. Yes\n2. No" in replies
    # "2" is the second option, No: without consent the intake stops and stores nothing.
    answer = texts(say("2"))
    assert "stored nothing about the defender" in answer, answer  # utter_consent_refused
    replies_from = {c.params["From"] for c in messaging.fake.since(0, "twilio", "Messages",
                                                                   To=PHONE)}
    assert replies_from == {messaging.env["HRD_TWILIO_NUMBER"]}


def test_duplicate_message_sid_makes_no_second_turn(messaging: Messaging) -> None:
    sender = f"sms:{link_id('phone', PHONE)}"
    params = messaging.twilio_params("help")
    mark = messaging.fake.mark()
    assert messaging.twilio_post(params).status == 200
    assert messaging.fake.since(mark, "twilio", "Messages")
    events, mark = tracker_event_count(sender), messaging.fake.mark()
    assert messaging.twilio_post(params).status == 200  # Twilio's retry
    assert tracker_event_count(sender) == events
    assert not messaging.fake.since(mark, "twilio", "Messages")


def test_unlinked_number_gets_one_refusal_and_leaves_nothing(messaging: Messaging) -> None:
    stranger = "+447700900123"
    before = tracker_event_count()
    replies = messaging.twilio_say("hello, I need help", stranger, whatsapp=True)
    assert len(replies) == 1 and "link" in texts(replies).lower()
    assert replies[0].params["From"] == f"whatsapp:{messaging.env['HRD_TWILIO_WHATSAPP_NUMBER']}"
    assert messaging.twilio_say("hello?", stranger, whatsapp=True) == []
    assert tracker_event_count() == before
    logs = "".join(p.read_text(errors="replace") for p in messaging.assistant.logs)
    assert stranger not in logs and stranger[1:] not in logs


def test_long_replies_fit_in_one_twilio_message_each(messaging: Messaging) -> None:
    bodies = [c.params.get("Body", "") for c in messaging.fake.since(0, "twilio", "Messages")]
    assert bodies and all(len(b) <= 1600 for b in bodies)
