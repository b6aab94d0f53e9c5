"""The loopback production shape (scripts/prod.sh) started for a test, on free ports and a
data directory of its own, and a client that reaches it as the outside world would: over
https, trusting only the certificate the shape made."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import Any

from tests.support.servers import PARTNER_WEBHOOK, ROOT, free_port

PROD_SCRIPT = ROOT / "scripts" / "prod.sh"
_SS_LINE = re.compile(r"^LISTEN\s+\S+\s+\S+\s+(?P<local>\S+)\s+\S+\s+(?P<users>.*)$")


@dataclass
class Reply:
    status: int
    headers: Message
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Shape:
    env: dict[str, str]
    data_dir: Path
    tls_port: int
    console_port: int
    action_port: int
    rasa_ports: list[int]
    api_token: str

    @property
    def origin(self) -> str:
        return f"https://127.0.0.1:{self.tls_port}"

    @property
    def prod_dir(self) -> Path:
        return self.data_dir / "prod"

    @property
    def certificate(self) -> Path:
        return self.prod_dir / "tls" / "cert.pem"

    @property
    def access_log(self) -> Path:
        return self.prod_dir / "proxy" / "access.log"

    @property
    def internal_ports(self) -> set[int]:
        return {self.console_port, self.action_port, *self.rasa_ports}

    def tls_context(self) -> ssl.SSLContext:
        """Verifies the server: the shape's own certificate is the only one trusted."""
        return ssl.create_default_context(cafile=str(self.certificate))

    def request(self, path: str, body: Any = None, headers: dict[str, str] | None = None,
                method: str | None = None) -> Reply:
        """Through the TLS origin; any status is returned, not raised."""
        data = None if body is None else json.dumps(body).encode()
        all_headers = {"Content-Type": "application/json"} if data else {}
        request = urllib.request.Request(self.origin + path, data,
                                         {**all_headers, **(headers or {})}, method=method)
        try:
            with urllib.request.urlopen(request, timeout=120,
                                        context=self.tls_context()) as response:
                return Reply(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.headers, error.read())

    def partner_turn(self, token: str, sender: str, message: str) -> list[dict[str, Any]]:
        reply = self.request(PARTNER_WEBHOOK, {"sender": sender, "message": message},
                             {"Authorization": f"Bearer {token}"})
        assert reply.status == 200, (reply.status, reply.body[:300])
        return reply.json

    def tracker(self, sender: str, rasa_port: int) -> dict[str, Any]:
        """Rasa's HTTP API, on loopback only (the proxy never routes it)."""
        request = urllib.request.Request(
            f"http://127.0.0.1:{rasa_port}/conversations/{sender}/tracker",
            headers={"Authorization": f"Bearer {self.api_token}"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())

    def pid(self, name: str) -> int | None:
        """The pid the script recorded for a process (nginx, console, rasa-N, action-server)
        while that process runs."""
        file = self.prod_dir / "run" / f"{name}.pid"
        if not file.exists():
            return None
        pid = int(file.read_text())
        return pid if running(pid) else None

    def processes(self) -> set[int]:
        """Every running process of the shape: the recorded ones and their children (nginx's
        workers)."""
        roots = {pid for pid in (self.pid(name) for name in self.names()) if pid}
        found = set(roots)
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) in roots:  # the parent's pid
                found.add(int(stat.parent.name))
        return found

    def names(self) -> list[str]:
        return ["nginx", "console", *(f"rasa-{i + 1}" for i in range(len(self.rasa_ports))),
                "action-server"]

    def kill(self, name: str) -> None:
        """SIGKILL, as a crash or the OOM killer would, and wait until it is gone."""
        pid = self.pid(name)
        assert pid is not None, name
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while running(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        if name.startswith("rasa-"):  # and its port refuses connections (nothing holds it)
            port = self.rasa_ports[int(name.split("-")[1]) - 1]
            while time.monotonic() < deadline:
                with socket.socket() as probe:
                    if probe.connect_ex(("127.0.0.1", port)) != 0:
                        return
                time.sleep(0.1)
            raise AssertionError(f"{name} is gone but port {port} still accepts connections")

    def script(self, command: str, timeout: float = 420) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(PROD_SCRIPT), command], cwd=ROOT, env=self.env,
                              capture_output=True, text=True, timeout=timeout)


def running(pid: int) -> bool:
    """The process exists and is not a zombie (one whose parent has not reaped it yet has
    exited all the same: its sockets are closed)."""
    try:
        return "State:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False


def listening_sockets() -> list[tuple[str, int, set[int]]]:
    """`ss -ltnp`: every listening TCP socket as (address, port, pids of its processes)."""
    output = subprocess.run(["ss", "-ltnpH"], capture_output=True, text=True,
                            check=True).stdout
    sockets = []
    for line in output.splitlines():
        match = _SS_LINE.match(line)
        if not match:
            continue
        address, _, port = match["local"].rpartition(":")
        pids = {int(pid) for pid in re.findall(r"pid=(\d+)", match["users"])}
        sockets.append((address.strip("[]"), int(port), pids))
    return sockets


@contextmanager
def running_shape(env: dict[str, str], data_dir: Path) -> Iterator[Shape]:
    """scripts/prod.sh up on free ports with these settings; down afterwards, whatever
    happened. RASA_API_TOKEN is left to the script, which makes one on first run."""
    shape = Shape(env={}, data_dir=data_dir, tls_port=free_port(), console_port=free_port(),
                  action_port=free_port(), rasa_ports=[free_port(), free_port()],
                  api_token="")
    shape.env = {
        **{key: value for key, value in env.items() if key != "RASA_API_TOKEN"},
        "HRD_DATA_DIR": str(data_dir),
        "PROD_TLS_PORT": str(shape.tls_port),
        "PROD_CONSOLE_PORT": str(shape.console_port),
        "PROD_ACTION_PORT": str(shape.action_port),
        "PROD_RASA_PORTS": " ".join(map(str, shape.rasa_ports)),
        "PROD_PUBLIC_URL": shape.origin,
    }
    try:
        started = shape.script("up")
        assert started.returncode == 0, started.stdout[-3000:] + started.stderr[-3000:]
        secrets = (data_dir / "prod-secrets.env").read_text().splitlines()
        shape.api_token = dict(line.split("=", 1) for line in secrets)["RASA_API_TOKEN"]
        yield shape
    finally:
        shape.script("down", timeout=120)
