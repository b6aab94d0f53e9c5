"""The console's errors: API errors as {"error", "message"} JSON, page errors as an HTML
page; a 500 says nothing about its cause. And the safe headers on every response."""

from __future__ import annotations

import logging

from sanic.exceptions import SanicException
from sanic.handlers import ErrorHandler
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.access.web import HSTS, SECURITY_HEADERS, json_error, served_over_tls
from bot.console.auth.guards import is_page_path
from bot.console.i18n.catalog import N_
from bot.console.web.rendering import render

logger = logging.getLogger(__name__)

_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
          405: "method_not_allowed", 408: "request_timeout", 413: "body_too_large",
          414: "uri_too_long", 422: "unprocessable", 429: "too_many_attempts",
          503: "unavailable"}
# English in the JSON API; pages show them translated (N_ marks them for the catalog).
_MESSAGES = {404: N_("Not found."), 405: N_("Method not allowed."),
             413: N_("The body is too large."), 414: N_("The URL is too long.")}
_NOT_ACCEPTED = N_("The request was not accepted.")


class JsonErrorHandler(ErrorHandler):
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


async def security_headers(request: Request, response: HTTPResponse) -> None:
    """Response middleware: the safe headers, and HSTS when served over TLS."""
    for header, value in SECURITY_HEADERS.items():
        response.headers.setdefault(header, value)
    if served_over_tls(request):
        response.headers.setdefault("Strict-Transport-Security", HSTS)
