"""One real assistant with the Telegram, Twilio (SMS, WhatsApp) and Slack channels on,
their outgoing APIs pointed at a loopback fake (tests/channels/fake_platforms.py), and
clients that post what the platforms post, signed as they sign it.

Used by test_telegram.py, test_twilio.py, test_slack.py and tests/security/test_channels.py
through the `messaging` fixture (one Rasa server for the whole session, which also serves
the partner REST channel and the widget)."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import re
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlalchemy as sa
from twilio.request_validator import RequestValidator

from bot.access.models import ChannelAccount
from bot.store.db import session_scope
from bot.store.models import TrackerEvent
from tests.access.cli import hrd, new_token
from tests.channels.fake_platforms import Call, FakePlatforms
from tests.e2e.referrals import REFERRALS
from tests.support.servers import Assistant, production_env, reading_store

REFERENCE = re.compile(r"\bHRD-\d{4}-\d{5}\b")
PUBLIC = "https://bot.example.org"  # the URL Twilio signs; the server sees 127.0.0.1
TELEGRAM_TOKEN = "123456789:AAF-test_token_for_the_fake_api"
TWILIO_SID = "AC" + "0123456789abcdef" * 2
SMS_NUMBER = "+15005550006"
WHATSAPP_NUMBER = "+14155238886"
SLACK_TEAM = "T0HRDTEST"

# Linked accounts of the partner caseworker (made with `hrd users link`).
TELEGRAM_USER = 111000111
PHONE = "+254700000001"
SLACK_USER = "U0PARTNER1"
# Linked to a user who is then revoked.
REVOKED_TELEGRAM_USER = 222000222

CREDENTIALS = """\
bot.channels.partner.PartnerInput:
bot.channels.widget.WidgetInput:
  session_persistence: true
bot.channels.telegram.TelegramChannel:
bot.channels.twilio.TwilioChannel:
bot.channels.slack.SlackChannel:
"""


@dataclass
class Response:
    status: int
    body: str


def post(url: str, data: bytes, headers: dict[str, str]) -> Response:
    request = urllib.request.Request(url, data, headers)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return Response(response.status, response.read().decode())
    except urllib.error.HTTPError as error:
        return Response(error.code, error.read().decode())


@dataclass
class Messaging:
    assistant: Assistant
    fake: FakePlatforms
    env: dict[str, str]
    data_dir: Path
    partner_token: str = ""  # caseworker@unhcr.org's, for the partner REST channel
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1000))

    @property
    def telegram_secret(self) -> str:
        return self.env["HRD_TELEGRAM_SECRET_TOKEN"]

    def next_id(self) -> int:
        return next(self._ids)

    # --- Telegram --------------------------------------------------------------------
    def telegram_update(self, text: str, user_id: int = TELEGRAM_USER, *,
                        kind: str = "message", update_id: int | None = None,
                        chat_id: int | None = None) -> dict:
        """An update as https://core.telegram.org/bots/api#update documents it (`chat_id`:
        another chat than the sender's own private one, as only a forger would send)."""
        message = {"message_id": self.next_id(), "date": int(time.time()), "text": text,
                   "from": {"id": user_id, "is_bot": False, "first_name": "Amina",
                            "language_code": "en"},
                   "chat": {"id": chat_id or user_id, "first_name": "Amina",
                            "type": "private"}}
        return {"update_id": update_id or self.next_id(), kind: message}

    def telegram_press(self, data: str, user_id: int = TELEGRAM_USER, *,
                       chat_id: int | None = None) -> dict:
        """A callback_query update: an inline button with this callback_data pressed on a
        message of the bot."""
        message = self.telegram_update("(the bot's question)", user_id, chat_id=chat_id)
        message["message"]["from"] = {"id": int(TELEGRAM_TOKEN.split(":")[0]), "is_bot": True,
                                      "first_name": "HRD"}
        return {"update_id": self.next_id(), "callback_query": {
            "id": str(self.next_id()), "chat_instance": "-1",
            "from": {"id": user_id, "is_bot": False, "first_name": "Amina",
                     "language_code": "en"},
            "message": message["message"], "data": data}}

    def telegram_post(self, update: dict, secret: str | None = "", *,
                      client: str | None = None) -> Response:
        """`client`: the address a trusted proxy reports (X-Forwarded-For)."""
        headers = {"Content-Type": "application/json"}
        if client is not None:
            headers["X-Forwarded-For"] = client
        secret = self.telegram_secret if secret == "" else secret
        if secret is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        return post(f"{self.assistant.base}/webhooks/telegram/webhook",
                    json.dumps(update).encode(), headers)

    def telegram_say(self, text: str, user_id: int = TELEGRAM_USER) -> list[Call]:
        mark = self.fake.mark()
        reply = self.telegram_post(self.telegram_update(text, user_id))
        assert reply.status == 200, reply
        return self.fake.since(mark, "telegram", "sendMessage", chat_id=user_id)

    # --- Twilio ----------------------------------------------------------------------
    def twilio_params(self, text: str, phone: str = PHONE, *, whatsapp: bool = False,
                      sid: str | None = None) -> dict[str, str]:
        """A webhook's parameters as Twilio's messaging docs list them."""
        sid = sid or f"SM{secrets.token_hex(16)}"
        params = {"ToCountry": "US", "ToState": "CA", "SmsMessageSid": sid, "NumMedia": "0",
                  "SmsSid": sid, "SmsStatus": "received", "Body": text, "FromCountry": "KE",
                  "NumSegments": "1", "MessageSid": sid, "AccountSid": TWILIO_SID,
                  "ApiVersion": "2010-04-01"}
        if whatsapp:
            params.update(From=f"whatsapp:{phone}", To=f"whatsapp:{WHATSAPP_NUMBER}",
                          ProfileName="Amina", WaId=phone[1:], MessageType="text")
        else:
            params.update(From=phone, To=SMS_NUMBER)
        return params

    def twilio_post(self, params: dict[str, str], *, signed_url: str | None = None,
                    signature: str | None = "", token: str | None = None) -> Response:
        url = signed_url or f"{PUBLIC}/webhooks/twilio/webhook"
        if signature == "":
            signature = RequestValidator(token or self.env["HRD_TWILIO_AUTH_TOKEN"]
                                         ).compute_signature(url, params)
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if signature is not None:
            headers["X-Twilio-Signature"] = signature
        return post(f"{self.assistant.base}/webhooks/twilio/webhook",
                    urllib.parse.urlencode(params).encode(), headers)

    def twilio_say(self, text: str, phone: str = PHONE, *, whatsapp: bool = False
                   ) -> list[Call]:
        mark = self.fake.mark()
        reply = self.twilio_post(self.twilio_params(text, phone, whatsapp=whatsapp))
        assert reply.status == 200, reply
        to = f"whatsapp:{phone}" if whatsapp else phone
        return self.fake.since(mark, "twilio", "Messages", To=to)

    # --- Slack -----------------------------------------------------------------------
    def slack_event(self, text: str, user: str = SLACK_USER, *, channel_type: str = "im",
                    event_id: str | None = None) -> dict:
        """An Events API message.im callback as https://api.slack.com/events documents it."""
        ts = f"{time.time():.6f}"
        return {"token": "legacy-verification-token", "team_id": SLACK_TEAM,
                "api_app_id": "A0HRDAPP", "type": "event_callback",
                "event_id": event_id or f"Ev{secrets.token_hex(5).upper()}",
                "event_time": int(time.time()),
                "authorizations": [{"team_id": SLACK_TEAM, "user_id": "U0HRDBOT",
                                    "is_bot": True}],
                "event": {"type": "message", "channel": f"D{user[1:]}", "user": user,
                          "text": text, "ts": ts, "event_ts": ts, "channel_type": channel_type,
                          "client_msg_id": secrets.token_hex(8)}}

    def slack_post(self, body: dict | bytes, *, timestamp: int | None = None,
                   secret: str | None = None, headers: dict[str, str] | None = None,
                   content_type: str = "application/json") -> Response:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        stamp = str(timestamp if timestamp is not None else int(time.time()))
        key = (secret or self.env["HRD_SLACK_SIGNING_SECRET"]).encode()
        digest = hmac.new(key, f"v0:{stamp}:".encode() + raw, hashlib.sha256).hexdigest()
        all_headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": stamp,
                       "X-Slack-Signature": f"v0={digest}", **(headers or {})}
        return post(f"{self.assistant.base}/webhooks/slack/webhook", raw, all_headers)

    def slack_press(self, value: str, user: str = SLACK_USER) -> Response:
        """A block_actions interaction: a button with this value clicked in the DM."""
        payload = {"type": "block_actions", "team": {"id": SLACK_TEAM},
                   "user": {"id": user, "team_id": SLACK_TEAM},
                   "channel": {"id": f"D{user[1:]}"},
                   "container": {"type": "message", "channel_id": f"D{user[1:]}"},
                   "actions": [{"type": "button", "action_id": "choice_1", "value": value,
                                "action_ts": f"{time.time():.6f}"}]}
        body = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
        return self.slack_post(body, content_type="application/x-www-form-urlencoded")

    def slack_say(self, text: str, user: str = SLACK_USER) -> list[Call]:
        mark = self.fake.mark()
        reply = self.slack_post(self.slack_event(text, user))
        assert reply.status == 200, reply
        return self.fake.wait_quiet(mark, "slack", "chat.postMessage", channel=f"D{user[1:]}")


def texts(calls: list[Call]) -> str:
    return "\n".join(str(c.params.get("text") or c.params.get("Body") or "") for c in calls)


def link_id(platform: str, account: str) -> int:
    with session_scope() as session:
        return session.execute(sa.select(ChannelAccount.id).where(
            ChannelAccount.platform == platform, ChannelAccount.account_id == account)
        ).scalar_one()


def tracker_event_count(sender_id: str | None = None) -> int:
    query = sa.select(sa.func.count(TrackerEvent.id))
    if sender_id is not None:
        query = query.where(TrackerEvent.sender_id == sender_id)
    with session_scope() as session:
        return session.execute(query).scalar_one()


def settled_event_count(sender_id: str | None = None, *, quiet: float = 3.0,
                        timeout: float = 180) -> int:
    """tracker_event_count once no row was added for `quiet` seconds: Slack's turns run after
    the webhook has answered, and a backlog of them may still be saving (a Rasa turn writes
    its rows at its end, so a shorter quiet spell can fall inside one turn)."""
    deadline = time.monotonic() + timeout
    count, since = tracker_event_count(sender_id), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.25)
        now = tracker_event_count(sender_id)
        if now != count:
            count, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return count
    raise AssertionError(f"tracker rows still being added after {timeout} s")


def run_referral(say: Callable[[str], list[Call]]) -> tuple[str, list[str]]:
    """REFERRALS[0] over a channel: the reference in the last reply, and the transcript."""
    referral = REFERRALS[0]
    transcript: list[str] = []

    def turn(text: str) -> str:
        replies = texts(say(text))
        transcript.extend([f"> {text}", replies])
        return replies

    if "Start a referral" in turn("I want to refer a defender"):
        turn("yes let's start a referral")
    for answer in referral.answers:
        turn(answer)
    match = REFERENCE.search(turn("yes"))
    assert match, "\n".join(transcript)
    return match.group(0), transcript


@contextmanager
def _running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Messaging]:
    workdir = tmp_path_factory.mktemp("messaging_channels")
    data_dir = workdir / "data"
    fake = FakePlatforms().start()
    env = production_env(
        data_dir,
        HRD_TELEGRAM_TOKEN=TELEGRAM_TOKEN,
        HRD_TELEGRAM_SECRET_TOKEN=secrets.token_urlsafe(32),
        HRD_TELEGRAM_WEBHOOK_URL=f"{PUBLIC}/webhooks/telegram/webhook",
        HRD_TELEGRAM_API_BASE=fake.base,
        HRD_TWILIO_ACCOUNT_SID=TWILIO_SID, HRD_TWILIO_AUTH_TOKEN=secrets.token_hex(16),
        HRD_TWILIO_NUMBER=SMS_NUMBER, HRD_TWILIO_WHATSAPP_NUMBER=WHATSAPP_NUMBER,
        HRD_TWILIO_WEBHOOK_URL=f"{PUBLIC}/webhooks/twilio/webhook",
        HRD_TWILIO_API_BASE=fake.base,
        HRD_SLACK_TOKEN="xoxb-test-token", HRD_SLACK_SIGNING_SECRET=secrets.token_hex(16),
        HRD_SLACK_TEAM_ID=SLACK_TEAM, HRD_SLACK_API_BASE=f"{fake.base}/api/",
        # Tests that count failures per client name it in X-Forwarded-For.
        HRD_TRUSTED_PROXIES="1",
    )
    token = new_token("--role", "partner", "--org", "unhcr", "caseworker@unhcr.org", env=env)
    new_token("--role", "partner", "--org", "unhcr", "leaver@unhcr.org", env=env)
    for args in (("caseworker@unhcr.org", "--telegram", str(TELEGRAM_USER)),
                 ("caseworker@unhcr.org", "--phone", PHONE),
                 ("caseworker@unhcr.org", "--slack", SLACK_USER),
                 ("leaver@unhcr.org", "--telegram", str(REVOKED_TELEGRAM_USER))):
        linked = hrd("users", "link", *args, env=env)
        assert linked.returncode == 0, linked.stderr
    assert hrd("users", "revoke", "leaver@unhcr.org", env=env).returncode == 0
    credentials = workdir / "credentials.yml"
    credentials.write_text(CREDENTIALS)
    running = Assistant(workdir=workdir, env=env).start(credentials=str(credentials))
    try:
        with reading_store(data_dir):  # the tests read the servers' store
            yield Messaging(running, fake, env, data_dir, partner_token=token)
    finally:
        running.stop()
        fake.stop()


_shared: list[tuple[Messaging, ExitStack]] = []
_holders = [0]


@pytest.fixture(scope="session")
def messaging(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Messaging]:
    """Each test directory that imports this fixture gets its own pytest fixture; they share
    one running assistant, stopped when the last of them ends."""
    if not _shared:
        stack = ExitStack()
        _shared.append((stack.enter_context(_running(tmp_path_factory)), stack))
    _holders[0] += 1
    try:
        yield _shared[0][0]
    finally:
        _holders[0] -= 1
        if not _holders[0]:
            _shared.pop()[1].close()
