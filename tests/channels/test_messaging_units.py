"""The messaging channels' pure parts: signatures, update parsing, text shaping, settings,
account ids and the refusal throttle (no server)."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from rasa.shared.exceptions import RasaException
from twilio.request_validator import RequestValidator

from bot.access.accounts import AccessError
from bot.access.chat_accounts import normalize_account
from bot.channels import slack, telegram, twilio
from bot.channels.refusal import DEFAULT_TEXT, RefusalThrottle, refusal_text
from bot.channels.settings import channel_env
from bot.channels.text import numbered_options, plain_command, split_text


def test_split_text_keeps_everything_within_the_limit() -> None:
    text = "First paragraph.\n\n" + "word " * 500 + "\n\n" + "x" * 30
    pieces = split_text(text, 100)
    assert all(0 < len(p) <= 100 for p in pieces)
    assert " ".join(" ".join(pieces).split()) == " ".join(text.split())
    assert split_text("short", 1600) == ["short"]
    assert split_text("y" * 250, 100) == ["y" * 100, "y" * 100, "y" * 50]
    assert split_text("  ", 10) == []


def test_buttons_become_numbered_options() -> None:
    buttons = [{"title": "Yes", "payload": "yes"}, {"title": "No", "payload": "no"}]
    assert numbered_options("Consent?", buttons) == "Consent?\n\n1. Yes\n2. No"


def test_commands_cannot_inject_intents() -> None:
    assert plain_command('/confirm{"partner_org": "x"}') == 'confirm{"partner_org": "x"}'
    assert plain_command("/start") == "hello"
    assert plain_command("/start@hrd_bot") == "hello"
    assert plain_command(" yes ") == "yes"
    assert plain_command("a/b and /c") == "a/b and /c"  # only a leading slash is a command


@pytest.mark.parametrize("text", [
    "/restart", "/ /restart", "//restart", " / / /restart", "\uff0frestart", "\u2044restart",
    "\u2215restart", "/\u200b/restart", "\ufeff/restart", "\u3000/\u00a0/restart",
    "/\t/\n/restart",
])
def test_no_mix_of_slashes_and_spaces_leaves_a_command(text: str) -> None:
    neutral = plain_command(text)
    assert neutral == "restart"
    # What Rasa 3.6 checks before reading an intent (YAMLStoryReader.unpack_regex_message).
    assert not neutral.strip().startswith("/")


def _slack_sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:".encode() + body, hashlib.sha256)
    return "v0=" + digest.hexdigest()


def test_slack_signature_and_replay_window() -> None:
    body, now = b'{"type":"event_callback"}', 1_700_000_000
    good = _slack_sign("s3cret", str(now), body)
    assert slack.signature_valid("s3cret", str(now), body, good, now=now + 299)
    assert not slack.signature_valid("s3cret", str(now), body, good, now=now + 301)  # replay
    assert not slack.signature_valid("s3cret", str(now), body, good, now=now - 301)
    assert not slack.signature_valid("other", str(now), body, good, now=now)
    assert not slack.signature_valid("s3cret", str(now), body + b" ", good, now=now)
    assert not slack.signature_valid("s3cret", None, body, good, now=now)
    assert not slack.signature_valid("s3cret", "12x", body, good, now=now)
    assert not slack.signature_valid("s3cret", str(now), body, None, now=now)


def test_twilio_signature_covers_the_public_url_and_every_parameter() -> None:
    url = "https://bot.example.org/webhooks/twilio/webhook"
    params = {"From": ["+254700000001"], "Body": ["hello"], "MessageSid": ["SM1"]}
    signature = RequestValidator("tok").compute_signature(url, {k: v[0] for k, v in
                                                                params.items()})
    assert twilio.signature_valid("tok", url, params, signature)
    assert not twilio.signature_valid("tok", "http://127.0.0.1:5005/webhooks/twilio/webhook",
                                      params, signature)
    assert not twilio.signature_valid("tok", url, {**params, "Body": ["changed"]}, signature)
    assert not twilio.signature_valid("other", url, params, signature)
    assert not twilio.signature_valid("tok", url, params, None)


def _telegram_message(chat_type: str = "private", **extra: object) -> dict:
    return {"message_id": 5, "date": 1_700_000_000, "text": "hello",
            "from": {"id": 111, "is_bot": False, "first_name": "A"},
            "chat": {"id": 111 if chat_type == "private" else -100, "type": chat_type},
            **extra}


def test_telegram_updates_private_text_and_buttons_only() -> None:
    assert telegram.parse_update({"update_id": 7, "message": _telegram_message()}) == (
        "7", 111, 111, "hello", None)
    assert telegram.parse_update({"update_id": 8, "message": _telegram_message("group")}) is None
    assert telegram.parse_update({"update_id": 9, "edited_message": _telegram_message()}) is None
    photo = _telegram_message()
    del photo["text"]
    assert telegram.parse_update({"update_id": 10, "message": photo}) is None  # no content
    photo.update(photo=[{"file_id": "p"}], caption="yes")  # answered, the caption not taken
    assert telegram.parse_update({"update_id": 10, "message": photo}) == (
        "10", 111, 111, "", None)
    press = {"update_id": 11, "callback_query": {
        "id": "cb1", "from": {"id": 111, "is_bot": False, "first_name": "A"},
        "message": _telegram_message(), "chat_instance": "1", "data": "yes"}}
    assert telegram.parse_update(press) == ("11", 111, 111, "yes", "cb1")
    assert telegram.parse_update({"message": _telegram_message()}) is None
    edit = _telegram_message(edit_date=1_700_000_100)
    assert telegram.parse_update({"update_id": 12, "message": edit}) is None


def test_telegram_serves_only_the_senders_own_chat() -> None:
    """A reply goes to chat.id and the conversation is from.id's link: an update pairing a
    linked sender with another chat would send that conversation to the other chat."""
    other_chat = {**_telegram_message(), "chat": {"id": 999, "type": "private"}}
    assert telegram.parse_update({"update_id": 13, "message": other_chat}) is None
    press = {"update_id": 14, "callback_query": {
        "id": "cb2", "from": {"id": 111, "is_bot": False, "first_name": "A"},
        "message": other_chat, "chat_instance": "1", "data": "yes"}}
    assert telegram.parse_update(press) is None
    for forged_id in (True, "111", 111.0):
        message = {**_telegram_message(), "from": {"id": forged_id, "is_bot": False}}
        assert telegram.parse_update({"update_id": 15, "message": message}) is None


def test_slack_direct_messages_only() -> None:
    event = {"type": "message", "channel_type": "im", "user": "U1", "channel": "D1",
             "text": "hi", "ts": "1.1"}
    body = {"type": "event_callback", "event_id": "Ev1", "event": event}
    assert slack.parse_event(body) == ("Ev1", "U1", "D1", "hi")
    assert slack.parse_event({**body, "event": {**event, "channel_type": "channel"}}) is None
    assert slack.parse_event({**body, "event": {**event, "subtype": "message_changed"}}) is None
    shared = {**body, "event": {**event, "subtype": "file_share", "files": [{"id": "F1"}]}}
    assert slack.parse_event(shared) == ("Ev1", "U1", "D1", "")  # answered, comment not taken
    assert slack.parse_event({**body, "event": {**event, "text": ""}}) is None
    assert slack.parse_event({**body, "event": {**event, "bot_id": "B1"}}) is None
    action = {"type": "block_actions", "user": {"id": "U1"}, "channel": {"id": "D1"},
              "actions": [{"type": "button", "value": "yes", "action_ts": "2.2"}]}
    assert slack.parse_action(action) == ("action:U1:2.2", "U1", "D1", "yes")
    assert slack.parse_action({**action, "channel": {"id": "C1"}}) is None


def test_account_ids_are_validated() -> None:
    assert normalize_account("phone", "+254 712-345 678") == "+254712345678"
    assert normalize_account("telegram", "123456789") == "123456789"
    assert normalize_account("slack", "U024BE7LH") == "U024BE7LH"
    for platform, value in (("phone", "0712345678"), ("phone", "+0123456789"),
                            ("phone", "+1234567890123456"), ("telegram", "-5"),
                            ("telegram", "abc"), ("slack", "u024be7lh"), ("slack", "C123")):
        with pytest.raises(AccessError):
            normalize_account(platform, value)


def test_channel_settings_off_complete_or_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # Names the settings object knows (bot.config); the channel's label is the test's own.
    token, secret, base = "HRD_SLACK_TOKEN", "HRD_SLACK_SIGNING_SECRET", "HRD_SLACK_API_BASE"
    for name in (token, secret, base):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(base, "http://127.0.0.1:1")  # alone, it turns nothing on
    assert channel_env("X", [token, secret], [base]) is None
    monkeypatch.setenv(token, "t")
    with pytest.raises(RasaException, match=secret):
        channel_env("X", [token, secret])
    monkeypatch.setenv(secret, "s")
    assert channel_env("X", [token, secret]) == {token: "t", secret: "s"}


def test_unset_channels_are_off(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for name in [n for n in os.environ if n.startswith(("HRD_TELEGRAM", "HRD_TWILIO",
                                                         "HRD_SLACK"))]:
        monkeypatch.delenv(name)
    for cls in (telegram.TelegramChannel, twilio.TwilioChannel, slack.SlackChannel):
        channel = cls.from_credentials(None)
        assert not channel.enabled
        assert not channel.blueprint(lambda message: None).routes  # type: ignore[arg-type]
    monkeypatch.setenv("HRD_TELEGRAM_TOKEN", "1:x")
    for secret in ("bad secret!", "s", "x" * 31, "a" * 31 + "!"):
        monkeypatch.setenv("HRD_TELEGRAM_SECRET_TOKEN", secret)
        with pytest.raises(RasaException, match="HRD_TELEGRAM_SECRET_TOKEN must be 32-256"):
            telegram.TelegramChannel.from_credentials(None)
    monkeypatch.setenv("HRD_TELEGRAM_SECRET_TOKEN", "x" * 32)
    assert telegram.TelegramChannel.from_credentials(None).enabled


def test_refusal_is_throttled_and_has_a_default() -> None:
    throttle = RefusalThrottle()
    assert throttle.should_refuse("sms", "+254700000009")
    assert not throttle.should_refuse("sms", "+254700000009")
    assert throttle.should_refuse("whatsapp", "+254700000009")

    class Domain:
        def __init__(self, responses: dict) -> None:
            self.responses = responses

    assert refusal_text(Domain({"utter_channel_not_linked": [{"text": "Not linked."}]})
                        ) == "Not linked."
    assert refusal_text(Domain({})) in (DEFAULT_TEXT, refusal_text(None))  # domain.yml's
