"""What the servers saved, read back from their store: the check that every intake's case was
saved exactly once (the benchmark and the production set-up's e2e test)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import sqlalchemy as sa

from bot.store.db import session_scope
from bot.store.models import Case
from tests.support.servers import reading_store

REFERENCE = re.compile(r"\bHRD-\d{4}-\d{5}\b")


def check_saved_once(data_dir: Path, saved: dict[str, str | None],
                     database_url: str | None = None) -> list[str]:
    """Every intake's case is in the store exactly once, under the reference it was given."""
    problems = [f"{sender}: no reference in the reply" for sender, ref in saved.items() if not ref]
    with reading_store(data_dir):
        if database_url:
            os.environ["DATABASE_URL"] = database_url  # reading_store puts it back
        with session_scope() as session:
            rows = session.execute(
                sa.select(Case.sender_id, Case.reference).where(Case.sender_id.in_(list(saved)))
            ).all()
    stored: dict[str, list[str]] = {}
    for sender, reference in rows:
        stored.setdefault(sender, []).append(reference)
    for sender, reference in saved.items():
        if reference and stored.get(sender) != [reference]:
            problems.append(f"{sender}: replied {reference}, stored {stored.get(sender)}")
    return problems
