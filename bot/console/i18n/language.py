"""Which language a console page is in: the signed-in user's stored preference; else (signed
out, or never chosen) the `hrd_lang` cookie the language switch sets; else the browser's
Accept-Language (fr* -> French); else English."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from sanic.request import Request
from sanic.response import HTTPResponse

from bot.config import console_settings
from bot.console.i18n.catalog import DEFAULT_LANGUAGE, LANGUAGES

LANGUAGE_COOKIE = "hrd_lang"  # not a secret: a plain preference, also used signed out
COOKIE_MAX_AGE = 365 * 24 * 3600
MAX_ACCEPT_LANGUAGE = 512
MAX_NEXT = 1024
# One Accept-Language item: a tag ("fr-CA"; its primary subtag is group 1) and its q.
_TAG = re.compile(r"\s*([A-Za-z]{1,8})(?:[-_][A-Za-z0-9]{1,8})*\s*"
                  r"(?:;\s*q\s*=\s*([0-9.]{1,5}))?\s*")


def accepted_language(header: str | None) -> str | None:
    """The supported language the browser prefers most ("fr-CA,fr;q=0.9,en;q=0.8" -> "fr"),
    or None when it names none of them."""
    best: tuple[float, int, str] | None = None
    for position, part in enumerate((header or "")[:MAX_ACCEPT_LANGUAGE].split(",")):
        found = _TAG.fullmatch(part)
        if not found:
            continue
        primary = found.group(1).lower()
        try:
            quality = float(found.group(2)) if found.group(2) else 1.0
        except ValueError:
            continue
        if primary in LANGUAGES and quality > 0:
            candidate = (-quality, position, primary)
            best = candidate if best is None else min(best, candidate)
    return best[2] if best else None


def request_language(request: Request) -> str:
    signed_in = getattr(request.ctx, "signed_in", None)
    stored = signed_in.principal.language if signed_in else None
    if stored in LANGUAGES:
        return str(stored)
    cookie = request.cookies.get(LANGUAGE_COOKIE)
    if cookie in LANGUAGES:
        return str(cookie)
    return accepted_language(request.headers.get("accept-language")) or DEFAULT_LANGUAGE


def set_language_cookie(response: HTTPResponse, language: str) -> None:
    response.cookies[LANGUAGE_COOKIE] = language
    cookie = response.cookies[LANGUAGE_COOKIE]
    cookie["path"] = "/"
    cookie["max-age"] = COOKIE_MAX_AGE
    cookie["httponly"] = True
    cookie["samesite"] = "Lax"  # a preference: the first page after a link may use it too
    if console_settings().cookie_secure:
        cookie["secure"] = True


def local_path(target: str | None, default: str = "/") -> str:
    """`target` if it is a path on this console ("/review/cases?status=declined"), else
    `default`: the switch never redirects to another site ("//evil.example", "https://...",
    "/\\evil.example")."""
    if not target or len(target) > MAX_NEXT or not target.startswith("/"):
        return default
    if target.startswith(("//", "/\\")) or any(ord(c) < 0x21 or c == "\\" for c in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target
