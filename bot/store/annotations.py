"""Supervisors' annotations on cases: reviewed marks, tags and notes (created by migration
0004_console). Notes are free text about a person at risk, hence encrypted, and re-encrypted
with the cases by `hrd keys rotate`."""

from __future__ import annotations

import sqlalchemy as sa

from bot.store.models import Base, UTCDateTime, utcnow


class CaseReview(Base):
    """A supervisor marked the case reviewed (one row per case)."""

    __tablename__ = "case_reviews"

    case_id = sa.Column(sa.Integer, sa.ForeignKey("cases.id"), primary_key=True,
                        autoincrement=False)
    reviewed_by = sa.Column(sa.Integer, sa.ForeignKey("users.id"), nullable=False)
    reviewed_at = sa.Column(UTCDateTime(), nullable=False, default=utcnow)


class CaseTag(Base):
    """Short labels from a closed vocabulary of characters (no free text: tags are listed
    and filtered in clear)."""

    __tablename__ = "case_tags"
    __table_args__ = (sa.UniqueConstraint("case_id", "tag", name="uq_case_tags_case_id"),)

    id = sa.Column(sa.Integer, primary_key=True)
    case_id = sa.Column(sa.Integer, sa.ForeignKey("cases.id"), nullable=False, index=True)
    tag = sa.Column(sa.String(40), nullable=False, index=True)
    added_by = sa.Column(sa.Integer, sa.ForeignKey("users.id"), nullable=False)
    added_at = sa.Column(UTCDateTime(), nullable=False, default=utcnow)


class CaseNote(Base):
    """A supervisor's note: free text about a person at risk, hence encrypted."""

    __tablename__ = "case_notes"

    id = sa.Column(sa.Integer, primary_key=True)
    note_uid = sa.Column(sa.String(32), nullable=False, unique=True)  # binds the ciphertext
    case_id = sa.Column(sa.Integer, sa.ForeignKey("cases.id"), nullable=False, index=True)
    author = sa.Column(sa.Integer, sa.ForeignKey("users.id"), nullable=False)
    created_at = sa.Column(UTCDateTime(), nullable=False, default=utcnow)
    body = sa.Column(sa.LargeBinary, nullable=False)
    replaces_id = sa.Column(sa.Integer, nullable=True, unique=True, index=True)  # 0009: edits
