"""A confirmed intake must not be lost when the database is down: it is spooled, encrypted,
to HRD_DATA_DIR/outbox/ and saved later by drain_outbox().

One file per intake_id (named by a hash of it, so no id reaches a file name), written to a
temporary file, fsynced and renamed: a crash leaves either no file or a whole one. A retry
of the same intake finds the file and does not write a second one. A spool file is deleted
only after its case is committed; submit_case is idempotent on intake_id, so a drain
interrupted between commit and delete saves nothing twice.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.exc import DBAPIError, OperationalError

from bot.config import settings
from bot.rules import decide
from bot.store import crypto
from bot.store.associated_data import spool_label
from bot.store.cases import SubmitResult, submit_case
from bot.store.files import fsync_dir, write_private_file

logger = logging.getLogger(__name__)

SPOOL_SUFFIX = ".intake"


@dataclass(frozen=True)
class Queued:
    intake_id: str


def outbox_dir() -> Path:
    return settings().data_dir / "outbox"


def _spool_name(intake_id: str) -> str:
    return hashlib.sha256(intake_id.encode("utf-8")).hexdigest()


def _database_unreachable(error: Exception) -> bool:
    return isinstance(error, OperationalError) or (
        isinstance(error, DBAPIError) and error.connection_invalidated
    )


def submit_or_queue(
    *,
    intake_id: str,
    sender_id: str,
    partner_org: str,
    answers: Mapping[str, Any],
    submitted_at: datetime | None = None,
    created_by: int | None = None,
) -> SubmitResult | Queued:
    """submit_case, or a Queued receipt when the database cannot be reached."""
    submission = {
        "intake_id": intake_id,
        "sender_id": sender_id,
        "partner_org": partner_org,
        "answers": dict(answers),
        # The submission time is when the user confirmed, not when the drain runs.
        "submitted_at": (submitted_at or datetime.now(UTC)).astimezone(UTC).isoformat(),
        "created_by": created_by,
    }
    path = outbox_dir() / (_spool_name(intake_id) + SPOOL_SUFFIX)
    try:
        # Queued earlier: save the spooled submission (its original time), not this retry;
        # if a drain took the file meanwhile, _submit finds its case (idempotent).
        result = (_drain_one(path) if path.exists() else None) or _submit(submission)
    except Exception as error:
        if not _database_unreachable(error):
            raise
        if not path.exists():
            # Bad answers (or no consent) must fail now, as with submit_case, not later in
            # a drain; the decision date is Ottawa's, as in submit_case.
            decide(submission["answers"], spaces_used=0,
                   on=datetime.fromisoformat(submission["submitted_at"]))
            _write_spool(path, submission)
            logger.warning("database unreachable: intake spooled as %s", path.name)
        return Queued(intake_id)
    if spool_files():
        # The database is back: save what waited, without an operator having to notice.
        drain_outbox()
    return result


def _submit(submission: Mapping[str, Any]) -> SubmitResult:
    return submit_case(
        intake_id=submission["intake_id"],
        sender_id=submission["sender_id"],
        partner_org=submission["partner_org"],
        answers=submission["answers"],
        submitted_at=datetime.fromisoformat(submission["submitted_at"]),
        created_by=submission["created_by"],
    )


def _write_spool(path: Path, submission: Mapping[str, Any]) -> None:
    blob = crypto.encrypt_json(submission, spool_label(path.name.removesuffix(SPOOL_SUFFIX)))
    # replace=False: a concurrent retry that spooled this intake first is kept.
    write_private_file(path, blob, replace=False)


def read_spool(path: Path) -> dict[str, Any]:
    return crypto.decrypt_json(path.read_bytes(), spool_label(path.name.removesuffix(SPOOL_SUFFIX)))


def spool_files() -> list[Path]:
    """Spooled intakes, oldest first."""
    directory = outbox_dir()
    if not directory.is_dir():
        return []
    stamped = []
    for path in directory.glob("*" + SPOOL_SUFFIX):
        try:
            stamped.append((path.stat().st_mtime_ns, path.name, path))
        except FileNotFoundError:  # drained concurrently
            continue
    return [path for *_, path in sorted(stamped)]


def _drain_one(path: Path) -> SubmitResult | None:
    try:
        submission = read_spool(path)
    except FileNotFoundError:  # drained concurrently
        return None
    result = _submit(submission)
    path.unlink(missing_ok=True)
    fsync_dir(path.parent)
    logger.info("outbox %s saved as case %s", path.name, result.reference)
    return result


def drain_outbox() -> list[SubmitResult]:
    """Save every spooled intake, oldest first. If the database is still unreachable, stop:
    what is not saved stays spooled for the next drain. Anything else that fails a spool
    file is logged (its name and the error type only) and left in place for an operator."""
    results = []
    for path in spool_files():
        try:
            result = _drain_one(path)
        except Exception as error:
            if _database_unreachable(error):
                logger.warning("outbox drain stopped: database unreachable")
                break
            logger.error("outbox %s not saved: %s", path.name, type(error).__name__)
            continue
        if result is not None:
            results.append(result)
    return results


def queued_count() -> int:
    return len(spool_files())
