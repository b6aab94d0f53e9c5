"""Supervisor review of a case: the reviewed mark, tags and notes (notes encrypted: they
are free text about a person at risk). Every change is written to the case's audit trail
in the same breath."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from bot.console.web.audit import audit_case
from bot.store import CaseNotFound, crypto
from bot.store.annotations import CaseNote, CaseReview, CaseTag
from bot.store.associated_data import note_label
from bot.store.db import session_scope
from bot.store.models import Case, utcnow

TAG = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")
MAX_NOTE_CHARS = 4000


class InvalidInput(ValueError):
    pass


@dataclass(frozen=True)
class Note:
    author: int
    created_at: datetime
    text: str


@dataclass(frozen=True)
class ReviewState:
    reviewed_at: datetime | None
    reviewed_by: int | None
    tags: tuple[str, ...]
    notes: tuple[Note, ...]


def normalize_tag(text: str) -> str:
    tag = text.strip().lower().replace(" ", "-")
    if not TAG.fullmatch(tag):
        raise InvalidInput("A tag is 1-40 lower-case letters, digits, - or _.")
    return tag


def _case_id(session: sa.orm.Session, reference: str) -> int:
    case_id = session.execute(sa.select(Case.id).where(Case.reference == reference)
                              ).scalar_one_or_none()
    if case_id is None:
        raise CaseNotFound(reference)
    return int(case_id)


def _insert(session: sa.orm.Session) -> Any:  # the dialect's INSERT ... ON CONFLICT
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def mark_reviewed(reference: str, user_id: int) -> None:
    with session_scope() as session:
        case_id = _case_id(session, reference)
        session.execute(_insert(session)(CaseReview).values(
            case_id=case_id, reviewed_by=user_id, reviewed_at=utcnow()).on_conflict_do_nothing())
    audit_case(reference, f"user:{user_id}", "marked_reviewed")


def add_tag(reference: str, user_id: int, text: str) -> str:
    tag = normalize_tag(text)
    with session_scope() as session:
        case_id = _case_id(session, reference)
        session.execute(_insert(session)(CaseTag).values(
            case_id=case_id, tag=tag, added_by=user_id, added_at=utcnow()
        ).on_conflict_do_nothing())
    audit_case(reference, f"user:{user_id}", "tagged", {"tag": tag})
    return tag


def remove_tag(reference: str, user_id: int, tag: str) -> None:
    tag = normalize_tag(tag)
    with session_scope() as session:
        case_id = _case_id(session, reference)
        session.execute(sa.delete(CaseTag).where(CaseTag.case_id == case_id, CaseTag.tag == tag))
    audit_case(reference, f"user:{user_id}", "untagged", {"tag": tag})


def add_note(reference: str, user_id: int, text: str) -> None:
    text = text.strip()
    if not text or len(text) > MAX_NOTE_CHARS:
        raise InvalidInput(f"A note is 1-{MAX_NOTE_CHARS} characters.")
    note_uid = secrets.token_hex(16)
    with session_scope() as session:
        case_id = _case_id(session, reference)
        session.add(CaseNote(note_uid=note_uid, case_id=case_id, author=user_id,
                             created_at=utcnow(),
                             body=crypto.encrypt(text.encode("utf-8"),
                                                 note_label(reference, note_uid))))
    audit_case(reference, f"user:{user_id}", "note_added", {"note": note_uid})


def review_state(reference: str) -> ReviewState:
    with session_scope() as session:
        case_id = _case_id(session, reference)
        review = session.get(CaseReview, case_id)
        tags = session.execute(sa.select(CaseTag.tag).where(CaseTag.case_id == case_id)
                               .order_by(CaseTag.tag)).scalars().all()
        notes = session.execute(sa.select(CaseNote).where(CaseNote.case_id == case_id)
                                .order_by(CaseNote.id)).scalars().all()
        return ReviewState(
            reviewed_at=review.reviewed_at if review else None,
            reviewed_by=review.reviewed_by if review else None,
            tags=tuple(tags),
            notes=tuple(Note(n.author, n.created_at, crypto.decrypt(
                n.body, note_label(reference, n.note_uid)).decode("utf-8")) for n in notes),
        )
