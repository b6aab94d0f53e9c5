"""Pieces shared by the messaging channels' webhooks: the route table of a channel that is
off, plain responses, constant-time secret comparison, and quiet platform client loggers."""

from __future__ import annotations

import hmac
import logging

from sanic import Blueprint, response
from sanic.response import HTTPResponse

# The platform SDKs log request bodies (message text, phone numbers) at DEBUG or INFO;
# whatever the server's log level, they stay at WARNING.
for _name in ("aiogram", "twilio", "twilio.http_client", "slack_sdk"):
    logging.getLogger(_name).setLevel(logging.WARNING)


def disabled_blueprint(name: str) -> Blueprint:
    """No routes: every request to the channel's prefix answers 404."""
    return Blueprint(f"hrd_{name}_off", __name__)


def secret_matches(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


def ok(text: str = "ok") -> HTTPResponse:
    return response.text(text, status=200)


def refused(status: int, text: str, headers: dict[str, str] | None = None) -> HTTPResponse:
    """401/403/429 before anything is read into a conversation; no detail that helps a
    forger."""
    return response.text(text, status=status, headers=headers)
