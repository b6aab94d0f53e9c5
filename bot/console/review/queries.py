"""The supervisor's case list: the filters of bot.console.api.query applied in one query
with bound parameters. Reading decisions decrypts them (priority factors are sensitive),
so lists stay bounded."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from bot.console.api.query import CaseQuery
from bot.rules import OTTAWA
from bot.store.annotation_repository import Annotations
from bot.store.cases import readable_decision
from bot.store.models import Case, Organization
from bot.store.unit_of_work import Repository, unit_of_work

MAX_ROWS = 1000


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


class CaseListing(Repository):
    """Cases with their review state, as the review pages list them."""

    def rows(self, filters: CaseQuery, partner: str | None, limit: int) -> list[CaseRow]:
        reviewed = Annotations.is_reviewed()
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
            query = query.where(
                Case.submitted_at < _day_start(filters.date_to + timedelta(days=1)))
        for column, value in ((Case.eligibility, filters.eligibility),
                              (Case.urgent, filters.urgent),
                              (Case.priority, filters.priority), (Case.status, filters.status)):
            if value is not None:
                query = query.where(column == value)
        if filters.reviewed is not None:
            query = query.where(reviewed if filters.reviewed else ~reviewed)
        if filters.tag:
            query = query.where(Annotations.has_tag(filters.tag))
        found = self.session.execute(query).all()
        tags = Annotations(self.session).tags_by_case(case.id for case, _ in found)
        rows = (_row(case, bool(is_reviewed), tags.get(case.id, []))
                for case, is_reviewed in found)
        return [row for row in rows if row is not None]

    def organization_ids(self) -> list[str]:
        return list(self.session.execute(sa.select(Organization.id).order_by(Organization.id))
                    .scalars())


def find_cases(filters: CaseQuery, *, partner: str | None = None,
               limit: int = MAX_ROWS) -> list[CaseRow]:
    """Newest first. `partner` (partner staff) restricts to one organization whatever the
    filters say."""
    with unit_of_work() as uow:
        return uow.repository(CaseListing).rows(filters, partner, limit)


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
    with unit_of_work() as uow:
        return uow.repository(CaseListing).organization_ids()
