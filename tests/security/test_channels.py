"""Attacks on the chat channels, against the real Rasa and action servers (one assistant with
every channel on: tests/channels/messaging.py): a Telegram update that names another chat,
a short Telegram secret, guessing the secret, and slash injection ("/restart",
'/inform{"language":"fr"}'...) on the partner REST channel, the widget, Telegram, Twilio
and Slack, typed or hidden in a forged button press. Each attempt must fail; the tracker
store says whether Rasa took an intent or entity from the text."""

from __future__ import annotations

import asyncio
import json
import secrets
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import socketio
import sqlalchemy as sa

from bot.access.auth import Principal
from bot.access.models import User
from bot.access.widget_tokens import issue_token, new_sender
from bot.config import DEFAULT_CONSOLE_PUBLIC_URL, origin_of
from bot.console.review.transcripts import sender_events
from bot.store.db import session_scope
from tests.access.cli import hrd, new_token
from tests.channels.messaging import Messaging, link_id, messaging, post  # noqa: F401
from tests.support.servers import (
    MODEL,
    ROOT,
    VENV_BIN,
    free_port,
    production_env,
    reading_store,
)

pytestmark = pytest.mark.e2e

INJECTIONS = ["/restart", "/ /restart", "//restart", "\uff0frestart", " /\u200b/restart",
              '/inform{"language":"fr"}', "/session_start"]
INJECTED_INTENTS = {"restart", "session_start"}
TURN_TIMEOUT = 120

# Accounts of this module's own caseworker, so that its conversations are its own.
TELEGRAM_USER = 444000444
PHONE = "+254700000444"
SLACK_USER = "U0SECURITY"


@dataclass
class Caseworker:
    email: str
    token: str


@pytest.fixture(autouse=True)
def _reads_the_messaging_store(messaging: Messaging) -> Iterator[None]:  # noqa: F811
    """Each test reads the messaging servers' store, whatever session-wide fixture of
    another directory (tests/e2e's assistant) pointed this process at since."""
    with reading_store(messaging.data_dir):
        yield


@pytest.fixture(scope="module")
def caseworker(messaging: Messaging) -> Caseworker:  # noqa: F811 (the imported fixture)
    email = f"security-{secrets.token_hex(4)}@unhcr.org"
    token = new_token("--role", "partner", "--org", "unhcr", email, env=messaging.env)
    for option, account in (("--telegram", str(TELEGRAM_USER)), ("--phone", PHONE),
                            ("--slack", SLACK_USER)):
        linked = hrd("users", "link", email, option, account, env=messaging.env)
        assert linked.returncode == 0, linked.stderr
    return Caseworker(email, token)


# --- what the tracker store says ----------------------------------------------------------
def user_events(sender: str) -> list[dict[str, Any]]:
    return [e for e in sender_events(sender) if e.get("event") == "user"]


def wait_for_turn(sender: str, users_before: int) -> list[dict[str, Any]]:
    """Every event of `sender`, once a user message beyond `users_before` is stored (the
    tracker is saved when the turn ends; Slack's turns run after the webhook answered)."""
    deadline = time.monotonic() + TURN_TIMEOUT
    while time.monotonic() < deadline:
        events = sender_events(sender)
        if sum(e.get("event") == "user" for e in events) > users_before:
            return events
        time.sleep(0.3)
    raise AssertionError(f"no turn was stored for {sender}")


def injected(events: list[dict[str, Any]]) -> list[str]:
    """What in `events` shows that Rasa read a command from a user's text."""
    found = []
    for event in events:
        kind, name = event.get("event"), event.get("name")
        if kind == "user":
            text = str(event.get("text") or "")
            parse = event.get("parse_data") or {}
            intent = (parse.get("intent") or {}).get("name")
            if text.strip().startswith("/"):
                found.append(f"text {text!r} reached Rasa with its slash")
            if intent in INJECTED_INTENTS:
                found.append(f"intent {intent}")
            if any(e.get("extractor") == "RegexMessageHandler"
                   for e in parse.get("entities") or []):
                found.append(f"entities {parse.get('entities')}")
        elif kind == "restart" or (kind == "action" and name in ("action_restart",
                                                                  "action_session_start")):
            found.append(f"{kind} {name or ''}".strip())
        elif kind == "slot" and name == "language" and event.get("value") == "fr":
            found.append("language slot set to fr")
    return found


def assert_no_injection(sender: str, say: Callable[[str], None],
                        texts: list[str] = INJECTIONS) -> None:
    users = len(user_events(sender))
    say("hello")  # the session has started: a later session start would be injected
    wait_for_turn(sender, users)
    failures = {}
    for text in texts:
        before = sender_events(sender)
        say(text)
        found = injected(wait_for_turn(sender, sum(e.get("event") == "user"
                                                   for e in before))[len(before):])
        if found:
            failures[text] = found
    assert not failures, failures


def last_user_event(sender: str) -> dict[str, Any]:
    return user_events(sender)[-1]


def intent_of(event: dict[str, Any]) -> str | None:
    return ((event.get("parse_data") or {}).get("intent") or {}).get("name")


# --- Telegram -----------------------------------------------------------------------------
def telegram_sender(caseworker: Caseworker) -> str:
    return f"telegram:{link_id('telegram', str(TELEGRAM_USER))}"


def test_a_telegram_update_naming_another_chat_gets_no_reply(
        messaging: Messaging, caseworker: Caseworker) -> None:  # noqa: F811
    sender, victim = telegram_sender(caseworker), 555000555
    before, mark = len(sender_events(sender)), messaging.fake.mark()
    forged = [messaging.telegram_update("I want to refer a defender", TELEGRAM_USER,
                                        chat_id=victim),
              messaging.telegram_press("/start_referral", TELEGRAM_USER, chat_id=victim)]
    for update in forged:
        assert messaging.telegram_post(update).status == 200  # or Telegram would resend it
    assert not messaging.fake.since(mark, "telegram", "sendMessage")
    assert len(sender_events(sender)) == before


def test_a_telegram_secret_shorter_than_32_characters_stops_the_server(
        tmp_path: Any) -> None:
    env = production_env(tmp_path / "data", HRD_TELEGRAM_TOKEN="1:x",
                         HRD_TELEGRAM_SECRET_TOKEN="s" * 31)
    result = subprocess.run(
        [str(VENV_BIN / "rasa"), "run", "--model", str(MODEL), "--credentials",
         str(ROOT / "credentials.yml"), "--port", str(free_port())],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode != 0
    assert "HRD_TELEGRAM_SECRET_TOKEN must be 32-256 characters" in result.stdout + result.stderr


def test_repeated_wrong_telegram_secrets_get_429(messaging: Messaging) -> None:  # noqa: F811
    limit = int(messaging.env.get("HRD_AUTH_MAX_FAILURES", "10"))
    guesser, other = "198.51.100.7", "198.51.100.8"
    update = messaging.telegram_update("hello", TELEGRAM_USER)
    statuses = [messaging.telegram_post(update, secret=f"guess-{n:032d}", client=guesser).status
                for n in range(limit)]
    assert statuses == [401] * limit
    refused = messaging.telegram_post(update, secret="guess-again", client=guesser)
    assert refused.status == 429
    # While blocked even the right secret is refused: no guess can be told apart.
    assert messaging.telegram_post(update, client=guesser).status == 429
    assert messaging.telegram_post(messaging.telegram_update("hello", TELEGRAM_USER),
                                   client=other).status == 200


def test_telegram_text_cannot_inject_intents(messaging: Messaging,  # noqa: F811
                                             caseworker: Caseworker) -> None:
    def say(text: str) -> None:
        assert messaging.telegram_post(messaging.telegram_update(text, TELEGRAM_USER)
                                       ).status == 200

    assert_no_injection(telegram_sender(caseworker), say)


def test_telegram_buttons_count_only_as_offered(messaging: Messaging,  # noqa: F811
                                                caseworker: Caseworker) -> None:
    sender = telegram_sender(caseworker)

    def press(data: str) -> dict[str, Any]:
        users = len(user_events(sender))
        assert messaging.telegram_post(messaging.telegram_press(data, TELEGRAM_USER)
                                       ).status == 200
        wait_for_turn(sender, users)
        return last_user_event(sender)

    assert_no_injection(sender, lambda text: messaging.telegram_post(
        messaging.telegram_press(text, TELEGRAM_USER)))
    greeting = messaging.telegram_say("hello", TELEGRAM_USER)
    offered = [b["callback_data"] for call in greeting if call.params.get("reply_markup")
               for row in json.loads(call.params["reply_markup"])["inline_keyboard"]
               for b in row]
    assert offered == ["/start_referral"], greeting
    pressed = press("/start_referral")  # the real button: its payload, as offered
    assert pressed["text"] == "/start_referral" and intent_of(pressed) == "start_referral"
    stale = press("/start_referral")  # no longer on offer: text like any other
    assert stale["text"] == "start_referral"


# --- Twilio, Slack, partner REST ----------------------------------------------------------
def test_sms_and_whatsapp_text_cannot_inject_intents(messaging: Messaging,  # noqa: F811
                                                     caseworker: Caseworker) -> None:
    link = link_id("phone", PHONE)
    for whatsapp, channel in ((False, "sms"), (True, "whatsapp")):
        def say(text: str, whatsapp: bool = whatsapp) -> None:
            params = messaging.twilio_params(text, PHONE, whatsapp=whatsapp)
            assert messaging.twilio_post(params).status == 200

        assert_no_injection(f"{channel}:{link}", say)


def test_slack_text_and_buttons_cannot_inject_intents(messaging: Messaging,  # noqa: F811
                                                      caseworker: Caseworker) -> None:
    sender = f"slack:{link_id('slack', SLACK_USER)}"

    def say(text: str) -> None:
        assert messaging.slack_post(messaging.slack_event(text, SLACK_USER)).status == 200

    def press(value: str) -> None:
        assert messaging.slack_press(value, SLACK_USER).status == 200

    assert_no_injection(sender, say)
    assert_no_injection(sender, press)
    users = len(user_events(sender))
    say("hello")  # the greeting offers "/start_referral": pressing it works
    wait_for_turn(sender, users)
    press("/start_referral")
    wait_for_turn(sender, users + 1)
    pressed = last_user_event(sender)
    assert pressed["text"] == "/start_referral" and intent_of(pressed) == "start_referral"


def test_partner_rest_text_cannot_inject_intents(messaging: Messaging,  # noqa: F811
                                                 caseworker: Caseworker) -> None:
    sender = f"security-{secrets.token_hex(6)}"

    def say(text: str) -> None:
        reply = post(f"{messaging.assistant.base}/webhooks/partner/webhook",
                     json.dumps({"sender": sender, "message": text}).encode(),
                     {"Content-Type": "application/json",
                      "Authorization": f"Bearer {caseworker.token}"})
        assert reply.status == 200, reply

    assert_no_injection(sender, say)


# --- the widget ---------------------------------------------------------------------------
def _principal(email: str) -> Principal:
    with session_scope() as session:
        user = session.execute(sa.select(User).where(User.email == email)).scalar_one()
        return Principal(user.id, user.email, user.role, user.org_id)


class Widget:
    """A socket.io client speaking as the console's widget does (tests/console/browser has
    the browser itself), on one socket held open by an event loop of its own."""

    def __init__(self, messaging: Messaging, email: str) -> None:  # noqa: F811
        self.principal = _principal(email)
        self.base = messaging.assistant.base
        self.sender = new_sender(self.principal.user_id)
        self.client = socketio.AsyncClient(reconnection=False)
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def __enter__(self) -> Widget:
        self.thread.start()
        self._call(self._open())
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self._call(self.client.disconnect())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=30)

    def _call(self, coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(TURN_TIMEOUT)

    async def _open(self) -> None:
        confirmed = asyncio.Event()
        self.client.on("session_confirm", lambda _: confirmed.set())
        origin = origin_of(DEFAULT_CONSOLE_PUBLIC_URL)  # the servers' HRD_CONSOLE_PUBLIC_URL
        token, _ = issue_token(self.principal, self.sender)
        await self.client.connect(self.base, transports=["polling"],
                                  headers={"Origin": origin}, auth={"token": token},
                                  wait_timeout=10)
        await self.client.emit("session_request", {"session_id": self.sender})
        await asyncio.wait_for(confirmed.wait(), 30)

    def send(self, *messages: dict[str, Any]) -> None:
        """Each message in turn, each time until its turn is stored."""
        for message in messages:
            users = len(user_events(self.sender))
            self._call(self.client.emit("user_uttered", {**message,
                                                         "session_id": self.sender}))
            wait_for_turn(self.sender, users)


def test_widget_text_cannot_inject_intents(messaging: Messaging,  # noqa: F811
                                           caseworker: Caseworker) -> None:
    with Widget(messaging, caseworker.email) as widget:
        assert_no_injection(widget.sender, lambda text: widget.send({"message": text}))


def test_widget_buttons_are_mapped_on_the_server(messaging: Messaging,  # noqa: F811
                                                 caseworker: Caseworker) -> None:
    # The greeting offers "Start a referral": a tap sends its title and place, and the
    # channel passes the payload the bot offered.
    with Widget(messaging, caseworker.email) as widget:
        widget.send({"message": "hello"}, {"message": "Start a referral", "choice": 0})
    pressed = last_user_event(widget.sender)
    assert pressed["text"] == "/start_referral" and intent_of(pressed) == "start_referral"
    # A payload typed, sent as a button's title, or a choice not on offer, is text.
    with Widget(messaging, caseworker.email) as widget:
        widget.send({"message": "hello"}, {"message": "/start_referral"},
                    {"message": "/restart", "choice": 0},
                    {"message": "Start a referral", "choice": 20})
    typed, fake_title, not_offered = user_events(widget.sender)[-3:]
    assert typed["text"] == "start_referral" and fake_title["text"] == "restart"
    assert not_offered["text"] == "Start a referral"
    # Only the conversation's own start, at its first message.
    assert injected(sender_events(widget.sender)) == ["action action_session_start"]
