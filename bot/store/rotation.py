"""Key rotation: a new current key, then every ciphertext (case answers and decisions,
tracker events, case notes, outbox spool files, kept turn replies) re-encrypted under it,
and whatever the packages above the store keep encrypted, by steps their caller passes in
(`steps`: the `hrd keys rotate` command passes bot.access's, which re-encrypts TOTP
secrets). The old keys stay in the keyring until nothing is left under them, so a crash
midway loses nothing: rerun it, and it resumes the unfinished rotation (the same new key,
no third one): with a key file, a marker beside it (`<key file>.rotating`) names the key
being rotated to until the rotation is done; with HRD_DATA_KEY, the --keyring-out file
already written is the unfinished rotation when it holds every current key plus a new
current one.

Running servers re-read the key file when it changes, so they encrypt under the new key
from then on. With HRD_DATA_KEY (no key file) the new keyring is written to a file the
operator puts in HRD_DATA_KEY, and the old keys are kept in it: servers still running on
the old variable keep writing under an old key until they are restarted.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bot.store import crypto
from bot.store.annotations import CaseNote
from bot.store.associated_data import (
    answers_label,
    decision_label,
    note_label,
    spool_label,
    tracker_label,
    turn_replies_label,
)
from bot.store.db import session_scope
from bot.store.files import write_private_file
from bot.store.models import Case, TrackerEvent
from bot.store.outbox import SPOOL_SUFFIX, outbox_dir
from bot.store.turn_replies import TurnReply

logger = logging.getLogger(__name__)

_BATCH = 500
_MAX_PASSES = 6


# A re-encryption step: brings one kind of ciphertext under the keyring's current key and
# returns how many it changed (0 when nothing was left under an old key).
ReencryptStep = Callable[[crypto.Keyring], int]


class RotationError(Exception):
    pass


@dataclass
class RotationReport:
    new_key_id: str
    cases: int = 0
    tracker_events: int = 0
    outbox_files: int = 0
    notes: int = 0
    other: int = 0  # kept turn replies, and by the steps passed in
    retired_key_ids: list[str] = field(default_factory=list)
    keyring_file: Path | None = None
    resumed: bool = False  # an interrupted rotation finished


def _marker(key_file: Path) -> Path:
    return key_file.with_name(key_file.name + ".rotating")


def _unfinished(old: crypto.Keyring, keyring_out: Path | None) -> crypto.Keyring | None:
    """The keyring of an interrupted rotation to finish, or None to start a new one."""
    if old.path is not None:
        marker = _marker(old.path)
        try:
            pending = marker.read_text(encoding="ascii").strip()
        except FileNotFoundError:
            return None
        return old if pending == old.current_id else None
    if keyring_out is None or not keyring_out.exists():
        return None
    try:
        new = crypto.parse_keyring(keyring_out.read_text(encoding="ascii"))
    except (OSError, UnicodeError, crypto.KeyringError) as error:
        raise RotationError(f"{keyring_out} exists and is no keyring; choose a new file"
                            ) from error
    if new.current_id in old.keys or any(new.keys.get(k) != v for k, v in old.keys.items()):
        raise RotationError(f"{keyring_out} exists and is not an unfinished rotation of "
                            "these keys; choose a new file")
    return new


def rotate_keys(
    *, keep_old: bool = False, keyring_out: Path | None = None, grace_seconds: float = 2.0,
    steps: Sequence[ReencryptStep] = (),
) -> RotationReport:
    """`steps`: the other packages' re-encryption, run in every pass after the store's
    own. A ciphertext no step covers becomes unreadable once the old key is retired."""
    old = crypto.current_keyring()
    if old.path is None and keyring_out is None:
        raise RotationError("the keys come from HRD_DATA_KEY: give a file for the new keyring")
    unfinished = _unfinished(old, keyring_out)
    new = unfinished or old.with_new_current_key()
    if old.path is not None:
        if unfinished is None:
            # The marker first: a crash before the key file is written leaves a marker
            # naming no current key, which the next run ignores.
            write_private_file(_marker(old.path), new.current_id.encode("ascii"),
                               replace=True)
            crypto.write_key_file(old.path, new)
        target = old.path
    else:
        assert keyring_out is not None
        if unfinished is None:
            write_private_file(keyring_out, (new.to_text() + "\n").encode("ascii"),
                               replace=False)
        target = keyring_out
        keep_old = True
    logger.info("key %s is now current; re-encrypting%s", new.current_id,
                " (resuming an interrupted rotation)" if unfinished else "")
    report = RotationReport(new_key_id=new.current_id, keyring_file=target,
                            resumed=unfinished is not None)
    clean_passes = 0
    for _ in range(_MAX_PASSES):
        changed = (_reencrypt_cases(new), _reencrypt_tracker(new), _reencrypt_outbox(new),
                   _reencrypt_notes(new),
                   _reencrypt_turn_replies(new) + sum(step(new) for step in steps))
        report.cases += changed[0]
        report.tracker_events += changed[1]
        report.outbox_files += changed[2]
        report.notes += changed[3]
        report.other += changed[4]
        clean_passes = 0 if any(changed) else clean_passes + 1
        if clean_passes == 2:
            break
        if clean_passes == 1:
            # A server that read the old key file just before it changed may still commit
            # under the old key: wait out such transactions, then check once more.
            time.sleep(grace_seconds)
    else:
        raise RotationError("data kept appearing under old keys; old keys kept, rerun later")
    if not keep_old and old.path is not None:
        crypto.write_key_file(old.path, new.only_current())
        report.retired_key_ids = [k for k in old.keys if k != new.current_id]
    if old.path is not None:
        _marker(old.path).unlink(missing_ok=True)
    logger.info("rotation to %s done: %d cases, %d tracker events, %d outbox files",
                new.current_id, report.cases, report.tracker_events, report.outbox_files)
    return report


def reencrypted(keyring: crypto.Keyring, blob: bytes, label: str) -> bytes | None:
    """The blob under the current key, or None if it already is."""
    if crypto.key_id_of(bytes(blob)) == keyring.current_id:
        return None
    return keyring.encrypt(keyring.decrypt(bytes(blob), label), label)


def _batches(query: Callable[[int], sa.sql.Select]) -> Iterator[list[sa.engine.Row]]:
    """Rows in id order, a batch per transaction (keeps locks and memory small)."""
    last_id = 0
    while True:
        with session_scope() as session:
            rows = session.execute(query(last_id).limit(_BATCH)).all()
        if not rows:
            return
        yield rows
        last_id = rows[-1].id


def _reencrypt_cases(keyring: crypto.Keyring) -> int:
    def query(after: int) -> sa.sql.Select:
        return (sa.select(Case.id, Case.reference, Case.partner_org, Case.answers,
                          Case.decision)
                .where(Case.id > after).order_by(Case.id))

    count = 0
    for rows in _batches(query):
        with session_scope() as session:
            for row in rows:
                answers = reencrypted(keyring, row.answers,
                                     answers_label(row.reference, row.partner_org))
                decision = reencrypted(keyring, row.decision,
                                      decision_label(row.reference, row.partner_org))
                values = {k: v for k, v in (("answers", answers), ("decision", decision)) if v}
                if values:
                    session.execute(sa.update(Case).where(Case.id == row.id).values(**values))
                    count += 1
    return count


def _reencrypt_column(keyring: crypto.Keyring, model: Any, column: str, select: sa.sql.Select,
                      label: Callable[[sa.engine.Row], str]) -> int:
    """One encrypted column of `model`: `select` gives rows with its id and the ciphertext
    (named `column`), `label` a row's associated data."""
    count = 0
    for rows in _batches(lambda after: select.where(model.id > after).order_by(model.id)):
        with session_scope() as session:
            for row in rows:
                data = reencrypted(keyring, getattr(row, column), label(row))
                if data is not None:
                    session.execute(
                        sa.update(model).where(model.id == row.id).values({column: data}))
                    count += 1
    return count


def _reencrypt_tracker(keyring: crypto.Keyring) -> int:
    select = sa.select(TrackerEvent.id, TrackerEvent.sender_id, TrackerEvent.data)
    return _reencrypt_column(keyring, TrackerEvent, "data", select,
                             lambda row: tracker_label(row.sender_id))


def _reencrypt_notes(keyring: crypto.Keyring) -> int:
    """Case notes (bot.store.annotations), whose label names the case's reference."""
    select = (sa.select(CaseNote.id, CaseNote.note_uid, CaseNote.body, Case.reference)
              .join(Case, Case.id == CaseNote.case_id))
    return _reencrypt_column(keyring, CaseNote, "body", select,
                             lambda row: note_label(row.reference, row.note_uid))


def _reencrypt_turn_replies(keyring: crypto.Keyring) -> int:
    """Replies kept for client retries (bot.store.turn_replies), bound to their key hash."""
    select = sa.select(TurnReply.id, TurnReply.key_hash, TurnReply.data)
    return _reencrypt_column(keyring, TurnReply, "data", select,
                             lambda row: turn_replies_label(row.key_hash))


def _reencrypt_outbox(keyring: crypto.Keyring) -> int:
    count = 0
    directory = outbox_dir()
    if not directory.is_dir():
        return 0
    for path in directory.glob("*" + SPOOL_SUFFIX):
        try:
            blob = path.read_bytes()
        except FileNotFoundError:  # drained meanwhile
            continue
        data = reencrypted(keyring, blob, spool_label(path.name.removesuffix(SPOOL_SUFFIX)))
        if data is not None and path.exists():
            write_private_file(path, data, replace=True)
            count += 1
    return count
