"""Supervisor review of a case: the reviewed mark, tags and notes (notes encrypted: they
are free text about a person at risk). Every change is written to the case's audit trail
in the same breath."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from bot.console.web.audit import audit_case
from bot.store import crypto
from bot.store.annotation_repository import TAG, Annotations
from bot.store.associated_data import note_label
from bot.store.unit_of_work import unit_of_work

MAX_NOTE_CHARS = 4000


class InvalidInput(ValueError):
    pass


@dataclass(frozen=True)
class Note:
    author: int
    created_at: datetime
    text: str
    uid: str = ""
    # Earlier versions of this note, newest first (an edit keeps them).
    history: tuple[Note, ...] = ()


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


def mark_reviewed(reference: str, user_id: int) -> None:
    with unit_of_work() as uow:
        uow.repository(Annotations).mark_reviewed(reference, user_id)
    audit_case(reference, f"user:{user_id}", "marked_reviewed")


def add_tag(reference: str, user_id: int, text: str) -> str:
    tag = normalize_tag(text)
    with unit_of_work() as uow:
        uow.repository(Annotations).add_tag(reference, user_id, tag)
    audit_case(reference, f"user:{user_id}", "tagged", {"tag": tag})
    return tag


def remove_tag(reference: str, user_id: int, tag: str) -> None:
    tag = normalize_tag(tag)
    with unit_of_work() as uow:
        uow.repository(Annotations).remove_tag(reference, tag)
    audit_case(reference, f"user:{user_id}", "untagged", {"tag": tag})


def add_note(reference: str, user_id: int, text: str) -> None:
    text = text.strip()
    if not text or len(text) > MAX_NOTE_CHARS:
        raise InvalidInput(f"A note is 1-{MAX_NOTE_CHARS} characters.")
    note_uid = secrets.token_hex(16)
    body = crypto.encrypt(text.encode("utf-8"), note_label(reference, note_uid))
    with unit_of_work() as uow:
        uow.repository(Annotations).add_note(reference, user_id, note_uid, body)
    audit_case(reference, f"user:{user_id}", "note_added", {"note": note_uid})


def edit_note(reference: str, user_id: int, note_uid: str, text: str) -> None:
    """A new version of a current note; the earlier one is kept as its history."""
    text = text.strip()
    if not text or len(text) > MAX_NOTE_CHARS:
        raise InvalidInput(f"A note is 1-{MAX_NOTE_CHARS} characters.")
    new_uid = secrets.token_hex(16)
    body = crypto.encrypt(text.encode("utf-8"), note_label(reference, new_uid))
    with unit_of_work() as uow:
        if not uow.repository(Annotations).edit_note(reference, user_id, note_uid, new_uid,
                                                     body):
            raise InvalidInput("That note is not a current note of this case.")
    audit_case(reference, f"user:{user_id}", "note_edited",
               {"note": new_uid, "replaces": note_uid})


def review_state(reference: str) -> ReviewState:
    with unit_of_work() as uow:
        review, tags, rows = uow.repository(Annotations).of_case(reference)
        versions = {n.id: Note(n.author, n.created_at, crypto.decrypt(
            n.body, note_label(reference, n.note_uid)).decode("utf-8"), n.note_uid)
            for n in rows}
        replaced = {n.replaces_id for n in rows if n.replaces_id is not None}
        previous = {n.id: n.replaces_id for n in rows}
        notes = []
        for n in rows:
            if n.id in replaced:
                continue
            history, back = [], previous[n.id]
            while back is not None and back in versions:
                history.append(versions[back])
                back = previous[back]
            notes.append(Note(**{**versions[n.id].__dict__, "history": tuple(history)}))
        return ReviewState(
            reviewed_at=review.reviewed_at if review else None,
            reviewed_by=review.reviewed_by if review else None,
            tags=tuple(tags),
            notes=tuple(notes),
        )
