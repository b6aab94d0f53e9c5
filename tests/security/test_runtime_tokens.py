"""RASA_API_TOKEN: never on a command line, at least 32 characters, sent as a header by the
project's own clients (the contract keeps `?token=` for operators)."""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.security.conftest import Running, http
from tests.support.rasa_patches import keep_rasa_as_shipped
from tests.support.servers import MODEL, ROOT, assistant_env

SHORT = "s3cret-but-31-characters-long!!"


def _start(module: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    args = ["--model", str(MODEL), "--credentials", "credentials.yml"] \
        if module == "bot.runtime.rasa_server" else []
    return subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT,
                          env={**assistant_env(tmp_path / "data"), **env},
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("module", ["bot.runtime.preflight", "bot.runtime.rasa_server"])
def test_a_short_api_token_is_refused(tmp_path: Path, module: str) -> None:
    assert len(SHORT) == 31
    started = _start(module, tmp_path, RASA_API_TOKEN=SHORT)
    assert started.returncode == 2, started.stderr[-2000:]
    assert "RASA_API_TOKEN must be at least 32 characters" in started.stderr
    assert SHORT not in started.stderr + started.stdout


@pytest.mark.parametrize(("variable", "value", "says"), [
    ("HRD_ENV", "dev", "HRD_ENV must be one of"),
    ("HRD_ACTION_SECRET", "short", "HRD_ACTION_SECRET must be at least 32 characters"),
])
def test_other_bad_settings_stop_every_server(tmp_path: Path, variable: str, value: str,
                                              says: str) -> None:
    for module in ("bot.runtime.action_server", "bot.runtime.rasa_server"):
        started = _start(module, tmp_path, **{variable: value})
        assert started.returncode == 2 and says in started.stderr, started.stderr[-2000:]


def _cmdlines(pids: list[int]) -> list[str]:
    return [Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            for pid in pids]


@pytest.mark.e2e
def test_no_secret_on_any_command_line(production: Running) -> None:
    assistant = production.assistant
    pids = [process.pid for process in assistant.processes]
    environ = Path(f"/proc/{pids[1]}/environ").read_bytes()
    assert f"RASA_API_TOKEN={assistant.api_token}".encode() in environ  # it is in use
    for cmdline in _cmdlines(pids):
        assert assistant.api_token not in cmdline
        assert assistant.action_secret not in cmdline
        assert "--auth-token" not in cmdline


@pytest.mark.e2e
def test_the_api_takes_the_token_in_a_header_or_the_query(production: Running) -> None:
    assistant = production.assistant
    url = f"{assistant.base}/conversations/api-{uuid.uuid4().hex}/tracker"
    assert http(url, headers={"Authorization": f"Bearer {assistant.api_token}"}).status == 200
    assert http(f"{url}?token={assistant.api_token}").status == 200  # operators (contract)
    wrong = assistant.api_token[:-1] + ("A" if assistant.api_token[-1] != "A" else "B")
    for headers, query in (({}, ""), ({"Authorization": f"Bearer {wrong}"}, ""),
                           ({}, f"?token={wrong}"), ({"Authorization": "Bearer "}, ""),
                           ({"Authorization": f"Basic {assistant.api_token}"}, "")):
        assert http(url + query, headers=headers).status == 401, (headers, query)



@pytest.mark.parametrize("token", [None, "", "t" * 32])
def test_the_api_is_on_only_with_a_token(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                         token: str | None) -> None:
    """What bot.runtime.rasa_server hands Rasa's serve_application (run.sh passes no token)."""
    import rasa.core.run
    import rasa.server

    from bot.runtime import rasa_server

    served: dict = {}
    keep_rasa_as_shipped(monkeypatch)  # api_auth.install() and the others: restored after
    monkeypatch.setattr(rasa.core.run, "serve_application", lambda **kw: served.update(kw))
    monkeypatch.setattr(rasa_server, "_configure_logging", lambda: None)
    monkeypatch.setenv("HRD_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("HRD_BIND_HOST", raising=False)
    monkeypatch.delenv("HRD_ACTION_SECRET", raising=False)
    if token is None:
        monkeypatch.delenv("RASA_API_TOKEN", raising=False)
    else:
        monkeypatch.setenv("RASA_API_TOKEN", token)
    rasa_server.main(["--model", str(MODEL), "--credentials", "credentials.yml",
                      "--endpoints", str(ROOT / "endpoints.yml")])
    assert served["enable_api"] is bool(token)
    assert served["auth_token"] == (token or None)
    assert served["interface"] == "127.0.0.1"
    headers = served["endpoints"].action.headers
    assert headers["X-HRD-Action-Secret"] == (tmp_path / "action_secret.key").read_text().strip()
