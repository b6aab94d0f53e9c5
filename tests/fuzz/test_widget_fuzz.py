"""The widget's socket.io events with a valid widget token and fuzzed payloads
(user_uttered, session_request): each is a bot reply, an hrd_error code, or a closed socket
for another sender; never a failed handler in the server's log, and the socket still serves
a plain "hello" afterwards."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import socketio
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from bot.access.auth import Principal
from bot.access.models import User
from bot.access.widget_tokens import issue_token, new_sender
from bot.store.db import session_scope
from tests.channels.messaging import Messaging
from tests.fuzz.support import FUZZ, LogWatch, hostile_text, json_values
from tests.support.servers import reading_store

pytestmark = pytest.mark.e2e


class Loop:
    """One event loop in a thread, for the socket.io client between Hypothesis examples."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coroutine: Any, timeout: float = 120) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)


class Widget:
    def __init__(self, base: str, token: str, sender: str) -> None:
        self.base, self.token, self.sender = base, token, sender
        self.client: socketio.AsyncClient | None = None
        self.received: list[tuple[str, Any]] = []

    async def connect(self) -> None:
        self.client = socketio.AsyncClient(reconnection=False)
        for event in ("session_confirm", "bot_uttered", "hrd_error"):
            self.client.on(event, lambda data, event=event: self.received.append((event, data)))
        await self.client.connect(self.base, transports=["polling"],
                                  auth={"token": self.token}, wait_timeout=10)
        await self.client.emit("session_request", {"session_id": self.sender})

    async def ensure(self) -> None:
        if self.client is None or not self.client.connected:
            await self.connect()

    async def emit(self, event: str, data: Any, wait: float = 0.3) -> list[tuple[str, Any]]:
        await self.ensure()
        assert self.client is not None
        mark = len(self.received)
        await self.client.emit(event, data)
        await asyncio.sleep(wait)
        return self.received[mark:]

    async def says_hello(self) -> bool:
        await self.ensure()
        assert self.client is not None
        mark = len(self.received)
        await self.client.emit("user_uttered", {"message": "hello", "session_id": self.sender})
        for _ in range(120):
            if any(e == "bot_uttered" for e, _ in self.received[mark:]):
                return True
            await asyncio.sleep(0.5)
        return False

    async def close(self) -> None:
        if self.client is not None and self.client.connected:
            await self.client.disconnect()


@pytest.fixture(scope="module")
def widget(messaging: Messaging) -> Iterator[tuple[Loop, Widget]]:
    # Module fixtures are set up before the autouse one in tests/conftest.py: read the
    # assistant's store explicitly, whatever earlier modules left this process pointing at.
    with reading_store(messaging.data_dir):
        with session_scope() as session:
            user = session.execute(sa.select(User).where(User.email == "caseworker@unhcr.org")
                                   ).scalar_one()
            principal = Principal(user.id, user.email, user.role, user.org_id)
        sender = new_sender(principal.user_id)
        token, _ = issue_token(principal, sender)
    loop = Loop()
    widget = Widget(messaging.assistant.base, token, sender)
    loop.run(widget.connect())
    try:
        yield loop, widget
    finally:
        loop.run(widget.close())
        loop.close()


ERRORS = {"invalid_message", "sender_mismatch", "unauthorized"}


def _answers_cleanly(events: list[tuple[str, Any]]) -> None:
    for event, data in events:
        if event == "hrd_error":
            assert isinstance(data, dict) and data.get("code") in ERRORS, data


def test_events_without_data_or_with_several_arguments(
        messaging: Messaging, widget: tuple[Loop, Widget]) -> None:
    """Found by the fuzzing: an event with no argument failed in the handler (TypeError in
    the server's log, no answer)."""
    loop, client = widget
    watch = LogWatch(messaging.assistant.logs)
    assert ("hrd_error", {"code": "invalid_message"}) in loop.run(
        client.emit("user_uttered", None, wait=1))
    _answers_cleanly(loop.run(client.emit("session_request", None)))
    _answers_cleanly(loop.run(client.emit(
        "session_request", ({"session_id": client.sender}, "extra"))))
    _answers_cleanly(loop.run(client.emit(
        "user_uttered", ({"message": "hello", "session_id": client.sender}, 1, None), wait=1)))
    watch.assert_quiet()


def test_fuzzed_user_uttered(messaging: Messaging, widget: tuple[Loop, Widget]) -> None:
    loop, client = widget
    watch = LogWatch(messaging.assistant.logs)

    @FUZZ

    @given(st.one_of(
        json_values,
        st.fixed_dictionaries({"message": hostile_text},
                              optional={"session_id": st.one_of(st.just(client.sender),
                                                                json_values),
                                        "choice": json_values, "metadata": json_values}),
    ))
    def run(data: Any) -> None:
        _answers_cleanly(loop.run(client.emit("user_uttered", data)))

    run()
    assert loop.run(client.says_hello()), "the widget stopped answering"
    watch.assert_quiet()


@FUZZ


@given(data=json_values)
def test_fuzzed_session_request(messaging: Messaging, widget: tuple[Loop, Widget],
                                data: Any) -> None:
    loop, client = widget
    _answers_cleanly(loop.run(client.emit("session_request", data, wait=0.1)))


def test_widget_still_answers_after_the_fuzzing(messaging: Messaging,
                                               widget: tuple[Loop, Widget]) -> None:
    loop, client = widget
    watch = LogWatch(messaging.assistant.logs)
    assert loop.run(client.says_hello())
    watch.assert_quiet()
