"""Conversations read straight from the encrypted tracker store (tracker_events), decrypted
on the fly and never written anywhere in clear; the templates escape every text."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from bot.access.models import SenderOwner, User
from bot.store.models import Case, TrackerEvent
from bot.store.tracker_reader import TrackerEvents
from bot.store.unit_of_work import Repository, unit_of_work

MAX_CONVERSATIONS = 500
# A draft without activity for this long is paused; after the setting's days, abandoned.
PAUSED_AFTER = timedelta(hours=1)


@dataclass(frozen=True)
class ChatMessage:
    who: str  # "user" | "bot"
    text: str
    at: datetime | None
    buttons: tuple[dict[str, str], ...] = field(default_factory=tuple)


def sender_events(sender_id: str) -> list[dict[str, Any]]:
    with unit_of_work() as uow:
        return uow.repository(TrackerEvents).decrypted(sender_id)


def _at(event: dict[str, Any]) -> datetime | None:
    stamp = event.get("timestamp")
    return datetime.fromtimestamp(stamp, UTC) if isinstance(stamp, int | float) else None


def chat_messages(events: list[dict[str, Any]]) -> list[ChatMessage]:
    """Who said what. A button press is shown by its title, as the person saw it, not by
    the payload the channel passed on ("/start_referral", "journalism_media")."""
    messages: list[ChatMessage] = []
    titles: dict[str, str] = {}  # payload -> title, of the last bot message's buttons
    for event in events:
        kind = event.get("event")
        if kind == "user" and event.get("text"):
            text = str(event["text"])
            messages.append(ChatMessage("user", titles.get(text, text), _at(event)))
        elif kind == "bot" and (event.get("text") or (event.get("data") or {}).get("buttons")):
            buttons = tuple(
                {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
                for b in (event.get("data") or {}).get("buttons") or ()
                if isinstance(b, dict))
            titles = {b["payload"]: b["title"] for b in buttons if b["payload"] and b["title"]}
            messages.append(ChatMessage("bot", str(event.get("text") or ""), _at(event),
                                        buttons))
    return messages


@dataclass(frozen=True)
class Conversation:
    id: int  # the first tracker event's id: a URL key that is not the sender id
    sender_id: str
    started_at: datetime | None
    last_at: datetime | None
    events: int
    partner_org: str | None
    user_id: int | None
    reference: str | None

    def draft_state(self, now: datetime, abandoned_after: timedelta) -> str:
        """"submitted" (it has a case), else "in_progress", "paused" or "abandoned" by the
        time since its last activity."""
        if self.reference:
            return "submitted"
        idle = now - self.last_at if self.last_at else abandoned_after
        if idle >= abandoned_after:
            return "abandoned"
        return "paused" if idle >= PAUSED_AFTER else "in_progress"


def _day(day: date) -> float:
    return datetime.combine(day, time.min, tzinfo=UTC).timestamp()


class Conversations(Repository):
    """Conversations with who had them: the tracker's senders joined to their owners
    (bot.access) and their cases."""

    def newest(self, partner: str | None, date_from: date | None, date_to: date | None,
               limit: int = MAX_CONVERSATIONS, offset: int = 0, oldest_first: bool = False
               ) -> tuple[list[Conversation], int]:
        """A page of conversations, most recent activity first (or least recent), and how
        many match."""
        grouped = (
            sa.select(TrackerEvent.sender_id.label("sender_id"),
                      sa.func.min(TrackerEvent.id).label("first_id"),
                      sa.func.min(TrackerEvent.timestamp).label("started"),
                      sa.func.max(TrackerEvent.timestamp).label("last"),
                      sa.func.count().label("events"))
            .group_by(TrackerEvent.sender_id).subquery()
        )
        case_of = (sa.select(Case.sender_id, sa.func.max(Case.reference).label("reference"),
                             sa.func.max(Case.partner_org).label("case_org"))
                   .group_by(Case.sender_id).subquery())
        query = (
            sa.select(grouped, SenderOwner.user_id, User.org_id, case_of.c.reference,
                      case_of.c.case_org)
            .outerjoin(SenderOwner, SenderOwner.sender_id == grouped.c.sender_id)
            .outerjoin(User, User.id == SenderOwner.user_id)
            .outerjoin(case_of, case_of.c.sender_id == grouped.c.sender_id)
        )
        if partner:
            query = query.where(sa.func.coalesce(User.org_id, case_of.c.case_org) == partner)
        if date_from:
            query = query.where(grouped.c.last >= _day(date_from))
        if date_to:
            query = query.where(grouped.c.started < _day(date_to + timedelta(days=1)))
        total = int(self.session.execute(
            sa.select(sa.func.count()).select_from(query.subquery())).scalar_one())
        order = grouped.c.last.asc() if oldest_first else grouped.c.last.desc()
        query = query.order_by(order, grouped.c.first_id.desc()).offset(offset).limit(limit)
        return [Conversation(
            id=row.first_id, sender_id=row.sender_id,
            started_at=datetime.fromtimestamp(row.started, UTC) if row.started else None,
            last_at=datetime.fromtimestamp(row.last, UTC) if row.last else None,
            events=row.events, partner_org=row.org_id or row.case_org, user_id=row.user_id,
            reference=row.reference) for row in self.session.execute(query)], total

    def references(self, sender_id: str) -> list[str]:
        return list(self.session.execute(
            sa.select(Case.reference).where(Case.sender_id == sender_id).order_by(Case.id)
        ).scalars())


def list_conversations(partner: str | None = None, date_from: date | None = None,
                       date_to: date | None = None, *, limit: int = MAX_CONVERSATIONS,
                       offset: int = 0, oldest_first: bool = False
                       ) -> tuple[list[Conversation], int]:
    """A page, newest first, and the total; a conversation's organization is its owner's
    (widget and partner channel) or its case's."""
    with unit_of_work() as uow:
        return uow.repository(Conversations).newest(partner, date_from, date_to, limit,
                                                    offset, oldest_first)


def conversation_sender(conversation_id: int) -> str | None:
    """The sender id of a conversation key, if it is the first event of its sender."""
    with unit_of_work() as uow:
        return uow.repository(TrackerEvents).sender_of_first(conversation_id)


def conversation_of_sender(sender_id: str) -> int | None:
    with unit_of_work() as uow:
        return uow.repository(TrackerEvents).first_id(sender_id)


def references_of_sender(sender_id: str) -> list[str]:
    with unit_of_work() as uow:
        return uow.repository(Conversations).references(sender_id)
