"""`make run` under supervisord (scripts/run.sh), on free ports in a copy of the checkout's
layout: a process killed with SIGKILL comes back by itself while the others keep serving,
one that keeps dying at start is retried with a growing delay and then left FATAL without
taking the others down, and SIGTERM to run.sh stops everything, with no process left and
every port free. Each server's health endpoint tells when it is back."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.support.servers import ROOT, VENV_BIN, free_port, wait_until_up

pytestmark = pytest.mark.e2e

START_RETRIES = 3  # run.sh's 5, fewer here to keep the test short
PROGRAMS = ("action-server", "console", "rasa")


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


def http(url: str, body: Any = None, headers: dict[str, str] | None = None,
         timeout: float = 60) -> Answer:
    """One request; an HTTP error is an answer like any other, no answer is status 0."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data, {"Content-Type": "application/json",
                                                 **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Answer(response.status, response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.read())
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return Answer(0, b"")


def eventually(check: Callable[[], bool], timeout: float, what: str, log: Path) -> float:
    """Seconds until check() holds; fails with run.sh's log after `timeout`."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if check():
            return time.monotonic() - start
        time.sleep(0.5)
    pytest.fail(f"{what} not within {timeout} s:\n{log.read_text()[-4000:]}")


@dataclass
class Supervised:
    root: Path
    data_dir: Path
    env: dict[str, str]
    process: subprocess.Popen
    log: Path
    rasa: str
    action: str
    console: str
    api_token: str
    action_port: int
    ports: tuple[int, int, int]
    partner_token: str = ""

    def ctl(self, *args: str) -> str:
        result = subprocess.run(["bash", "scripts/processes.sh", *args], cwd=self.root,
                                env=self.env, capture_output=True, text=True, timeout=60)
        return result.stdout

    def pid(self, program: str) -> int:
        return int(self.ctl("pid", program).strip())

    def state(self, program: str) -> str:
        return self.ctl("status", program).split()[1]

    def chat(self, sender: str, message: str = "hello") -> Answer:
        return http(f"{self.rasa}/webhooks/partner/webhook",
                    {"sender": sender, "message": message},
                    {"Authorization": f"Bearer {self.partner_token}"})

    def chat_answers(self, sender: str) -> bool:
        answer = self.chat(sender)
        return answer.status == 200 and bool(answer.json)

    def up(self, url: str) -> bool:
        return http(url, timeout=10).status == 200


def _tree(root: Path, rasa_port: int, action_port: int) -> None:
    """The files run.sh uses, with this test's ports; code and model from this checkout."""
    (root / "scripts").mkdir(parents=True)
    run_sh = (ROOT / "scripts" / "run.sh").read_text()
    for old, new in (("RASA_PORT=5005", f"RASA_PORT={rasa_port}"),
                     ("ACTION_PORT=5055", f"ACTION_PORT={action_port}"),
                     ("startretries=5", f"startretries={START_RETRIES}")):
        assert old in run_sh
        run_sh = run_sh.replace(old, new)
    (root / "scripts" / "run.sh").write_text(run_sh)
    (root / "scripts" / "processes.sh").write_text(
        (ROOT / "scripts" / "processes.sh").read_text())
    (root / "endpoints.yml").write_text((ROOT / "endpoints.yml").read_text().replace(
        "127.0.0.1:5055", f"127.0.0.1:{action_port}"))
    for name in (".venv", "models", "credentials.yml", "credentials.dev.yml"):
        (root / name).symlink_to(ROOT / name)


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


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _bound(sock: socket.socket, port: int) -> bool:
    try:
        sock.bind(("127.0.0.1", port))
    except OSError:
        return False
    return True


def _port_free(port: int) -> bool:
    """Nothing listens on it (connections left in TIME_WAIT do not count)."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        return _bound(sock, port)


@pytest.fixture(scope="module")
def supervised(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Supervised]:
    root = tmp_path_factory.mktemp("supervised")
    rasa_port, action_port, console_port = free_port(), free_port(), free_port()
    _tree(root, rasa_port, action_port)
    data_dir = root / "var"
    token = uuid.uuid4().hex + uuid.uuid4().hex
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("HRD_", "DATABASE_URL", "REDIS_URL", "RASA_"))}
    env.update(PYTHONPATH=str(ROOT), HRD_DATA_DIR=str(data_dir), RASA_API_TOKEN=token,
               HRD_CONSOLE_PORT=str(console_port))
    subprocess.run([str(VENV_BIN / "hrd"), "db", "upgrade"], cwd=root, env=env, check=True,
                   capture_output=True)
    log = root / "run.log"
    with log.open("ab") as handle:
        process = subprocess.Popen(["bash", "scripts/run.sh"], cwd=root, env=env,
                                   stdout=handle, stderr=handle, start_new_session=True)
    running = Supervised(root, data_dir, env, process, log, f"http://127.0.0.1:{rasa_port}",
                         f"http://127.0.0.1:{action_port}", f"http://127.0.0.1:{console_port}",
                         token, action_port, (rasa_port, action_port, console_port))
    pids: list[int] = []
    try:
        wait_until_up(f"{running.action}/health", process, log)
        wait_until_up(f"{running.console}/healthz", process, log)
        wait_until_up(f"{running.rasa}/health", process, log)
        # The local partner account scripts/chat.py creates, for chat turns.
        chat = subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "chat.py"), "--url",
             f"{running.rasa}/webhooks/partner/webhook", "--sender", "supervised-setup"],
            input="hello\n", env=env, capture_output=True, text=True, timeout=120, cwd=root)
        assert chat.returncode == 0, chat.stderr[-2000:]
        running.partner_token = (data_dir / "chat_token").read_text().strip()
        yield running
    finally:
        pids = _descendants(process.pid)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=60)
        for pid in pids:  # whatever a failed test left: supervisord's children have groups
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)


def test_the_control_socket_is_private_and_no_secret_is_in_ps(supervised: Supervised) -> None:
    socket_path = supervised.data_dir / "supervisor.sock"
    assert stat.S_ISSOCK(socket_path.stat().st_mode)
    assert stat.S_IMODE(socket_path.stat().st_mode) == 0o700
    conf = (supervised.data_dir / "supervisord.conf").read_text()
    assert "inet_http_server" not in conf and supervised.api_token not in conf
    # Rasa counts as started after 60 s up (run.sh's startsecs), however soon it serves.
    states = {name: supervised.state(name) for name in PROGRAMS}
    assert set(states.values()) <= {"RUNNING", "STARTING"}, states
    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    secret = (supervised.data_dir / "action_secret.key").read_text().strip()
    assert supervised.api_token not in ps and secret not in ps
    assert supervised.partner_token not in ps


def test_health_endpoints_tell_states_only(supervised: Supervised) -> None:
    rasa = http(f"{supervised.rasa}/health")
    assert rasa.status == 200
    assert rasa.json == {"status": "ok", "model": "loaded", "action_server": "reachable"}
    assert http(f"{supervised.action}/health").json == {"status": "ok"}
    assert http(f"{supervised.console}/healthz").json == {"status": "ok"}
    ready = http(f"{supervised.console}/readyz")
    assert (ready.status, ready.json) == (200, {"status": "ok", "database": "reachable"})


def test_each_killed_process_comes_back_while_the_others_serve(
        supervised: Supervised) -> None:
    s = supervised
    signin = f"{s.console}/signin"

    # The action server: Rasa and the console keep serving; Rasa's health tells it is gone.
    old = s.pid("action-server")
    os.kill(old, signal.SIGKILL)
    assert s.up(signin)
    gone = http(f"{s.rasa}/health")
    assert gone.status == 200 and gone.json["model"] == "loaded"
    eventually(lambda: s.up(f"{s.action}/health"), 90, "the action server back", s.log)
    assert s.pid("action-server") != old
    eventually(lambda: http(f"{s.rasa}/health").json.get("action_server") == "reachable",
               30, "Rasa seeing the action server again", s.log)
    assert s.chat_answers("after-action-server")

    # The console: chat turns go on through the partner channel meanwhile.
    old = s.pid("console")
    os.kill(old, signal.SIGKILL)
    assert s.chat_answers("during-console-outage")
    eventually(lambda: s.up(f"{s.console}/readyz"), 90, "the console back", s.log)
    assert s.pid("console") != old and s.up(signin)

    # The Rasa server: the console and the action server keep serving while it loads.
    old = s.pid("rasa")
    os.kill(old, signal.SIGKILL)
    eventually(lambda: not s.up(f"{s.rasa}/health"), 10, "the Rasa server down", s.log)
    assert s.up(signin) and s.up(f"{s.action}/health") and s.up(f"{s.console}/readyz")
    eventually(lambda: s.up(f"{s.rasa}/health"), 240, "the Rasa server back", s.log)
    assert s.pid("rasa") != old
    assert s.chat_answers("after-rasa")
    assert {s.state(name) for name in ("action-server", "console")} <= {"RUNNING", "STARTING"}


_LINE = re.compile(r"^(\S+ \S+) (?:INFO|WARN) (spawned: 'action-server'|exited: action-server|"
                   r"gave up: action-server)")


def _events(log: Path, since: int) -> list[tuple[datetime, str]]:
    found = []
    for line in log.read_text().splitlines()[since:]:
        match = _LINE.match(line)
        if match:
            found.append((datetime.strptime(match[1], "%Y-%m-%d %H:%M:%S,%f"),
                          match[2].split(":")[0]))
    return found


def test_a_process_that_keeps_dying_backs_off_then_is_fatal_alone(
        supervised: Supervised) -> None:
    s = supervised
    supervisord_log = s.data_dir / "supervisord.log"
    since = len(supervisord_log.read_text().splitlines())
    # Its port taken: every new action server fails at start.
    blocker = socket.socket()
    try:
        blocker.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        os.kill(s.pid("action-server"), signal.SIGKILL)
        eventually(lambda: _bound(blocker, s.action_port), 10, "the action server's port",
                   s.log)  # long before its next start gets there
        blocker.listen()
        eventually(lambda: s.state("action-server") == "FATAL", 150,
                   "the action server FATAL", s.log)
        # The others never stopped; Rasa's health tells the action server is not there.
        assert s.up(f"{s.console}/readyz")
        rasa = http(f"{s.rasa}/health")
        assert rasa.status == 200 and rasa.json["action_server"] == "unreachable"
        assert {s.state("rasa"), s.state("console")} <= {"RUNNING", "STARTING"}
    finally:
        blocker.close()
    events = _events(supervisord_log, since)
    spawns = [when for when, kind in events if kind == "spawned"]
    exits = [when for when, kind in events if kind == "exited"]
    assert len(spawns) == START_RETRIES + 1, supervisord_log.read_text()[-3000:]
    assert events[-1][1] == "gave up"
    # The first start follows the kill at once; after each failed start the next one waits
    # longer: 1 s, 2 s, 3 s ...
    delays = [(spawn - exit_).total_seconds()
              for exit_, spawn in zip(exits[1:], spawns[1:], strict=False)]
    assert len(delays) == START_RETRIES
    # supervisord waits at least n s before the n-th retry (its loop adds up to ~1 s).
    assert all(n - 0.1 <= delay < n + 1.5 for n, delay in enumerate(delays, 1)), delays
    assert delays[-1] > delays[0] + 1, delays
    # Started again by hand through the control socket once its port is free.
    s.ctl("start", "action-server")
    eventually(lambda: s.up(f"{s.action}/health"), 90, "the action server started again",
               s.log)


def test_sigterm_to_run_sh_stops_everything(supervised: Supervised) -> None:
    s = supervised
    pids = _descendants(s.process.pid)
    assert len(pids) >= 4  # supervisord and its three servers
    started = time.monotonic()
    s.process.send_signal(signal.SIGTERM)
    s.process.wait(timeout=60)
    stopped = time.monotonic() - started
    assert "Stopping" in s.log.read_text()
    eventually(lambda: not any(_alive(pid) for pid in pids), 10, "no process left", s.log)
    assert all(_port_free(port) for port in s.ports)
    assert not (s.data_dir / "supervisor.sock").exists()
    assert stopped < 40, stopped


def _console(tmp_path: Path, port: int, database_url: str | None = None
             ) -> tuple[subprocess.Popen, Path, str]:
    """A console alone on `port` (the process, its log, its keyring)."""
    keyring = subprocess.run([str(VENV_BIN / "hrd"), "keys", "generate"], capture_output=True,
                             text=True, check=True).stdout.strip().splitlines()[-1]
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("HRD_", "DATABASE_URL", "REDIS_URL", "RASA_"))}
    env.update(PYTHONPATH=str(ROOT), HRD_DATA_DIR=str(tmp_path), HRD_ENV="development",
               HRD_DATA_KEY=keyring, HRD_CONSOLE_PORT=str(port))
    if database_url:
        env["DATABASE_URL"] = database_url
    log = tmp_path / "console.log"
    with log.open("ab") as handle:
        process = subprocess.Popen(
            [str(VENV_BIN / "python"), "-m", "bot.runtime.console_server"], cwd=ROOT,
            env=env, stdout=handle, stderr=handle)
    return process, log, keyring


def test_console_readiness_tells_an_unreachable_database(tmp_path: Path) -> None:
    """Alive, not ready: /healthz 200, /readyz 503, and nothing about the database but that."""
    port = free_port()
    unreachable = "postgresql://hrd@127.0.0.1:1/hrd_nowhere"
    process, log, keyring = _console(tmp_path, port, unreachable)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(f"{base}/healthz", process, log, timeout=120)
        assert http(f"{base}/healthz").json == {"status": "ok"}
        ready = http(f"{base}/readyz")
        assert ready.status == 503
        assert ready.json == {"status": "unavailable", "database": "unreachable"}
        assert b"127.0.0.1:1" not in ready.body and b"hrd_nowhere" not in ready.body
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert unreachable not in log.read_text() and keyring not in log.read_text()


def test_a_console_that_cannot_listen_exits_with_an_error(tmp_path: Path) -> None:
    """Sanic returns normally when its port is taken: the console must still exit 1, so that
    supervisord counts a failed start and backs off (bot.runtime.listening)."""
    blocker = socket.socket()
    try:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        process, log, _ = _console(tmp_path, blocker.getsockname()[1])
        assert process.wait(timeout=120) == 1, log.read_text()[-2000:]
    finally:
        blocker.close()
    assert "the console could not start listening" in log.read_text()
