"""scripts/run.sh itself (what `make run` runs after migrating), on free ports, in a copy of
the checkout's layout: every listener on 127.0.0.1, no secret in `ps`, production unless
development is asked for, the action server refusing forged calls, a short API token
refused before anything starts, and scripts/chat.py talking through the partner channel."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import stat
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.security.conftest import http, listeners
from tests.support.servers import ROOT, VENV_BIN, free_port, wait_until_up

pytestmark = pytest.mark.e2e


def _tree(root: Path, rasa_port: int, action_port: int) -> None:
    """The files run.sh uses, with this test's ports; code and model from this checkout."""
    (root / "scripts").mkdir(parents=True)
    run_sh = (ROOT / "scripts" / "run.sh").read_text()
    run_sh = run_sh.replace("RASA_PORT=5005", f"RASA_PORT={rasa_port}")
    run_sh = run_sh.replace("ACTION_PORT=5055", f"ACTION_PORT={action_port}")
    (root / "scripts" / "run.sh").write_text(run_sh)
    (root / "endpoints.yml").write_text((ROOT / "endpoints.yml").read_text().replace(
        "127.0.0.1:5055", f"127.0.0.1:{action_port}"))
    for name in (".venv", "models", "credentials.yml", "credentials.dev.yml"):
        (root / name).symlink_to(ROOT / name)


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("HRD_", "DATABASE_URL", "REDIS_URL", "RASA_"))}
    env.update(PYTHONPATH=str(ROOT), HRD_DATA_DIR=str(data_dir), **extra)
    return env


def _descendants(pid: int) -> list[int]:
    parents: dict[int, int] = {}
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        parents[int(stat_file.parent.name)] = int(fields[1])
    found, frontier = [], [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, ppid in parents.items() if ppid == parent]
        found += children
        frontier += children
    return found


@dataclass
class MakeRun:
    root: Path
    data_dir: Path
    env: dict[str, str]
    process: subprocess.Popen
    rasa: str
    action: str
    console_port: int
    api_token: str

    @property
    def pids(self) -> list[int]:
        return [self.process.pid, *_descendants(self.process.pid)]


@pytest.fixture(scope="module")
def make_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MakeRun]:
    root = tmp_path_factory.mktemp("make_run")
    rasa_port, action_port, console_port = free_port(), free_port(), free_port()
    _tree(root, rasa_port, action_port)
    data_dir = root / "var"
    token = uuid.uuid4().hex + uuid.uuid4().hex
    env = _env(data_dir, RASA_API_TOKEN=token, HRD_CONSOLE_PORT=str(console_port))
    subprocess.run([str(VENV_BIN / "hrd"), "db", "upgrade"], cwd=root, env=env, check=True,
                   capture_output=True)
    log = root / "run.log"
    with log.open("ab") as handle:
        process = subprocess.Popen(["bash", "scripts/run.sh"], cwd=root, env=env,
                                   stdout=handle, stderr=handle, start_new_session=True)
    running = MakeRun(root, data_dir, env, process, f"http://127.0.0.1:{rasa_port}",
                      f"http://127.0.0.1:{action_port}", console_port, token)
    try:
        wait_until_up(f"{running.action}/health", process, log)
        wait_until_up(f"{running.rasa}/", process, log)
        wait_until_up(f"http://127.0.0.1:{console_port}/api/openapi.json", process, log)
        yield running
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # run.sh's trap stops its children
        try:
            process.wait(timeout=60)
        finally:
            time.sleep(5)  # the servers' own shutdown
            with contextlib.suppress(ProcessLookupError):  # none left of this test's group
                os.killpg(process.pid, signal.SIGKILL)


def test_every_listener_is_on_loopback(make_run: MakeRun) -> None:
    found = listeners(make_run.pids)
    ports = {address.rsplit(":", 1)[1] for address in found}
    assert {make_run.rasa.rsplit(":", 1)[1], make_run.action.rsplit(":", 1)[1],
            str(make_run.console_port)} <= ports, found  # the console included
    assert all(address.startswith("127.0.0.1:") for address in found), found


def test_no_secret_in_ps(make_run: MakeRun) -> None:
    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    assert make_run.api_token not in ps
    for pid in make_run.pids:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
        assert make_run.api_token not in cmdline, cmdline
    secret_file = make_run.data_dir / "action_secret.key"
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    assert secret_file.read_text().strip() not in ps


def test_production_by_default(make_run: MakeRun) -> None:
    answer = http(f"{make_run.rasa}/webhooks/rest/webhook",
                  {"sender": "default-env", "message": "hello",
                   "metadata": {"hrd_auth": {"partner_org": "front_line_defenders"}}})
    assert answer.status == 404


def test_the_action_server_answers_only_rasa(make_run: MakeRun) -> None:
    answer = http(f"{make_run.action}/webhook",
                  {"next_action": "action_submit_referral", "tracker": {"sender_id": "x"}})
    assert answer.status == 401


def test_chat_py_talks_through_the_partner_channel(make_run: MakeRun) -> None:
    command = [sys.executable, str(ROOT / "scripts" / "chat.py"), "--url",
               f"{make_run.rasa}/webhooks/partner/webhook", "--sender", "terminal-test"]
    first = subprocess.run(command, input="hello\n", env=make_run.env, capture_output=True,
                           text=True, timeout=120, cwd=make_run.root)
    assert first.returncode == 0, first.stderr[-2000:]
    assert "Created the local partner account" in first.stdout
    assert "resettlement" in first.stdout  # the assistant's greeting
    token_file = make_run.data_dir / "chat_token"
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    token = token_file.read_text().strip()
    assert token not in first.stdout + first.stderr

    again = subprocess.run(command, input="hello\n", env=make_run.env, capture_output=True,
                           text=True, timeout=120, cwd=make_run.root)
    assert again.returncode == 0 and "Created" not in again.stdout
    assert token_file.read_text().strip() == token
    tracker = http(f"{make_run.rasa}/conversations/terminal-test/tracker",
                   headers={"Authorization": f"Bearer {make_run.api_token}"})
    assert tracker.status == 200
    user_events = [e for e in tracker.json["events"] if e["event"] == "user"]
    assert user_events and all(e["input_channel"] == "partner" for e in user_events)


def test_a_short_token_stops_run_sh_before_anything_starts(tmp_path: Path) -> None:
    rasa_port, action_port = free_port(), free_port()
    _tree(tmp_path, rasa_port, action_port)
    short = "too-short-token"
    process = subprocess.Popen(["bash", "scripts/run.sh"], cwd=tmp_path, text=True,
                               env=_env(tmp_path / "var", RASA_API_TOKEN=short),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               start_new_session=True)
    try:
        stdout, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:  # it started the servers after all: stop every one
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert process.returncode != 0
    assert re.search(r"RASA_API_TOKEN must be at least 32 characters", stderr)
    assert "Stopping" not in stdout  # it stopped before starting any process
    assert short not in stdout + stderr
