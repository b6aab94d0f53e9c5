"""The case database: cases with encrypted answers, their audit trail, reference numbers,
the encrypted Rasa tracker store (bot.store.tracker_store, imported by Rasa only), the
outbox used while the database is down, and retention."""

from bot.store.cases import (
    CaseNotFound,
    CaseRecord,
    CaseSummary,
    SubmitResult,
    UnknownOrganization,
    case_events,
    get_case,
    list_cases,
    record_event,
    spaces_used,
    submit_case,
    update_status,
)

__all__ = [
    "CaseNotFound",
    "CaseRecord",
    "CaseSummary",
    "SubmitResult",
    "UnknownOrganization",
    "case_events",
    "get_case",
    "list_cases",
    "record_event",
    "spaces_used",
    "submit_case",
    "update_status",
]
