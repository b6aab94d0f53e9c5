"""Telegram, on Rasa's connector: `bot.channels.telegram.TelegramChannel:` in credentials.yml.

Settings (environment): HRD_TELEGRAM_TOKEN (from @BotFather), HRD_TELEGRAM_SECRET_TOKEN
(32-256 of A-Z a-z 0-9 _ -, sent by Telegram in X-Telegram-Bot-Api-Secret-Token),
HRD_TELEGRAM_WEBHOOK_URL (optional: when set, setWebhook is called at start with the secret),
HRD_TELEGRAM_API_BASE (default https://api.telegram.org; tests point it at a fake).

Differences from Rasa's TelegramInput, which verifies nothing but the bot's own username:
the secret header is required (401 otherwise; after HRD_AUTH_MAX_FAILURES wrong ones from a
client, 429 until the window ends); only private chats with the sender themself are served
(chat.id == from.id: a group would show a referral to all its members, and a crafted update
naming another chat would send the conversation there); edited messages are ignored and
update ids are deduplicated (no second turn); a button's callback_data counts as a press only
if the bot offered it (bot.channels.choices); buttons are one per row; no getMe per update."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from aiogram import Bot
from aiogram.bot.api import TelegramAPIServer
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from rasa.core.channels.channel import InputChannel, OutputChannel
from rasa.core.channels.telegram import TelegramInput
from rasa.shared.exceptions import RasaException
from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.access.ratelimit import FailedAuthLimiter
from bot.access.web import client_address
from bot.channels.gateway import Gateway, Inbound, OnNewMessage, request_agent
from bot.channels.settings import channel_env
from bot.channels.text import TELEGRAM_LIMIT, numbered_options, split_text
from bot.channels.webhooks import disabled_blueprint, ok, refused, secret_matches

logger = logging.getLogger(__name__)

# Telegram allows 1-256 characters; fewer than 32 could be guessed.
MIN_SECRET_CHARS = 32
SECRET_TOKEN = re.compile(rf"[A-Za-z0-9_-]{{{MIN_SECRET_CHARS},256}}")
DEFAULT_API_BASE = "https://api.telegram.org"
CALLBACK_DATA_LIMIT = 64  # bytes, Telegram's limit for a button's callback_data
ALLOWED_UPDATES = ["message", "callback_query"]
# A message's content other than text (Bot API "Message" fields): answered, never taken.
MEDIA = frozenset({"animation", "audio", "contact", "dice", "document", "location", "photo",
                   "poll", "sticker", "venue", "video", "video_note", "voice"})


class TelegramReplies(OutputChannel):
    """Replies to the chat an update came from (the tracker's sender id names the link)."""

    @classmethod
    def name(cls) -> str:
        return "telegram"

    def __init__(self, bot: Bot, chat_id: int) -> None:
        self.bot = bot
        self.chat_id = chat_id

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        for piece in split_text(text, TELEGRAM_LIMIT):
            await self.bot.send_message(self.chat_id, piece)

    async def send_text_with_buttons(self, recipient_id: str, text: str,
                                     buttons: list[dict[str, Any]], **kwargs: Any) -> None:
        payloads = [str(b.get("payload", "")) for b in buttons]
        if not buttons or any(not p or len(p.encode()) > CALLBACK_DATA_LIMIT for p in payloads):
            await self.send_text_message(recipient_id, numbered_options(text, buttons))
            return
        *first, last = split_text(text, TELEGRAM_LIMIT) or [" "]
        for piece in first:
            await self.bot.send_message(self.chat_id, piece)
        keyboard = InlineKeyboardMarkup()
        for button, payload in zip(buttons, payloads, strict=True):
            keyboard.row(InlineKeyboardButton(str(button.get("title") or payload),
                                              callback_data=payload))
        await self.bot.send_message(self.chat_id, last, reply_markup=keyboard)

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self.bot.send_photo(self.chat_id, image)


def parse_update(update: dict[str, Any]) -> tuple[str, int, int, str, str | None] | None:
    """(update id, user id, chat id, text, callback query id) of a text or button press in
    the sender's own private chat, with "" as the text of a photo, voice note, file or other
    content without text (its caption is not taken: it may belong to what was not read);
    None for anything else (edits, groups, channels, service messages, bots, and a chat that
    is not the sender's: replies go to the chat, the link is the sender's)."""
    update_id = update.get("update_id")
    if not isinstance(update_id, int):
        return None
    callback = update.get("callback_query")
    if isinstance(callback, dict):
        message, sender, text = callback.get("message"), callback.get("from"), callback.get("data")
        callback_id = str(callback.get("id", ""))
    else:
        message = update.get("message")  # edited_message and the rest: no turn
        if isinstance(message, dict) and message.get("edit_date") is not None:
            return None  # an edit, however it is labelled: the original had its turn
        sender = message.get("from") if isinstance(message, dict) else None
        text = message.get("text") if isinstance(message, dict) else None
        if isinstance(message, dict) and text is None and MEDIA.intersection(message):
            text = ""  # answered with "I can only read typed text" (bot.channels.gateway)
        callback_id = None
    if not (isinstance(message, dict) and isinstance(sender, dict) and isinstance(text, str)):
        return None
    chat = message.get("chat")
    if not isinstance(chat, dict) or chat.get("type") != "private" or sender.get("is_bot"):
        return None
    user_id, chat_id = sender.get("id"), chat.get("id")
    if not isinstance(user_id, int) or isinstance(user_id, bool) or chat_id != user_id:
        return None
    return str(update_id), user_id, chat_id, text, callback_id


def sender_language(update: dict[str, Any]) -> str | None:
    """"fr" when the sender's Telegram app is in French (`from.language_code`, an IETF tag
    such as "fr" or "fr-CA"), "en" for English, else None."""
    holder = update.get("callback_query") or update.get("message")
    sender = holder.get("from") if isinstance(holder, dict) else None
    code = sender.get("language_code") if isinstance(sender, dict) else None
    if not isinstance(code, str):
        return None
    primary = code.strip().lower().replace("_", "-").split("-", 1)[0]
    return primary if primary in ("fr", "en") else None


class TelegramChannel(TelegramInput):
    @classmethod
    def name(cls) -> str:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        values = channel_env("Telegram", ["HRD_TELEGRAM_TOKEN", "HRD_TELEGRAM_SECRET_TOKEN"],
                             ["HRD_TELEGRAM_WEBHOOK_URL", "HRD_TELEGRAM_API_BASE"])
        if values is None:
            return cls(None, None, None)
        secret = values["HRD_TELEGRAM_SECRET_TOKEN"] or ""
        if not SECRET_TOKEN.fullmatch(secret):
            raise RasaException(
                f"HRD_TELEGRAM_SECRET_TOKEN must be {MIN_SECRET_CHARS}-256 characters of "
                "A-Z, a-z, 0-9, _ and - (make one with: python -c \"import secrets; "
                "print(secrets.token_urlsafe(32))\")")
        return cls(values["HRD_TELEGRAM_TOKEN"], None, values["HRD_TELEGRAM_WEBHOOK_URL"],
                   secret_token=secret,
                   api_base=values["HRD_TELEGRAM_API_BASE"] or DEFAULT_API_BASE)

    def __init__(self, access_token: str | None, verify: str | None, webhook_url: str | None,
                 debug_mode: bool = False, *, secret_token: str = "",
                 api_base: str = DEFAULT_API_BASE,
                 limiter: FailedAuthLimiter | None = None) -> None:
        super().__init__(access_token, verify, webhook_url, debug_mode)
        self.secret_token = secret_token
        self.api_base = api_base
        self.gateway = Gateway(self.name())
        self.limiter = limiter or FailedAuthLimiter()
        self._bot: Bot | None = None

    @property
    def enabled(self) -> bool:
        return bool(self.access_token and self.secret_token)

    @property
    def bot(self) -> Bot:
        if self._bot is None:  # made in the server's loop, with its aiohttp session
            self._bot = Bot(self.access_token,
                            server=TelegramAPIServer.from_base(self.api_base))
        return self._bot

    def get_output_channel(self) -> OutputChannel | None:
        return None  # replies need the chat of the update (TelegramReplies)

    async def set_webhook(self) -> None:
        """Tell Telegram where to post and which secret to send (Rasa's would not send one)."""
        try:
            await self.bot.request("setWebhook", {
                "url": self.webhook_url, "secret_token": self.secret_token,
                "allowed_updates": json.dumps(ALLOWED_UPDATES),
            })
            logger.info("Telegram webhook set")
        except Exception as error:  # the other channels keep working
            logger.error("Telegram setWebhook failed (%s)", type(error).__name__)

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        if not self.enabled:
            return disabled_blueprint(self.name())
        webhook = Blueprint("hrd_telegram_webhook", __name__)

        if self.webhook_url:
            @webhook.listener("after_server_start")
            async def register(app: Any, loop: Any) -> None:
                await self.set_webhook()

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            # Namespaced: a client's Telegram failures do not lock it out of other routes.
            client = "telegram:" + client_address(request)
            if await self.limiter.blocked(client):
                return refused(429, "too many attempts",
                               {"Retry-After": str(self.limiter.window_seconds)})
            given = request.headers.get("X-Telegram-Bot-Api-Secret-Token")
            if not secret_matches(given, self.secret_token):
                await self.limiter.failed(client)
                return refused(401, "unauthorized")
            return await self._receive(request, on_new_message)

        return webhook

    async def _receive(self, request: Request, on_new_message: OnNewMessage) -> HTTPResponse:
        try:
            update = json.loads(request.body or b"")
        except (ValueError, RecursionError):  # deeply nested JSON: RecursionError, not a 500
            return refused(400, "malformed update")
        parsed = parse_update(update) if isinstance(update, dict) else None
        if parsed is None:
            return ok()  # 200, or Telegram would resend it
        update_id, user_id, chat_id, text, callback_id = parsed
        if callback_id:
            try:  # stops the button's spinner; the press still counts if this fails
                await self.bot.answer_callback_query(callback_id)
            except Exception as error:
                logger.info("Telegram answerCallbackQuery failed (%s)", type(error).__name__)
        bot_id = (self.access_token or "").split(":", 1)[0]
        await self.gateway.handle(
            Inbound("telegram", "telegram", str(user_id), f"{bot_id}:{update_id}", text,
                    sender_language(update), pressed=callback_id is not None),
            TelegramReplies(self.bot, chat_id), on_new_message, request_agent(request))
        return ok()
