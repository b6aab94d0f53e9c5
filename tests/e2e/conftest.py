"""One real assistant (Rasa server + action server + SQLite store) for the e2e tests."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.servers import ROOT, VENV_BIN, Assistant, assistant_env, reading_store


@pytest.fixture(scope="session")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    workdir = tmp_path_factory.mktemp("assistant")
    data_dir = workdir / "data"
    env = assistant_env(data_dir)
    subprocess.run([str(VENV_BIN / "hrd"), "db", "upgrade"], cwd=ROOT, env=env, check=True)
    running = Assistant(workdir=workdir, env=env).start()
    try:
        with reading_store(data_dir):  # to check what the servers saved
            yield running
    finally:
        running.stop()


@pytest.fixture(scope="session")
def data_dir(assistant: Assistant) -> Path:
    return Path(assistant.env["HRD_DATA_DIR"])
