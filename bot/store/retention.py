"""Retention of conversation transcripts (tracker events). Cases are kept; transcripts go
once they are no longer needed:

- abandoned drafts: a conversation with no case and no activity for the period;
- closed cases: every case of the conversation is closed (referred_to_ircc, declined,
  withdrawn) since before the period, and the conversation has been idle as long.

Deleting a row is not erasing it: SQLite keeps its bytes in free pages and in the WAL,
PostgreSQL in dead tuples. So every SQLite connection runs with secure_delete (db.py), and
after a purge the freed space is erased (erase_freed_space): on SQLite VACUUM and a WAL
checkpoint that truncates the WAL; on PostgreSQL VACUUM of the purged table (FULL on
request: it rewrites the table into new files, under a lock that pauses conversations).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from bot.store.db import engine, session_scope
from bot.store.models import CLOSED_STATUSES, Case, CaseEvent, TrackerEvent

logger = logging.getLogger(__name__)

RETENTION_ACTOR = "system:retention"
_DELETE_CHUNK = 500
# Tables a purge deletes from: the ones whose freed space is erased afterwards.
PURGED_TABLES = ("tracker_events",)
_CHECKPOINT_TRIES = 20


class EraseIncomplete(RuntimeError):
    """The WAL could not be truncated (another process kept reading): rerun the purge."""


@dataclass(frozen=True)
class PurgeReport:
    conversations: int
    events: int
    cases_noted: int


def purge_transcripts(
    older_than_days: int, *, now: datetime | None = None, dry_run: bool = False,
    full_vacuum: bool = False,
) -> PurgeReport:
    """Delete the expired transcripts, then erase the space they used."""
    report = _delete_expired(older_than_days, now=now, dry_run=dry_run)
    if report.events and not dry_run:
        erase_freed_space(full=full_vacuum)
    return report


def erase_freed_space(*, full: bool = False) -> None:
    """Overwrite what deleted rows left behind (outside any transaction: VACUUM cannot run
    in one). Raises EraseIncomplete if SQLite's WAL still holds pages afterwards."""
    eng = engine()
    raw = eng.raw_connection()  # autocommit DB-API connection: no BEGIN from SQLAlchemy
    try:
        cursor = raw.cursor()
        if eng.dialect.name == "sqlite":
            cursor.execute("PRAGMA temp_store = MEMORY")  # VACUUM's copy stays off disk
            cursor.execute("VACUUM")
            _truncate_wal(cursor)
        else:
            raw.commit()  # psycopg2: end the implicit transaction, then autocommit
            raw.set_session(autocommit=True)
            cursor.execute(f"VACUUM {'(FULL) ' if full else ''}{', '.join(PURGED_TABLES)}")
            raw.set_session(autocommit=False)
        cursor.close()
    finally:
        raw.close()


def _truncate_wal(cursor: Any) -> None:
    # A reader in another process (a Rasa server between requests) can hold the WAL for a
    # moment: TRUNCATE waits on busy_timeout, and is retried a few times.
    for _ in range(_CHECKPOINT_TRIES):
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        busy, _log, _done = cursor.fetchone()
        if not busy:
            return
        time.sleep(0.25)
    raise EraseIncomplete("the SQLite WAL is still in use by another process; rerun the purge")


def _delete_expired(
    older_than_days: int, *, now: datetime | None, dry_run: bool
) -> PurgeReport:
    if older_than_days < 0:
        raise ValueError("older_than_days must be >= 0")
    cutoff = (now or datetime.now(UTC)) - timedelta(days=older_than_days)
    with session_scope() as session:
        idle = session.execute(
            sa.select(TrackerEvent.sender_id)
            .group_by(TrackerEvent.sender_id)
            .having(sa.func.max(TrackerEvent.timestamp) < cutoff.timestamp())
        ).scalars().all()
        cases_by_sender: dict[str, list[Case]] = {}
        for start in range(0, len(idle), _DELETE_CHUNK):
            for case in session.execute(
                sa.select(Case).where(Case.sender_id.in_(idle[start : start + _DELETE_CHUNK]))
            ).scalars():
                cases_by_sender.setdefault(case.sender_id, []).append(case)

        def expired(sender: str) -> bool:
            return all(
                c.status in CLOSED_STATUSES and c.status_changed_at < cutoff
                for c in cases_by_sender.get(sender, [])
            )

        doomed = [s for s in idle if expired(s)]
        events = 0
        for start in range(0, len(doomed), _DELETE_CHUNK):
            in_chunk = sa.and_(
                TrackerEvent.sender_id.in_(doomed[start : start + _DELETE_CHUNK]),
                # A conversation resumed since the query above keeps its new events.
                TrackerEvent.timestamp < cutoff.timestamp(),
            )
            if dry_run:
                events += session.execute(
                    sa.select(sa.func.count()).select_from(TrackerEvent).where(in_chunk)
                ).scalar_one()
            else:
                events += session.execute(
                    sa.delete(TrackerEvent).where(in_chunk)
                    .execution_options(synchronize_session=False)
                ).rowcount
        closed_cases = [case for sender in doomed for case in cases_by_sender.get(sender, [])]
        if not dry_run:
            session.add_all(
                CaseEvent(case_id=case.id, at=datetime.now(UTC), actor=RETENTION_ACTOR,
                          action="transcript_purged", detail={"older_than_days": older_than_days})
                for case in closed_cases
            )
    report = PurgeReport(conversations=len(doomed), events=events,
                         cases_noted=len(closed_cases))
    logger.info("retention (%d days%s): %d conversations, %d events purged", older_than_days,
                ", dry run" if dry_run else "", report.conversations, report.events)
    return report
