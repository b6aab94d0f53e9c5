"""Which language each authenticated channel tells the assistant ({"hrd_auth": {"language"}},
read by actions/session.py at session start): the user's stored preference first, else the
chat platform's locale (Telegram's language_code), else none. Real channels, real HTTP and
a real database (SQLite and PostgreSQL); a metadata echo stands in for Rasa
(tests/channels/metadata_echo.py), so no model is needed."""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.access import create_user, set_language
from bot.access.auth import authenticate
from bot.access.chat_accounts import link_account
from bot.access.widget_tokens import issue_token, new_sender, verify_token
from bot.channels.telegram import sender_language
from bot.channels.widget import auth_metadata as widget_metadata
from tests.access.databases import KINDS, temporary_database
from tests.channels.fake_platforms import FakePlatforms
from tests.channels.messaging import (
    PUBLIC,
    SLACK_TEAM,
    SMS_NUMBER,
    TELEGRAM_TOKEN,
    TWILIO_SID,
    Messaging,
    post,
)
from tests.support.servers import (
    ROOT,
    assistant_env,
    free_port,
    stop_processes,
    wait_until_up,
)

# Accounts: (e-mail, stored language, Telegram id, phone, Slack id)
FRENCH_USER = ("francais@unhcr.org", "fr", 301000301, "+254700000301", "U0FRANCAIS")
ENGLISH_USER = ("english@unhcr.org", "en", 302000302, "+254700000302", "U0ENGLISH")
UNDECIDED_USER = ("undecided@unhcr.org", None, 303000303, "+254700000303", "U0UNDECIDE")


@dataclass
class EchoServer:
    base: str  # what Messaging posts to (it expects an assistant's .base)


@dataclass
class Channels:
    messaging: Messaging
    tokens: dict[str, str]

    def partner_auth(self, email: str, metadata: dict[str, Any] | None = None
                     ) -> dict[str, Any]:
        body = {"sender": f"lang-{secrets.token_hex(6)}", "message": "bonjour",
                **({"metadata": metadata} if metadata else {})}
        reply = post(f"{self.messaging.assistant.base}/webhooks/partner/webhook",
                     json.dumps(body).encode(),
                     {"Content-Type": "application/json",
                      "Authorization": f"Bearer {self.tokens[email]}"})
        assert reply.status == 200, reply
        (message,) = json.loads(reply.body)
        return json.loads(message["text"])["hrd_auth"]

    def telegram_auth(self, user_id: int, language_code: str | None) -> dict[str, Any]:
        update = self.messaging.telegram_update("bonjour", user_id)
        sender = update["message"]["from"]
        sender.pop("language_code")
        if language_code is not None:
            sender["language_code"] = language_code
        mark = self.messaging.fake.mark()
        assert self.messaging.telegram_post(update).status == 200
        (call,) = self.messaging.fake.since(mark, "telegram", "sendMessage", chat_id=user_id)
        return json.loads(call.params["text"])["hrd_auth"]

    def sms_auth(self, phone: str) -> dict[str, Any]:
        (call,) = self.messaging.twilio_say("bonjour", phone)
        return json.loads(call.params["Body"])["hrd_auth"]

    def slack_auth(self, user: str) -> dict[str, Any]:
        (call,) = self.messaging.slack_say("bonjour", user)
        return json.loads(call.params["text"])["hrd_auth"]


@pytest.fixture(scope="module", params=KINDS)
def channels(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
             ) -> Iterator[Channels]:
    workdir = tmp_path_factory.mktemp("language_channels")
    data_dir = workdir / "data"
    fake = FakePlatforms().start()
    with temporary_database(request.param, data_dir) as db_env:
        tokens = {}
        for email, language, telegram, phone, slack in (FRENCH_USER, ENGLISH_USER,
                                                         UNDECIDED_USER):
            tokens[email] = create_user(email, "partner", "unhcr", language=language).token
            link_account(email, "telegram", str(telegram))
            link_account(email, "phone", phone)
            link_account(email, "slack", slack)
        env = {**assistant_env(data_dir), **db_env,
               "HRD_ENV": "production", "HRD_DEV_PARTNER_ORG": "",
               "HRD_TELEGRAM_TOKEN": TELEGRAM_TOKEN,
               "HRD_TELEGRAM_SECRET_TOKEN": secrets.token_urlsafe(32),
               "HRD_TELEGRAM_API_BASE": fake.base,
               "HRD_TWILIO_ACCOUNT_SID": TWILIO_SID,
               "HRD_TWILIO_AUTH_TOKEN": secrets.token_hex(16),
               "HRD_TWILIO_NUMBER": SMS_NUMBER, "HRD_TWILIO_API_BASE": fake.base,
               "HRD_TWILIO_WEBHOOK_URL": f"{PUBLIC}/webhooks/twilio/webhook",
               "HRD_SLACK_TOKEN": "xoxb-test-token",
               "HRD_SLACK_SIGNING_SECRET": secrets.token_hex(16),
               "HRD_SLACK_TEAM_ID": SLACK_TEAM, "HRD_SLACK_API_BASE": f"{fake.base}/api/"}
        port = free_port()
        log = workdir / "echo.log"
        with log.open("ab") as handle:
            process = subprocess.Popen(
                [sys.executable, "-m", "tests.channels.metadata_echo", str(port)], cwd=ROOT,
                env=env, stdout=handle, stderr=handle)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(f"{base}/webhooks/partner/", process, log, timeout=120)
            messaging = Messaging(EchoServer(base), fake, env, Path(data_dir))  # type: ignore[arg-type]
            yield Channels(messaging, tokens)
        finally:
            stop_processes(process)
            fake.stop()


def test_partner_channel_sends_the_users_preference(channels: Channels) -> None:
    assert channels.partner_auth(FRENCH_USER[0])["language"] == "fr"
    assert channels.partner_auth(ENGLISH_USER[0])["language"] == "en"
    undecided = channels.partner_auth(UNDECIDED_USER[0])
    assert "language" not in undecided  # the assistant's default, then what the user writes
    assert undecided["partner_org"] == "unhcr"
    # What the client sends under hrd_auth is dropped: auth says it all.
    forged = channels.partner_auth(ENGLISH_USER[0], {"hrd_auth": {"language": "fr",
                                                                  "partner_org": "x"}})
    assert forged["language"] == "en" and forged["partner_org"] == "unhcr"


def test_a_changed_preference_applies_to_the_next_message(channels: Channels) -> None:
    email = "changes@unhcr.org"
    channels.tokens[email] = create_user(email, "partner", "unhcr").token
    assert "language" not in channels.partner_auth(email)
    set_language(email, "fr")
    assert channels.partner_auth(email)["language"] == "fr"


def test_telegram_preference_first_then_the_apps_language(channels: Channels) -> None:
    undecided = UNDECIDED_USER[2]
    assert channels.telegram_auth(undecided, "fr")["language"] == "fr"
    assert channels.telegram_auth(undecided, "fr-CA")["language"] == "fr"
    assert channels.telegram_auth(undecided, "en")["language"] == "en"
    assert "language" not in channels.telegram_auth(undecided, "sw")
    assert "language" not in channels.telegram_auth(undecided, None)
    # A stored preference wins over the app's language, both ways.
    assert channels.telegram_auth(ENGLISH_USER[2], "fr")["language"] == "en"
    assert channels.telegram_auth(FRENCH_USER[2], "en")["language"] == "fr"


def test_twilio_and_slack_send_the_users_preference(channels: Channels) -> None:
    assert channels.sms_auth(FRENCH_USER[3])["language"] == "fr"
    assert "language" not in channels.sms_auth(UNDECIDED_USER[3])
    assert channels.slack_auth(FRENCH_USER[4])["language"] == "fr"
    assert channels.slack_auth(ENGLISH_USER[4])["language"] == "en"


def test_widget_metadata_carries_the_tokens_language(channels: Channels) -> None:
    principal = authenticate(channels.tokens[UNDECIDED_USER[0]])
    assert principal is not None
    for language in ("fr", "en"):
        token, _ = issue_token(principal, new_sender(principal.user_id), language)
        auth = widget_metadata(verify_token(token))["hrd_auth"]
        assert auth["language"] == language and auth["partner_org"] == "unhcr"
    with pytest.raises(ValueError):
        issue_token(principal, new_sender(principal.user_id), "de")


@pytest.mark.parametrize(("code", "expected"), [
    ("fr", "fr"), ("fr-CA", "fr"), ("FR_ca", "fr"), ("en-GB", "en"), ("sw", None),
    ("", None), (None, None), (42, None),
])
def test_telegram_language_code(code: object, expected: str | None) -> None:
    sender = {"id": 1, "is_bot": False, "first_name": "A"}
    if code is not None:
        sender["language_code"] = code
    assert sender_language({"update_id": 1, "message": {"from": sender}}) == expected
    press = {"update_id": 2, "callback_query": {"from": sender, "data": "yes"}}
    assert sender_language(press) == expected
