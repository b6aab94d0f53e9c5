"""Chat sender ids belong to the user who first used them, so that nobody can read or
continue another user's conversation by sending its id."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from bot.access.models import SenderOwner
from bot.store.db import session_scope
from bot.store.models import TrackerEvent, utcnow


def claim_sender(sender_id: str, user_id: int) -> bool:
    """True if `user_id` owns `sender_id` now (first use claims it); False if another does.

    Atomic: the primary key decides between concurrent first uses (INSERT ... ON CONFLICT
    DO NOTHING, then read the winner in the same transaction). A sender id that already has
    a conversation but no owner came from another channel and is not claimable."""
    with session_scope() as session:
        dialect = session.get_bind().dialect.name
        owner = session.execute(
            sa.select(SenderOwner.user_id).where(SenderOwner.sender_id == sender_id)
        ).scalar_one_or_none()
        if owner is not None:
            return owner == user_id
        foreign = session.execute(
            sa.select(TrackerEvent.id).where(TrackerEvent.sender_id == sender_id).limit(1)
        ).first()
        if foreign is not None:
            return False
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        session.execute(
            insert(SenderOwner)
            .values(sender_id=sender_id, user_id=user_id, claimed_at=utcnow())
            .on_conflict_do_nothing()
        )
        owner = session.execute(
            sa.select(SenderOwner.user_id).where(SenderOwner.sender_id == sender_id)
        ).scalar_one()
        return owner == user_id


def sender_owner(sender_id: str) -> int | None:
    with session_scope() as session:
        return session.execute(
            sa.select(SenderOwner.user_id).where(SenderOwner.sender_id == sender_id)
        ).scalar_one_or_none()
