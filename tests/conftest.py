"""Fixtures every test directory shares."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.servers import reading_store


@pytest.fixture(autouse=True)
def _reads_the_messaging_store(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test that uses the shared messaging assistant reads that assistant's store, whatever
    other fixtures did to this process's environment in the full-suite order."""
    if "messaging" not in request.fixturenames:
        yield
        return
    shared = request.getfixturevalue("messaging")
    with reading_store(shared.data_dir):
        yield
