"""The partner REST channel with a valid partner token and fuzzed JSON bodies: every answer
is a normal reply (a JSON list of bot messages) or a clear 4xx JSON error, never a 500 or a
trace, and a refused body leaves nothing in the tracker store."""

from __future__ import annotations

import secrets
import urllib.error
import urllib.request
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.channels.requests import utf8_clean
from tests.channels.messaging import Messaging, tracker_event_count
from tests.console.support import random_client
from tests.fuzz.support import FUZZ, LogWatch, assert_clean, dump, hostile_text, json_values

pytestmark = pytest.mark.e2e

WEBHOOK = "/webhooks/partner/webhook"


def post(messaging: Messaging, raw: bytes, content_type: str = "application/json"
         ) -> tuple[int, bytes]:
    request = urllib.request.Request(
        messaging.assistant.base + WEBHOOK, raw,
        {"Content-Type": content_type, "X-Forwarded-For": random_client(),
         "Authorization": f"Bearer {messaging.partner_token}"})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def check(messaging: Messaging, body: Any, sender: str | None) -> None:
    """`sender`: the conversation whose tracker rows a refusal may not add to (the fixed
    examples repeat, so an earlier example may have made the conversation)."""
    known = sender is not None and utf8_clean(sender)
    before = tracker_event_count(sender) if known else 0
    status, raw = post(messaging, body if isinstance(body, bytes) else dump(body))
    assert_clean(status, raw, json_errors=True)
    if status == 200:
        assert raw.startswith(b"["), raw[:200]
    elif known:
        assert tracker_event_count(sender) == before, "a refused message was stored"


def test_fuzzed_bodies(messaging: Messaging) -> None:
    watch = LogWatch(messaging.assistant.logs)

    @FUZZ

    @given(json_values)
    def run(body: Any) -> None:
        check(messaging, body, None)

    run()
    watch.assert_quiet()


def test_fuzzed_sender_and_message(messaging: Messaging) -> None:
    watch = LogWatch(messaging.assistant.logs)

    @FUZZ

    @given(st.one_of(hostile_text, json_values), st.one_of(hostile_text, json_values),
           json_values)
    def run(sender: Any, message: Any, metadata: Any) -> None:
        if isinstance(sender, str) and sender.startswith("partner-"):
            sender = None
        body = {"sender": sender, "message": message, "metadata": metadata}
        check(messaging, body, sender if isinstance(sender, str) else None)

    run()
    watch.assert_quiet()


def test_fuzzed_messages_in_one_conversation(messaging: Messaging) -> None:
    """Valid senders, hostile texts: a turn each, or a 4xx that stores nothing."""
    watch = LogWatch(messaging.assistant.logs)

    @FUZZ

    @given(hostile_text)
    def run(message: str) -> None:
        sender = f"fuzz-{secrets.token_hex(6)}"
        status, raw = post(messaging, dump({"sender": sender, "message": message}))
        assert_clean(status, raw, json_errors=True)
        if status != 200:
            assert tracker_event_count(sender) == 0

    run()
    watch.assert_quiet()


@FUZZ


@given(st.binary(max_size=200))
def test_raw_bytes_are_refused_clearly(messaging: Messaging, raw: bytes) -> None:
    status, body = post(messaging, raw)
    assert_clean(status, body, json_errors=True)
