"""The case workflow: submitted -> under_review -> referred_to_ircc | declined | withdrawn.

bot.store.update_status only checks that the status exists; the console checks the move
and makes it atomically (UPDATE ... WHERE status = <the status it was read in>), so two
supervisors acting at once cannot both move the same case from the same state."""

from __future__ import annotations

import sqlalchemy as sa

from bot.store import CaseNotFound
from bot.store.db import session_scope
from bot.store.models import Case, CaseEvent, utcnow

ALLOWED: dict[str, tuple[str, ...]] = {
    "submitted": ("under_review",),
    "under_review": ("referred_to_ircc", "declined", "withdrawn"),
}


class TransitionNotAllowed(ValueError):
    pass


def next_statuses(status: str) -> tuple[str, ...]:
    return ALLOWED.get(status, ())


def move_case(reference: str, to: str, *, actor: str) -> str:
    """Move the case to `to`; returns the previous status. Audited as "status_changed"
    (the same event bot.store.update_status writes)."""
    with session_scope() as session:
        row = session.execute(
            sa.select(Case.id, Case.status).where(Case.reference == reference)
        ).one_or_none()
        if row is None:
            raise CaseNotFound(reference)
        if to not in next_statuses(row.status):
            raise TransitionNotAllowed(f"{row.status} -> {to}")
        now = utcnow()
        moved = session.execute(
            sa.update(Case).where(Case.id == row.id, Case.status == row.status)
            .values(status=to, status_changed_at=now)
        ).rowcount
        if moved != 1:
            raise TransitionNotAllowed("the case changed meanwhile")
        session.add(CaseEvent(case_id=row.id, at=now, actor=actor, action="status_changed",
                              detail={"from": row.status, "to": to, "via": "console"}))
        return str(row.status)
