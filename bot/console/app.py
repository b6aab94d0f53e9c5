"""The console's Sanic app: the case API, its OpenAPI document, JSON errors, safe headers."""

from __future__ import annotations

import logging

from sanic import Sanic
from sanic.exceptions import SanicException
from sanic.handlers import ErrorHandler
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.access.ratelimit import FailedAuthLimiter
from bot.access.web import SECURITY_HEADERS, json_error, json_response
from bot.console.cases_api import cases_blueprint
from bot.console.openapi import openapi_document

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 16 * 1024  # the API reads no bodies; the pages' forms are small
_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
          405: "method_not_allowed", 408: "request_timeout", 413: "body_too_large",
          414: "uri_too_long", 422: "unprocessable", 429: "too_many_attempts",
          503: "unavailable"}
_MESSAGES = {404: "Not found.", 405: "Method not allowed.", 413: "The body is too large.",
             414: "The URL is too long."}


class JsonErrorHandler(ErrorHandler):
    """Every error as {"error", "message"}; a 500 says nothing about its cause."""

    def default(self, request: Request, exception: Exception) -> HTTPResponse:
        status = exception.status_code if isinstance(exception, SanicException) else 500
        if status >= 500:
            logger.error("console: unexpected %s", type(exception).__name__)
            return json_error(500, "internal_error", "Internal error.")
        headers = dict(getattr(exception, "headers", None) or {})
        return json_error(status, _CODES.get(status, "error"),
                          _MESSAGES.get(status, "The request was not accepted."), headers)


def create_app(name: str = "hrd_console", limiter: FailedAuthLimiter | None = None) -> Sanic:
    app = Sanic(name, error_handler=JsonErrorHandler())
    app.config.REQUEST_MAX_SIZE = MAX_BODY_BYTES
    app.config.FALLBACK_ERROR_FORMAT = "json"
    limiter = limiter or FailedAuthLimiter()
    app.ctx.limiter = limiter
    app.blueprint(cases_blueprint(limiter))

    document = openapi_document()

    @app.get("/api/openapi.json")
    async def openapi(request: Request) -> HTTPResponse:
        return json_response(document)

    @app.on_response
    async def security_headers(request: Request, response: HTTPResponse) -> None:
        for header, value in SECURITY_HEADERS.items():
            response.headers.setdefault(header, value)

    return app
