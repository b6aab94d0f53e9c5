"""A message the assistant cannot read, from a linked account on a messaging platform: a
photo, a voice note or a file (Telegram, WhatsApp/SMS through Twilio, Slack), nothing but
invisible characters, or more than 4,000 characters. The caseworker is told so in their
language, once per message (a platform's resend gets nothing more), and nothing of it
reaches the conversation: no turn, no tracker row, never a caption taken as an answer."""

from __future__ import annotations

import pytest

from tests.channels.messaging import (
    PHONE,
    SLACK_USER,
    TELEGRAM_USER,
    Messaging,
    link_id,
    texts,
    tracker_event_count,
)

pytestmark = pytest.mark.e2e

TEXT_ONLY_EN = "I can only read typed text"
TEXT_ONLY_FR = "Je ne peux lire que du texte tapé"
TOO_LONG_EN = "longer than I can read"
NOT_RECORDED_EN = "Nothing was recorded"


def _telegram_sender() -> str:
    return f"telegram:{link_id('telegram', str(TELEGRAM_USER))}"


def _telegram_media(messaging: Messaging, media: dict, language: str = "en") -> dict:
    update = messaging.telegram_update("unused")
    message = update["message"]
    del message["text"]
    message.update(media)
    message["from"]["language_code"] = language
    return update


@pytest.mark.parametrize("media", [
    {"photo": [{"file_id": "AgAD1", "file_unique_id": "u1", "width": 90, "height": 90}],
     "caption": "yes"},
    {"voice": {"file_id": "AwAD2", "file_unique_id": "u2", "duration": 4}},
    {"document": {"file_id": "BQAD3", "file_unique_id": "u3", "file_name": "letter.pdf"}},
    {"sticker": {"file_id": "CAAD4", "file_unique_id": "u4", "width": 512, "height": 512,
                 "is_animated": False, "is_video": False, "type": "regular"}},
], ids=["photo with a caption", "voice note", "file", "sticker"])
def test_telegram_media_is_answered_and_not_recorded(messaging: Messaging,
                                                     media: dict) -> None:
    sender = _telegram_sender()
    before, mark = tracker_event_count(sender), messaging.fake.mark()
    update = _telegram_media(messaging, media)
    assert messaging.telegram_post(update).status == 200
    replies = messaging.fake.since(mark, "telegram", "sendMessage", chat_id=TELEGRAM_USER)
    assert len(replies) == 1 and TEXT_ONLY_EN in texts(replies), texts(replies)
    assert NOT_RECORDED_EN in texts(replies)
    assert tracker_event_count(sender) == before  # the caption "yes" was not taken
    mark = messaging.fake.mark()
    assert messaging.telegram_post(update).status == 200  # Telegram's resend
    assert not messaging.fake.since(mark, "telegram", "sendMessage")


def test_telegram_media_is_answered_in_french(messaging: Messaging) -> None:
    mark = messaging.fake.mark()
    update = _telegram_media(
        messaging, {"voice": {"file_id": "AwAD5", "file_unique_id": "u5", "duration": 9}}, "fr")
    assert messaging.telegram_post(update).status == 200
    replies = messaging.fake.since(mark, "telegram", "sendMessage", chat_id=TELEGRAM_USER)
    assert TEXT_ONLY_FR in texts(replies), texts(replies)


@pytest.mark.parametrize("text,expected", [
    ("\u200b\ufeff\u200e", TEXT_ONLY_EN),
    ("a" * 4001, TOO_LONG_EN),
], ids=["only invisible characters", "over 4,000 characters"])
def test_telegram_unreadable_text_is_answered(messaging: Messaging, text: str,
                                              expected: str) -> None:
    sender = _telegram_sender()
    before = tracker_event_count(sender)
    replies = messaging.telegram_say(text)
    assert len(replies) == 1 and expected in texts(replies), texts(replies)
    assert tracker_event_count(sender) == before


@pytest.mark.parametrize("whatsapp", [False, True], ids=["sms", "whatsapp"])
def test_twilio_media_is_answered_and_not_recorded(messaging: Messaging,
                                                   whatsapp: bool) -> None:
    channel = "whatsapp" if whatsapp else "sms"
    sender = f"{channel}:{link_id('phone', PHONE)}"
    before, mark = tracker_event_count(sender), messaging.fake.mark()
    params = messaging.twilio_params("yes", PHONE, whatsapp=whatsapp)  # the caption
    params.update(NumMedia="1", MediaContentType0="audio/ogg",
                  MediaUrl0="https://api.twilio.com/2010-04-01/Accounts/x/Media/ME1")
    assert messaging.twilio_post(params).status == 200
    to = f"whatsapp:{PHONE}" if whatsapp else PHONE
    replies = messaging.fake.since(mark, "twilio", "Messages", To=to)
    assert len(replies) == 1 and TEXT_ONLY_EN in texts(replies), texts(replies)
    assert tracker_event_count(sender) == before
    mark = messaging.fake.mark()
    assert messaging.twilio_post(params).status == 200  # Twilio's retry: same MessageSid
    assert not messaging.fake.since(mark, "twilio", "Messages", To=to)


def test_slack_file_is_answered_and_not_recorded(messaging: Messaging) -> None:
    sender = f"slack:{link_id('slack', SLACK_USER)}"
    before, mark = tracker_event_count(sender), messaging.fake.mark()
    body = messaging.slack_event("yes")  # the file's comment
    body["event"].update(subtype="file_share",
                         files=[{"id": "F0PHOTO1", "name": "passport.jpg"}])
    assert messaging.slack_post(body).status == 200
    replies = messaging.fake.wait_quiet(mark, "slack", "chat.postMessage",
                                        channel=f"D{SLACK_USER[1:]}")
    assert len(replies) == 1 and TEXT_ONLY_EN in texts(replies), texts(replies)
    assert tracker_event_count(sender) == before
