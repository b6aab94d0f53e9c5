"""The case workflow: submitted -> under_review -> referred_to_ircc | declined | withdrawn.

bot.store.update_status only checks that the status exists; the console checks the move
and makes it atomically (UPDATE ... WHERE status = <the status it was read in>), so two
supervisors acting at once cannot both move the same case from the same state."""

from __future__ import annotations

import sqlalchemy as sa

from bot.store import CaseNotFound
from bot.store.models import Case, CaseEvent, utcnow
from bot.store.unit_of_work import Repository, unit_of_work

ALLOWED: dict[str, tuple[str, ...]] = {
    "submitted": ("under_review",),
    "under_review": ("referred_to_ircc", "declined", "withdrawn"),
}


class TransitionNotAllowed(ValueError):
    pass


def next_statuses(status: str) -> tuple[str, ...]:
    return ALLOWED.get(status, ())


class CaseStatuses(Repository):
    def status_of(self, reference: str) -> tuple[int, str]:
        """The case's id and status."""
        row = self.session.execute(
            sa.select(Case.id, Case.status).where(Case.reference == reference)).one_or_none()
        if row is None:
            raise CaseNotFound(reference)
        return int(row.id), str(row.status)

    def move(self, case_id: int, old: str, to: str, actor: str) -> bool:
        """Moves the case only if it is still in `old`, with its audit event; False if it
        was not (another supervisor moved it meanwhile)."""
        now = utcnow()
        moved = self.session.execute(
            sa.update(Case).where(Case.id == case_id, Case.status == old)
            .values(status=to, status_changed_at=now)).rowcount
        if moved != 1:
            return False
        self.session.add(CaseEvent(case_id=case_id, at=now, actor=actor, action="status_changed",
                                   detail={"from": old, "to": to, "via": "console"}))
        return True


def move_case(reference: str, to: str, *, actor: str) -> str:
    """Move the case to `to`; returns the previous status. Audited as "status_changed"
    (the same event bot.store.update_status writes)."""
    with unit_of_work() as uow:
        statuses = uow.repository(CaseStatuses)
        case_id, status = statuses.status_of(reference)
        if to not in next_statuses(status):
            raise TransitionNotAllowed(f"{status} -> {to}")
        if not statuses.move(case_id, status, to, actor):
            raise TransitionNotAllowed("the case changed meanwhile")
        return status
