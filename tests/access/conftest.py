from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.access.databases import KINDS, temporary_database


@pytest.fixture(params=KINDS)
def database(request: pytest.FixtureRequest, tmp_path) -> Iterator[dict[str, str]]:
    """A fresh migrated database, on SQLite and on PostgreSQL."""
    with temporary_database(request.param, tmp_path / "data") as env:
        yield env
