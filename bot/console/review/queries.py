"""The supervisor's case list: the filters of bot.console.api.query applied in one query
with bound parameters, sorted (urgent first by default) and cut into pages on the server
with the total count. Reading decisions decrypts them (priority factors are sensitive), so
only a page's rows are decrypted, except when searching by the partner's own reference,
which lives in the encrypted answers: then the filtered cases' answers are read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from bot.console.api.query import PAGE_SIZE, CaseQuery
from bot.rules import OTTAWA
from bot.store import crypto
from bot.store.annotation_repository import Annotations
from bot.store.associated_data import answers_label
from bot.store.cases import readable_decision
from bot.store.models import Case, Organization
from bot.store.unit_of_work import Repository, unit_of_work

MAX_ROWS = 1000
PARTNER_REFERENCE_SLOT = "partner_case_reference"


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
    partner_reference: str = ""
    country: str = ""
    submitted_by: int | None = None


@dataclass(frozen=True)
class ListPage:
    """One page of a list: `first`..`last` (1-based) of `total`."""

    rows: list[Any]
    total: int
    page: int
    size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def first(self) -> int:
        return 0 if not self.total else (self.page - 1) * self.size + 1

    @property
    def last(self) -> int:
        return min(self.total, self.page * self.size)

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _day_start(day: date) -> datetime:
    """Midnight in Ottawa: date filters are Ottawa dates, like the case's year."""
    return datetime.combine(day, time.min, tzinfo=OTTAWA)


def _order(sort: str | None) -> list[Any]:
    newest = [Case.submitted_at.desc(), Case.id.desc()]
    return {
        "newest": newest,
        "oldest": [Case.submitted_at.asc(), Case.id.asc()],
        "reference": [Case.year.desc(), Case.seq.desc()],
        "partner": [Case.partner_org.asc(), *newest],
        "status": [Case.status.asc(), *newest],
    }.get(sort or "urgent", [Case.urgent.desc(), *newest])


def _answers(case: Case) -> dict[str, Any]:
    try:
        answers = crypto.decrypt_json(case.answers, answers_label(case.reference,
                                                                  case.partner_org))
    except crypto.DecryptionError:
        return {}
    return answers if isinstance(answers, dict) else {}


class CaseListing(Repository):
    """Cases with their review state, as the review pages list them."""

    def _query(self, filters: CaseQuery, partner: str | None) -> sa.sql.Select:
        reviewed = Annotations.is_reviewed()
        query = sa.select(Case, reviewed.label("reviewed"))
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
        if filters.year:
            query = query.where(Case.year == filters.year)
        for column, value in ((Case.eligibility, filters.eligibility),
                              (Case.urgent, filters.urgent),
                              (Case.priority, filters.priority), (Case.status, filters.status)):
            if value is not None:
                query = query.where(column == value)
        if filters.reviewed is not None:
            query = query.where(reviewed if filters.reviewed else ~reviewed)
        if filters.tag:
            query = query.where(Annotations.has_tag(filters.tag))
        return query

    def page(self, filters: CaseQuery, partner: str | None, size: int) -> ListPage:
        query = self._query(filters, partner).order_by(*_order(filters.sort))
        start = (filters.page - 1) * size
        if filters.partner_reference:
            wanted = filters.partner_reference.casefold()
            found = [(case, r, answers) for case, r in self.session.execute(query)
                     if wanted in str((answers := _answers(case)).get(
                         PARTNER_REFERENCE_SLOT) or "").casefold()]
            total = len(found)
            found = found[start:start + size]
        else:
            total = int(self.session.execute(
                sa.select(sa.func.count()).select_from(query.order_by(None).subquery())
            ).scalar_one())
            found = [(case, r, _answers(case)) for case, r in
                     self.session.execute(query.offset(start).limit(size))]
        return ListPage(self._rows(found), total, filters.page, size)

    def rows(self, filters: CaseQuery, partner: str | None, limit: int) -> list[CaseRow]:
        query = self._query(filters, partner).order_by(*_order(filters.sort)).limit(limit)
        found = [(case, r, {}) for case, r in self.session.execute(query)]
        return self._rows(found)

    def _rows(self, found: list[tuple[Case, Any, dict[str, Any]]]) -> list[CaseRow]:
        tags = Annotations(self.session).tags_by_case(case.id for case, _, _ in found)
        rows = (_row(case, bool(is_reviewed), tags.get(case.id, []), answers)
                for case, is_reviewed, answers in found)
        return [row for row in rows if row is not None]

    def organization_ids(self) -> list[str]:
        return list(self.session.execute(sa.select(Organization.id).order_by(Organization.id))
                    .scalars())


def find_cases(filters: CaseQuery, *, partner: str | None = None,
               limit: int = MAX_ROWS) -> list[CaseRow]:
    """In the filters' order (urgent first by default), at most `limit`. `partner` (partner
    staff) restricts to one organization whatever the filters say."""
    with unit_of_work() as uow:
        return uow.repository(CaseListing).rows(filters, partner, limit)


def case_page(filters: CaseQuery, *, partner: str | None = None,
              size: int = PAGE_SIZE) -> ListPage:
    """The filters' page of cases (`filters.page`), with the total that match."""
    with unit_of_work() as uow:
        return uow.repository(CaseListing).page(filters, partner, size)


def _row(case: Case, reviewed: bool, tags: list[str], answers: dict[str, Any]
         ) -> CaseRow | None:
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
        partner_reference=str(answers.get(PARTNER_REFERENCE_SLOT) or ""),
        country=str(answers.get("country_of_origin") or ""),
        submitted_by=case.created_by,
    )


def partners() -> list[str]:
    with unit_of_work() as uow:
        return uow.repository(CaseListing).organization_ids()
