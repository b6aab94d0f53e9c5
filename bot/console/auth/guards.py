"""Who is signed in to the console pages, and the checks every page makes: a live
session, the right role, and on every POST the session's CSRF token."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable
from typing import Concatenate, ParamSpec

from sanic.request import Request
from sanic.response import HTTPResponse

from bot.access.auth import Principal
from bot.access.models import ELEVATED_ROLES
from bot.access.sessions import SignedIn, cookie_name, csrf_matches, load_session
from bot.console.i18n.catalog import N_
from bot.console.web.rendering import redirect, render

SUPERVISOR_ROLES = ELEVATED_ROLES
# Paths without a console session: the JSON API has its own bearer tokens, static files
# are public, the sign-in form carries its own pre-session CSRF cookie, and the neutral
# quick-exit page must work for anyone.
_NO_SESSION_PREFIXES = ("/api/", "/static/")
SIGNIN_PATH = "/signin"
NEUTRAL_PATH = "/weather"
LANGUAGE_PATH = "/language"  # the language switch (bot/console/i18n/pages.py)
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
FORM_EXPIRED = N_("This form has expired or did not come from this console. Go back, reload "
                  "the page and try again.")


def is_page_path(path: str) -> bool:
    return not path.startswith(_NO_SESSION_PREFIXES)


async def attach_session(request: Request) -> HTTPResponse | None:
    """Request middleware: sets request.ctx.signed_in and refuses a cross-site POST."""
    request.ctx.signed_in = None
    if not is_page_path(request.path):
        return None
    session_id = request.cookies.get(cookie_name())
    signed_in: SignedIn | None = (
        await asyncio.to_thread(load_session, session_id) if session_id else None)
    request.ctx.signed_in = signed_in
    if request.method == "POST" and request.path != SIGNIN_PATH:
        if request.path == LANGUAGE_PATH and signed_in is None:
            # Signed out, the switch only sets the language cookie: no session, no token;
            # a browser's cross-site POST is still refused.
            if request.headers.get("sec-fetch-site") != "cross-site":
                return None
            return _csrf_refused(request)
        given = request.headers.get(CSRF_HEADER)
        if given is None and request.form:
            given = request.form.get(CSRF_FIELD)
        if signed_in is None or not csrf_matches(signed_in.csrf_token, given):
            return _csrf_refused(request)
    return None


def _csrf_refused(request: Request) -> HTTPResponse:
    return render(request, "error.html", status=403, title=N_("Forbidden"),
                  message=FORM_EXPIRED)


P = ParamSpec("P")
Page = Callable[Concatenate[Request, Principal, P], Awaitable[HTTPResponse]]
Route = Callable[Concatenate[Request, P], Awaitable[HTTPResponse]]


def requires(*roles: str, refusal: Callable[[Request], HTTPResponse] | None = None
             ) -> Callable[[Page[P]], Route[P]]:
    """A page for signed-in users whose role is one of `roles` (any role if none): the
    handler gets the principal after the request (also on request.ctx.principal). Anyone
    else gets the sign-in page (not signed in) or a 403 page (wrong role), or `refusal`'s
    answer for both if it is given (a JSON route's)."""

    def decorate(handler: Page[P]) -> Route[P]:
        @functools.wraps(handler)
        async def guarded(request: Request, *args: P.args, **kwargs: P.kwargs) -> HTTPResponse:
            signed_in: SignedIn | None = request.ctx.signed_in
            if signed_in is None or (roles and signed_in.principal.role not in roles):
                if refusal is not None:
                    return refusal(request)
                return redirect(SIGNIN_PATH) if signed_in is None else forbidden(request)
            request.ctx.principal = signed_in.principal
            return await handler(request, signed_in.principal, *args, **kwargs)

        return guarded

    return decorate


def supervisor_page(handler: Page[P]) -> Route[P]:
    """`requires` supervisors and admins."""
    return requires(*SUPERVISOR_ROLES)(handler)


def forbidden(request: Request) -> HTTPResponse:
    return render(request, "error.html", status=403, title=N_("Forbidden"),
                  message=N_("Your account cannot open this page."))


def not_found(request: Request) -> HTTPResponse:
    return render(request, "error.html", status=404, title=N_("Not found"),
                  message=N_("There is no such page or case."))
