"""The console's chat widget channel: Rasa's socket.io channel, where only a token signed
by the console (bot.access.widget_tokens) opens a socket, and the conversation is the one
the token names.

Registered in credentials.yml as `bot.channels.widget.WidgetInput:` with
`session_persistence: true`. The HS256 key comes from HRD_SOCKET_JWT_KEY or the key file
in HRD_DATA_DIR (bot.access.socket_key), the same the console signs with; a `jwt_key` in
the credentials overrides it.

Differences from rasa.core.channels.socketio.SocketIOInput, each on purpose:
- no token, a bad or an expired one: the connection is refused;
- the sender id is the token's; a session_request or message naming another is refused
  and the socket closed; the sender is claimed for the token's user (claim_sender);
- metadata is {"hrd_auth": {...}} from the token; what the client sends is dropped;
- the socket always joins its sender's room (persistence), awaiting enter_room (a
  coroutine in python-socketio 5.x, which the stock channel calls without await);
- socket.io requests are accepted only from the console's origin (HRD_CONSOLE_PUBLIC_URL),
  with CORS for it: the widget uses HTTP long-polling, since websocket frames from
  engineio on this Sanic version do not reach browsers intact ("Invalid frame header");
- typed text has its leading slashes neutralized (plain_command), so "/restart" or
  '/inform{"language": "fr"}' is text, not an intent; a button press is sent as
  {"message": <title>, "choice": <index>} and mapped here to the payload of that button of
  the last bot message, so only a payload the bot offered reaches Rasa as is.
Nothing here logs a message, a sender id or a token.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from bot.access.socket_key import socket_jwt_key
from bot.access.widget_tokens import WidgetClaims, holder_may_chat, verify_token
from bot.channels.choices import chosen_payload, offered_buttons
from bot.channels.partner import AUTH_METADATA_KEY
from bot.channels.requests import MAX_MESSAGE_CHARS, control_free, utf8_clean
from bot.channels.text import plain_command
from bot.channels.turn_failure import failure_text
from bot.channels.widget_output import WidgetOutput
from bot.config import console_public_origin

logger = logging.getLogger(__name__)

ERROR_EVENT = "hrd_error"  # {"code": ...}: the widget shows a message for each code


def auth_metadata(claims: WidgetClaims) -> dict[str, Any]:
    return {AUTH_METADATA_KEY: {"partner_org": claims.partner_org, "user_id": claims.user_id,
                                "role": claims.role, "language": claims.language}}


def valid_text(text: Any) -> bool:
    return (isinstance(text, str) and bool(text.strip()) and len(text) <= MAX_MESSAGE_CHARS
            and utf8_clean(text) and control_free(text, allowed="\t\n\r"))


class WidgetInput(SocketIOInput):
    @classmethod
    def name(cls) -> str:
        return "widget"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        return cls(
            credentials.get("user_message_evt", "user_uttered"),
            credentials.get("bot_message_evt", "bot_uttered"),
            credentials.get("namespace"),
            True,  # session persistence: the conversation outlives a socket
            credentials.get("socketio_path", "/socket.io"),
            credentials.get("jwt_key") or None,
            "HS256",
            credentials.get("metadata_key", "metadata"),
        )

    def _key(self) -> str:
        return self.jwt_key or socket_jwt_key()

    async def user_text(self, sender_id: str, data: dict[str, Any], text: str) -> str:
        """The payload of the button the user chose, if the bot offered it; else the typed
        text, neutralized."""
        if "choice" in data:
            agent = getattr(getattr(self._app, "ctx", None), "agent", None)
            buttons = await offered_buttons(agent, sender_id)
            payload = chosen_payload(buttons, data.get("choice"), text)
            if payload is not None:
                return payload
        return plain_command(text)

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=[console_public_origin()])
        webhook = SocketBlueprint(sio, self.socketio_path, "hrd_widget_webhook", __name__)
        self.sio = sio
        self._app: Any = None  # the server's Sanic app, whose ctx holds the Rasa agent
        namespace = self.namespace

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        async def refuse(sid: str, code: str) -> None:
            await sio.emit(ERROR_EVENT, {"code": code}, room=sid, namespace=namespace)
            await sio.disconnect(sid, namespace=namespace)

        async def claims_of(sid: str) -> WidgetClaims | None:
            try:
                session = await sio.get_session(sid, namespace=namespace)
            except KeyError:
                return None
            claims = session.get("claims")
            return claims if isinstance(claims, WidgetClaims) else None

        @sio.on("connect", namespace=namespace)
        async def connect(sid: str, environ: dict, auth: Any = None) -> bool:
            token = auth.get("token") if isinstance(auth, dict) else None
            claims = verify_token(token, self._key())
            if claims is None or not await asyncio.to_thread(holder_may_chat, claims):
                logger.info("widget: refused a socket without a valid token")
                return False
            await sio.save_session(sid, {"claims": claims}, namespace=namespace)
            request = environ.get("sanic.request")
            self._app = getattr(request, "app", None) or self._app
            return True

        # An event may come with no argument or several (a raw client): no data is
        # refused as any other malformed payload, and the extra arguments are ignored.
        @sio.on("session_request", namespace=namespace)
        async def session_request(sid: str, data: Any = None, *_: Any) -> None:
            claims = await claims_of(sid)
            if claims is None:
                await sio.disconnect(sid, namespace=namespace)
                return
            asked = data.get("session_id") if isinstance(data, dict) else None
            if asked not in (None, "", claims.sender_id):
                await refuse(sid, "sender_mismatch")
                return
            await sio.enter_room(sid, claims.sender_id, namespace=namespace)
            await sio.emit("session_confirm", claims.sender_id, room=sid, namespace=namespace)

        @sio.on(self.user_message_evt, namespace=namespace)
        async def handle_message(sid: str, data: Any = None, *_: Any) -> None:
            claims = await claims_of(sid)
            if claims is None:
                await sio.disconnect(sid, namespace=namespace)
                return
            if not isinstance(data, dict):
                await sio.emit(ERROR_EVENT, {"code": "invalid_message"}, room=sid,
                               namespace=namespace)
                return
            if data.get("session_id") not in (None, "", claims.sender_id):
                await refuse(sid, "sender_mismatch")
                return
            text = data.get("message")
            if not valid_text(text):
                await sio.emit(ERROR_EVENT, {"code": "invalid_message"}, room=sid,
                               namespace=namespace)
                return
            if not await asyncio.to_thread(holder_may_chat, claims):
                await refuse(sid, "unauthorized")
                return
            text = await self.user_text(claims.sender_id, data, text)
            if not text:
                await sio.emit(ERROR_EVENT, {"code": "invalid_message"}, room=sid,
                               namespace=namespace)
                return
            output = WidgetOutput(sio, self.bot_message_evt)
            metadata = auth_metadata(claims)  # never the client's metadata
            try:
                await on_new_message(UserMessage(text, output, claims.sender_id,
                                                 input_channel=self.name(), metadata=metadata))
            except Exception as error:  # issue 20: a reply, never silence (the draft is kept)
                logger.error("widget: turn failed (%s)", type(error).__name__)
                await output.send_text_message(claims.sender_id, failure_text(text, metadata))

        return webhook
