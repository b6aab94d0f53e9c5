"""The case workflow: submitted -> under_review -> referred_to_ircc | declined | withdrawn.

bot.store.update_status only checks that the status exists; the console checks the move
and makes it atomically (UPDATE ... WHERE status = <the status it was read in>), so two
supervisors acting at once cannot both move the same case from the same state."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from bot.store import CaseNotFound
from bot.store.models import Case, CaseEvent, utcnow
from bot.store.unit_of_work import Repository, unit_of_work

# Final statuses: the page asks for a confirmation first, and only an undo within
# UNDO_WINDOW of the change (by the same person) moves a case back.
FINAL = ("referred_to_ircc", "declined", "withdrawn")
UNDO_WINDOW = timedelta(minutes=1)

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

    def move(self, case_id: int, old: str, to: str, actor: str,
             action: str = "status_changed") -> bool:
        """Moves the case only if it is still in `old`, with its audit event (`action`:
        "status_undone" for an undo); False if it was not (another supervisor moved it
        meanwhile)."""
        now = utcnow()
        moved = self.session.execute(
            sa.update(Case).where(Case.id == case_id, Case.status == old)
            .values(status=to, status_changed_at=now)).rowcount
        if moved != 1:
            return False
        self.session.add(CaseEvent(case_id=case_id, at=now, actor=actor, action=action,
                                   detail={"from": old, "to": to, "via": "console"}))
        return True

    def undoable(self, case_id: int, status: str, actor: str) -> str | None:
        """The status the case was in before `actor` moved it to `status` less than
        UNDO_WINDOW ago (the case's last status change), else None."""
        last = self.session.execute(
            sa.select(CaseEvent).where(CaseEvent.case_id == case_id,
                                       CaseEvent.action.in_(("status_changed",
                                                             "status_undone")))
            .order_by(CaseEvent.at.desc(), CaseEvent.id.desc()).limit(1)).scalar_one_or_none()
        if (last is None or last.action != "status_changed" or last.actor != actor
                or (last.detail or {}).get("to") != status
                or utcnow() - last.at > UNDO_WINDOW):
            return None
        before = (last.detail or {}).get("from")
        return str(before) if before else None

    def move_back(self, case_id: int, old: str, to: str, actor: str) -> bool:
        return self.move(case_id, old, to, actor, action="status_undone")


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


def undo_available(reference: str, *, actor: str) -> str | None:
    """The status an undo would put the case back in, if `actor` may undo now."""
    with unit_of_work() as uow:
        statuses = uow.repository(CaseStatuses)
        case_id, status = statuses.status_of(reference)
        return statuses.undoable(case_id, status, actor)


def undo_move(reference: str, *, actor: str) -> str:
    """Puts the case back where `actor` moved it from, within UNDO_WINDOW; returns that
    status. Audited as "status_undone"."""
    with unit_of_work() as uow:
        statuses = uow.repository(CaseStatuses)
        case_id, status = statuses.status_of(reference)
        before = statuses.undoable(case_id, status, actor)
        if before is None or not statuses.move_back(case_id, status, before, actor):
            raise TransitionNotAllowed("nothing to undo")
        return before
