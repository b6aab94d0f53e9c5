"""The cases the case API of intake-contract.md returns.

Supervisors and admins see every case; partner staff only their organization's, and
another organization's case answers 404 exactly like a missing one. Every case returned
is written to its audit trail (who, when, which action) before the response leaves; if
that fails, nothing is returned."""

from __future__ import annotations

import re
from typing import Any

from bot.access.auth import Principal
from bot.console.api.query import CaseQuery
from bot.store import get_case, list_cases, record_event

REFERENCE = re.compile(r"HRD-\d{4}-\d{5,9}")
AUDIT_SOURCE = {"via": "case_api"}


def read_case(principal: Principal, reference: str) -> dict[str, Any] | None:
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


def read_cases(principal: Principal, filters: CaseQuery) -> list[dict[str, Any]]:
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
