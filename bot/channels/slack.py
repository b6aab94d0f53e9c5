"""Slack, on Rasa's connector: `bot.channels.slack.SlackChannel:` in credentials.yml.

Settings (environment): HRD_SLACK_TOKEN (the bot token, xoxb-...), HRD_SLACK_SIGNING_SECRET,
HRD_SLACK_TEAM_ID (optional: events from any other workspace are ignored), and
HRD_SLACK_API_BASE (default https://slack.com/api/; tests point it at a fake).

Differences from Rasa's SlackInput: a bad or stale signature answers 401 (Rasa: 400); only
direct messages to the app are served (a channel would show a referral to its members);
edits and other subtypes make no turn; event ids are deduplicated, so Slack's retries
(X-Slack-Retry-Num) never make a second turn; button texts fit Slack's limits; a button's
value counts as a press only if the bot offered it (bot.channels.choices)."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel
from rasa.core.channels.slack import SlackInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from slack_sdk.signature import Clock, SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from bot.channels.gateway import Gateway, Inbound, OnNewMessage, request_agent
from bot.channels.settings import channel_env
from bot.channels.text import SLACK_BLOCK_LIMIT, numbered_options, split_text
from bot.channels.webhooks import disabled_blueprint, ok, refused

logger = logging.getLogger(__name__)

DEFAULT_API_BASE = "https://slack.com/api/"
MAX_BUTTONS = 25  # elements of one actions block
BUTTON_TEXT_LIMIT = 75
BUTTON_VALUE_LIMIT = 2000


class _FixedClock(Clock):
    """The verifier's clock at a given time (tests check the replay window with it)."""

    def __init__(self, now: float) -> None:
        self._now = now

    def now(self) -> float:
        return self._now


def signature_valid(secret: str, timestamp: str | None, body: bytes, signature: str | None,
                    now: float | None = None) -> bool:
    """Slack's v0 signature (HMAC-SHA256 of "v0:{timestamp}:{body}") within Slack's 5-minute
    replay window, checked by slack_sdk's SignatureVerifier. Anything it cannot check (no
    secret, a timestamp that is not a number, a body that is not UTF-8, a signature that is
    not ASCII) is invalid rather than an error, so the webhook answers 401 for all of them."""
    if not secret or not timestamp or not signature or not timestamp.isdigit():
        return False  # the verifier refuses an empty secret and int()s the timestamp
    verifier = SignatureVerifier(secret, Clock() if now is None else _FixedClock(now))
    try:
        return verifier.is_valid(body=body, timestamp=timestamp, signature=signature)
    except (UnicodeDecodeError, TypeError):
        return False


class SlackReplies(OutputChannel):
    """Replies in the direct message conversation the event came from."""

    @classmethod
    def name(cls) -> str:
        return "slack"

    def __init__(self, client: AsyncWebClient, channel: str) -> None:
        self.client = client
        self.channel = channel

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        for piece in split_text(text, SLACK_BLOCK_LIMIT):
            await self.client.chat_postMessage(channel=self.channel, text=piece)

    async def send_text_with_buttons(self, recipient_id: str, text: str,
                                     buttons: list[dict[str, Any]], **kwargs: Any) -> None:
        values = [str(b.get("payload", "")) for b in buttons]
        if not buttons or len(buttons) > MAX_BUTTONS \
                or any(not v or len(v) > BUTTON_VALUE_LIMIT for v in values):
            await self.send_text_message(recipient_id, numbered_options(text, buttons))
            return
        *first, last = split_text(text, SLACK_BLOCK_LIMIT) or [" "]
        for piece in first:
            await self.client.chat_postMessage(channel=self.channel, text=piece)
        elements = [
            {"type": "button", "value": value, "action_id": f"choice_{n}",
             "text": {"type": "plain_text",
                      "text": str(button.get("title") or value)[:BUTTON_TEXT_LIMIT]}}
            for n, (button, value) in enumerate(zip(buttons, values, strict=True), 1)
        ]
        blocks = [{"type": "section", "text": {"type": "plain_text", "text": last}},
                  {"type": "actions", "elements": elements}]
        # `text` is the notification fallback; a typed number works as well as a click.
        await self.client.chat_postMessage(channel=self.channel, blocks=blocks,
                                           text=numbered_options(last, buttons))

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self.client.chat_postMessage(
            channel=self.channel, text=image,
            blocks=[{"type": "image", "image_url": image, "alt_text": "image"}])


FILE_SHARE = "file_share"  # answered "I can only read typed text" (bot.channels.gateway)


def parse_event(body: dict[str, Any]) -> tuple[str, str, str, str] | None:
    """(event id, user id, DM channel id, text) of a person's direct message, with "" as the
    text of a shared file (its comment is not taken: it may belong to what was not read);
    None for anything else (channels, bots, edits and other subtypes)."""
    event = body.get("event")
    if body.get("type") != "event_callback" or not isinstance(event, dict):
        return None
    subtype = event.get("subtype")
    if event.get("type") != "message" or event.get("channel_type") != "im" \
            or subtype not in (None, FILE_SHARE) or event.get("bot_id"):
        return None
    text = "" if subtype == FILE_SHARE else event.get("text")
    ids = (body.get("event_id"), event.get("user"), event.get("channel"))
    if not all(isinstance(v, str) and v for v in ids) or not isinstance(text, str) \
            or not (text or subtype == FILE_SHARE):
        return None
    return (*ids, text)  # type: ignore[return-value]


def parse_action(payload: dict[str, Any]) -> tuple[str, str, str, str] | None:
    """(action key, user id, DM channel id, value) of a button press in a direct message."""
    actions = payload.get("actions")
    if payload.get("type") != "block_actions" or not isinstance(actions, list) or not actions:
        return None
    action = actions[0] if isinstance(actions[0], dict) else {}
    user = (payload.get("user") or {}).get("id")
    channel = (payload.get("channel") or {}).get("id")
    value, action_ts = action.get("value"), action.get("action_ts")
    if action.get("type") != "button" or not all(
            isinstance(v, str) and v for v in (user, channel, value, action_ts)):
        return None
    if not channel.startswith("D"):  # direct messages only
        return None
    return f"action:{user}:{action_ts}", user, channel, value


def _team(body: dict[str, Any]) -> str | None:
    team = body.get("team_id") or body.get("team")
    return team.get("id") if isinstance(team, dict) else team


class SlackChannel(SlackInput):
    @classmethod
    def name(cls) -> str:
        return "slack"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        values = channel_env("Slack", ["HRD_SLACK_TOKEN", "HRD_SLACK_SIGNING_SECRET"],
                             ["HRD_SLACK_TEAM_ID", "HRD_SLACK_API_BASE"])
        if values is None:
            return cls.off()
        return cls(values["HRD_SLACK_TOKEN"] or "",
                   slack_signing_secret=values["HRD_SLACK_SIGNING_SECRET"] or "",
                   team_id=values["HRD_SLACK_TEAM_ID"],
                   api_base=values["HRD_SLACK_API_BASE"] or DEFAULT_API_BASE)

    @classmethod
    def off(cls) -> SlackChannel:
        channel = cls.__new__(cls)  # SlackInput.__init__ refuses an empty signing secret
        channel.slack_token, channel.slack_signing_secret = "", ""
        return channel

    def __init__(self, slack_token: str, *, slack_signing_secret: str,
                 team_id: str | None = None, api_base: str = DEFAULT_API_BASE) -> None:
        super().__init__(slack_token, slack_signing_secret=slack_signing_secret)
        self.team_id = team_id
        self.api_base = api_base
        self.gateway = Gateway(self.name())
        self._client: AsyncWebClient | None = None
        self._tasks: set[asyncio.Task] = set()

    @property
    def enabled(self) -> bool:
        return bool(self.slack_token and self.slack_signing_secret)

    @property
    def client(self) -> AsyncWebClient:
        if self._client is None:
            self._client = AsyncWebClient(self.slack_token, base_url=self.api_base)
        return self._client

    def get_output_channel(self, channel: str | None = None,
                           thread_id: str | None = None) -> OutputChannel:
        return SlackReplies(self.client, channel or "")

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        if not self.enabled:
            return disabled_blueprint(self.name())
        webhook = Blueprint("hrd_slack_webhook", __name__)

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not signature_valid(self.slack_signing_secret,
                                   request.headers.get("X-Slack-Request-Timestamp"),
                                   request.body or b"",
                                   request.headers.get("X-Slack-Signature")):
                return refused(401, "unauthorized")
            return await self._receive(request, on_new_message)

        return webhook

    async def _receive(self, request: Request, on_new_message: OnNewMessage) -> HTTPResponse:
        content_type = (request.headers.get("content-type") or "").split(";")[0].strip()
        if content_type == "application/x-www-form-urlencoded":
            try:
                body = json.loads((request.form or {}).get("payload") or "")
            except (ValueError, RecursionError):  # deeply nested JSON: not a 500
                return refused(400, "malformed payload")
            parsed = parse_action(body) if isinstance(body, dict) else None
        else:
            try:
                body = json.loads(request.body or b"")
            except (ValueError, RecursionError):
                return refused(400, "malformed event")
            if not isinstance(body, dict):
                return refused(400, "malformed event")
            if body.get("type") == "url_verification":
                return response.text(str(body.get("challenge", "")))
            parsed = parse_event(body)
        if parsed is None or (self.team_id and _team(body) != self.team_id):
            return ok()
        key, user, channel, text = parsed
        # A button's value counts as a press only if the bot offered it (gateway).
        inbound = Inbound("slack", "slack", user, key, text, pressed=key.startswith("action:"))
        if not await self.gateway.first_time(inbound):
            return ok()  # a retry (X-Slack-Retry-Num) or a replay of a handled event
        # Slack wants an answer within 3 seconds: the turn runs after the 200.
        task = asyncio.create_task(self.gateway.handle(
            inbound, SlackReplies(self.client, channel), on_new_message,
            request_agent(request), deduplicated=True))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return ok()
