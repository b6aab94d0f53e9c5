"""GET /health on the Rasa server: for the supervisor (scripts/run.sh), an orchestrator's
readiness probe and an operator; no token, and nothing in it but states:

    {"status": "ok", "model": "loaded", "action_server": "reachable"}

503 with "status": "unavailable" while no model is loaded (Rasa's own GET / answers only
once the model is loaded; /status needs the API token). The action server's state is told,
not required: a Rasa server whose action server is down still takes its channels' messages
and keeps its conversations, so it stays ready. No versions, paths, model names or settings
are shown.

bot.runtime.rasa_server hands listener() to Rasa's serve_application: it adds the route in
"main_process_start", before Sanic finalizes its routes, whatever channels and API are on."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aiohttp
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

HEALTH_PATH = "/health"
PROBE_TIMEOUT_SECONDS = 2.0


def action_health_url(action_webhook_url: str) -> str:
    """The action server's own /health beside its webhook (endpoints.yml's action_endpoint)."""
    parts = urlsplit(action_webhook_url)
    return urlunsplit((parts.scheme, parts.netloc, HEALTH_PATH, "", ""))


async def _answers(url: str) -> bool:
    timeout = aiohttp.ClientTimeout(total=PROBE_TIMEOUT_SECONDS)
    try:
        async with aiohttp.ClientSession(timeout=timeout) as session, \
                session.get(url) as answer:
            return answer.status == 200
    except (TimeoutError, aiohttp.ClientError, OSError):
        return False


def add_route(app: Sanic, action_url: str) -> None:
    async def health(request: Request) -> HTTPResponse:
        agent = getattr(request.app.ctx, "agent", None)
        loaded = agent is not None and agent.is_ready()
        reachable = await _answers(action_url)
        body = {"status": "ok" if loaded else "unavailable",
                "model": "loaded" if loaded else "not_loaded",
                "action_server": "reachable" if reachable else "unreachable"}
        return response.json(body, status=200 if loaded else 503,
                             headers={"Cache-Control": "no-store"})

    app.add_route(health, HEALTH_PATH, methods=["GET"], name="hrd_health")


def listener(action_webhook_url: str) -> tuple[Callable[..., Awaitable[None]], str]:
    """(listener, event) for serve_application's server_listeners."""
    action_url = action_health_url(action_webhook_url)

    async def add(app: Sanic, _loop: Any) -> None:
        add_route(app, action_url)

    return add, "main_process_start"
