"""The partner REST channel (intake-contract.md, "Channels"):
`POST /webhooks/partner/webhook`, body {"sender", "message"}, `Authorization: Bearer <token>`,
replies as Rasa's REST channel does (a JSON list of bot messages). An optional
`Idempotency-Key` header makes a client's resend of a message safe: it gets the first answer.

Only this channel says who is talking: the user's organization reaches the actions as
message metadata {"hrd_auth": {...}} (actions/session.py), and whatever metadata a client
sends is dropped. A sender id belongs to the partner user who first used it. Nothing here
logs a message, a sender id or an e-mail address.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint
from sanic.exceptions import PayloadTooLarge
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.access.auth import Principal
from bot.access.models import LANGUAGES
from bot.access.ratelimit import FailedAuthLimiter
from bot.access.senders import claim_sender
from bot.access.web import authenticate_request, json_error, json_response
from bot.channels.requests import (
    MAX_BODY_BYTES,
    BadRequest,
    ChatRequest,
    parse_chat_request,
)
from bot.channels.turn_failure import failure_text
from bot.store.turn_replies import claim_turn, complete_turn, release_turn, reply_key

logger = logging.getLogger(__name__)

# When the database or Redis cannot be reached (issue 18): a 503 the client can retry on.
RETRY_AFTER_SECONDS = 60
UNAVAILABLE_MESSAGE = ("The service is temporarily unavailable; nothing answered before is "
                       "lost. Send the message again in a minute.")

AUTH_METADATA_KEY = "hrd_auth"  # read by actions/session.py

# Optional: a client that may resend a message (its connection dropped before the answer)
# names each message with a key of its own; a resend gets the first answer, never a second
# turn (bot.store.turn_replies). The name is the IETF draft's.
IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,255}")
IN_PROGRESS_RETRY_SECONDS = 2


def auth_metadata(principal: Principal, locale_language: str | None = None) -> dict[str, Any]:
    """What actions/session.py trusts. "language" is the user's stored preference, else the
    channel's locale (`locale_language`), else absent: the assistant starts in its default
    and follows the language the user writes in."""
    auth: dict[str, Any] = {"partner_org": principal.org_id, "user_id": principal.user_id,
                            "role": principal.role}
    language = principal.language or locale_language
    if language in LANGUAGES:
        auth["language"] = language
    return {AUTH_METADATA_KEY: auth}


def _too_large() -> HTTPResponse:
    return json_error(413, "body_too_large", f"The body is limited to {MAX_BODY_BYTES} bytes.")


async def _read_body(request: Request) -> bytes | None:
    """The body, or None once it exceeds MAX_BODY_BYTES (read in chunks, never all of it)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        return None
    if request.stream is None:  # not a streamed request (e.g. a test harness)
        body = request.body or b""
        return body if len(body) <= MAX_BODY_BYTES else None
    # Sanic stops reading past this limit, including when it drains an unread body.
    request.stream.request_max_size = MAX_BODY_BYTES
    chunks: list[bytes] = []
    size = 0
    try:
        while (chunk := await request.stream.read()) is not None:
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                return None
            chunks.append(chunk)
    except PayloadTooLarge:
        return None
    return b"".join(chunks)


async def read_chat(request: Request) -> ChatRequest | HTTPResponse:
    """{"sender", "message"} from the body, or the 4xx answer (too large, malformed)."""
    body = await _read_body(request)
    if body is None:
        return _too_large()
    try:
        return parse_chat_request(body)
    except BadRequest as error:
        return json_error(error.status, error.code, error.message)


class PartnerInput(InputChannel):
    """Registered in credentials.yml as `bot.channels.partner.PartnerInput:` (no settings)."""

    def __init__(self, limiter: FailedAuthLimiter | None = None) -> None:
        self.limiter = limiter or FailedAuthLimiter()

    @classmethod
    def name(cls) -> str:
        return "partner"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls()

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        webhook = Blueprint(f"hrd_{self.name()}_webhook", __name__)  # unique per subclass

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return json_response({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"], stream=True)
        async def receive(request: Request) -> HTTPResponse:
            try:
                return await self._receive(request, on_new_message)
            except Exception as error:  # a JSON 503 or 500, never a trace or the message text
                logger.error("partner channel: request failed (%s)", type(error).__name__)
                if store_unavailable(error):
                    return json_error(503, "temporarily_unavailable", UNAVAILABLE_MESSAGE,
                                      {"Retry-After": str(RETRY_AFTER_SECONDS)})
                return json_error(500, "internal_error", "The message could not be processed.")

        return webhook

    async def _receive(
        self, request: Request, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> HTTPResponse:
        principal = await authenticate_request(request, self.limiter)
        if isinstance(principal, HTTPResponse):
            return principal
        if principal.role != "partner" or not principal.org_id:
            return json_error(403, "forbidden",
                              "Only partner staff can refer through this channel.")
        chat = await read_chat(request)
        if isinstance(chat, HTTPResponse):
            return chat
        if not await asyncio.to_thread(claim_sender, chat.sender, principal.user_id):
            return json_error(403, "sender_taken",
                              "This conversation id belongs to another user; choose another.")
        metadata = auth_metadata(principal)  # never the client's metadata
        key = request.headers.get(IDEMPOTENCY_HEADER)
        if key is None:
            return await self.turn(chat, on_new_message, metadata)
        if not IDEMPOTENCY_KEY.fullmatch(key):
            return json_error(400, "invalid_idempotency_key",
                              f"{IDEMPOTENCY_HEADER} is 1 to 255 visible ASCII characters.")
        return await self._turn_once(reply_key(principal.user_id, chat.sender, key), chat,
                                     on_new_message, metadata)

    async def _turn_once(
        self, key_hash: str, chat: ChatRequest,
        on_new_message: Callable[[UserMessage], Awaitable[Any]], metadata: dict[str, Any],
    ) -> HTTPResponse:
        """A turn sent with an Idempotency-Key: run once; a retry gets the same replies."""
        claim = await asyncio.to_thread(claim_turn, key_hash, chat.message)
        if claim.outcome == "replay":
            return json_response(claim.replies, headers={"Idempotent-Replayed": "true"})
        if claim.outcome == "pending":
            return json_error(409, "in_progress", "This message is still being answered; "
                              "send it again in a few seconds.",
                              {"Retry-After": str(IN_PROGRESS_RETRY_SECONDS)})
        if claim.outcome == "reused":
            return json_error(422, "idempotency_key_reused",
                              f"This {IDEMPOTENCY_HEADER} was already used for another "
                              "message; use a new key for each message.")
        try:
            replies, answered = await self._run(chat, on_new_message, metadata)
        except BaseException:
            await asyncio.to_thread(release_turn, key_hash)
            raise
        if answered:
            await asyncio.to_thread(complete_turn, key_hash, chat.message, replies)
        else:  # nothing of it was taken: the retry runs the turn again
            await asyncio.to_thread(release_turn, key_hash)
        return json_response(replies)

    async def turn(
        self, chat: ChatRequest, on_new_message: Callable[[UserMessage], Awaitable[Any]],
        metadata: dict[str, Any] | None,
    ) -> HTTPResponse:
        """One turn of the conversation; the bot's replies as Rasa's REST channel gives them."""
        replies, _ = await self._run(chat, on_new_message, metadata)
        return json_response(replies)

    async def _run(
        self, chat: ChatRequest, on_new_message: Callable[[UserMessage], Awaitable[Any]],
        metadata: dict[str, Any] | None,
    ) -> tuple[list[dict[str, Any]], bool]:
        """The replies, and whether the turn ran (False: it failed, the draft is unchanged)."""
        collector = CollectingOutputChannel()
        try:
            await on_new_message(UserMessage(chat.message, collector, chat.sender,
                                             input_channel=self.name(), metadata=metadata))
        except Exception as error:  # issue 20: a reply, never silence (the draft is kept)
            logger.error("partner channel: turn failed (%s)", type(error).__name__)
            return [{"recipient_id": chat.sender,
                     "text": failure_text(chat.message, metadata)}], False
        return collector.messages, True


def store_unavailable(error: BaseException) -> bool:
    """The database (the tracker store, the tokens, the cases) or Redis (the conversation
    lock) could not be reached: an outage to retry after, not a bug. Rasa may wrap the
    error, so its causes are looked at too."""
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError
    from sqlalchemy.exc import DBAPIError, OperationalError

    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OperationalError | RedisConnectionError | RedisTimeoutError):
            return True
        if isinstance(current, DBAPIError) and current.connection_invalidated:
            return True
        current = current.__cause__ or current.__context__
    return False
