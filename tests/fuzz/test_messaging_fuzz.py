"""Telegram, Twilio and Slack webhooks with VALID signatures (secret header, X-Twilio-Signature,
X-Slack-Signature) over fuzzed bodies: a 200 the platform expects or a 4xx, never a 500 or a
trace, and no turn that fails in the server's log afterwards (Slack's turn runs after the
200)."""

from __future__ import annotations

import json
import urllib.parse
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.channels.messaging import (
    PHONE,
    SLACK_USER,
    TELEGRAM_USER,
    Messaging,
    post,
    settled_event_count,
)
from tests.fuzz.support import FUZZ, LogWatch, assert_clean, dump, hostile_text, json_values

pytestmark = pytest.mark.e2e

form_text = hostile_text.filter(lambda t: t != "" and "\ud800" not in t and "\udfff" not in t)


def _telegram(messaging: Messaging, raw: bytes) -> None:
    reply = post(f"{messaging.assistant.base}/webhooks/telegram/webhook", raw,
                 {"Content-Type": "application/json",
                  "X-Telegram-Bot-Api-Secret-Token": messaging.telegram_secret})
    assert_clean(reply.status, reply.body)


def test_telegram_fuzzed_updates(messaging: Messaging) -> None:
    watch = LogWatch(messaging.assistant.logs)

    @FUZZ

    @given(json_values)
    def anything(body: Any) -> None:
        _telegram(messaging, dump(body))

    @FUZZ

    @given(hostile_text, st.sampled_from(["message", "edited_message", "callback_query"]),
           json_values, st.sampled_from([TELEGRAM_USER, 5, -1, 2**70]))
    def shaped(text: str, kind: str, extra: Any, user: int) -> None:
        if kind == "callback_query":
            update = messaging.telegram_press(text, user)
        else:
            update = messaging.telegram_update(text, user, kind=kind)
        update[kind]["extra"] = extra
        _telegram(messaging, dump(update))

    anything()
    shaped()
    watch.assert_quiet()


def test_twilio_fuzzed_parameters(messaging: Messaging) -> None:
    watch = LogWatch(messaging.assistant.logs)

    @FUZZ

    @given(form_text, st.booleans(),
           st.dictionaries(form_text, form_text, max_size=4))
    def run(text: str, whatsapp: bool, extra: dict[str, str]) -> None:
        params = {**extra, **messaging.twilio_params(text, PHONE, whatsapp=whatsapp)}
        reply = messaging.twilio_post(params)
        assert_clean(reply.status, reply.body)

    @FUZZ

    @given(st.dictionaries(form_text, form_text, max_size=6))
    def anything(params: dict[str, str]) -> None:
        reply = messaging.twilio_post(params)
        assert_clean(reply.status, reply.body)

    run()
    anything()
    watch.assert_quiet()


def test_slack_fuzzed_events_and_actions(messaging: Messaging) -> None:
    watch = LogWatch(messaging.assistant.logs)

    @FUZZ

    @given(json_values)
    def anything(body: Any) -> None:
        reply = messaging.slack_post(dump(body))
        assert_clean(reply.status, reply.body)

    @FUZZ

    @given(hostile_text, json_values)
    def event(text: str, extra: Any) -> None:
        body = messaging.slack_event(text, SLACK_USER)
        body["event"]["extra"] = extra
        reply = messaging.slack_post(dump(body))
        assert_clean(reply.status, reply.body)

    @FUZZ

    @given(st.one_of(json_values, hostile_text))
    def action(payload: Any) -> None:
        raw = payload if isinstance(payload, str) else json.dumps(payload)
        try:
            body = urllib.parse.urlencode({"payload": raw}).encode()
        except UnicodeEncodeError:
            return
        reply = messaging.slack_post(body, content_type="application/x-www-form-urlencoded")
        assert_clean(reply.status, reply.body)

    anything()
    event()
    action()
    # The fuzzed events' turns run after the webhook answered: done before the next test.
    settled_event_count()
    watch.assert_quiet()
