"""`hrd purge --older-than DAYS`: delete the transcripts of abandoned drafts and of closed
cases idle for DAYS (cases themselves are kept), then erase the space they used (SQLite:
VACUUM and a truncated WAL; PostgreSQL: VACUUM, or VACUUM FULL with --full)."""

from __future__ import annotations

import argparse

from bot.cli import CommandError
from bot.store.retention import EraseIncomplete, purge_transcripts


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "purge", help="delete old transcripts of abandoned drafts and closed cases"
    )
    parser.add_argument("--older-than", type=int, required=True, metavar="DAYS",
                        help="idle for at least this many days")
    parser.add_argument("--dry-run", action="store_true", help="count, delete nothing")
    parser.add_argument("--full", action="store_true",
                        help="PostgreSQL: VACUUM FULL (rewrites the table; pauses conversations)")
    parser.set_defaults(handler=purge_command)


def purge_command(args: argparse.Namespace) -> int:
    if args.older_than < 1:
        raise CommandError("--older-than must be at least 1 day")
    try:
        report = purge_transcripts(args.older_than, dry_run=args.dry_run, full_vacuum=args.full)
    except EraseIncomplete as error:
        raise CommandError(f"rows deleted, but {error}") from error
    verb = "would purge" if args.dry_run else "purged and erased"
    print(f"{verb} {report.events} events of {report.conversations} conversations "
          f"({report.cases_noted} closed cases noted)")
    return 0
