"""`hrd backup <file>`: the database and the outbox in one encrypted archive (mode 0600).
`hrd restore <file>`: put one back on a fresh data directory or an empty database
(`--force-replace` to replace what is there; `--verify-only` to check an archive).

The archive opens only with the data keyring (HRD_DATA_KEY or the key file, as every
command reads it), which is never in it and never on the command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from bot.cli import CommandError
from bot.store.backup import (
    ArchiveSummary,
    BackupError,
    create_backup,
    existing_keyring,
    missing_keys,
    restore_backup,
    verify_backup,
)
from bot.store.backup_archive import ArchiveError


def register(subparsers: argparse._SubParsersAction) -> None:
    backup = subparsers.add_parser(
        "backup", help="write an encrypted archive of the database and the outbox")
    backup.add_argument("file", type=Path, help="the archive to create (must not exist)")
    backup.set_defaults(handler=backup_command)
    restore = subparsers.add_parser(
        "restore", help="restore an archive into a fresh data directory or empty database")
    restore.add_argument("file", type=Path, help="an archive made by `hrd backup`")
    restore.add_argument("--force-replace", action="store_true",
                         help="replace everything in a database that is not empty")
    restore.add_argument("--verify-only", action="store_true",
                         help="read the whole archive and check it; change nothing")
    restore.set_defaults(handler=restore_command)


def backup_command(args: argparse.Namespace) -> int:
    summary = _refusing(lambda: create_backup(args.file))
    print(f"backed up {_describe(summary)} to {args.file}")
    return 0


def restore_command(args: argparse.Namespace) -> int:
    if args.verify_only:
        summary = _refusing(lambda: verify_backup(args.file))
        print(f"archive is whole and opens with this keyring: {_describe(summary)}")
        _warn_missing(missing_keys(summary, existing_keyring()))
        return 0
    report = _refusing(lambda: restore_backup(args.file, force_replace=args.force_replace))
    replaced = " (the previous content was replaced)" if report.replaced else ""
    print(f"restored {_describe(report.summary)}{replaced}; "
          f"database at revision {report.revision}")
    _warn_missing(report.missing_key_ids)
    return 0


def _warn_missing(key_ids: tuple[str, ...]) -> None:
    if key_ids:
        print(f"warning: the keyring at backup time also held {', '.join(key_ids)}, which this "
              "keyring lacks: data still encrypted under them will not open until they are "
              "added", file=sys.stderr)


def _describe(summary: ArchiveSummary) -> str:
    tables = summary.tables
    return (f"{tables.get('cases', 0)} cases, {tables.get('tracker_events', 0)} tracker "
            f"events, {tables.get('users', 0)} users, {sum(tables.values())} rows in "
            f"{len(tables)} tables, {summary.files} outbox files (schema revision "
            f"{summary.revision}, taken {summary.created_at})")


def _refusing(work: Callable[[], Any]) -> Any:
    """The operator gets one line, never a traceback."""
    try:
        return work()
    except (BackupError, ArchiveError) as error:
        raise CommandError(str(error)) from None
    except SQLAlchemyError as error:
        cause = str(getattr(error, "orig", None) or error).strip().splitlines()
        raise CommandError(f"database error, nothing changed: {cause[0] if cause else ''}"
                           ) from None
    except OSError as error:
        raise CommandError(f"{error.filename or 'file'}: {error.strerror}") from None
