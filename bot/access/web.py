"""HTTP pieces shared by the partner channel and the console: who the client is, bearer
authentication with the failed-attempt limit, and JSON errors with safe headers."""

from __future__ import annotations

import asyncio
import os
from typing import Any

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.access.auth import Principal, authenticate, bearer_token
from bot.access.ratelimit import FailedAuthLimiter

SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Pragma": "no-cache",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
}


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None
                  ) -> HTTPResponse:
    return response.json(body, status=status, headers={**SECURITY_HEADERS, **(headers or {})})


def json_error(status: int, error: str, message: str,
               headers: dict[str, str] | None = None) -> HTTPResponse:
    """{"error": <stable code>, "message": <one human sentence>}; never a trace."""
    return json_response({"error": error, "message": message}, status, headers)


def trusted_proxies() -> int:
    """How many reverse proxies in front append to X-Forwarded-For (HRD_TRUSTED_PROXIES)."""
    try:
        return max(0, int(os.environ.get("HRD_TRUSTED_PROXIES", "0")))
    except ValueError:
        return 0


def client_address(request: Request) -> str:
    """The client's address: the socket peer, or with N trusted proxies the N-th address
    from the right of X-Forwarded-For (what a client writes further left is not trusted)."""
    proxies = trusted_proxies()
    peer = request.ip or "unknown"
    if proxies:
        forwarded = [a.strip() for a in request.headers.get("x-forwarded-for", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= proxies:
            return forwarded[-proxies][:64]
    return peer


def unauthorized() -> HTTPResponse:
    return json_error(401, "unauthorized", "A valid API token is required "
                      "(Authorization: Bearer <token>).",
                      {"WWW-Authenticate": 'Bearer realm="hrd"'})


def too_many_attempts(limiter: FailedAuthLimiter) -> HTTPResponse:
    return json_error(429, "too_many_attempts",
                      "Too many failed authentication attempts; try again later.",
                      {"Retry-After": str(limiter.window_seconds)})


async def authenticate_request(request: Request, limiter: FailedAuthLimiter
                               ) -> Principal | HTTPResponse:
    """The caller's Principal, or the response to send instead (401 or 429)."""
    client = client_address(request)
    if await limiter.blocked(client):
        return too_many_attempts(limiter)
    token = bearer_token(request.headers.get("authorization"))
    # The database is synchronous: keep it off the event loop.
    principal = await asyncio.to_thread(authenticate, token) if token else None
    if principal is None:
        await limiter.failed(client)
        return unauthorized()
    return principal
