"""A partner user's drafts in progress: their own widget conversations that have had a
message from them and no case yet, newest first, to resume one from the chat page.

Resuming makes a draft the user's current conversation by renewing its claim time
(bot.access.widget_tokens.current_sender takes the latest claim without a case)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

from bot.access.models import SenderOwner
from bot.store.models import Case, TrackerEvent, utcnow
from bot.store.unit_of_work import Repository, unit_of_work

MAX_DRAFTS = 10


@dataclass(frozen=True)
class Draft:
    sender_id: str
    started_at: datetime | None
    last_at: datetime | None
    messages: int  # the user's messages so far


def _when(stamp: float | None) -> datetime | None:
    return datetime.fromtimestamp(stamp, UTC) if stamp else None


class Drafts(Repository):
    def open(self, user_id: int, prefix: str, limit: int = MAX_DRAFTS) -> list[Draft]:
        said = (sa.select(TrackerEvent.sender_id.label("sender_id"),
                          sa.func.min(TrackerEvent.timestamp).label("started"),
                          sa.func.max(TrackerEvent.timestamp).label("last"),
                          sa.func.count().label("messages"))
                .where(TrackerEvent.type_name == "user")
                .group_by(TrackerEvent.sender_id).subquery())
        cased = sa.select(Case.id).where(Case.sender_id == SenderOwner.sender_id).exists()
        rows = self.session.execute(
            sa.select(SenderOwner.sender_id, said.c.started, said.c.last, said.c.messages)
            .join(said, said.c.sender_id == SenderOwner.sender_id)
            .where(SenderOwner.user_id == user_id,
                   SenderOwner.sender_id.startswith(prefix, autoescape=True), ~cased)
            .order_by(said.c.last.desc()).limit(limit))
        return [Draft(row.sender_id, _when(row.started), _when(row.last), int(row.messages))
                for row in rows]

    def renew_claim(self, user_id: int, sender_id: str) -> bool:
        """Make `sender_id` the user's latest conversation; False if it is not theirs."""
        result = self.session.execute(
            sa.update(SenderOwner)
            .where(SenderOwner.sender_id == sender_id, SenderOwner.user_id == user_id)
            .values(claimed_at=utcnow()))
        return bool(result.rowcount)


def open_drafts(user_id: int, prefix: str) -> list[Draft]:
    with unit_of_work() as uow:
        return uow.repository(Drafts).open(user_id, prefix)


def resume_draft(user_id: int, prefix: str, sender_id: str) -> bool:
    """True when `sender_id` is one of the user's open drafts, now their current one."""
    with unit_of_work() as uow:
        drafts = uow.repository(Drafts)
        if sender_id not in {d.sender_id for d in drafts.open(user_id, prefix, limit=100)}:
            return False
        return drafts.renew_claim(user_id, sender_id)
