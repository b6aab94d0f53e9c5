"""The one way code outside the store reaches the database: a unit of work (one
transaction) that hands out repositories.

A package that has tables keeps its models and a small repository class over a session
(`class Users(Repository)`); it never opens a session itself:

    with unit_of_work() as uow:
        user = uow.repository(Users).by_login(login)

The transaction commits when the block ends and rolls back if it raises."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.store.db import session_scope

R = TypeVar("R", bound="Repository")


def dialect_insert(session: Session) -> Any:
    """The database's own INSERT, which has ON CONFLICT (PostgreSQL and SQLite alike)."""
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


class Repository:
    """Reads and writes one package's tables inside a unit of work."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _insert(self) -> Any:
        return dialect_insert(self.session)


class UnitOfWork:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._repositories: dict[type, Repository] = {}

    def repository(self, kind: type[R]) -> R:
        found = self._repositories.get(kind)
        if found is None:
            found = self._repositories[kind] = kind(self.session)
        return found  # type: ignore[return-value]


@contextmanager
def unit_of_work(read_only: bool = False) -> Iterator[UnitOfWork]:
    """read_only: the transaction only reads (bot.store.db: on SQLite it does not wait for
    the write lock, and a write in it fails)."""
    with session_scope(read_only) as session:
        yield UnitOfWork(session)
