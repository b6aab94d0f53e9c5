"""Action server responses are still validated once the validator is built only once
(bot/runtime/action_results.py): a malformed response is rejected, over a real HTTP round trip."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.runtime import action_results, rasa_server
from tests.support.rasa_patches import keep_rasa_as_shipped
from tests.support.servers import ROOT

DOMAIN = Domain.from_yaml("""
version: "3.1"
slots:
  country_of_origin:
    type: text
    mappings: [{type: custom}]
actions: [action_check]
""")

RASA_VALIDATION = RemoteAction._validate_action_result

MALFORMED = (
    {"events": {"event": "slot"}},                      # events not a list
    {"events": [{"name": "country_of_origin"}]},        # an event without its type
    {"events": [], "responses": "Thank you"},           # responses not a list
)


@pytest.fixture
async def action_server() -> AsyncIterator[tuple[EndpointConfig, list[Any]]]:
    """A fake action server answering each call with the next queued body."""
    queued: list[Any] = []

    async def webhook(_request: web.Request) -> web.Response:
        return web.json_response(queued.pop(0))

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield EndpointConfig(f"http://127.0.0.1:{port}/webhook"), queued
    finally:
        await runner.cleanup()


async def run_action(endpoint: EndpointConfig) -> list[Any]:
    tracker = DialogueStateTracker.from_events("validation-test", [], DOMAIN.slots)
    return await RemoteAction("action_check", endpoint).run(
        CollectingOutputChannel(), TemplatedNaturalLanguageGenerator(DOMAIN.responses),
        tracker, DOMAIN,
    )


def test_the_rasa_server_uses_the_validator_built_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The entrypoint of `make run` installs it before Rasa serves."""
    import rasa.core.run

    monkeypatch.setattr(RemoteAction, "_validate_action_result", RASA_VALIDATION)
    keep_rasa_as_shipped(monkeypatch)  # the other tests here call RemoteAction.run as shipped
    served: list[Any] = []
    monkeypatch.setattr(rasa.core.run, "serve_application", lambda **kw: served.append(
        RemoteAction._validate_action_result))
    monkeypatch.setenv("HRD_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("HRD_ENV", "production")
    monkeypatch.delenv("RASA_API_TOKEN", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    model = tmp_path / "m.tar.gz"
    model.touch()  # the entrypoint refuses to start without one; serving is replaced here
    rasa_server.main(["--model", str(model), "--credentials", "credentials.yml",
                      "--endpoints", str(ROOT / "endpoints.yml")])
    assert served == [action_results.validate_action_result]


@pytest.mark.parametrize("body", MALFORMED)
async def test_malformed_action_response_is_rejected(
    action_server: tuple[EndpointConfig, list[Any]], body: Any
) -> None:
    action_results.install()
    endpoint, queued = action_server
    queued.append(body)
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        await run_action(endpoint)


async def test_valid_action_response_is_applied(
    action_server: tuple[EndpointConfig, list[Any]]
) -> None:
    action_results.install()
    endpoint, queued = action_server
    queued.append({"events": [{"event": "slot", "name": "country_of_origin", "value": "UG"}],
                   "responses": []})
    assert await run_action(endpoint) == [SlotSet("country_of_origin", "UG")]
