"""The console's health, without a session or token, for the supervisor (scripts/run.sh)
and an orchestrator's probes; nothing in it but states (no versions, paths or settings):

- GET /healthz (liveness): {"status": "ok"} whenever the process serves requests;
- GET /readyz (readiness): {"status": "ok", "database": "reachable"}, or 503 with
  "status": "unavailable" and "database": "unreachable" when a `SELECT 1` through the store
  fails or takes longer than READY_TIMEOUT_SECONDS."""

from __future__ import annotations

import asyncio
import logging

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy import text

from bot.store.unit_of_work import Repository, unit_of_work

logger = logging.getLogger(__name__)

READY_TIMEOUT_SECONDS = 3.0
_NO_STORE = {"Cache-Control": "no-store"}


class DatabaseProbe(Repository):
    def ping(self) -> None:
        self.session.execute(text("SELECT 1"))


def database_reachable() -> bool:
    try:
        with unit_of_work() as uow:
            uow.repository(DatabaseProbe).ping()
    except Exception as error:  # any driver's error means "not reachable"
        logger.warning("console readiness: database unreachable (%s)", type(error).__name__)
        return False
    return True


def health_blueprint() -> Blueprint:
    health = Blueprint("hrd_console_health")

    @health.get("/healthz")
    async def alive(_request: Request) -> HTTPResponse:
        return response.json({"status": "ok"}, headers=_NO_STORE)

    @health.get("/readyz")
    async def ready(_request: Request) -> HTTPResponse:
        try:
            reachable = await asyncio.wait_for(asyncio.to_thread(database_reachable),
                                               READY_TIMEOUT_SECONDS)
        except TimeoutError:
            reachable = False
        if reachable:
            return response.json({"status": "ok", "database": "reachable"}, headers=_NO_STORE)
        return response.json({"status": "unavailable", "database": "unreachable"},
                             status=503, headers=_NO_STORE)

    return health
