"""The case API of intake-contract.md: `GET /api/cases/<reference>` and `GET /api/cases`.

Supervisors and admins see every case; partner staff only their organization's, and
another organization's case answers 404 exactly like a missing one. Every case returned
is written to its audit trail (who, when, which action) before the response leaves; if
that fails, nothing is returned."""

from __future__ import annotations

import asyncio
import re
from typing import Any

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.access.auth import Principal
from bot.access.ratelimit import FailedAuthLimiter
from bot.access.web import authenticate_request, json_error, json_response
from bot.console.api.query import CaseFilters, InvalidFilter, parse_filters
from bot.store import get_case, list_cases, record_event

REFERENCE = re.compile(r"HRD-\d{4}-\d{5,9}")
AUDIT_SOURCE = {"via": "case_api"}


def _not_found() -> HTTPResponse:
    return json_error(404, "not_found", "No such case.")


def _read_case(principal: Principal, reference: str) -> dict[str, Any] | None:
    case = get_case(reference)
    if case is None:
        return None
    if not principal.sees_all_cases and case.partner_org != principal.org_id:
        # Kept for the security review; the caller sees the same 404 as for no case.
        record_event(reference, actor=principal.actor, action="view_denied",
                     detail=AUDIT_SOURCE)
        return None
    record_event(reference, actor=principal.actor, action="viewed", detail=AUDIT_SOURCE)
    return case.to_api_dict()


def _list_cases(principal: Principal, filters: CaseFilters) -> list[dict[str, Any]]:
    kwargs = filters.store_kwargs()
    if not principal.sees_all_cases:
        if filters.partner not in (None, principal.org_id):
            return []  # another organization's cases do not exist for this user
        kwargs["partner"] = principal.org_id
    cases = list_cases(**kwargs)
    for case in cases:
        record_event(case.reference, actor=principal.actor, action="listed",
                     detail=AUDIT_SOURCE)
    return [case.to_api_dict() for case in cases]


def cases_blueprint(limiter: FailedAuthLimiter) -> Blueprint:
    api = Blueprint("hrd_case_api", url_prefix="/api/cases")

    @api.get("/<reference:str>")
    async def one_case(request: Request, reference: str) -> HTTPResponse:
        principal = await authenticate_request(request, limiter)
        if isinstance(principal, HTTPResponse):
            return principal
        if not REFERENCE.fullmatch(reference):
            return _not_found()
        case = await asyncio.to_thread(_read_case, principal, reference)
        return _not_found() if case is None else json_response(case)

    @api.get("")
    async def many_cases(request: Request) -> HTTPResponse:
        principal = await authenticate_request(request, limiter)
        if isinstance(principal, HTTPResponse):
            return principal
        try:
            filters = parse_filters(request.get_args(keep_blank_values=True))
        except InvalidFilter as error:
            return json_error(400, "invalid_filter", str(error))
        return json_response(await asyncio.to_thread(_list_cases, principal, filters))

    return api
