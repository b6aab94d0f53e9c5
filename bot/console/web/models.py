"""The console's own table (created by migration 0004_console): its audit of reads and sign-ins."""

from __future__ import annotations

import sqlalchemy as sa

from bot.store.models import Base, UTCDateTime, utcnow


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
