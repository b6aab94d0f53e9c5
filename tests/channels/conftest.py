"""One real assistant (Rasa server + action server) with the production credentials.yml,
its own SQLite store, users made with the `hrd` command, and the console on the same data.
HRD_DEV_PARTNER_ORG is empty: only authentication says which organization is talking."""

from __future__ import annotations

import json
import secrets
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.access.cli import hrd, new_token
from tests.channels.messaging import messaging  # noqa: F401 (fixture of the messaging channel tests)
from tests.console.support import MAX_FAILURES, Console, Reply, random_client, running_console
from tests.support.servers import Assistant, production_env, reading_store

WEBHOOK = "/webhooks/partner/webhook"

assert MAX_FAILURES  # the channel uses the same bound as the console tests


@dataclass
class Partners:
    assistant: Assistant
    console: Console
    tokens: dict[str, str]
    data_dir: Path

    def post(self, body: bytes | Any, token: str | None = None, *, client: str | None = None,
             headers: dict[str, str] | None = None) -> Reply:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        all_headers = {"Content-Type": "application/json",
                       "X-Forwarded-For": client or random_client(), **(headers or {})}
        if token is not None:
            all_headers["Authorization"] = f"Bearer {token}"
        request = urllib.request.Request(self.assistant.base + WEBHOOK, raw, all_headers)
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return Reply(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.headers, error.read())

    def say(self, role: str, sender: str, message: str) -> list[dict[str, Any]]:
        reply = self.post({"sender": sender, "message": message}, self.tokens[role])
        assert reply.status == 200, reply.raw[:300]
        return reply.json


def new_sender() -> str:
    return f"partner-{secrets.token_hex(8)}"


@pytest.fixture(scope="session")
def partners(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Partners]:
    workdir = tmp_path_factory.mktemp("partner_channel")
    data_dir = workdir / "data"
    env = production_env(data_dir, HRD_AUTH_MAX_FAILURES=str(MAX_FAILURES),
                         HRD_TRUSTED_PROXIES="1")
    added = hrd("orgs", "add", "ngo_kampala", "Kampala Defenders Network", env=env)
    assert added.returncode == 0, added.stderr
    tokens = {
        "unhcr": new_token("--role", "partner", "--org", "unhcr", "one@unhcr.org", env=env),
        "unhcr2": new_token("--role", "partner", "--org", "unhcr", "two@unhcr.org", env=env),
        "fld": new_token("--role", "partner", "--org", "front_line_defenders",
                         "one@frontlinedefenders.org", env=env),
        "ngo": new_token("--role", "partner", "--org", "ngo_kampala", "staff@ngo.example",
                         env=env),
        "supervisor": new_token("--role", "supervisor", "supervisor@irc.gc.ca", env=env),
        "admin": new_token("--role", "admin", "admin@irc.gc.ca", env=env),
    }
    running = Assistant(workdir=workdir, env=env).start(credentials="credentials.yml")
    try:
        with reading_store(data_dir), \
                running_console({"HRD_DATA_DIR": str(data_dir)}, workdir) as base:
            yield Partners(running, Console(base=base, tokens=tokens, cases={}), tokens,
                           data_dir)
    finally:
        running.stop()
