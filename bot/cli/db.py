"""`hrd db upgrade` / `hrd db current`: the case database schema (bot/store/migrations).
`hrd db drain-outbox`: save the intakes spooled while the database was down."""

from __future__ import annotations

import argparse

from bot.store import db
from bot.store.outbox import drain_outbox, queued_count


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("db", help="the case database")
    commands = parser.add_subparsers(dest="db_command", required=True)
    upgrade = commands.add_parser("upgrade", help="apply the migrations (idempotent)")
    upgrade.set_defaults(handler=upgrade_db)
    current = commands.add_parser("current", help="print the schema revision")
    current.set_defaults(handler=show_current)
    drain = commands.add_parser("drain-outbox", help="save intakes spooled while it was down")
    drain.set_defaults(handler=drain_command)


def upgrade_db(args: argparse.Namespace) -> int:
    db.upgrade()
    print(f"database at revision {db.current_revision()}")
    return 0


def show_current(args: argparse.Namespace) -> int:
    print(db.current_revision() or "(empty database: run `hrd db upgrade`)")
    return 0


def drain_command(args: argparse.Namespace) -> int:
    results = drain_outbox()
    for result in results:
        print(f"saved {result.reference}" + ("" if result.created else " (already saved)"))
    left = queued_count()
    print(f"{len(results)} saved, {left} still queued")
    return 1 if left else 0
