"""One real assistant (Rasa server + action server + SQLite store) for the e2e tests, and a
partner caseworker on the authenticated partner channel (one assistant per module)."""

from __future__ import annotations

import json
import subprocess
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.access.cli import new_token
from tests.support.servers import (
    ROOT,
    VENV_BIN,
    Assistant,
    assistant_env,
    production_env,
    reading_store,
)

WEBHOOK = "/webhooks/partner/webhook"


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


@dataclass
class Caseworker:
    assistant: Assistant
    token: str

    def say(self, sender: str, message: str) -> list[dict[str, Any]]:
        request = urllib.request.Request(
            self.assistant.base + WEBHOOK,
            json.dumps({"sender": sender, "message": message}).encode(),
            {"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=120) as response:
            assert response.status == 200
            return json.loads(response.read())

    def slots(self, sender: str) -> dict[str, Any]:
        return self.assistant.tracker(sender)["slots"]


@pytest.fixture(scope="module")
def caseworker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Caseworker]:
    workdir = tmp_path_factory.mktemp("partner")
    data_dir = workdir / "data"
    env = production_env(data_dir)
    token = new_token("--role", "partner", "--org", "unhcr", "agente@unhcr.org", env=env)
    running = Assistant(workdir=workdir, env=env).start(credentials="credentials.yml")
    try:
        with reading_store(data_dir):  # get_case reads the servers' store
            yield Caseworker(running, token)
    finally:
        running.stop()
