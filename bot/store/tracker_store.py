"""Rasa's SQL tracker store with the event JSON encrypted (it holds what users type and
every slot value). In clear: sender id, event type and timestamp only (what Rasa's queries
need); Rasa's intent_name/action_name columns are left NULL. Configured in endpoints.yml as

    tracker_store:
      type: bot.store.tracker_store.EncryptedSQLTrackerStore

It always uses the case database of bot.config.settings() (DATABASE_URL / HRD_DATA_DIR):
url, db, username, ... given in endpoints.yml are ignored, so conversations and cases
can never end up in two places with two retention and key regimes.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import Any

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.orm import Session

from bot.config import current
from bot.store import crypto, db
from bot.store.associated_data import tracker_label
from bot.store.models import Base, TrackerEvent
from bot.store.tracker_cache import TrackerCache

logger = logging.getLogger(__name__)

_ENDPOINT_ARGS_IGNORED = ("host", "url", "dialect", "port", "db", "username", "password",
                          "login_db", "query")


class EncryptedSQLTrackerStore(SQLTrackerStore):
    Base = Base
    SQLEvent = TrackerEvent

    def __init__(
        self,
        domain: Domain | None = None,
        event_broker: EventBroker | None = None,
        **kwargs: Any,
    ) -> None:
        # Not SQLTrackerStore.__init__: it builds its own engine from the endpoint args and
        # creates tables outside the migrations.
        ignored = sorted(k for k in _ENDPOINT_ARGS_IGNORED if kwargs.pop(k, None) is not None)
        if ignored:
            logger.info("tracker store: ignoring %s; using the case database", ", ".join(ignored))
        crypto.require_keys_at_start()  # before serving: no key, no start
        db.upgrade()
        self.engine = db.engine()
        self.sessionmaker = db.session_factory()
        TrackerStore.__init__(self, domain, event_broker, **kwargs)
        # Decrypts only the events added since the last turn.
        self._cache = TrackerCache(current().tracker_cache_conversations)

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        # In a worker thread: the write lock's wait and the commit's fsync would otherwise
        # hold up every other conversation of this process. The turn waits for it, and its
        # conversation's lock keeps any other turn off this tracker meanwhile.
        await asyncio.to_thread(self._save, tracker)

    def _save(self, tracker: DialogueStateTracker) -> None:
        label = tracker_label(tracker.sender_id)
        with self.session_scope() as session:
            if self._save_continued(session, tracker, label):
                return
            self._add(session, tracker.sender_id, self._additional_events(session, tracker), label)
            session.commit()

    def _save_continued(self, session: Session, tracker: DialogueStateTracker,
                        label: str) -> bool:
        """The tracker continues the one this process cached: its new events are known without
        counting the stored ones, and the cache keeps it for the next turn. False, with nothing
        written, when it does not and Rasa's way must be taken.

        Unlike Rasa's count, this appends the turn's events even when another process wrote or
        deleted rows of the conversation meanwhile (the turn outlived its lock, a purge ran):
        the count would then drop them, or write purged ones again."""
        found = self._cache.continued(tracker.sender_id, self.domain, tracker)
        if found is None:
            return False
        entry, new = found
        if new:
            rows = self._add(session, tracker.sender_id, new, label)
            session.commit()
            self._cache.saved(tracker.sender_id, entry, tracker, rows)
        return True

    @staticmethod
    def _add(session: Session, sender_id: str, events: Iterable[Event],
             label: str) -> list[TrackerEvent]:
        rows = []
        for event in events:
            data = event.as_dict()
            # Only type_name (Rasa finds session starts by it) and the timestamp in
            # clear: intent_name/action_name stay NULL, because a slot or action name
            # ("threat_description", "utter_ask_threat_description") tells that a threat
            # exists. Everything is in the encrypted event JSON.
            rows.append(TrackerEvent(
                sender_id=sender_id,
                type_name=event.type_name,
                timestamp=data.get("timestamp"),
                intent_name=None,
                action_name=None,
                data=crypto.encrypt_json(data, label),
            ))
        session.add_all(rows)
        return rows

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        if not self.domain:
            return None
        label = tracker_label(sender_id)
        with self.session_scope() as session:
            db.mark_read_only(session)  # one snapshot, and no wait behind a writer
            return self._cache.retrieve(
                session, sender_id, fetch_events_from_all_sessions, self.domain,
                load_rows=self._event_query(session, sender_id, fetch_events_from_all_sessions).all,
                decrypt=lambda row: crypto.decrypt_json(row.data, label),
            )
