"""The deserialized tracker of recent conversations, kept per tracker store instance, so that a
turn decrypts and replays only the events added since the last one instead of the whole
conversation (issue 17: a turn's tracker cost no longer grows with the intake's length).

The database stays the truth. Every retrieve first reads the conversation's stamp (the count,
lowest and highest id of its stored events and the last one's ciphertext: one query), and
serves the cached tracker only when that stamp is the one it was built from, or extends it by
appended rows only. Anything
else (a row deleted by retention or a purge, rows written by another Rasa process in an order
this one did not see, a changed domain) rebuilds the tracker from the database, so several
Rasa processes on one database never see each other's conversations stale. (Rows are never
rewritten in place except by key rotation, which keeps what they hold.)

What is handed out is a copy: Rasa mutates the tracker it retrieves, and a turn that fails
before its save must not leave its events in the cache.

A save hands its tracker back (`continued`, then `saved`): when the tracker continues the
cached one, the store writes only the events after it, without counting the stored rows, and
the cache takes the saved tracker under the stamp those rows make, so the next turn reads the
stamp and nothing else.
"""

from __future__ import annotations

import copy
import itertools
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event, SessionStarted, deserialise_events
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.orm import Session

from bot.store.models import TrackerEvent

MAX_CONVERSATIONS = 64  # the default of HRD_TRACKER_CACHE_CONVERSATIONS (bot/config.py)

# Of one sender's stored events: their number, lowest and highest id, and the highest one's
# ciphertext (its random nonce tells it apart even when SQLite reuses a deleted row's id).
Stamp = tuple[int, int, int, bytes]


@dataclass
class _Entry:
    stamp: Stamp
    domain: Domain
    # The latest session start's timestamp: a one-session tracker holds the events from it on.
    session_start: float | None
    tracker: DialogueStateTracker


def stamp_of(session: Session, sender_id: str) -> Stamp:
    """One round trip: the aggregate and the last row's ciphertext."""
    mine = TrackerEvent.sender_id == sender_id
    last_id = sa.select(sa.func.max(TrackerEvent.id)).where(mine).scalar_subquery()
    last_data = sa.select(TrackerEvent.data).where(TrackerEvent.id == last_id).scalar_subquery()
    count, first, last, data = session.execute(
        sa.select(sa.func.count(TrackerEvent.id), sa.func.min(TrackerEvent.id),
                  sa.func.max(TrackerEvent.id), last_data).where(mine)
    ).one()
    return int(count), int(first or 0), int(last or 0), bytes(data or b"")


def clone(tracker: DialogueStateTracker) -> DialogueStateTracker:
    """A tracker in the same state without replaying its events (DialogueStateTracker.copy
    replays them all): the events are shared, as they are never changed once logged; the slots
    and the mutable state are the twin's own."""
    twin = copy.copy(tracker)
    twin.events = tracker._create_events(list(tracker.events))
    twin.slots = copy.copy(tracker.slots)  # keeps the class (AnySlotDict)
    for name, slot in tracker.slots.items():
        twin.slots[name] = own = copy.copy(slot)
        own._value = copy.deepcopy(slot._value)
    twin.latest_action = copy.copy(tracker.latest_action)
    twin.active_loop = copy.copy(tracker.active_loop)
    return twin


def _session_start(rows: Sequence[TrackerEvent]) -> float | None:
    starts = [row.timestamp for row in rows if row.type_name == SessionStarted.type_name]
    return max(starts) if starts else None


class TrackerCache:
    def __init__(self, max_conversations: int = MAX_CONVERSATIONS) -> None:
        self.max_conversations = max_conversations
        self._entries: OrderedDict[tuple[str, bool], _Entry] = OrderedDict()
        # Saves run in worker threads (bot.store.tracker_store), retrieves on the event loop.
        self._lock = threading.Lock()

    def retrieve(
        self,
        session: Session,
        sender_id: str,
        all_sessions: bool,
        domain: Domain,
        load_rows: Callable[[], Sequence[TrackerEvent]],
        decrypt: Callable[[TrackerEvent], dict[str, Any]],
    ) -> DialogueStateTracker | None:
        """The conversation's tracker as the database holds it now. `load_rows` gives every row
        Rasa's query returns for it (one session or all), `decrypt` one row's event."""
        key = (sender_id, all_sessions)
        before = stamp_of(session, sender_id)
        with self._lock:
            entry = self._entries.pop(key, None)
        if before[0] == 0:
            return None
        if entry is not None and entry.domain is not domain:
            entry = None  # a new model: slots may differ
        if entry is not None and entry.stamp == before:
            self._keep(key, entry)  # nothing read but the stamp
            return clone(entry.tracker)
        if entry is not None:
            entry = self._extended(session, sender_id, all_sessions, entry, before, decrypt)
        if entry is None:
            rows = load_rows()
            if not rows:
                return None
            tracker = DialogueStateTracker.from_dict(
                sender_id, [decrypt(row) for row in rows], domain.slots
            )
            entry = _Entry(before, domain, _session_start(rows), tracker)
        # Cached only if nothing was written or deleted while it was read.
        if stamp_of(session, sender_id) == before:
            self._keep(key, entry)
        return clone(entry.tracker)

    def continued(
        self, sender_id: str, domain: Domain, tracker: DialogueStateTracker
    ) -> tuple[_Entry, list[Event]] | None:
        """The cached one-session entry `tracker` continues (Rasa appends to the copy it was
        handed, so its events up to the entry's last are the entry's own objects) and the events
        after it; None when it does not, or when those events start a session."""
        with self._lock:
            entry = self._entries.get((sender_id, False))
        if entry is None or entry.domain is not domain:
            return None
        known = len(entry.tracker.events)
        if not known or len(tracker.events) < known:
            return None
        if tracker.events[known - 1] is not entry.tracker.events[known - 1]:
            return None
        new = list(itertools.islice(tracker.events, known, None))
        if any(isinstance(event, SessionStarted) for event in new):
            return None
        return entry, new

    def saved(self, sender_id: str, entry: _Entry, tracker: DialogueStateTracker,
              rows: Sequence[TrackerEvent]) -> None:
        """Once `rows` (the events `continued` gave) are committed: the saved tracker, under the
        stamp the database holds if nobody else wrote meanwhile (the sessions keep row ids and
        data after a commit: expire_on_commit=False). No query checks that here: the
        next retrieve compares that stamp with the database's, as for any entry, and a
        conversation changed meanwhile (a turn that outlived its lock, a purge) is read again."""
        count, first, _, _ = entry.stamp
        stamp = (count + len(rows), first, rows[-1].id, bytes(rows[-1].data))
        self._keep((sender_id, False),
                   _Entry(stamp, entry.domain, entry.session_start, clone(tracker)))

    def _keep(self, key: tuple[str, bool], entry: _Entry) -> None:
        with self._lock:
            self._entries[key] = entry
            while len(self._entries) > self.max_conversations:
                self._entries.popitem(last=False)

    def _extended(
        self,
        session: Session,
        sender_id: str,
        all_sessions: bool,
        entry: _Entry,
        now: Stamp,
        decrypt: Callable[[TrackerEvent], dict[str, Any]],
    ) -> _Entry | None:
        """The entry brought up to `now` when only rows after its last one were added, each
        belonging to its session; None when the tracker must be rebuilt."""
        count, first, last, last_data = entry.stamp
        if now[1] != first or now[2] <= last or now[0] <= count:
            return None
        # From the cached last row on: it must still be there unchanged (SQLite may give a
        # deleted row's id to the next one).
        rows = (
            session.query(TrackerEvent)
            .filter(TrackerEvent.sender_id == sender_id, TrackerEvent.id >= last)
            .order_by(TrackerEvent.id)
            .all()
        )
        if not rows or rows[0].id != last or bytes(rows[0].data) != last_data:
            return None
        rows = rows[1:]
        if count + len(rows) != now[0] or rows[-1].id != now[2]:
            return None  # rows were also deleted
        if not all_sessions:
            floor = entry.session_start
            for row in rows:
                if row.type_name == SessionStarted.type_name or (
                    floor is not None and (row.timestamp is None or row.timestamp < floor)
                ):
                    return None  # a new session, or a row Rasa's query would leave out
        # The entry was taken out of the cache: it is updated in place, as from_dict would.
        for event in deserialise_events([decrypt(row) for row in rows]):
            entry.tracker.update(event)
        entry.stamp = now
        return entry
