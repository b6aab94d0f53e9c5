"""Sign-in, sign-out, the start page and the neutral quick-exit page."""

from __future__ import annotations

import asyncio
import hmac
import logging
import secrets

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.access.ratelimit import FailedAuthLimiter
from bot.access.sessions import cookie_name, end_session, start_session
from bot.access.signin import Outcome, check_sign_in
from bot.access.web import client_address
from bot.config import console_settings
from bot.console.auth.guards import FORM_EXPIRED, NEUTRAL_PATH, SIGNIN_PATH, SUPERVISOR_ROLES
from bot.console.i18n.catalog import N_
from bot.console.web.audit import audit
from bot.console.web.rendering import redirect, render

logger = logging.getLogger(__name__)

MAX_FIELD = 1024
TOO_MANY = N_("Too many failed attempts. Wait a few minutes and try again.")
WRONG = N_("The e-mail, password or code is not right.")


def _signin_cookie_name() -> str:
    return "__Host-hrd_signin" if console_settings().cookie_secure else "hrd_signin"


def _set_cookie(response: HTTPResponse, name: str, value: str) -> None:
    response.cookies[name] = value
    cookie = response.cookies[name]
    cookie["path"] = "/"
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    if console_settings().cookie_secure:
        cookie["secure"] = True


def _delete_cookie(response: HTTPResponse, name: str) -> None:
    _set_cookie(response, name, "")
    response.cookies[name]["max-age"] = 0


def home_for(role: str) -> str:
    return "/review/cases" if role in SUPERVISOR_ROLES else "/chat"


def auth_blueprint(signin_limiter: FailedAuthLimiter) -> Blueprint:
    pages = Blueprint("hrd_console_auth")

    def signin_form(request: Request, status: int = 200, error: str | None = None,
                    email: str = "") -> HTTPResponse:
        """`email`: what was typed, given back after a failure (never the password)."""
        # Before there is a session, the form's CSRF token is a double-submit cookie.
        token = secrets.token_urlsafe(32)
        page = render(request, "signin.html", status=status, signin_token=token, error=error,
                      email=email[:254])
        _set_cookie(page, _signin_cookie_name(), token)
        return page

    @pages.get("/")
    async def start(request: Request) -> HTTPResponse:
        signed_in = request.ctx.signed_in
        return redirect(home_for(signed_in.principal.role) if signed_in else SIGNIN_PATH)

    @pages.get(SIGNIN_PATH)
    async def signin_page(request: Request) -> HTTPResponse:
        if request.ctx.signed_in:
            return redirect(home_for(request.ctx.signed_in.principal.role))
        return signin_form(request)

    @pages.post(SIGNIN_PATH)
    async def signin(request: Request) -> HTTPResponse:
        form = request.form or {}
        given = form.get("csrf_token") or ""
        expected = request.cookies.get(_signin_cookie_name()) or ""
        if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
            return render(request, "error.html", status=403, title=N_("Forbidden"),
                          message=FORM_EXPIRED)
        email = (form.get("email") or "").strip().lower()[:MAX_FIELD]
        password = (form.get("password") or "")[:MAX_FIELD]
        code = (form.get("code") or "")[:32]
        keys = ("signin-account:" + email, "signin-client:" + client_address(request))
        # Counted before anything is verified, so that simultaneous guesses cannot all pass
        # a check made before the first failure is recorded (bot.access.ratelimit).
        allowed = [await signin_limiter.attempt(key) for key in keys]
        if not all(allowed):
            return signin_form(request, 429, TOO_MANY, email)
        async with signin_limiter.serialized(keys[0]):  # one verification per account
            result = await asyncio.to_thread(check_sign_in, email, password, code)
        if result.outcome is not Outcome.OK or result.user_id is None:
            if result.outcome is Outcome.TOTP_NOT_ENROLLED:
                # The operator's hint; the browser gets the same answer as a wrong password.
                logger.info("console: user %s has no one-time codes (hrd users totp)",
                            result.user_id)
            logger.info("console: failed sign-in")
            return signin_form(request, 401, WRONG, email)
        for key in keys:
            await signin_limiter.succeeded(key)
        session_id = await asyncio.to_thread(start_session, result.user_id)
        await asyncio.to_thread(audit, f"user:{result.user_id}", "signed_in")
        page = redirect(home_for(result.role or "partner"))
        _set_cookie(page, cookie_name(), session_id)
        _delete_cookie(page, _signin_cookie_name())
        return page

    @pages.post("/signout")
    async def signout(request: Request) -> HTTPResponse:
        signed_in = request.ctx.signed_in
        await asyncio.to_thread(end_session, request.cookies.get(cookie_name()))
        if signed_in:
            await asyncio.to_thread(audit, signed_in.principal.actor, "signed_out")
        page = redirect(SIGNIN_PATH)
        _delete_cookie(page, cookie_name())
        return page

    @pages.get("/favicon.ico")
    async def favicon(request: Request) -> HTTPResponse:
        return response.empty()  # no icon, and no 404 in every page's console

    @pages.get(NEUTRAL_PATH)
    async def neutral(request: Request) -> HTTPResponse:
        # The quick exit lands here: nothing on it points back to the console.
        return render(request, "weather.html", neutral=True)

    return pages
