"""The case database schema. Migrations (bot/store/migrations) create it; these classes
are how the code reads and writes it. Personal data lives only in the encrypted columns."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import declarative_base
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Base = declarative_base(metadata=sa.MetaData(naming_convention=NAMING))

CASE_STATUSES = ("submitted", "under_review", "referred_to_ircc", "declined", "withdrawn")
CLOSED_STATUSES = ("referred_to_ircc", "declined", "withdrawn")
ELIGIBILITIES = ("eligible", "ineligible", "needs_review")
DESIGNATED_PARTNERS = (
    ("unhcr", "UNHCR"),
    ("front_line_defenders", "Front Line Defenders"),
    ("protect_defenders_eu", "ProtectDefenders.eu"),
)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC on both databases (SQLite would otherwise hand back naive values)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware (UTC) datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Organization(Base):
    __tablename__ = "organizations"

    id = sa.Column(sa.String(64), primary_key=True)
    display_name = sa.Column(sa.String(200), nullable=False)
    created_at = sa.Column(UTCDateTime(), nullable=False, default=utcnow)


class ReferenceCounter(Base):
    """One row per year: the last sequence number handed out. Its row lock serializes the
    year's submissions (PostgreSQL: SELECT ... FOR UPDATE; SQLite: BEGIN IMMEDIATE)."""

    __tablename__ = "reference_counters"

    year = sa.Column(sa.Integer, primary_key=True, autoincrement=False)
    last_seq = sa.Column(sa.Integer, nullable=False, default=0)


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (
        sa.UniqueConstraint("year", "seq", name="uq_cases_year_seq"),
        sa.CheckConstraint(f"status IN {CASE_STATUSES!r}", name="status"),
        sa.CheckConstraint(f"eligibility IN {ELIGIBILITIES!r}", name="eligibility"),
        sa.Index("ix_cases_year_eligibility", "year", "eligibility"),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    reference = sa.Column(sa.String(32), nullable=False, unique=True)
    year = sa.Column(sa.Integer, nullable=False)
    seq = sa.Column(sa.Integer, nullable=False)
    partner_org = sa.Column(
        sa.String(64), sa.ForeignKey("organizations.id"), nullable=False, index=True
    )
    # The idempotency key: a second submit of the same intake returns the first case.
    intake_id = sa.Column(sa.String(255), nullable=False, unique=True)
    sender_id = sa.Column(sa.String(255), nullable=False, index=True)
    submitted_at = sa.Column(UTCDateTime(), nullable=False)
    status = sa.Column(sa.String(32), nullable=False, default="submitted")
    status_changed_at = sa.Column(UTCDateTime(), nullable=False)
    # The decision's filterable fields, in clear (no personal data).
    eligibility = sa.Column(sa.String(16), nullable=False)
    urgent = sa.Column(sa.Boolean, nullable=False)
    pathway = sa.Column(sa.String(32), nullable=False)
    priority = sa.Column(sa.String(16), nullable=False)
    capacity = sa.Column(sa.String(16), nullable=False)
    case_size = sa.Column(sa.Integer, nullable=False)
    counts_against_cap = sa.Column(sa.Boolean, nullable=False)
    policy_version = sa.Column(sa.String(64), nullable=False)
    in_country = sa.Column(sa.Boolean, nullable=False)
    reasons = sa.Column(sa.JSON, nullable=False)
    # Encrypted (crypto.py): all answers, and the full decision (its priority factors
    # reveal risk factors such as lgbtq2).
    answers = sa.Column(sa.LargeBinary, nullable=False)
    decision = sa.Column(sa.LargeBinary, nullable=False)
    created_by = sa.Column(sa.Integer, nullable=True)


class CaseEvent(Base):
    """Audit trail. `detail` holds ids and codes only, never answers or user text."""

    __tablename__ = "case_events"

    id = sa.Column(sa.Integer, primary_key=True)
    case_id = sa.Column(sa.Integer, sa.ForeignKey("cases.id"), nullable=False, index=True)
    at = sa.Column(UTCDateTime(), nullable=False, default=utcnow)
    actor = sa.Column(sa.String(255), nullable=False)
    action = sa.Column(sa.String(64), nullable=False)
    detail = sa.Column(sa.JSON, nullable=False, default=dict)


class TrackerEvent(Base):
    """Rasa's SQL tracker store table, with `data` (the event JSON, holding user text and
    slots) encrypted. sender_id, type_name and timestamp stay in clear for Rasa's queries;
    intent_name and action_name are always NULL (their values would say what was asked)."""

    __tablename__ = "tracker_events"
    __table_args__ = (sa.Index("ix_tracker_events_sender_timestamp", "sender_id", "timestamp"),)

    id = sa.Column(sa.Integer, primary_key=True)
    sender_id = sa.Column(sa.String(255), nullable=False, index=True)
    type_name = sa.Column(sa.String(255), nullable=False)
    timestamp = sa.Column(sa.Float)
    intent_name = sa.Column(sa.String(255))
    action_name = sa.Column(sa.String(255))
    data = sa.Column(sa.LargeBinary, nullable=False)
