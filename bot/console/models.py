"""The console's tables, on the case database's `Base` (created by migration 0004_console).

Nothing here holds personal data in clear: session ids are stored hashed, notes encrypted."""

from __future__ import annotations

import sqlalchemy as sa

from bot.store.models import Base, UTCDateTime, utcnow


class ConsoleSession(Base):
    """A signed-in browser. The cookie holds a random id; only its SHA-256 is stored, so a
    copy of the database does not let anyone take over a session."""

    __tablename__ = "console_sessions"

    id_hash = sa.Column(sa.String(64), primary_key=True)
    user_id = sa.Column(sa.Integer, sa.ForeignKey("users.id"), nullable=False, index=True)
    csrf_token = sa.Column(sa.String(64), nullable=False)
    created_at = sa.Column(UTCDateTime(), nullable=False, default=utcnow)
    last_seen_at = sa.Column(UTCDateTime(), nullable=False, default=utcnow)


class TotpLastStep(Base):
    """The last TOTP time step accepted per user: a code is good once (no replay)."""

    __tablename__ = "console_totp_steps"

    user_id = sa.Column(sa.Integer, sa.ForeignKey("users.id"), primary_key=True,
                        autoincrement=False)
    last_step = sa.Column(sa.BigInteger, nullable=False)


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


class ConsoleAudit(Base):
    """What the case audit trail (case_events) cannot hold: reads of conversations that have
    no case yet, exports of many cases, sign-ins. `target` is a reference or a conversation
    key (a hash, never a sender id: on SMS that is a phone number); `detail` codes only."""

    __tablename__ = "console_audit"

    id = sa.Column(sa.Integer, primary_key=True)
    at = sa.Column(UTCDateTime(), nullable=False, default=utcnow, index=True)
    actor = sa.Column(sa.String(255), nullable=False)
    action = sa.Column(sa.String(64), nullable=False)
    target = sa.Column(sa.String(255), nullable=True)
    detail = sa.Column(sa.JSON, nullable=False, default=dict)
