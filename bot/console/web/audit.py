"""The console's audit writes: a case's own trail (bot.store.record_event) when there is a
case, else the console_audit table. Details are codes and ids, never personal data."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from bot.console.web.models import ConsoleAudit
from bot.store import record_event
from bot.store.models import Case, CaseEvent
from bot.store.unit_of_work import Repository, unit_of_work

VIA = {"via": "console"}


def audit_case(reference: str, actor: str, action: str,
               detail: Mapping[str, Any] | None = None) -> None:
    record_event(reference, actor=actor, action=action, detail={**VIA, **(detail or {})})


def audit(actor: str, action: str, target: str | None = None,
          detail: Mapping[str, Any] | None = None) -> None:
    with unit_of_work() as uow:
        uow.repository(AuditTrail).add(actor, action, target, {**VIA, **(detail or {})})


def conversation_key(sender_id: str) -> str:
    """How the audit names a conversation without its sender id (a phone number on SMS)."""
    return "conversation:" + hashlib.sha256(sender_id.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str
    action: str
    target: str
    detail: dict[str, Any]


class AuditTrail(Repository):
    """The console_audit table, and the cases' trails (case_events) read beside it."""

    def add(self, actor: str, action: str, target: str | None, detail: dict[str, Any]) -> None:
        self.session.add(ConsoleAudit(actor=actor, action=action, target=target, detail=detail))

    def entries(self, reference: str | None, limit: int) -> list[AuditEntry]:
        case_query = (sa.select(CaseEvent, Case.reference)
                      .join(Case, Case.id == CaseEvent.case_id)
                      .order_by(CaseEvent.at.desc(), CaseEvent.id.desc()).limit(limit))
        console_query = (sa.select(ConsoleAudit)
                         .order_by(ConsoleAudit.at.desc(), ConsoleAudit.id.desc()).limit(limit))
        if reference:
            case_query = case_query.where(Case.reference == reference)
            console_query = console_query.where(ConsoleAudit.target == reference)
        entries = [AuditEntry(e.at, e.actor, e.action, ref, dict(e.detail or {}))
                   for e, ref in self.session.execute(case_query)]
        entries += [AuditEntry(e.at, e.actor, e.action, e.target or "", dict(e.detail or {}))
                    for e in self.session.execute(console_query).scalars()]
        return entries


def audit_entries(reference: str | None = None, limit: int = 500) -> list[AuditEntry]:
    """Both trails, newest first (a reference narrows it to that case)."""
    with unit_of_work() as uow:
        entries = uow.repository(AuditTrail).entries(reference, limit)
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:limit]
