"""The console's own settings, read from the environment on each call (tests point a
process at its own values). See README "Settings"."""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlsplit

DEFAULT_RASA_PUBLIC_URL = "http://localhost:5005"
DEFAULT_CONSOLE_PUBLIC_URL = "http://localhost:8080"


@dataclass(frozen=True)
class ConsoleSettings:
    cookie_secure: bool
    rasa_public_url: str  # an origin: scheme://host[:port], no path
    session_idle_seconds: int
    session_absolute_seconds: int
    socket_token_seconds: int
    signin_max_failures: int
    signin_window_seconds: int


def _int(name: str, default: int, minimum: int = 1) -> int:
    try:
        return max(minimum, int(os.environ.get(name, default)))
    except ValueError:
        return default


def origin_of(url: str) -> str:
    """scheme://host[:port] of an http(s) URL; a bad value is a startup error, not a CSP hole."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http:// or https:// URL: {url!r}")
    if any(c in parts.netloc for c in " ;,'\""):
        raise ValueError(f"characters not allowed in an origin: {url!r}")
    netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
    return f"{parts.scheme}://{netloc}"


def console_public_origin() -> str:
    """Where browsers load the console from (HRD_CONSOLE_PUBLIC_URL): the one origin the
    Rasa server's widget channel accepts socket.io requests from."""
    return origin_of(os.environ.get("HRD_CONSOLE_PUBLIC_URL") or DEFAULT_CONSOLE_PUBLIC_URL)


def console_settings() -> ConsoleSettings:
    return ConsoleSettings(
        # Only `HRD_COOKIE_SECURE=0` relaxes it (http://127.0.0.1 in tests).
        cookie_secure=os.environ.get("HRD_COOKIE_SECURE", "1") != "0",
        rasa_public_url=origin_of(os.environ.get("HRD_RASA_PUBLIC_URL")
                                  or DEFAULT_RASA_PUBLIC_URL),
        session_idle_seconds=_int("HRD_SESSION_IDLE_MINUTES", 30) * 60,
        session_absolute_seconds=_int("HRD_SESSION_MAX_HOURS", 12) * 3600,
        socket_token_seconds=_int("HRD_SOCKET_TOKEN_SECONDS", 120),
        signin_max_failures=_int("HRD_SIGNIN_MAX_FAILURES", 5),
        signin_window_seconds=_int("HRD_SIGNIN_WINDOW_SECONDS", 900),
    )
