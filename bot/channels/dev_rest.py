"""The local development chat channel: `POST /webhooks/rest/webhook`, body
{"sender", "message"}, replies as Rasa's REST channel does. Listed in credentials.dev.yml
only, and even there it answers only

- when HRD_ENV=development (else 404, as if it did not exist);
- to a client on this machine: the socket peer is a loopback address and no proxy header
  says the request came from elsewhere (a reverse proxy on the same host would otherwise
  make every remote client look local).

It authenticates nobody, so it trusts nothing from the client but the text: any `metadata`
(a forged {"hrd_auth": ...} would choose the organization and the user) and any
`input_channel` are dropped; the organization is HRD_DEV_PARTNER_ORG (actions/draft_state.py).
A conversation that a partner user owns (bot.access.senders) cannot be continued from here.
Nothing here logs a message or a sender id (Rasa's RestInput logs the text on a failure).
"""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.access.senders import sender_owner
from bot.access.web import json_error
from bot.channels.partner import PartnerInput, read_chat
from bot.config import is_development

# Set by reverse proxies: their presence means the loopback peer is only the last hop.
PROXY_HEADERS = ("forwarded", "x-forwarded-for", "x-real-ip", "x-forwarded-host")


def is_local(request: Request) -> bool:
    """Sent from this machine: a loopback socket peer, and no proxy in between."""
    try:
        local = ipaddress.ip_address(request.ip).is_loopback
    except ValueError:  # no peer address (a unix socket, a test harness)
        return False
    return local and not any(name in request.headers for name in PROXY_HEADERS)


async def local_development_only(request: Request) -> HTTPResponse | None:
    if not is_development():
        return json_error(404, "not_found", "Not found.")
    if not is_local(request):
        return json_error(403, "local_only",
                          "The development channel answers only on this machine.")
    return None


class DevRestInput(PartnerInput):
    """The partner channel's routes and body checks, with its authentication replaced by
    local_development_only. Registered in credentials.dev.yml as
    `bot.channels.dev_rest.DevRestInput:`."""

    @classmethod
    def name(cls) -> str:
        return "rest"  # the address Rasa's REST channel had: /webhooks/rest/webhook

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        webhook = super().blueprint(on_new_message)
        webhook.middleware("request")(local_development_only)
        return webhook

    async def _receive(
        self, request: Request, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> HTTPResponse:
        chat = await read_chat(request)  # reads "sender" and "message", nothing else
        if isinstance(chat, HTTPResponse):
            return chat
        if await asyncio.to_thread(sender_owner, chat.sender) is not None:
            return json_error(403, "sender_taken",
                              "This conversation id belongs to a partner user; choose another.")
        return await self.turn(chat, on_new_message, metadata=None)
