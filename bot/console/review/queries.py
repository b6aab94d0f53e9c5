"""The supervisor's case list: every filter of the review pages, validated, then one
query with bound parameters. Reading decisions decrypts them (priority factors are
sensitive), so lists stay bounded."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from bot.console.i18n.catalog import N_, Msg
from bot.console.review.reviews import TAG
from bot.rules import OTTAWA
from bot.store.annotations import CaseReview, CaseTag
from bot.store.cases import readable_decision
from bot.store.db import session_scope
from bot.store.models import CASE_STATUSES, ELIGIBILITIES, Case

ORG_ID = re.compile(r"[a-z][a-z0-9_]{1,63}")
REFERENCE_SEARCH = re.compile(r"[A-Za-z0-9-]{1,32}")
PRIORITIES = ("urgent", "high", "standard")
MAX_ROWS = 1000
FILTER_NAMES = ("reference", "partner", "date_from", "date_to", "outcome", "urgent",
                "priority", "status", "reviewed", "tag")


class InvalidFilter(ValueError):
    """A filter the page refuses: `message` is shown translated (filter names and values
    stay as the query string writes them)."""

    def __init__(self, text: str, **values: object) -> None:
        self.message = Msg(text, values)
        super().__init__(str(self.message))


@dataclass(frozen=True)
class ReviewFilters:
    reference: str | None = None
    partner: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    outcome: str | None = None
    urgent: bool | None = None
    priority: str | None = None
    status: str | None = None
    reviewed: bool | None = None
    tag: str | None = None

    def as_form(self) -> dict[str, str]:
        """The values to put back in the filter form (and the export form)."""
        out: dict[str, str] = {}
        for name in FILTER_NAMES:
            value = getattr(self, name)
            if isinstance(value, bool):
                out[name] = "yes" if value else "no"
            elif value is not None:
                out[name] = str(value)
            else:
                out[name] = ""
        return out


def _date(name: str, text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise InvalidFilter(N_("{name} must be a date (YYYY-MM-DD)"), name=name) from error


def _yes_no(name: str, text: str) -> bool:
    if text not in ("yes", "no"):
        raise InvalidFilter(N_("{name} must be yes or no"), name=name)
    return text == "yes"


def parse_review_filters(args: Mapping[str, str]) -> ReviewFilters:
    """`args`: the first value of each parameter; blank means no filter; unknown ignored
    (the export form adds its own fields)."""
    values = {k: v.strip() for k, v in args.items() if k in FILTER_NAMES and v.strip()}
    out: dict[str, Any] = {}
    if "reference" in values:
        if not REFERENCE_SEARCH.fullmatch(values["reference"]):
            raise InvalidFilter(N_("reference: letters, digits and - only"))
        out["reference"] = values["reference"].upper()
    if "partner" in values:
        if not ORG_ID.fullmatch(values["partner"]):
            raise InvalidFilter(N_("partner must be an organization id"))
        out["partner"] = values["partner"]
    for name in ("date_from", "date_to"):
        if name in values:
            out[name] = _date(name, values[name])
    choices = {"outcome": ELIGIBILITIES, "priority": PRIORITIES, "status": CASE_STATUSES}
    for name, allowed in choices.items():
        if name in values:
            if values[name] not in allowed:
                raise InvalidFilter(N_("{name} must be one of {allowed}"), name=name,
                                    allowed=", ".join(allowed))
            out[name] = values[name]
    for name in ("urgent", "reviewed"):
        if name in values:
            out[name] = _yes_no(name, values[name])
    if "tag" in values:
        if not TAG.fullmatch(values["tag"]):
            raise InvalidFilter(N_("tag: lower-case letters, digits, - and _"))
        out["tag"] = values["tag"]
    return ReviewFilters(**out)


@dataclass(frozen=True)
class CaseRow:
    reference: str
    partner_org: str
    submitted_at: datetime
    status: str
    eligibility: str
    urgent: bool
    pathway: str
    priority: str
    case_size: int
    capacity: str
    policy_version: str
    reviewed: bool
    tags: tuple[str, ...] = field(default_factory=tuple)
    priority_factors: tuple[str, ...] = field(default_factory=tuple)


def _day_start(day: date) -> datetime:
    """Midnight in Ottawa: date filters are Ottawa dates, like the case's year."""
    return datetime.combine(day, time.min, tzinfo=OTTAWA)


def find_cases(filters: ReviewFilters, *, partner: str | None = None,
               limit: int = MAX_ROWS) -> list[CaseRow]:
    """Newest first. `partner` (partner staff) restricts to one organization whatever the
    filters say."""
    reviewed = sa.exists().where(CaseReview.case_id == Case.id)
    query = sa.select(Case, reviewed.label("reviewed")).order_by(
        Case.submitted_at.desc(), Case.id.desc()).limit(limit)
    if partner is not None:
        query = query.where(Case.partner_org == partner)
    if filters.reference:
        query = query.where(Case.reference.contains(filters.reference, autoescape=True))
    if filters.partner:
        query = query.where(Case.partner_org == filters.partner)
    if filters.date_from:
        query = query.where(Case.submitted_at >= _day_start(filters.date_from))
    if filters.date_to:
        query = query.where(Case.submitted_at < _day_start(filters.date_to + timedelta(days=1)))
    for column, value in ((Case.eligibility, filters.outcome), (Case.urgent, filters.urgent),
                          (Case.priority, filters.priority), (Case.status, filters.status)):
        if value is not None:
            query = query.where(column == value)
    if filters.reviewed is not None:
        query = query.where(reviewed if filters.reviewed else ~reviewed)
    if filters.tag:
        query = query.where(sa.exists().where(CaseTag.case_id == Case.id,
                                              CaseTag.tag == filters.tag))
    with session_scope() as session:
        rows = session.execute(query).all()
        ids = [case.id for case, _ in rows]
        tags: dict[int, list[str]] = {}
        if ids:
            for case_id, tag in session.execute(
                    sa.select(CaseTag.case_id, CaseTag.tag).where(CaseTag.case_id.in_(ids))
                    .order_by(CaseTag.tag)):
                tags.setdefault(case_id, []).append(tag)
        found = (_row(case, bool(is_reviewed), tags.get(case.id, [])) for case, is_reviewed in rows)
        return [row for row in found if row is not None]


def _row(case: Case, reviewed: bool, tags: list[str]) -> CaseRow | None:
    decision = readable_decision(case)
    if decision is None:  # moved into another organization's view or altered: not shown
        return None
    return CaseRow(
        reference=case.reference, partner_org=case.partner_org,
        submitted_at=case.submitted_at, status=case.status, eligibility=case.eligibility,
        urgent=case.urgent, pathway=case.pathway, priority=case.priority,
        case_size=case.case_size, capacity=case.capacity,
        policy_version=case.policy_version, reviewed=reviewed, tags=tuple(tags),
        priority_factors=tuple(decision.get("priority_factors") or ()),
    )


def partners() -> list[str]:
    from bot.store.models import Organization

    with session_scope() as session:
        return list(session.execute(sa.select(Organization.id).order_by(Organization.id))
                    .scalars())
