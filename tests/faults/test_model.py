"""A Rasa server without a model (bot/runtime/model_required.py): Rasa itself starts anyway and
drops every message, so the caseworker would get no reply at all and the partner channel an
empty 200. None at --model: the server refuses to start. A model that cannot be loaded: every
turn is answered as a failed one, in the user's language, and /health says 503."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.faults.conftest import Setup
from tests.faults.support import partner_post

pytestmark = pytest.mark.e2e


def test_no_model_refuses_to_start(sqlite_setup: Setup, tmp_path: Path) -> None:
    server = sqlite_setup.main.unstarted(tmp_path, model=tmp_path / "missing.tar.gz")
    process = server._spawn_rasa_server(server.credentials)
    server.processes.append(process)
    try:
        assert process.wait(timeout=180) == 2
    finally:
        server.stop()
    log = (tmp_path / "rasa_server.log").read_text()
    assert "refusing to start: no trained model at" in log, log[-2000:]


def test_a_model_that_cannot_be_loaded_answers_every_turn(sqlite_setup: Setup,
                                                          tmp_path: Path) -> None:
    broken = tmp_path / "broken.tar.gz"
    broken.write_bytes(b"not a model archive")
    server = sqlite_setup.main.another(tmp_path, model=broken)
    try:
        for message, told in (("hello, I need to refer someone", "try again in a minute"),
                              ("bonjour, je voudrais faire un signalement",
                               "réessayer dans une minute")):
            reply = partner_post(server, sqlite_setup.token, f"no-model-{len(message)}",
                                 message)
            assert reply.status == 200, reply.body
            assert told in reply.text.lower(), reply.body
        with pytest.raises(urllib.error.HTTPError) as health:
            urllib.request.urlopen(server.base + "/health", timeout=10)
        assert health.value.code == 503
    finally:
        server.stop()
