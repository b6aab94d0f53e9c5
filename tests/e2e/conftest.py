"""One real assistant (Rasa server + action server + SQLite store) for the e2e tests."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.servers import ROOT, VENV_BIN, Assistant, assistant_env


@pytest.fixture(scope="session")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    workdir = tmp_path_factory.mktemp("assistant")
    data_dir = workdir / "data"
    env = assistant_env(data_dir)
    subprocess.run([str(VENV_BIN / "hrd"), "db", "upgrade"], cwd=ROOT, env=env, check=True)
    running = Assistant(workdir=workdir, env=env).start()
    # The test process reads the same store as the servers, to check what was saved.
    saved = {key: os.environ.get(key) for key in ("HRD_DATA_DIR", "DATABASE_URL")}
    os.environ["HRD_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    yield running
    running.stop()
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="session")
def data_dir(assistant: Assistant) -> Path:
    return Path(assistant.env["HRD_DATA_DIR"])
