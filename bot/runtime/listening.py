"""A server that cannot listen must exit with an error, so that its supervisor sees a failed
start and retries it with backoff (scripts/run.sh) or an orchestrator restarts it.

Sanic 21.12 logs "Unable to start server" when the port is taken (or the address cannot be
bound) and then returns from app.run() normally: the process would end with status 0, as
if asked to stop. Its listeners tell: "before_server_start" runs before the bind,
"after_server_start" only once it listens. After app.run() returns, exit 1 if the first ran
and the second did not. (With several Sanic workers both run in the workers, not here, and
nothing is decided.)"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable

from sanic import Sanic

EXIT_NOT_LISTENING = 1
Listener = Callable[[Sanic, asyncio.AbstractEventLoop], Awaitable[None]]


class Listening:
    def __init__(self, name: str) -> None:
        self.name = name
        self.starting = False
        self.started = False

    def listeners(self) -> list[tuple[Listener, str]]:
        """(listener, event) pairs, as Rasa's serve_application takes them."""

        async def starting(_app: Sanic, _loop: asyncio.AbstractEventLoop) -> None:
            self.starting = True

        async def started(_app: Sanic, _loop: asyncio.AbstractEventLoop) -> None:
            self.started = True

        return [(starting, "before_server_start"), (started, "after_server_start")]

    def watch(self, app: Sanic) -> Sanic:
        for listener, event in self.listeners():
            app.register_listener(listener, event)
        return app

    def exit_unless_served(self) -> None:
        if self.starting and not self.started:
            print(f"hrd: {self.name} could not start listening (see above); exiting",
                  file=sys.stderr)
            raise SystemExit(EXIT_NOT_LISTENING)
