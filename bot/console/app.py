"""The console's Sanic app: the case API, its OpenAPI document, JSON errors, safe headers;
and the pages (sign-in, the partner chat widget, partner and supervisor pages) with their
sessions, CSRF checks and Content-Security-Policy."""

from __future__ import annotations

import logging
from pathlib import Path

from sanic import Sanic
from sanic.exceptions import SanicException
from sanic.handlers import ErrorHandler
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.access.ratelimit import FailedAuthLimiter
from bot.access.web import (
    HSTS,
    SAFE_METHODS,
    SECURITY_HEADERS,
    authenticate_request,
    json_error,
    json_response,
    served_over_tls,
    warn_if_behind_undeclared_proxy,
)
from bot.config import console_settings
from bot.console.api.cases import cases_blueprint
from bot.console.api.openapi import openapi_document
from bot.console.auth.guards import attach_session, is_page_path
from bot.console.auth.pages import auth_blueprint
from bot.console.i18n.catalog import N_
from bot.console.i18n.pages import language_blueprint
from bot.console.partner.pages import partner_blueprint
from bot.console.review.pages import review_blueprint
from bot.console.web.rendering import render

STATIC = Path(__file__).with_name("static")

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 16 * 1024  # the API reads no bodies; the pages' forms are small
_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
          405: "method_not_allowed", 408: "request_timeout", 413: "body_too_large",
          414: "uri_too_long", 422: "unprocessable", 429: "too_many_attempts",
          503: "unavailable"}
# English in the JSON API; pages show them translated (N_ marks them for the catalog).
_MESSAGES = {404: N_("Not found."), 405: N_("Method not allowed."),
             413: N_("The body is too large."), 414: N_("The URL is too long.")}
_NOT_ACCEPTED = N_("The request was not accepted.")


class JsonErrorHandler(ErrorHandler):
    """API errors as {"error", "message"}, page errors as an HTML page; a 500 says nothing
    about its cause."""

    def default(self, request: Request, exception: Exception) -> HTTPResponse:
        status = exception.status_code if isinstance(exception, SanicException) else 500
        if status >= 500:
            logger.error("console: unexpected %s", type(exception).__name__)
            if request is not None and is_page_path(request.path):
                request.ctx.signed_in = None
                return render(request, "error.html", status=500, title=N_("Error"),
                              message=N_("Something went wrong on our side."))
            return json_error(500, "internal_error", "Internal error.")
        headers = dict(getattr(exception, "headers", None) or {})
        # 413/414 come before routing (the path may not be the real one): JSON, as for the API.
        if request is not None and status not in (413, 414) and is_page_path(request.path):
            if not hasattr(request.ctx, "signed_in"):
                request.ctx.signed_in = None
            return render(request, "error.html", status=status, title=N_("Error"),
                          message=_MESSAGES.get(status, _NOT_ACCEPTED))
        return json_error(status, _CODES.get(status, "error"),
                          _MESSAGES.get(status, _NOT_ACCEPTED), headers)


def create_app(name: str = "hrd_console", limiter: FailedAuthLimiter | None = None) -> Sanic:
    app = Sanic(name, error_handler=JsonErrorHandler())
    app.config.REQUEST_MAX_SIZE = MAX_BODY_BYTES
    app.config.FALLBACK_ERROR_FORMAT = "json"
    limiter = limiter or FailedAuthLimiter()
    app.ctx.limiter = limiter
    app.blueprint(cases_blueprint(limiter))

    conf = console_settings()  # a bad HRD_RASA_PUBLIC_URL stops the console here
    signin_limiter = FailedAuthLimiter(max_failures=conf.signin_max_failures,
                                       window_seconds=conf.signin_window_seconds)
    app.ctx.signin_limiter = signin_limiter
    app.register_middleware(attach_session, "request")
    app.blueprint(auth_blueprint(signin_limiter))
    app.blueprint(language_blueprint())
    app.blueprint(partner_blueprint())
    app.blueprint(review_blueprint())
    app.static("/static", str(STATIC), name="console_static")

    document = openapi_document()

    @app.get("/api/openapi.json")
    async def openapi(request: Request) -> HTTPResponse:
        return json_response(document)

    @app.on_request
    async def proxy_hint_and_api_writes(request: Request) -> HTTPResponse | None:
        """The case API has no write route, and a read-only (supervisor or admin) token
        must hear so plainly: any other method with a token is authenticated, and a
        read-only one answers 403 (a bad token 401; a partner's token, or none, 405)."""
        warn_if_behind_undeclared_proxy(request)
        if (request.path.startswith("/api/") and request.method not in SAFE_METHODS
                and "authorization" in request.headers):
            refused = await authenticate_request(request, limiter)
            if isinstance(refused, HTTPResponse):
                return refused
        return None

    @app.on_response
    async def security_headers(request: Request, response: HTTPResponse) -> None:
        for header, value in SECURITY_HEADERS.items():
            response.headers.setdefault(header, value)
        if served_over_tls(request):
            response.headers.setdefault("Strict-Transport-Security", HSTS)

    return app
