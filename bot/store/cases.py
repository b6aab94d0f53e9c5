"""Saving and reading cases: one transaction per submission, serialized per year, so the
reference sequence has no gaps shared twice and two submissions can never both take the
last spaces of the cap.

Capacity (stream-policy.md, "Capacity"): the year of a case is its Ottawa year; spaces
used count only cases that fit (`within_cap`, eligible or needs_review), less those since
withdrawn or declined; a case that does not fit is saved `over_cap` and waitlisted, in
submission order, until a supervisor moves it into the year's spaces under the same lock.
No intake is saved without consent (E8, a precondition checked before anything else).

Logs name references only: answers, user text and sender ids (a phone number on SMS) never
reach a log line.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.rules import (
    check_preconditions,
    counts_against_cap,
    decide,
    ottawa_date,
    ottawa_year,
    policy_for_year,
    takes_space,
)
from bot.store import crypto
from bot.store.associated_data import answers_label, decision_label
from bot.store.db import session_scope
from bot.store.models import (
    CASE_STATUSES,
    ELIGIBILITIES,
    Case,
    CaseEvent,
    Organization,
    ReferenceCounter,
    utcnow,
)
from bot.store.unit_of_work import dialect_insert

logger = logging.getLogger(__name__)

SYSTEM_ACTOR = "system"
# Audit details carry codes and ids, never free text: short scalars only.
_MAX_DETAIL_TEXT = 100


class UnknownOrganization(ValueError):
    """The partner organization is not in the database."""


class CaseNotFound(LookupError):
    pass


class NotWaitlisted(ValueError):
    """Only an open over-cap case that takes spaces can be moved into the year's spaces."""


class DoesNotFit(ValueError):
    """Moving the case into the year's spaces would go over the cap."""

    def __init__(self, reference: str, case_size: int, left: int) -> None:
        self.case_size = case_size
        self.left = left
        super().__init__(f"{reference}: {case_size} people, {left} spaces left")


# Closed by a supervisor: their spaces are freed, and they leave the waitlist.
FREEING_STATUSES = ("withdrawn", "declined")


@dataclass(frozen=True)
class SubmitResult:
    reference: str
    decision: dict[str, Any]
    created: bool


@dataclass(frozen=True)
class CaseSummary:
    """A case without its answers: what list views and filters need."""

    reference: str
    partner_org: str
    submitted_at: datetime
    status: str
    decision: dict[str, Any]
    in_country: bool
    year: int
    created_by: int | None

    def to_api_dict(self) -> dict[str, Any]:
        """The Case API object of intake-contract.md, without "answers"."""
        return {
            "reference": self.reference,
            "partner_org": self.partner_org,
            "submitted_at": self.submitted_at.isoformat(),
            "status": self.status,
            "decision": self.decision,
        }


# Saved (encrypted) with the answers for the officer, but no slot of the contract: the
# case API's "answers" leave them out (intake-contract.md).
OFFICER_NOTES = frozenset({"hrd_activity_description", "stateless"})


@dataclass(frozen=True)
class CaseRecord(CaseSummary):
    answers: dict[str, Any]
    intake_id: str
    sender_id: str

    def to_api_dict(self) -> dict[str, Any]:
        answers = {k: v for k, v in self.answers.items() if k not in OFFICER_NOTES}
        return {**super().to_api_dict(), "answers": answers}


def format_reference(year: int, seq: int) -> str:
    return f"HRD-{year}-{seq:05d}"


def submit_case(
    *,
    intake_id: str,
    sender_id: str,
    partner_org: str,
    answers: Mapping[str, Any],
    submitted_at: datetime | None = None,
    created_by: int | None = None,
) -> SubmitResult:
    """Save a confirmed intake and decide it. The same intake_id again returns the first
    result with created=False (double confirmation, action server retry, outbox drain).
    Without consent (consent_to_share true) it raises PreconditionFailed, a ValueError,
    and stores nothing; bad answers raise ValueError likewise."""
    if not intake_id or not sender_id:
        raise ValueError("intake_id and sender_id are required")
    check_preconditions(answers)
    submitted_at = _as_utc(submitted_at or datetime.now(UTC))
    existing = _existing_result(intake_id)
    if existing is not None:
        return existing
    try:
        return _submit_locked(
            intake_id=intake_id, sender_id=sender_id, partner_org=partner_org,
            answers=dict(answers), submitted_at=submitted_at, created_by=created_by,
        )
    except IntegrityError:
        # A concurrent submit of the same intake won the unique constraint. The year lock
        # prevents this unless the two are dated in different years (a retry across
        # midnight on 31 December): its result is ours.
        existing = _existing_result(intake_id)
        if existing is None:
            raise
        return existing


def _submit_locked(
    *,
    intake_id: str,
    sender_id: str,
    partner_org: str,
    answers: dict[str, Any],
    submitted_at: datetime,
    created_by: int | None,
) -> SubmitResult:
    year = ottawa_year(submitted_at)
    with session_scope() as session:
        seq = _lock_year(session, year)
        # Re-checked under the lock: a concurrent submit of this intake has committed by now.
        existing = _result_in(session, intake_id)
        if existing is not None:
            return existing
        if session.get(Organization, partner_org) is None:
            raise UnknownOrganization(f"unknown partner organization {partner_org!r}")

        decision = decide(answers, on=submitted_at, spaces_used=_spaces_used(session, year))
        decision_dict = decision.to_dict()
        seq += 1
        reference = format_reference(year, seq)
        session.execute(
            sa.update(ReferenceCounter).where(ReferenceCounter.year == year).values(last_seq=seq)
        )
        case = Case(
            reference=reference, year=year, seq=seq, partner_org=partner_org,
            intake_id=intake_id, sender_id=sender_id, submitted_at=submitted_at,
            status="submitted", status_changed_at=submitted_at,
            eligibility=decision.eligibility, urgent=decision.urgent,
            pathway=decision.pathway, priority=decision.priority,
            capacity=decision.capacity, case_size=decision.case_size,
            counts_against_cap=counts_against_cap(decision),
            policy_version=decision.policy_version, in_country=decision.in_country,
            reasons=list(decision.reasons),
            answers=crypto.encrypt_json(answers, answers_label(reference, partner_org)),
            decision=crypto.encrypt_json(decision_dict, decision_label(reference, partner_org)),
            created_by=created_by,
        )
        session.add(case)
        session.flush()
        session.add(CaseEvent(
            case_id=case.id, at=utcnow(),
            actor=f"user:{created_by}" if created_by is not None else SYSTEM_ACTOR,
            action="submitted",
            detail={"eligibility": decision.eligibility, "capacity": decision.capacity,
                    "policy_version": decision.policy_version},
        ))
    logger.info("case %s saved (%s, %s)", reference, decision.eligibility, decision.capacity)
    return SubmitResult(reference=reference, decision=decision_dict, created=True)


def _lock_year(session: Session, year: int) -> int:
    """Create the year's counter if needed and lock it until commit; return its last seq.
    On SQLite the transaction already holds the database write lock (BEGIN IMMEDIATE)."""
    session.execute(
        dialect_insert(session)(ReferenceCounter).values(year=year, last_seq=0)
        .on_conflict_do_nothing()
    )
    return session.execute(
        sa.select(ReferenceCounter.last_seq)
        .where(ReferenceCounter.year == year)
        .with_for_update()
    ).scalar_one()


_TAKES_SPACE = [eligibility for eligibility in ELIGIBILITIES if takes_space(eligibility)]


def _open_taking_space(year: int) -> list[sa.sql.ColumnElement[bool]]:
    """Cases of `year` that take spaces when they fit and are not withdrawn or declined.
    Read from capacity and outcome, not the counts_against_cap column: rows saved before
    the waitlist had it true while over the cap."""
    return [Case.year == year, Case.eligibility.in_(_TAKES_SPACE),
            Case.status.not_in(FREEING_STATUSES)]


def waitlisted(capacity: str, eligibility: str, status: str) -> bool:
    """On the waitlist: over the cap, an outcome that takes spaces, not withdrawn/declined."""
    return (capacity == "over_cap" and takes_space(eligibility)
            and status not in FREEING_STATUSES)


def _spaces_used(session: Session, year: int) -> int:
    total = session.execute(
        sa.select(sa.func.coalesce(sa.func.sum(Case.case_size), 0))
        .where(*_open_taking_space(year), Case.capacity == "within_cap")
    ).scalar_one()
    return int(total)


@dataclass(frozen=True)
class WaitlistEntry:
    reference: str
    case_size: int
    urgent: bool
    submitted_at: datetime


@dataclass(frozen=True)
class YearCapacity:
    """A year's spaces (stream-policy.md, "Capacity"): what supervisors see."""

    year: int
    policy_version: str
    cap: int
    used: int
    waitlist: tuple[WaitlistEntry, ...]

    @property
    def left(self) -> int:
        return max(self.cap - self.used, 0)

    @property
    def waitlisted_people(self) -> int:
        return sum(entry.case_size for entry in self.waitlist)


def _waitlist(session: Session, year: int) -> tuple[WaitlistEntry, ...]:
    rows = session.execute(
        sa.select(Case.reference, Case.case_size, Case.urgent, Case.submitted_at)
        .where(*_open_taking_space(year), Case.capacity == "over_cap")
        .order_by(Case.seq)
    ).all()
    return tuple(WaitlistEntry(r.reference, r.case_size, r.urgent, r.submitted_at) for r in rows)


def _today() -> date:
    return ottawa_date(datetime.now(UTC))


def _year_capacity(session: Session, year: int, today: date) -> YearCapacity:
    policy = policy_for_year(year, today)
    return YearCapacity(year=year, policy_version=policy.id, cap=policy.annual_cap,
                        used=_spaces_used(session, year), waitlist=_waitlist(session, year))


def year_capacity(year: int, *, today: date | None = None) -> YearCapacity:
    """Spaces used and left against the cap that governs `year`, and its waitlist in
    submission order."""
    with session_scope() as session:
        return _year_capacity(session, year, today or _today())


def capacity_by_year(*, today: date | None = None) -> list[YearCapacity]:
    """This Ottawa year and every year with cases, newest first (one session for all)."""
    today = today or _today()
    with session_scope() as session:
        years = set(session.execute(sa.select(Case.year).distinct()).scalars())
        return [_year_capacity(session, year, today)
                for year in sorted(years | {today.year}, reverse=True)]


def admit_from_waitlist(reference: str, *, actor: str, today: date | None = None) -> int:
    """Move a waitlisted case into its year's spaces, if it fits in what is left of the cap
    that governs the year. Checked under the year's lock, the one a new case takes, so a
    concurrent submission and this move cannot both take the last spaces. Audited as
    "admitted_from_waitlist". Returns the spaces used after the move."""
    with session_scope() as session:
        found = session.execute(
            sa.select(Case.year).where(Case.reference == reference)
        ).scalar_one_or_none()
        if found is None:
            raise CaseNotFound(reference)
        _lock_year(session, found)
        case = session.execute(
            sa.select(Case).where(Case.reference == reference).with_for_update()
        ).scalar_one()
        if not waitlisted(case.capacity, case.eligibility, case.status):
            raise NotWaitlisted(f"{reference} is not on the waitlist")
        policy = policy_for_year(case.year, today or _today())
        used = _spaces_used(session, case.year)
        if used + case.case_size > policy.annual_cap:
            raise DoesNotFit(reference, case.case_size, max(policy.annual_cap - used, 0))
        label = decision_label(reference, case.partner_org)
        decision = crypto.decrypt_json(case.decision, label)
        decision["capacity"] = "within_cap"
        case.decision = crypto.encrypt_json(decision, label)
        case.capacity = "within_cap"
        case.counts_against_cap = True
        size = case.case_size
        session.add(CaseEvent(
            case_id=case.id, at=utcnow(), actor=actor, action="admitted_from_waitlist",
            detail={"case_size": size, "spaces_used_before": used,
                    "cap": policy.annual_cap, "policy_version": policy.id},
        ))
    logger.info("case %s moved from the waitlist into %s's spaces", reference, found)
    return used + size


def _existing_result(intake_id: str) -> SubmitResult | None:
    with session_scope() as session:
        return _result_in(session, intake_id)


def _result_in(session: Session, intake_id: str) -> SubmitResult | None:
    row = session.execute(
        sa.select(Case.reference, Case.partner_org, Case.decision)
        .where(Case.intake_id == intake_id)
    ).one_or_none()
    if row is None:
        return None
    decision = crypto.decrypt_json(row.decision, decision_label(row.reference, row.partner_org))
    return SubmitResult(reference=row.reference, decision=decision, created=False)


def spaces_used(year: int) -> int:
    """People counted against `year`'s cap (stream-policy.md, Capacity)."""
    with session_scope() as session:
        return _spaces_used(session, year)


def get_case(reference: str, *, viewed_by: str | None = None) -> CaseRecord | None:
    """The case with decrypted answers and decision; with viewed_by, the view is audited.
    None, as for no case, when the row does not decrypt under its own reference and
    organization (moved into another organization's view or altered): never shown."""
    with session_scope() as session:
        case = session.execute(
            sa.select(Case).where(Case.reference == reference)
        ).scalar_one_or_none()
        if case is None:
            return None
        decision = readable_decision(case)
        try:
            answers = crypto.decrypt_json(
                case.answers, answers_label(case.reference, case.partner_org))
        except crypto.DecryptionError:
            decision = None
            _log_unreadable(case)
        if decision is None:
            return None
        record = CaseRecord(**_summary_fields(case, decision), answers=answers,
                            intake_id=case.intake_id, sender_id=case.sender_id)
        if viewed_by is not None:
            session.add(CaseEvent(case_id=case.id, at=utcnow(), actor=viewed_by,
                                  action="viewed", detail={}))
        return record


def _log_unreadable(case: Case) -> None:
    logger.error("case %s does not decrypt under its reference and organization "
                 "(row moved or altered): refused", case.reference)


def readable_decision(case: Case) -> dict[str, Any] | None:
    """The case's decision, or None (logged) when the row does not open as its own."""
    try:
        return crypto.decrypt_json(case.decision, decision_label(case.reference, case.partner_org))
    except crypto.DecryptionError:
        _log_unreadable(case)
        return None


def _summary_fields(case: Case, decision: dict[str, Any]) -> dict[str, Any]:
    return {
        "reference": case.reference,
        "partner_org": case.partner_org,
        "submitted_at": case.submitted_at,
        "status": case.status,
        "decision": decision,
        "in_country": case.in_country,
        "year": case.year,
        "created_by": case.created_by,
    }


def list_cases(
    *,
    status: str | None = None,
    eligibility: str | None = None,
    urgent: bool | None = None,
    partner: str | None = None,
    year: int | None = None,
    in_country: bool | None = None,
    capacity: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[CaseSummary]:
    """Cases matching every given filter, oldest first; answers are not decrypted."""
    query = sa.select(Case).order_by(Case.year, Case.seq)
    filters = {
        Case.status: status, Case.eligibility: eligibility, Case.urgent: urgent,
        Case.partner_org: partner, Case.year: year, Case.in_country: in_country,
        Case.capacity: capacity,
    }
    for column, value in filters.items():
        if value is not None:
            query = query.where(column == value)
    query = query.offset(offset)
    if limit is not None:
        query = query.limit(limit)
    with session_scope() as session:
        # A row that does not open as its own organization's is left out (and logged).
        decisions = ((c, readable_decision(c)) for c in session.execute(query).scalars())
        return [CaseSummary(**_summary_fields(c, d)) for c, d in decisions if d is not None]


def record_event(
    reference: str,
    *,
    actor: str,
    action: str,
    detail: Mapping[str, Any] | None = None,
) -> None:
    """Append to a case's audit trail. `detail` takes codes and ids, not personal data."""
    detail = _checked_detail(detail or {})
    with session_scope() as session:
        case_id = _case_id(session, reference)
        session.add(CaseEvent(case_id=case_id, at=utcnow(), actor=actor, action=action,
                              detail=detail))


def case_events(reference: str) -> list[dict[str, Any]]:
    with session_scope() as session:
        case_id = _case_id(session, reference)
        rows = session.execute(
            sa.select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)
        ).scalars()
        return [
            {"at": e.at, "actor": e.actor, "action": e.action, "detail": e.detail}
            for e in rows
        ]


def update_status(reference: str, status: str, *, actor: str) -> None:
    """Move a case to another status, with a "status_changed" audit event."""
    if status not in CASE_STATUSES:
        raise ValueError(f"unknown status {status!r}")
    with session_scope() as session:
        case = session.execute(
            sa.select(Case).where(Case.reference == reference).with_for_update()
        ).scalar_one_or_none()
        if case is None:
            raise CaseNotFound(reference)
        previous = case.status
        case.status = status
        case.status_changed_at = utcnow()
        session.add(CaseEvent(case_id=case.id, at=case.status_changed_at, actor=actor,
                              action="status_changed", detail={"from": previous, "to": status}))
    logger.info("case %s: status %s -> %s", reference, previous, status)


def _case_id(session: Session, reference: str) -> int:
    case_id = session.execute(
        sa.select(Case.id).where(Case.reference == reference)
    ).scalar_one_or_none()
    if case_id is None:
        raise CaseNotFound(reference)
    return case_id


def _checked_detail(detail: Mapping[str, Any]) -> dict[str, Any]:
    def ok(value: Any) -> bool:
        if isinstance(value, str):
            return len(value) <= _MAX_DETAIL_TEXT
        if isinstance(value, Sequence):
            return all(ok(v) for v in value)
        return value is None or isinstance(value, bool | int | float)

    for key, value in detail.items():
        if not isinstance(key, str) or not ok(value):
            raise ValueError(f"audit detail {key!r}: only short codes and ids are allowed")
    return dict(detail)


def _as_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("submitted_at must be timezone-aware")
    return moment.astimezone(UTC)
