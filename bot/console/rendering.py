"""HTML responses: Jinja2 with autoescaping on every template, the console's
Content-Security-Policy, and the safe headers of bot.access.web."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.access.web import SECURITY_HEADERS
from bot.console.i18n import DEFAULT_LANGUAGE, translator
from bot.console.settings import console_settings

TEMPLATES = Path(__file__).with_name("templates")

_env = Environment(
    loader=FileSystemLoader(str(TEMPLATES)),
    # Everything is escaped, whatever the file name: transcripts hold text typed by anyone.
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def page_csp() -> str:
    """Only this console's own files; the one other origin is the Rasa server's socket.io
    endpoint (HRD_RASA_PUBLIC_URL), for the widget."""
    conf = console_settings()
    return "; ".join([
        "default-src 'self'",
        f"connect-src 'self' {conf.rasa_public_url}",
        "img-src 'self'",
        "style-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def page_headers() -> dict[str, str]:
    return {**SECURITY_HEADERS, "Content-Security-Policy": page_csp()}


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTTPResponse:
    signed_in = getattr(request.ctx, "signed_in", None)
    language = DEFAULT_LANGUAGE
    html = _env.get_template(template).render(
        _=translator(language),
        language=language,
        user=signed_in.principal if signed_in else None,
        csrf_token=signed_in.csrf_token if signed_in else "",
        path=request.path,
        **context,
    )
    return response.html(html, status=status, headers=page_headers())


def redirect(location: str, headers: dict[str, str] | None = None) -> HTTPResponse:
    """303: after a POST the browser GETs the next page (no resubmission on reload)."""
    return response.redirect(location, status=303, headers={**page_headers(), **(headers or {})})
