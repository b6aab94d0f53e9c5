"""The case API's routes: `GET /api/cases/<reference>`, `GET /api/cases` and the OpenAPI
document, all JSON; and the refusal of any write (the API has none)."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable
from typing import ParamSpec

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.access.auth import Principal
from bot.access.ratelimit import FailedAuthLimiter
from bot.access.web import (
    SAFE_METHODS,
    authenticate_request,
    json_error,
    json_response,
    warn_if_behind_undeclared_proxy,
)
from bot.console.api.cases import REFERENCE, read_case, read_cases
from bot.console.api.openapi import openapi_document
from bot.console.api.query import API, InvalidFilter
from bot.console.auth.guards import Page, Route

P = ParamSpec("P")


def _not_found() -> HTTPResponse:
    return json_error(404, "not_found", "No such case.")


def bearer(limiter: FailedAuthLimiter) -> Callable[[Page[P]], Route[P]]:
    """A route for API tokens: the handler gets the token's principal after the request;
    a missing, bad or throttled token gets bot.access.web's JSON refusal."""

    def decorate(handler: Page[P]) -> Route[P]:
        @functools.wraps(handler)
        async def authenticated(request: Request, *args: P.args, **kwargs: P.kwargs
                                ) -> HTTPResponse:
            principal = await authenticate_request(request, limiter)
            if isinstance(principal, HTTPResponse):
                return principal
            return await handler(request, principal, *args, **kwargs)

        return authenticated

    return decorate


def api_blueprint(limiter: FailedAuthLimiter) -> Blueprint:
    api = Blueprint("hrd_case_api", url_prefix="/api")
    document = openapi_document()

    @api.get("/cases/<reference:str>")
    @bearer(limiter)
    async def one_case(request: Request, principal: Principal, reference: str) -> HTTPResponse:
        if not REFERENCE.fullmatch(reference):
            return _not_found()
        case = await asyncio.to_thread(read_case, principal, reference)
        return _not_found() if case is None else json_response(case)

    @api.get("/cases")
    @bearer(limiter)
    async def many_cases(request: Request, principal: Principal) -> HTTPResponse:
        try:
            filters = API.parse(request.get_args(keep_blank_values=True))
        except InvalidFilter as error:
            return json_error(400, "invalid_filter", str(error))
        return json_response(await asyncio.to_thread(read_cases, principal, filters))

    @api.get("/openapi.json")
    async def openapi(request: Request) -> HTTPResponse:
        return json_response(document)

    return api


def refuse_writes(limiter: FailedAuthLimiter
                  ) -> Callable[[Request], Awaitable[HTTPResponse | None]]:
    """App-wide request middleware (a write matches no route, so a blueprint's would not
    run). The case API has no write route, and a read-only (supervisor or admin) token
    must hear so plainly: any other method with a token is authenticated, and a read-only
    one answers 403 (a bad token 401; a partner's token, or none, 405)."""

    async def proxy_hint_and_api_writes(request: Request) -> HTTPResponse | None:
        warn_if_behind_undeclared_proxy(request)
        if (request.path.startswith("/api/") and request.method not in SAFE_METHODS
                and "authorization" in request.headers):
            refused = await authenticate_request(request, limiter)
            if isinstance(refused, HTTPResponse):
                return refused
        return None

    return proxy_hint_and_api_writes
