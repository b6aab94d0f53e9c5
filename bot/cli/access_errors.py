"""Turns access and database failures into the CLI's one-line errors (exit 2)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import OperationalError, ProgrammingError

from bot.access import AccessError
from bot.cli import CommandError


@contextmanager
def cli_errors() -> Iterator[None]:
    try:
        yield
    except AccessError as error:
        raise CommandError(str(error)) from error
    except (OperationalError, ProgrammingError) as error:
        # Missing tables or an unreachable database; the details may hold the URL.
        raise CommandError(
            "the database is not reachable or not migrated: check DATABASE_URL, then run"
            " `hrd db upgrade`"
        ) from error
