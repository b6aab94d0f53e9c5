"""The real Rasa server and action server, started once per test session on free ports."""

from __future__ import annotations

import itertools
import json
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.runtime.secret_settings import ACTION_SECRET_FILE

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
MODEL = ROOT / "models" / "current.tar.gz"
PYTHON = str(VENV_BIN / "python")
PARTNER_WEBHOOK = "/webhooks/partner/webhook"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def stop_processes(*processes: subprocess.Popen) -> None:
    """Ask every process to stop, then kill any still running after 20 s."""
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited early:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not come up:\n{log.read_text()[-4000:]}")


@dataclass
class Assistant:
    """A running assistant: the test talks to it as a client would."""

    workdir: Path
    env: dict[str, str]
    rasa_port: int = field(default_factory=free_port)
    action_port: int = field(default_factory=free_port)
    # At least 32 characters, or the Rasa server refuses to start (bot/runtime).
    api_token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    # Settings for the action server only (e.g. a bad key, to make an action fail).
    action_env: dict[str, str] = field(default_factory=dict)
    processes: list[subprocess.Popen] = field(default_factory=list)
    model: Path = MODEL

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def logs(self) -> list[Path]:
        return sorted(self.workdir.glob("*.log"))

    @property
    def action_secret(self) -> str:
        """The secret Rasa sends the action server: the key file both read, as under make run."""
        return (Path(self.env["HRD_DATA_DIR"]) / ACTION_SECRET_FILE).read_text().strip()

    def start(self, credentials: str = "credentials.dev.yml") -> Assistant:
        """Both servers as scripts/run.sh starts them: bot.runtime's entrypoints, the
        shared secret created by the preflight, RASA_API_TOKEN only in the environment."""
        subprocess.run([PYTHON, "-m", "bot.runtime.preflight"], cwd=ROOT, env=self.env,
                       check=True)
        self.processes.append(self._spawn_action_server())
        self.processes.append(self._spawn_rasa_server(credentials))
        self._wait_for_action_server()
        self._wait_for_rasa_server()
        return self

    def another_rasa_server(self, workdir: Path,
                            credentials: str = "credentials.dev.yml") -> Assistant:
        """One more Rasa server on this one's action server, settings and API token, as
        production scales out; its stop() stops only that Rasa server."""
        other = Assistant(workdir=workdir, env=self.env, action_port=self.action_port,
                          api_token=self.api_token)
        other.processes.append(other._spawn_rasa_server(credentials))
        try:
            other._wait_for_rasa_server()
        except BaseException:
            other.stop()
            raise
        return other

    def _spawn_rasa_server(self, credentials: str) -> subprocess.Popen:
        endpoints = self.workdir / "endpoints.yml"
        endpoints.write_text(
            (ROOT / "endpoints.yml")
            .read_text()
            .replace("127.0.0.1:5055", f"127.0.0.1:{self.action_port}")
        )
        return self._spawn(
            [PYTHON, "-m", "bot.runtime.rasa_server", "--model", str(self.model),
             "--endpoints", str(endpoints), "--credentials", str(ROOT / credentials),
             "--port", str(self.rasa_port)],
            self.workdir / "rasa_server.log", {**self.env, "RASA_API_TOKEN": self.api_token},
        )

    def _wait_for_rasa_server(self) -> None:
        wait_until_up(f"{self.base}/", self.processes[-1], self.workdir / "rasa_server.log")

    def restart_action_server(self, **action_env: str) -> None:
        """The action server again with these settings of its own; Rasa keeps running."""
        stop_processes(self.processes[0])
        self.action_env = action_env
        self.processes[0] = self._spawn_action_server()
        self._wait_for_action_server()

    def _spawn_action_server(self) -> subprocess.Popen:
        return self._spawn(
            [PYTHON, "-m", "bot.runtime.action_server", "--port", str(self.action_port)],
            self.workdir / "action_server.log", {**self.env, **self.action_env},
        )

    def _wait_for_action_server(self) -> None:
        wait_until_up(f"http://127.0.0.1:{self.action_port}/health", self.processes[0],
                      self.workdir / "action_server.log")

    @staticmethod
    def _spawn(command: list[str], log: Path, env: dict[str, str]) -> subprocess.Popen:
        with log.open("ab") as handle:
            return subprocess.Popen(command, cwd=ROOT, env=env, stdout=handle, stderr=handle)

    def stop(self) -> None:
        stop_processes(*self.processes)

    def post(self, path: str, body: Any, headers: dict[str, str] | None = None) -> Any:
        request = urllib.request.Request(
            f"{self.base}{path}",
            json.dumps(body).encode(),
            {"Content-Type": "application/json", **(headers or {})},
        )
        with urllib.request.urlopen(request, timeout=120) as response:
            return json.loads(response.read())

    def say(self, sender: str, message: str) -> list[dict[str, Any]]:
        """One turn through the REST channel; the bot's replies."""
        return self.post("/webhooks/rest/webhook", {"sender": sender, "message": message})

    def tracker(self, sender: str) -> dict[str, Any]:
        """Through Rasa's HTTP API, the token in a header (never in the URL)."""
        request = urllib.request.Request(
            f"{self.base}/conversations/{sender}/tracker",
            headers={"Authorization": f"Bearer {self.api_token}"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())


def assistant_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("HRD_", "DATABASE_URL", "REDIS_URL", "RASA_"))
    }
    env.update(
        HRD_DATA_DIR=str(data_dir),
        HRD_ENV="development",
        HRD_DEV_PARTNER_ORG="unhcr",
        SQLALCHEMY_SILENCE_UBER_WARNING="1",
        TF_CPP_MIN_LOG_LEVEL="3",
        PYTHONWARNINGS="ignore",
        RASA_TELEMETRY_ENABLED="false",
        **extra,
    )
    return env


def production_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """assistant_env for the production channels (credentials.yml, organization only from a
    token), with the database at `data_dir` migrated."""
    env = assistant_env(data_dir, **extra)
    env.update(HRD_DEV_PARTNER_ORG="", HRD_ENV="production")
    subprocess.run([sys.executable, "-c", "from bot.store.db import upgrade; upgrade()"],
                   cwd=ROOT, env=env, check=True)
    return env


@contextmanager
def reading_store(data_dir: Path) -> Iterator[None]:
    """Point this test process at the servers' store (to check what they saved), then back."""
    saved = {key: os.environ.get(key) for key in ("HRD_DATA_DIR", "DATABASE_URL")}
    os.environ["HRD_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def reply_texts(replies: list[dict[str, Any]]) -> str:
    return "\n".join(reply.get("text", "") for reply in replies)


def round_robin(servers: list[Assistant], token: str
                ) -> Callable[[str, str], list[dict[str, Any]]]:
    """A partner caseworker's turn (Bearer token) to the partner channel; each conversation's
    turns go to the servers in turn, so every conversation moves between Rasa processes."""
    turns: dict[str, itertools.count] = {}
    guard = threading.Lock()

    def say(sender: str, message: str) -> list[dict[str, Any]]:
        with guard:
            turn = next(turns.setdefault(sender, itertools.count()))
        return servers[turn % len(servers)].post(
            PARTNER_WEBHOOK, {"sender": sender, "message": message},
            {"Authorization": f"Bearer {token}"})

    return say
