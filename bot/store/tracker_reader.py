"""Reading the encrypted tracker store (tracker_events) outside Rasa: a conversation's
events decrypted, and the first event's id, which the console uses as a conversation's
key in URLs (never the sender id: on SMS that is a phone number)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from bot.store import crypto
from bot.store.associated_data import tracker_label
from bot.store.models import TrackerEvent
from bot.store.unit_of_work import Repository


class TrackerEvents(Repository):
    def decrypted(self, sender_id: str) -> list[dict[str, Any]]:
        """The sender's events in order, decrypted (never written anywhere in clear)."""
        blobs = self.session.execute(
            sa.select(TrackerEvent.data).where(TrackerEvent.sender_id == sender_id)
            .order_by(TrackerEvent.id)).scalars().all()
        label = tracker_label(sender_id)
        return [crypto.decrypt_json(blob, label) for blob in blobs]

    def first_id(self, sender_id: str) -> int | None:
        return self.session.execute(sa.select(sa.func.min(TrackerEvent.id))
                                    .where(TrackerEvent.sender_id == sender_id)).scalar_one()

    def sender_of_first(self, event_id: int) -> str | None:
        """The sender whose first event is `event_id`, if it is one."""
        sender = self.session.execute(sa.select(TrackerEvent.sender_id)
                                      .where(TrackerEvent.id == event_id)).scalar_one_or_none()
        if sender is None or self.first_id(sender) != event_id:
            return None
        return str(sender)
