"""Slack on the real Rasa server: the v0 signature and its 5-minute window, a full referral
in a direct message, Slack's retries, channel messages and unlinked members."""

from __future__ import annotations

import time

import pytest

from bot.store import get_case
from tests.channels.messaging import (
    SLACK_USER,
    Messaging,
    link_id,
    run_referral,
    texts,
    tracker_event_count,
)

pytestmark = pytest.mark.e2e


def _sender() -> str:
    return f"slack:{link_id('slack', SLACK_USER)}"


def test_url_verification_needs_a_signature(messaging: Messaging) -> None:
    challenge = {"token": "x", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
                 "type": "url_verification"}
    reply = messaging.slack_post(challenge)
    assert reply.status == 200 and reply.body == challenge["challenge"]
    assert messaging.slack_post(challenge, secret="not-the-secret").status == 401


def test_forged_and_replayed_events_reach_no_conversation(messaging: Messaging) -> None:
    before, mark = tracker_event_count(_sender()), messaging.fake.mark()
    event = messaging.slack_event("I want to refer a defender")
    assert messaging.slack_post(event, secret="not-the-secret").status == 401
    stale = int(time.time()) - 6 * 60  # a captured request replayed after the window
    assert messaging.slack_post(event, timestamp=stale).status == 401
    assert messaging.slack_post(event, headers={"X-Slack-Signature": "v0=00"}).status == 401
    assert messaging.slack_post(event, headers={"X-Slack-Request-Timestamp": ""}).status == 401
    time.sleep(2)
    assert tracker_event_count(_sender()) == before
    assert not messaging.fake.since(mark, "slack", "chat.postMessage")


def test_linked_member_completes_a_referral(messaging: Messaging) -> None:
    reference, transcript = run_referral(messaging.slack_say)
    case = get_case(reference)
    assert case is not None, transcript
    assert case.partner_org == "unhcr"
    assert case.sender_id == _sender()
    buttons = [c for c in messaging.fake.since(0, "slack", "chat.postMessage")
               if c.params.get("blocks")]
    assert buttons, "no fixed-choice question came with buttons"


def test_button_press_is_a_turn(messaging: Messaging) -> None:
    events = tracker_event_count(_sender())
    mark = messaging.fake.mark()
    assert messaging.slack_press("help").status == 200
    assert messaging.fake.wait_quiet(mark, "slack", "chat.postMessage")
    assert tracker_event_count(_sender()) > events


def test_retries_make_no_second_turn(messaging: Messaging) -> None:
    event = messaging.slack_event("why do you need this?")
    mark = messaging.fake.mark()
    assert messaging.slack_post(event).status == 200
    assert messaging.fake.wait_quiet(mark, "slack", "chat.postMessage")
    events, mark = tracker_event_count(_sender()), messaging.fake.mark()
    for retry in ("1", "2"):
        reply = messaging.slack_post(event, headers={"X-Slack-Retry-Num": retry,
                                                     "X-Slack-Retry-Reason": "http_timeout"})
        assert reply.status == 200
    time.sleep(2)
    assert tracker_event_count(_sender()) == events
    assert not messaging.fake.since(mark, "slack", "chat.postMessage")


def test_channel_messages_are_not_served(messaging: Messaging) -> None:
    events, mark = tracker_event_count(_sender()), messaging.fake.mark()
    event = messaging.slack_event("I want to refer a defender", channel_type="channel")
    assert messaging.slack_post(event).status == 200
    time.sleep(2)
    assert tracker_event_count(_sender()) == events
    assert not messaging.fake.since(mark, "slack", "chat.postMessage")


def test_unlinked_member_gets_one_refusal_and_leaves_nothing(messaging: Messaging) -> None:
    before = tracker_event_count()
    replies = messaging.slack_say("hello there", user="U0STRANGER")
    assert len(replies) == 1 and "link" in texts(replies).lower()
    mark = messaging.fake.mark()
    assert messaging.slack_post(messaging.slack_event("hello?", user="U0STRANGER")).status == 200
    time.sleep(2)
    assert not messaging.fake.since(mark, "slack", "chat.postMessage")
    assert tracker_event_count() == before


def test_the_verifier_keeps_the_five_minute_window_and_refuses_what_it_cannot_read() -> None:
    import hashlib
    import hmac

    from bot.channels.slack import signature_valid

    now, body = 1_700_000_000, b'{"type":"event_callback"}'
    good = "v0=" + hmac.new(b"s3cret", f"v0:{now}:".encode() + body, hashlib.sha256).hexdigest()
    assert signature_valid("s3cret", str(now), body, good, now=now + 300)
    assert not signature_valid("s3cret", str(now), body, good, now=now + 301)
    assert not signature_valid("s3cret", str(now), body, good, now=now - 301)
    assert not signature_valid("", str(now), body, good, now=now)  # Slack switched off
    assert not signature_valid("s3cret", str(now), b"\xff" + body, good, now=now)
    assert not signature_valid("s3cret", str(now), body, "v0=\u00e9", now=now)
    assert not signature_valid("s3cret", "-1", body, good, now=now)
