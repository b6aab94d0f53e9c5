"""The language switch (English | Français in every page's header): a POST that keeps the
choice on the signed-in user (every session and device after it) and in a cookie (pages
before sign-in), then goes back to the page it came from."""

from __future__ import annotations

import asyncio

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.access.accounts import set_language_by_id
from bot.console.auth.guards import LANGUAGE_PATH
from bot.console.i18n.catalog import LANGUAGES, N_
from bot.console.i18n.language import local_path, set_language_cookie
from bot.console.web.audit import audit
from bot.console.web.rendering import redirect, render


def language_blueprint() -> Blueprint:
    pages = Blueprint("hrd_console_language")

    @pages.post(LANGUAGE_PATH)
    async def switch(request: Request) -> HTTPResponse:
        # Signed in, the middleware has checked the session's CSRF token; signed out, this
        # sets nothing but the cookie (and cross-site requests are refused there too).
        form = request.form or {}
        language = form.get("language") or ""
        if language not in LANGUAGES:
            return render(request, "error.html", status=400, title=N_("Bad request"),
                          message=N_("Choose English or French."))
        signed_in = request.ctx.signed_in
        if signed_in is not None:
            await asyncio.to_thread(set_language_by_id, signed_in.principal.user_id, language)
            await asyncio.to_thread(audit, signed_in.principal.actor, "language_set", None,
                                    {"language": language})
        page = redirect(local_path(form.get("next")))
        set_language_cookie(page, language)
        return page

    return pages
