"""Retention of conversation transcripts (tracker events). Cases are kept; transcripts go
once they are no longer needed:

- abandoned drafts: a conversation with no case and no activity for the period;
- closed cases: every case of the conversation is closed (referred_to_ircc, declined,
  withdrawn) since before the period, and the conversation has been idle as long.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from bot.store.db import session_scope
from bot.store.models import CLOSED_STATUSES, Case, CaseEvent, TrackerEvent

logger = logging.getLogger(__name__)

RETENTION_ACTOR = "system:retention"
_DELETE_CHUNK = 500


@dataclass(frozen=True)
class PurgeReport:
    conversations: int
    events: int
    cases_noted: int


def purge_transcripts(
    older_than_days: int, *, now: datetime | None = None, dry_run: bool = False
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
