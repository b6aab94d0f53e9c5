"""A development assistant (Rasa + action server + a fresh SQLite store) for benchmarks."""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support.servers import ROOT, VENV_BIN, Assistant, assistant_env


@contextmanager
def dev_assistant() -> Iterator[Assistant]:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        env = assistant_env(workdir / "data")
        subprocess.run([str(VENV_BIN / "hrd"), "db", "upgrade"], cwd=ROOT, env=env, check=True)
        assistant = Assistant(workdir=workdir, env=env).start()
        try:
            yield assistant
        finally:
            assistant.stop()
