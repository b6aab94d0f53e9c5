"""HTTP pieces shared by the partner channel and the console: who the client is, bearer
authentication with the failed-attempt limit and the read-only scope, and JSON errors with
safe headers."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.access.auth import Principal, authenticate, bearer_token
from bot.access.ratelimit import FailedAuthLimiter
from bot.config import current

logger = logging.getLogger(__name__)

SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Pragma": "no-cache",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    # No powerful feature for any page or frame, and no window shared with another origin.
    "Permissions-Policy": "accelerometer=(), camera=(), geolocation=(), gyroscope=(), "
                          "magnetometer=(), microphone=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
# Only over TLS (RFC 6797 ignores it on http): the browser then never tries http again.
HSTS = "max-age=31536000; includeSubDomains"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
_warned_about_proxy = False


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None
                  ) -> HTTPResponse:
    return response.json(body, status=status, headers={**SECURITY_HEADERS, **(headers or {})})


def json_error(status: int, error: str, message: str,
               headers: dict[str, str] | None = None) -> HTTPResponse:
    """{"error": <stable code>, "message": <one human sentence>}; never a trace."""
    return json_response({"error": error, "message": message}, status, headers)


def trusted_proxies() -> int:
    """How many reverse proxies in front append to X-Forwarded-For (HRD_TRUSTED_PROXIES)."""
    return current().trusted_proxies


def _forwarded(request: Request, header: str) -> list[str]:
    return [a for a in (v.strip() for v in request.headers.get(header, "").split(",")) if a]


def client_address(request: Request) -> str:
    """The client's address: the socket peer, or with N trusted proxies the N-th address
    from the right of X-Forwarded-For (what a client writes further left is not trusted)."""
    proxies = trusted_proxies()
    peer = request.ip or "unknown"
    if proxies:
        forwarded = _forwarded(request, "x-forwarded-for")
        if len(forwarded) >= proxies:
            return forwarded[-proxies][:64]
    warn_if_behind_undeclared_proxy(request)
    return peer


def warn_if_behind_undeclared_proxy(request: Request) -> None:
    """Once per process: behind a proxy that is not declared, every client has the proxy's
    address, so one client's failed attempts lock every other client out."""
    global _warned_about_proxy
    if (not _warned_about_proxy and "x-forwarded-for" in request.headers
            and not trusted_proxies()):
        _warned_about_proxy = True
        logger.warning(
            "requests carry X-Forwarded-For but HRD_TRUSTED_PROXIES=0: every client behind "
            "the proxy shares its address and one failed-attempt limit. Behind one reverse "
            "proxy that appends the client's address, set HRD_TRUSTED_PROXIES=1 (README: "
            "Behind a reverse proxy).")


def served_over_tls(request: Request) -> bool:
    """True for a TLS connection, or behind trusted proxies when X-Forwarded-Proto says
    https (the value the N-th proxy from here set; a client's own value is not trusted)."""
    if request.transport is not None and request.transport.get_extra_info("sslcontext"):
        return True
    proxies = trusted_proxies()
    if not proxies:
        return False
    schemes = _forwarded(request, "x-forwarded-proto")
    if not schemes:
        return False
    return schemes[-min(proxies, len(schemes))].lower() == "https"


def unauthorized() -> HTTPResponse:
    return json_error(401, "unauthorized", "A valid API token is required "
                      "(Authorization: Bearer <token>).",
                      {"WWW-Authenticate": 'Bearer realm="hrd"'})


def too_many_attempts(limiter: FailedAuthLimiter) -> HTTPResponse:
    return json_error(429, "too_many_attempts",
                      "Too many failed authentication attempts; try again later.",
                      {"Retry-After": str(limiter.window_seconds)})


def read_only_token() -> HTTPResponse:
    return json_error(403, "forbidden", "This API token can only read (GET).")


async def authenticate_request(request: Request, limiter: FailedAuthLimiter
                               ) -> Principal | HTTPResponse:
    """The caller's Principal, or the response to send instead (401, 403 or 429).

    Checked, then counted after a failure (not counted before): a 256-bit token cannot be
    guessed, and counting requests in flight would refuse a client's parallel calls (see
    bot.access.ratelimit; the console's sign-in counts first)."""
    client = client_address(request)
    if await limiter.blocked(client):
        return too_many_attempts(limiter)
    token = bearer_token(request.headers.get("authorization"))
    # The database is synchronous: keep it off the event loop.
    principal = await asyncio.to_thread(authenticate, token) if token else None
    if principal is None:
        await limiter.failed(client)
        return unauthorized()
    if principal.read_only and request.method not in SAFE_METHODS:
        return read_only_token()
    return principal
