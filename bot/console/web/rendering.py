"""HTML responses: Jinja2 with autoescaping on every template, in the request's language
(bot.console.i18n.language) with its labels and Babel formats, the console's
Content-Security-Policy, and the safe headers of bot.access.web."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.access.web import SECURITY_HEADERS
from bot.config import console_settings
from bot.console.i18n.catalog import LANGUAGES, install_translations, translator
from bot.console.i18n.formats import install_filters
from bot.console.i18n.labels import answer_text, code_label
from bot.console.i18n.language import MAX_NEXT, request_language
from bot.console.partner.widget_texts import widget_texts
from bot.console.review.names import template_names

CONSOLE = Path(__file__).resolve().parents[1]
# Each feature keeps its templates beside its blueprint; the shared layout and macros are
# here in web/templates. Template names are unique across the folders.
FEATURES = ("web", "auth", "partner", "review", "dashboard")
TEMPLATE_DIRS = tuple(CONSOLE / feature / "templates" for feature in FEATURES)


def _environment(language: str) -> Environment:
    """One environment per language: `{% trans %}` and `ngettext()` read its catalog."""
    env = Environment(
        loader=FileSystemLoader([str(d) for d in TEMPLATE_DIRS]),
        # Everything is escaped, whatever the file name: transcripts hold text typed by anyone.
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    install_filters(env)
    install_translations(env, language)
    return env


_envs = {language: _environment(language) for language in LANGUAGES}


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


def _here(request: Request) -> str:
    """This page's path and query: where the language switch comes back to (a page shown
    after a POST, e.g. an error, has no address of its own to come back to)."""
    if request.method != "GET":
        return "/"
    here = request.path + (f"?{request.query_string}" if request.query_string else "")
    return here if len(here) <= MAX_NEXT else request.path


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTTPResponse:
    signed_in = getattr(request.ctx, "signed_in", None)
    language = request_language(request)
    gettext = translator(language)
    html = _envs[language].get_template(template).render(
        _=gettext,
        language=language,
        label=lambda kind, code: code_label(kind, code, language),
        options=lambda kind, codes: [(c, code_label(kind, c, language)) for c in codes],
        slot_label=lambda slot: code_label("slot", slot, language),
        answer=lambda slot, value: answer_text(slot, value, gettext, language),
        widget_texts=widget_texts(gettext) if signed_in else {},
        user=signed_in.principal if signed_in else None,
        csrf_token=signed_in.csrf_token if signed_in else "",
        path=request.path,
        here=_here(request),
        **template_names(language),
        **context,
    )
    return response.html(html, status=status, headers=page_headers())


def redirect(location: str, headers: dict[str, str] | None = None) -> HTTPResponse:
    """303: after a POST the browser GETs the next page (no resubmission on reload)."""
    return response.redirect(location, status=303, headers={**page_headers(), **(headers or {})})
