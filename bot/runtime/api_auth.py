"""RASA_API_TOKEN on Rasa's HTTP API, in a header as well as in the query string.

Rasa 3.6's `requires_auth` takes the token from `?token=` only (a plain
`Authorization: Bearer` is read as a JWT) and compares it with `==`. The contract keeps
`GET /conversations/<sender>/tracker?token=...` for operators; the project's own clients
send `Authorization: Bearer <token>`, which keeps the token out of URLs and access logs.
Both are compared in constant time. Installed by bot.runtime.rasa_server before Rasa
builds its routes (rasa.server.create_app looks the decorator up when it runs)."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from functools import wraps
from http import HTTPStatus
from inspect import isawaitable
from typing import Any

import rasa.server
from sanic import Sanic
from sanic.request import Request

BEARER = "bearer "


def presented_token(request: Request) -> str:
    header = request.headers.get("authorization", "")
    if header[: len(BEARER)].lower() == BEARER:
        return header[len(BEARER):].strip()
    return request.args.get("token", "") or ""


def token_matches(request: Request, token: str) -> bool:
    return hmac.compare_digest(presented_token(request).encode("utf-8", "replace"),
                               token.encode("utf-8"))


def requires_auth(app: Sanic, token: str | None = None) -> Callable[[Any], Any]:
    """The same signature as rasa.server.requires_auth; without a token nothing passes."""

    def decorator(handler: Any) -> Any:
        @wraps(handler)
        async def decorated(request: Request, *args: Any, **kwargs: Any) -> Any:
            if token is None or not token_matches(request, token):
                raise rasa.server.ErrorResponse(
                    HTTPStatus.UNAUTHORIZED, "NotAuthenticated", "User is not authenticated.")
            result = handler(request, *args, **kwargs)
            return await result if isawaitable(result) else result

        return decorated

    return decorator


def install() -> None:
    rasa.server.requires_auth = requires_auth  # type: ignore[assignment]
