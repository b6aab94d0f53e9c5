"""The audit trail as supervisors read it: both trails (the cases' case_events and the
console's console_audit) in one query, filtered by person, action, dates and reference,
newest first, one page at a time with the total, and exported as CSV (the export is
itself audited). Actions and details are stored as codes; the page and the CSV show a
label beside each."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from bot.console.i18n.catalog import N_, translator
from bot.console.i18n.labels import ENGLISH_LABELS, code_label
from bot.console.review.names import actor_name, conversation_numbers, policy_label
from bot.console.review.queries import ListPage, _day_start
from bot.console.web.models import ConsoleAudit
from bot.store.models import Case, CaseEvent
from bot.store.unit_of_work import Repository, unit_of_work

MAX_EXPORT = 100_000

ACTION_LABELS: dict[str, str] = {
    "submitted": N_("Case submitted"),
    "viewed": N_("Case viewed"),
    "listed": N_("Listed"),
    "view_denied": N_("View refused"),
    "status_changed": N_("Status changed"),
    "status_undone": N_("Status change undone"),
    "admitted_from_waitlist": N_("Moved into the year's spaces"),
    "marked_reviewed": N_("Marked reviewed"),
    "tagged": N_("Tag added"),
    "untagged": N_("Tag removed"),
    "note_added": N_("Note added"),
    "note_edited": N_("Note edited"),
    "attention_resolved": N_("Request for a person marked handled"),
    "exported": N_("Exported"),
    "cases_exported": N_("Cases exported"),
    "audit_exported": N_("Audit trail exported"),
    "transcript_viewed": N_("Transcript read"),
    "transcript_purged": N_("Transcript deleted"),
    "story_exported": N_("Story exported"),
    "dashboard_viewed": N_("Dashboard viewed"),
    "signed_in": N_("Signed in"),
    "signed_out": N_("Signed out"),
}
DETAIL_LABELS: dict[str, str] = {
    "via": N_("via"), "from": N_("from"), "to": N_("to"), "tag": N_("tag"),
    "note": N_("note version"), "replaces": N_("replaces"), "format": N_("file format"),
    "count": N_("count"),
    "threat_description": N_("with threat description"), "pseudonymized": N_("pseudonymized"),
    "eligibility": N_("outcome"), "capacity": N_("capacity"), "policy_version": N_("policy"),
}


@dataclass(frozen=True)
class AuditQuery:
    actor: str | None = None
    action: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    reference: str | None = None
    page: int = 1


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    actor: str
    action: str
    target: str
    detail: dict[str, Any]


def _filtered(select: sa.sql.Select, at: Any, actor: Any, action: Any, target: Any,
              q: AuditQuery) -> sa.sql.Select:
    if q.actor:
        select = select.where(actor == q.actor)
    if q.action:
        select = select.where(action == q.action)
    if q.date_from:
        select = select.where(at >= _day_start(q.date_from))
    if q.date_to:
        select = select.where(at < _day_start(q.date_to + timedelta(days=1)))
    if q.reference:
        select = select.where(target == q.reference)
    return select


class AuditLog(Repository):
    def _union(self, q: AuditQuery) -> sa.sql.Subquery:
        cases = _filtered(
            sa.select(CaseEvent.at.label("at"), CaseEvent.id.label("id"),
                      CaseEvent.actor.label("actor"), CaseEvent.action.label("action"),
                      Case.reference.label("target"), CaseEvent.detail.label("detail"))
            .join(Case, Case.id == CaseEvent.case_id),
            CaseEvent.at, CaseEvent.actor, CaseEvent.action, Case.reference, q)
        console = _filtered(
            sa.select(ConsoleAudit.at.label("at"), ConsoleAudit.id.label("id"),
                      ConsoleAudit.actor.label("actor"), ConsoleAudit.action.label("action"),
                      sa.func.coalesce(ConsoleAudit.target, "").label("target"),
                      ConsoleAudit.detail.label("detail")),
            ConsoleAudit.at, ConsoleAudit.actor, ConsoleAudit.action, ConsoleAudit.target, q)
        return sa.union_all(cases, console).subquery()

    def page(self, q: AuditQuery, size: int) -> tuple[list[AuditRow], int]:
        both = self._union(q)
        total = int(self.session.execute(sa.select(sa.func.count()).select_from(both))
                    .scalar_one())
        rows = self.session.execute(
            sa.select(both).order_by(both.c.at.desc(), both.c.id.desc())
            .offset((q.page - 1) * size).limit(size))
        return [AuditRow(_aware(r.at), r.actor, r.action, r.target or "",
                         dict(r.detail or {})) for r in rows], total

    def actions(self) -> list[str]:
        found = set(self.session.execute(sa.select(CaseEvent.action).distinct()).scalars())
        found |= set(self.session.execute(sa.select(ConsoleAudit.action).distinct()).scalars())
        return sorted(found | set(ACTION_LABELS))


def _aware(value: Any) -> datetime:
    if isinstance(value, str):  # SQLite hands back text from a UNION
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def audit_page(q: AuditQuery, size: int = 50) -> ListPage:
    with unit_of_work() as uow:
        rows, total = uow.repository(AuditLog).page(q, size)
    return ListPage(rows, total, q.page, size)


def known_actions() -> list[str]:
    with unit_of_work() as uow:
        return uow.repository(AuditLog).actions()


def action_label(action: str, language: str) -> str:
    text = ACTION_LABELS.get(action)
    return translator(language)(text) if text else action.replace("_", " ")


def detail_text(detail: dict[str, Any], language: str) -> str:
    """"from Submitted to Under review, tag urgent-medical": labels, not codes."""
    gettext = translator(language)
    parts = []
    for key, value in detail.items():
        if key == "via":
            continue
        name = gettext(DETAIL_LABELS[key]) if key in DETAIL_LABELS else key.replace("_", " ")
        if key in ("from", "to"):
            shown = code_label("status", value, language)
        elif key == "policy_version":
            shown = policy_label(str(value), language)
        elif key in ENGLISH_LABELS:  # eligibility, capacity, priority... by their labels
            shown = code_label(key, value, language)
        elif isinstance(value, bool):
            shown = gettext("yes") if value else gettext("no")
        else:
            shown = str(value).replace("_", " ")
        parts.append(f"{name} {shown}")
    return ", ".join(parts)


def target_text(target: str, numbers: dict[str, int], language: str) -> str:
    if target.startswith("conversation:"):
        number = numbers.get(target)
        gettext = translator(language)
        return (gettext("Conversation #{id}", id=number) if number is not None
                else gettext("A deleted conversation"))
    return target


def audit_csv(q: AuditQuery, language: str) -> tuple[str, int]:
    """Every entry that matches (newest first), with labels beside the codes."""
    with unit_of_work() as uow:
        rows, total = uow.repository(AuditLog).page(
            AuditQuery(q.actor, q.action, q.date_from, q.date_to, q.reference, 1), MAX_EXPORT)
    numbers = conversation_numbers()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["at_utc", "actor", "actor_name", "action", "action_label", "target",
                     "target_label", "detail", "detail_label"])
    for r in rows:
        writer.writerow([r.at.isoformat(), r.actor, _safe(actor_name(r.actor)), r.action,
                         action_label(r.action, language), r.target,
                         target_text(r.target, numbers, language),
                         ";".join(f"{k}={v}" for k, v in r.detail.items()),
                         _safe(detail_text(r.detail, language))])
    return out.getvalue(), total


def _safe(text: str) -> str:
    return "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text
