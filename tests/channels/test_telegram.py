"""Telegram on the real Rasa server: the secret header, a full referral from a linked
account, duplicates and edits, unlinked and revoked accounts."""

from __future__ import annotations

import json

import pytest

from bot.channels.refusal import DEFAULT_TEXT
from bot.store import get_case
from tests.channels.messaging import (
    PUBLIC,
    REVOKED_TELEGRAM_USER,
    TELEGRAM_USER,
    Messaging,
    link_id,
    run_referral,
    texts,
    tracker_event_count,
)

pytestmark = pytest.mark.e2e


def test_webhook_is_registered_with_its_secret(messaging: Messaging) -> None:
    calls = messaging.fake.since(0, "telegram", "setWebhook")
    assert calls, "no setWebhook at start"
    assert calls[-1].params["url"] == f"{PUBLIC}/webhooks/telegram/webhook"
    assert calls[-1].params["secret_token"] == messaging.telegram_secret


def test_forged_updates_reach_no_conversation(messaging: Messaging) -> None:
    sender = f"telegram:{link_id('telegram', str(TELEGRAM_USER))}"
    before, mark = tracker_event_count(sender), messaging.fake.mark()
    for secret in (None, " ", "wrong-secret", messaging.telegram_secret + "x"):
        reply = messaging.telegram_post(messaging.telegram_update("hello"), secret=secret)
        assert reply.status == 401, reply
    assert tracker_event_count(sender) == before
    assert not messaging.fake.since(mark, "telegram", "sendMessage")


def test_linked_account_completes_a_referral(messaging: Messaging) -> None:
    seen_keyboard: list[dict] = []
    say = messaging.telegram_say

    def say_and_watch(text: str) -> list:
        calls = say(text)
        seen_keyboard.extend(c.params for c in calls if c.params.get("reply_markup"))
        return calls

    reference, transcript = run_referral(say_and_watch)
    case = get_case(reference)
    assert case is not None, transcript
    assert case.partner_org == "unhcr"
    assert case.sender_id == f"telegram:{link_id('telegram', str(TELEGRAM_USER))}"
    assert str(TELEGRAM_USER) not in case.sender_id  # the tracker never holds the account id
    pressed = [button["callback_data"] for p in seen_keyboard
               for row in json.loads(p["reply_markup"])["inline_keyboard"] for button in row]
    assert "yes" in pressed and "journalism_media" in pressed  # one button per row


def test_duplicates_and_edits_make_no_second_turn(messaging: Messaging) -> None:
    sender = f"telegram:{link_id('telegram', str(TELEGRAM_USER))}"
    update = messaging.telegram_update("why do you ask this?")
    mark = messaging.fake.mark()
    assert messaging.telegram_post(update).status == 200
    replies = messaging.fake.since(mark, "telegram", "sendMessage")
    events = tracker_event_count(sender)
    assert replies
    mark = messaging.fake.mark()
    assert messaging.telegram_post(update).status == 200  # Telegram's resend
    edited = messaging.telegram_update("why do you ask that?", kind="edited_message")
    assert messaging.telegram_post(edited).status == 200
    assert messaging.telegram_post({"update_id": 1, "unknown": {}}).status == 200
    assert tracker_event_count(sender) == events
    assert not messaging.fake.since(mark, "telegram", "sendMessage")


def test_unlinked_account_gets_one_refusal_and_leaves_nothing(messaging: Messaging) -> None:
    stranger, secret_text = 987654321, "my name is Stranger Danger 4711"
    before = tracker_event_count()
    replies = messaging.telegram_say(secret_text, user_id=stranger)
    assert len(replies) == 1
    # DEFAULT_TEXT until domain.yml has utter_channel_not_linked; both say how to get linked.
    assert "link" in texts(replies).lower(), (texts(replies), DEFAULT_TEXT)
    assert messaging.telegram_say("I want to refer a defender", user_id=stranger) == []
    assert tracker_event_count() == before
    logs = "".join(p.read_text(errors="replace") for p in messaging.assistant.logs)
    assert secret_text not in logs and str(stranger) not in logs


def test_revoked_users_account_is_refused(messaging: Messaging) -> None:
    before = tracker_event_count()
    replies = messaging.telegram_say("I want to refer a defender", user_id=REVOKED_TELEGRAM_USER)
    assert len(replies) == 1 and "link" in texts(replies).lower()
    assert tracker_event_count() == before
