"""Oversized and odd messages on every channel: 1 MB bodies, deeply nested JSON, invalid
UTF-8, NUL bytes, right-to-left overrides, emoji-only answers. Each gets a clear reply or a
4xx, and nothing is stored half-way: a refused message leaves no tracker row, and garbage
given as an answer is not stored as the answer (the question is asked again)."""

from __future__ import annotations

import json
import secrets
from typing import Any

import pytest

from tests.channels.messaging import (
    PHONE,
    TELEGRAM_USER,
    Messaging,
    link_id,
    post,
    settled_event_count,
    texts,
    tracker_event_count,
)
from tests.e2e.referrals import REFERRALS
from tests.fuzz.support import LogWatch, assert_clean
from tests.fuzz.test_partner_fuzz import post as partner_post

pytestmark = pytest.mark.e2e

MEGABYTE = 1024 * 1024
NESTED = b"[" * 100_000 + b"]" * 100_000
NESTED_OBJECT = b'{"a":' * 50_000 + b"1" + b"}" * 50_000


def _sender() -> str:
    return f"odd-{secrets.token_hex(6)}"


@pytest.mark.parametrize("name, body", [
    ("1 MB message", lambda s: json.dumps({"sender": s, "message": "a" * MEGABYTE}).encode()),
    ("1 MB of padding", lambda s: json.dumps({"sender": s, "message": "hi",
                                              "pad": "x" * MEGABYTE}).encode()),
    ("nested arrays", lambda s: NESTED),
    ("nested objects", lambda s: NESTED_OBJECT),
    ("nested in the message", lambda s: b'{"sender": "' + s.encode() + b'", "message": '
     + NESTED + b"}"),
    ("invalid UTF-8", lambda s: b'{"sender": "' + s.encode() + b'", "message": "\xff\xfe"}'),
    ("NUL byte", lambda s: json.dumps({"sender": s, "message": "yes\x00no"}).encode()),
    ("lone surrogate", lambda s: json.dumps({"sender": s, "message": "\ud800"}).encode()),
    ("too long", lambda s: json.dumps({"sender": s, "message": "a" * 4001}).encode()),
    ("only invisible", lambda s: json.dumps({"sender": s, "message": "\u200b\ufeff"}).encode()),
])
def test_partner_channel_refuses_clearly_and_stores_nothing(
        messaging: Messaging, name: str, body: Any) -> None:
    sender = _sender()
    status, raw = partner_post(messaging, body(sender))
    assert_clean(status, raw, json_errors=True)
    assert 400 <= status < 500, (name, status, raw[:200])
    assert tracker_event_count(sender) == 0, name


def _to_country_question(messaging: Messaging, sender: str) -> None:
    def say(text: str) -> str:
        status, raw = partner_post(messaging, json.dumps({"sender": sender, "message": text}
                                                         ).encode())
        assert status == 200, raw[:300]
        return " ".join(m.get("text", "") for m in json.loads(raw))

    referral = REFERRALS[0]
    if "Start a referral" in say(referral.opener):
        say("yes let's start a referral")
    for answer in referral.answers[:2]:
        say(answer)
    assert messaging.assistant.tracker(sender)["slots"]["requested_slot"] == "country_of_origin"


@pytest.mark.parametrize("garbage", [
    "\U0001f600\U0001f64f\U0001f3fd\U0001f600",  # emoji only
    "\u202e\u202e\u202e?",  # right-to-left overrides
    "\u202eadnagU\u202c \U0001f1fa\U0001f1ec",  # reversed text and a flag
    "\u0301\u0301\u0301",  # combining marks alone
])
def test_garbage_answers_get_a_reply_and_are_not_stored(messaging: Messaging,
                                                        garbage: str) -> None:
    sender = _sender()
    _to_country_question(messaging, sender)
    status, raw = partner_post(messaging, json.dumps({"sender": sender, "message": garbage}
                                                     ).encode())
    assert_clean(status, raw, json_errors=True)
    if status == 200:
        assert any(m.get("text") for m in json.loads(raw)), raw[:300]
    slots = messaging.assistant.tracker(sender)["slots"]
    assert slots["country_of_origin"] is None, slots["country_of_origin"]
    # The intake goes on: a real answer after the garbage is stored.
    partner_post(messaging, json.dumps({"sender": sender, "message": "she's Ugandan"}).encode())
    slots = messaging.assistant.tracker(sender)["slots"]
    assert slots["country_of_origin"] == "UG" or slots["requested_slot"].startswith("confirm")


def _telegram(messaging: Messaging, raw: bytes) -> Any:
    return post(f"{messaging.assistant.base}/webhooks/telegram/webhook", raw,
                {"Content-Type": "application/json",
                 "X-Telegram-Bot-Api-Secret-Token": messaging.telegram_secret})


@pytest.mark.parametrize("raw", [NESTED, NESTED_OBJECT, b"\xff\xfe{", b"x" * MEGABYTE],
                         ids=["nested arrays", "nested objects", "invalid UTF-8", "1 MB"])
def test_messaging_webhooks_refuse_odd_bodies_clearly(messaging: Messaging, raw: bytes) -> None:
    watch = LogWatch(messaging.assistant.logs)
    before = settled_event_count()
    reply = _telegram(messaging, raw)
    assert_clean(reply.status, reply.body)
    assert reply.status in (200, 400, 413), reply
    reply = messaging.slack_post(raw)
    assert_clean(reply.status, reply.body)
    # Slack's signature covers the body as UTF-8 text: invalid UTF-8 cannot be verified (401).
    assert reply.status in (200, 400, 401, 413), reply
    form = b"payload=" + raw
    reply = messaging.slack_post(form, content_type="application/x-www-form-urlencoded")
    assert_clean(reply.status, reply.body)
    assert reply.status in (200, 400, 401, 413), reply
    assert tracker_event_count() == before
    watch.assert_quiet()


@pytest.mark.parametrize("text", ["yes\x00no", "\u202e\u202e", "\U0001f600" * 3, "a" * MEGABYTE])
def test_odd_chat_messages_get_a_reply_or_are_dropped(messaging: Messaging, text: str) -> None:
    watch = LogWatch(messaging.assistant.logs)
    sender = f"telegram:{link_id('telegram', str(TELEGRAM_USER))}"
    before = tracker_event_count(sender)
    mark = messaging.fake.mark()
    reply = _telegram(messaging, json.dumps(messaging.telegram_update(text)).encode())
    assert reply.status == 200, reply
    replies = messaging.fake.since(mark, "telegram", "sendMessage", chat_id=TELEGRAM_USER)
    if len(text) > 4000 or not text.strip("\u202e"):
        # Too long, or nothing but invisible characters: no turn and nothing stored (200, or
        # the platform would resend it), but the caseworker is told (tests/channels/
        # test_unreadable_messages.py).
        assert "Nothing was recorded" in texts(replies), texts(replies)
        assert tracker_event_count(sender) == before
    else:
        assert texts(replies).strip(), "no reply"
    reply = messaging.twilio_post(messaging.twilio_params(text[:2000], PHONE))
    assert reply.status == 200, reply
    watch.assert_quiet()
