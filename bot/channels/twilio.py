"""SMS and WhatsApp through Twilio, on Rasa's connector:
`bot.channels.twilio.TwilioChannel:` in credentials.yml, one webhook for both.

Settings (environment): HRD_TWILIO_ACCOUNT_SID, HRD_TWILIO_AUTH_TOKEN, HRD_TWILIO_NUMBER
(SMS, E.164) and/or HRD_TWILIO_WHATSAPP_NUMBER (E.164, without "whatsapp:"),
HRD_TWILIO_WEBHOOK_URL (the public URL Twilio posts to, as configured in Twilio: behind a
proxy the URL the server sees differs, and the signature covers the URL), and
HRD_TWILIO_API_BASE (default https://api.twilio.com; tests point it at a fake).

Differences from Rasa's TwilioInput, which checks no signature: X-Twilio-Signature is
verified (HMAC-SHA1 of the URL and the sorted POST parameters, Twilio's RequestValidator),
else 403; the account and the number written to must be ours; MessageSid is deduplicated;
buttons become numbered options; long texts are split at 1600; the Twilio client runs in a
thread (it is synchronous) and does not log bodies."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel
from rasa.core.channels.twilio import TwilioInput
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.http.http_client import TwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from bot.access.chat_accounts import E164
from bot.channels.gateway import Gateway, Inbound, OnNewMessage, request_agent
from bot.channels.settings import channel_env
from bot.channels.text import TWILIO_LIMIT, numbered_options, split_text
from bot.channels.webhooks import disabled_blueprint, refused

logger = logging.getLogger(__name__)

DEFAULT_API_BASE = "https://api.twilio.com"
WHATSAPP = "whatsapp:"
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
_quiet = logging.getLogger("hrd.twilio_http")
_quiet.setLevel(logging.WARNING)  # TwilioHttpClient logs request parameters at INFO


class RebasedHttpClient(TwilioHttpClient):
    """Twilio's HTTP client with api.twilio.com replaced by HRD_TWILIO_API_BASE, and no
    copy of the last request kept in memory (it holds the message body)."""

    def __init__(self, api_base: str) -> None:
        super().__init__(timeout=15, logger=_quiet)
        self.api_base = api_base.rstrip("/")

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        if url.startswith(DEFAULT_API_BASE):
            url = self.api_base + url[len(DEFAULT_API_BASE):]
        try:
            return super().request(method, url, *args, **kwargs)
        finally:
            self._test_only_last_request = None


class TwilioReplies(OutputChannel):
    """Replies to the number an SMS or WhatsApp message came from, from the number it was
    sent to (the tracker's sender id names the link)."""

    @classmethod
    def name(cls) -> str:
        return "twilio"

    def __init__(self, client: Client, to: str, from_: str) -> None:
        self.client = client
        self.to = to
        self.from_ = from_

    async def _send(self, body: str) -> None:
        await asyncio.to_thread(self.client.messages.create, to=self.to, from_=self.from_,
                                body=body)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        for piece in split_text(text, TWILIO_LIMIT):
            await self._send(piece)

    async def send_text_with_buttons(self, recipient_id: str, text: str,
                                     buttons: list[dict[str, Any]], **kwargs: Any) -> None:
        await self.send_text_message(recipient_id, numbered_options(text, buttons))

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await asyncio.to_thread(self.client.messages.create, to=self.to, from_=self.from_,
                                media_url=[image])


def signature_valid(auth_token: str, url: str, params: dict[str, list[str]],
                    signature: str | None) -> bool:
    if not signature:
        return False
    return bool(RequestValidator(auth_token).validate(url, _MultiDict(params), signature))


class _MultiDict(dict):
    """What RequestValidator reads repeated parameters through (getall)."""

    def getall(self, key: str) -> list[str]:
        return list(self[key])


class TwilioChannel(TwilioInput):
    @classmethod
    def name(cls) -> str:
        return "twilio"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        values = channel_env(
            "Twilio", ["HRD_TWILIO_ACCOUNT_SID", "HRD_TWILIO_AUTH_TOKEN"],
            ["HRD_TWILIO_WEBHOOK_URL", "HRD_TWILIO_API_BASE"],
            one_of=["HRD_TWILIO_NUMBER", "HRD_TWILIO_WHATSAPP_NUMBER"])
        if values is None:
            return cls(None, None, None)
        for name in ("HRD_TWILIO_NUMBER", "HRD_TWILIO_WHATSAPP_NUMBER"):
            number = values[name]
            if number and not E164.fullmatch(number):
                raise RasaException(f"{name} must be an E.164 number (+ and digits)")
        return cls(values["HRD_TWILIO_ACCOUNT_SID"], values["HRD_TWILIO_AUTH_TOKEN"],
                   values["HRD_TWILIO_NUMBER"],
                   whatsapp_number=values["HRD_TWILIO_WHATSAPP_NUMBER"],
                   webhook_url=values["HRD_TWILIO_WEBHOOK_URL"],
                   api_base=values["HRD_TWILIO_API_BASE"] or DEFAULT_API_BASE)

    def __init__(self, account_sid: str | None, auth_token: str | None,
                 twilio_number: str | None, debug_mode: bool = False, *,
                 whatsapp_number: str | None = None, webhook_url: str | None = None,
                 api_base: str = DEFAULT_API_BASE) -> None:
        super().__init__(account_sid, auth_token, twilio_number, debug_mode)
        self.whatsapp_number = whatsapp_number
        self.webhook_url = webhook_url
        self.api_base = api_base
        self.gateway = Gateway(self.name())
        self._client: Client | None = None

    @property
    def enabled(self) -> bool:
        return bool(self.account_sid and self.auth_token
                    and (self.twilio_number or self.whatsapp_number))

    @property
    def client(self) -> Client:
        if self._client is None:
            self._client = Client(self.account_sid, self.auth_token,
                                  http_client=RebasedHttpClient(self.api_base))
        return self._client

    def get_output_channel(self) -> OutputChannel | None:
        return None  # replies need the number of the message (TwilioReplies)

    def signed_url(self, request: Request) -> str:
        """The URL as Twilio saw it: the configured public one (with the query string), or
        the request's own when none is configured."""
        if not self.webhook_url:
            return request.url
        query = request.query_string
        return f"{self.webhook_url}?{query}" if query else self.webhook_url

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        if not self.enabled:
            return disabled_blueprint(self.name())
        webhook = Blueprint("hrd_twilio_webhook", __name__)

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            params: dict[str, list[str]] = dict(request.form or {})
            signature = request.headers.get("X-Twilio-Signature")
            if not signature_valid(self.auth_token or "", self.signed_url(request), params,
                                   signature):
                return refused(403, "forbidden")
            return await self._receive(request, params, on_new_message)

        return webhook

    def _route(self, sender: str, to: str) -> tuple[str, str, str] | None:
        """(sender-id namespace, E.164 of the caseworker, our "from") or None if the message
        was not sent to one of our numbers."""
        if sender.startswith(WHATSAPP) and self.whatsapp_number \
                and to == WHATSAPP + self.whatsapp_number:
            return "whatsapp", sender[len(WHATSAPP):], to
        if not sender.startswith(WHATSAPP) and self.twilio_number and to == self.twilio_number:
            return "sms", sender, to
        return None

    async def _receive(self, request: Request, params: dict[str, list[str]],
                       on_new_message: OnNewMessage) -> HTTPResponse:
        def first(name: str) -> str:
            values = params.get(name) or [""]
            return values[0]

        route = self._route(first("From"), first("To"))
        message_sid, text = first("MessageSid") or first("SmsSid"), first("Body")
        media = first("NumMedia") not in ("", "0")
        if media:
            text = ""  # a picture, voice note or file: answered "I can only read typed text"
        if first("AccountSid") == self.account_sid and route and message_sid and (text or media):
            channel, phone, ours = route
            if E164.fullmatch(phone):
                await self.gateway.handle(
                    Inbound("phone", channel, phone, message_sid, text.replace("¡", "@")),
                    TwilioReplies(self.client, first("From"), ours), on_new_message,
                    request_agent(request))
        # Replies go through the Messages API; the webhook answers with empty TwiML.
        return response.text(EMPTY_TWIML, content_type="text/xml")
