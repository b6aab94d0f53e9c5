"""Issue 12, keys: with a shared database (DATABASE_URL naming a server) every process
refuses to start without HRD_DATA_KEY, with a clear error, before it serves anything and
before it makes a key file of its own."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.servers import MODEL, ROOT, VENV_BIN, assistant_env, free_port

SHARED_DB = "postgresql://postgres@127.0.0.1:5432/hrd_no_such_database"

PROCESSES = {
    "cli": [str(VENV_BIN / "hrd"), "purge", "--older-than", "30"],
    "console": [sys.executable, "-m", "bot.runtime.console_server"],
    "action_server": [str(VENV_BIN / "rasa"), "run", "actions", "--actions", "actions",
                      "--port", "{port}"],
    "rasa_tracker_store": [str(VENV_BIN / "rasa"), "run", "--model", str(MODEL),
                           "--endpoints", "endpoints.yml", "--port", "{port}"],
}


@pytest.mark.parametrize("name", list(PROCESSES))
def test_shared_database_without_key_refuses_to_start(name: str, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    env = assistant_env(data_dir, DATABASE_URL=SHARED_DB, HRD_CONSOLE_PORT=str(free_port()))
    command = [part.format(port=free_port()) for part in PROCESSES[name]]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=180)  # still up by then: it serves
    assert done.returncode != 0
    assert "DATABASE_URL names a shared database: set HRD_DATA_KEY" in done.stdout + done.stderr
    assert not list(data_dir.glob("**/*.key"))  # no key of its own made on this host
