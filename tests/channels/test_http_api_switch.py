"""Rasa's HTTP API exists only with RASA_API_TOKEN: run.sh passes --enable-api and the
token only when it is set, and without --enable-api Rasa serves no /conversations route."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from tests.support.servers import ROOT

# Each fake records its command line, then lives a little: run.sh stops everything as soon
# as one process ends, which must not race the others' recording.
FAKE = "#!/bin/sh\necho \"$(basename \"$0\") $*\" >> \"$RECORD\"\nsleep 2\n"


def _fake(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(FAKE)
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


def _run_sh(tmp_path: Path, token: str | None) -> list[str]:
    """scripts/run.sh with every program it starts replaced by a recorder."""
    shutil.copytree(ROOT / "scripts", tmp_path / "scripts")
    for program in ("rasa", "python", "hrd"):
        _fake(tmp_path / ".venv" / "bin" / program)
    _fake(tmp_path / "bin" / "curl")
    record = tmp_path / "record.txt"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HRD_", "RASA_"))}
    env.update(RECORD=str(record), PATH=f"{tmp_path / 'bin'}:{env['PATH']}",
               HRD_DATA_DIR=str(tmp_path / "var"))
    if token is not None:
        env["RASA_API_TOKEN"] = token
    subprocess.run(["bash", str(tmp_path / "scripts" / "run.sh")], env=env, timeout=60,
                   capture_output=True, check=False)
    return [line for line in record.read_text().splitlines() if line.startswith("rasa run ")]


@pytest.mark.parametrize("token", [None, ""])
def test_run_sh_without_token_does_not_enable_the_api(tmp_path: Path, token: str | None) -> None:
    servers = [line for line in _run_sh(tmp_path, token) if "--model" in line]
    assert servers and all("--enable-api" not in line and "--auth-token" not in line
                           for line in servers)


def test_run_sh_with_token_enables_the_api_behind_it(tmp_path: Path) -> None:
    servers = [line for line in _run_sh(tmp_path, "s3cret-token") if "--model" in line]
    assert servers and all("--enable-api --auth-token s3cret-token" in line for line in servers)


def test_rasa_without_enable_api_serves_no_conversations() -> None:
    from rasa.core.run import configure_app
    from sanic import Sanic

    Sanic.test_mode = True  # several apps in one process
    without = {route.path for route in configure_app(enable_api=False).router.routes}
    with_api = {route.path for route in
                configure_app(enable_api=True, auth_token="t").router.routes}
    assert not any("conversations" in path for path in without)
    assert any(path.startswith("conversations/") for path in with_api)
