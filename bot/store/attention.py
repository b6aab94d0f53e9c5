"""Drafts flagged for a supervisor (issue 20): a caseworker asked for a person during an
intake. One row per request, with the reason and the question it was asked at; the
console's needs-attention view lists the open ones. No answer and no personal data here:
the draft stays in the (encrypted) tracker, found by its conversation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from bot.store.models import Base, UTCDateTime, utcnow
from bot.store.unit_of_work import Repository, unit_of_work

HUMAN_HANDOFF = "human_handoff"
REASONS = (HUMAN_HANDOFF,)


class AttentionFlag(Base):
    __tablename__ = "attention_flags"

    id = sa.Column(sa.Integer, primary_key=True)
    intake_id = sa.Column(sa.String(64), nullable=False, index=True)
    sender_id = sa.Column(sa.String(255), nullable=False)
    partner_org = sa.Column(sa.String(64), nullable=False)
    reason = sa.Column(sa.String(32), nullable=False)
    question = sa.Column(sa.String(64), nullable=True)  # the question pending, if any
    created_at = sa.Column(UTCDateTime(), nullable=False, default=utcnow)
    resolved_at = sa.Column(UTCDateTime(), nullable=True)


@dataclass(frozen=True)
class Flag:
    id: int
    intake_id: str
    sender_id: str
    partner_org: str
    reason: str
    question: str | None
    created_at: datetime


class AttentionFlags(Repository):
    def add(self, *, intake_id: str, sender_id: str, partner_org: str, reason: str,
            question: str | None) -> None:
        if reason not in REASONS:
            raise ValueError(f"unknown reason {reason!r}")
        self.session.add(AttentionFlag(intake_id=intake_id, sender_id=sender_id,
                                       partner_org=partner_org, reason=reason,
                                       question=question))

    def resolve(self, flag_id: int) -> bool:
        flag = self.session.get(AttentionFlag, flag_id)
        if flag is None or flag.resolved_at is not None:
            return False
        flag.resolved_at = utcnow()
        return True

    def open_flags(self, limit: int = 200) -> list[Flag]:
        rows = self.session.execute(
            sa.select(AttentionFlag).where(AttentionFlag.resolved_at.is_(None))
            .order_by(AttentionFlag.created_at.desc(), AttentionFlag.id.desc()).limit(limit)
        ).scalars()
        return [Flag(r.id, r.intake_id, r.sender_id, r.partner_org, r.reason, r.question,
                     r.created_at) for r in rows]


def flag_draft(*, intake_id: str, sender_id: str, partner_org: str, reason: str,
               question: str | None) -> None:
    with unit_of_work() as uow:
        uow.repository(AttentionFlags).add(intake_id=intake_id, sender_id=sender_id,
                                           partner_org=partner_org, reason=reason,
                                           question=question)


def resolve_flag(flag_id: int) -> bool:
    """A supervisor has handled the request; False when there is no such open flag."""
    with unit_of_work() as uow:
        return uow.repository(AttentionFlags).resolve(flag_id)


def open_flags(limit: int = 200) -> list[Flag]:
    with unit_of_work() as uow:
        return uow.repository(AttentionFlags).open_flags(limit)
