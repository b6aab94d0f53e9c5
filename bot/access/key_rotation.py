"""What `hrd keys rotate` must re-encrypt besides cases and transcripts: case notes and
TOTP secrets. bot.store.rotation should call reencrypt_console(new) in its loop, next to
_reencrypt_cases and _reencrypt_tracker; until it does, a rotation that retires the old
key leaves notes unreadable and supervisors unable to sign in (re-enrol with hrd users totp)."""

from __future__ import annotations

import sqlalchemy as sa

from bot.access.models import User
from bot.access.passwords import totp_label
from bot.store import crypto
from bot.store.annotations import CaseNote
from bot.store.associated_data import note_label
from bot.store.db import session_scope
from bot.store.models import Case


def _reencrypt(keyring: crypto.Keyring, blob: bytes, label: str) -> bytes | None:
    """The blob under the current key, or None when it already is."""
    blob = bytes(blob)
    if crypto.key_id_of(blob) == keyring.current_id:
        return None
    return keyring.encrypt(keyring.decrypt(blob, label), label)


def reencrypt_console(keyring: crypto.Keyring) -> int:
    changed = 0
    with session_scope() as session:
        notes = session.execute(
            sa.select(CaseNote.id, CaseNote.note_uid, CaseNote.body, Case.reference)
            .join(Case, Case.id == CaseNote.case_id)).all()
        for row in notes:
            body = _reencrypt(keyring, row.body, note_label(row.reference, row.note_uid))
            if body is not None:
                session.execute(sa.update(CaseNote).where(CaseNote.id == row.id)
                                .values(body=body))
                changed += 1
        users = session.execute(sa.select(User.id, User.totp_secret)
                                .where(User.totp_secret.is_not(None))).all()
        for row in users:
            secret = _reencrypt(keyring, row.totp_secret, totp_label(row.id))
            if secret is not None:
                session.execute(sa.update(User).where(User.id == row.id)
                                .values(totp_secret=secret))
                changed += 1
    return changed
