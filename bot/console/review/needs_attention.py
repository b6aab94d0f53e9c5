"""The supervisors' "needs attention" queue (/review/attention): open cases that are urgent
and not yet reviewed, waitlisted, or submitted more than N days ago (HRD_REVIEW_STALE_DAYS),
urgent first. Each row says why it is there."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.config import current
from bot.console.api.query import CaseQuery
from bot.console.i18n.catalog import N_
from bot.console.review.queries import CaseRow, find_cases
from bot.store import waitlisted

OPEN_STATUSES = ("submitted", "under_review")
REASONS = {
    "urgent_unreviewed": N_("Urgent and not yet reviewed"),
    "waitlisted": N_("Waitlisted"),
    "stale": N_("Submitted more than {days} days ago"),
}
MAX_OPEN = 5000


@dataclass(frozen=True)
class AttentionRow:
    case: CaseRow
    reasons: tuple[str, ...]  # keys of REASONS


def reasons_of(row: CaseRow, now: datetime, stale_after: timedelta) -> tuple[str, ...]:
    if row.status not in OPEN_STATUSES:
        return ()
    found = []
    if row.urgent and not row.reviewed:
        found.append("urgent_unreviewed")
    if waitlisted(row.capacity, row.eligibility, row.status):
        found.append("waitlisted")
    if now - row.submitted_at > stale_after:
        found.append("stale")
    return tuple(found)


def needs_attention(now: datetime | None = None) -> list[AttentionRow]:
    """Urgent first, then oldest first (the longest waiting)."""
    now = now or datetime.now(UTC)
    stale_after = timedelta(days=current().review_stale_days)
    rows: list[CaseRow] = []
    for status in OPEN_STATUSES:
        rows += find_cases(CaseQuery(status=status, sort="oldest"), limit=MAX_OPEN)
    found = [AttentionRow(row, reasons) for row in rows
             if (reasons := reasons_of(row, now, stale_after))]
    found.sort(key=lambda r: (not r.case.urgent, r.case.submitted_at))
    return found


def stale_days() -> int:
    return current().review_stale_days
