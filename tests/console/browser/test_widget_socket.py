"""The widget channel on the real Rasa server, spoken to as a raw socket.io client: no
token, a forged or an expired token, or another sender than the token's are refused."""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import jwt
import pytest
import socketio
import sqlalchemy as sa

from bot.access.auth import Principal
from bot.access.models import User
from bot.access.socket_key import socket_jwt_key
from bot.access.widget_tokens import ALGORITHM, AUDIENCE, ISSUER, issue_token, new_sender
from bot.store.db import session_scope
from tests.console.browser.conftest import Stack

pytestmark = pytest.mark.e2e


def _partner() -> Principal:
    with session_scope() as session:
        user = session.execute(sa.select(User).where(User.email == "caseworker@unhcr.org")
                               ).scalar_one()
        return Principal(user.id, user.email, user.role, user.org_id)


def _run(coroutine: Any) -> Any:
    """asyncio.run in a thread of its own: Playwright's sync API holds this thread's loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result(timeout=180)


async def _connect(stack: Stack, token: str | None) -> tuple[socketio.AsyncClient, list]:
    client = socketio.AsyncClient(reconnection=False)
    received: list[tuple[str, Any]] = []
    for event in ("session_confirm", "bot_uttered", "hrd_error"):
        client.on(event, lambda data, event=event: received.append((event, data)))
    await client.connect(stack.assistant.base, transports=["polling"],
                         headers={"Origin": stack.console},
                         auth={"token": token} if token else None, wait_timeout=10)
    return client, received


async def _refused(stack: Stack, token: str | None) -> bool:
    try:
        client, _ = await _connect(stack, token)
    except socketio.exceptions.ConnectionError:
        return True
    await client.disconnect()
    return False


def test_sockets_without_a_valid_token_are_refused(stack: Stack) -> None:
    partner = _partner()
    sender = new_sender(partner.user_id)
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": AUDIENCE, "iat": now - 600, "exp": now - 300,
              "sub": sender, "uid": partner.user_id, "org": "unhcr", "role": "partner"}
    expired = jwt.encode(claims, socket_jwt_key(), algorithm=ALGORITHM)
    forged = jwt.encode({**claims, "exp": now + 300}, "another key " * 4, algorithm=ALGORITHM)
    someone_elses = jwt.encode({**claims, "exp": now + 300, "uid": partner.user_id + 1},
                               socket_jwt_key(), algorithm=ALGORITHM)
    for token in (None, "garbage", expired, forged, someone_elses):
        assert _run(_refused(stack, token)), token


def test_a_sender_other_than_the_tokens_is_refused(stack: Stack) -> None:
    partner = _partner()
    sender = new_sender(partner.user_id)
    token, _ = issue_token(partner, sender)

    async def scenario() -> tuple[list, bool, list, bool]:
        client, received = await _connect(stack, token)
        await client.emit("session_request", {"session_id": "web-999-stolen"})
        await asyncio.sleep(1.5)
        refused = (not client.connected, list(received))
        await client.disconnect()
        client, received = await _connect(stack, token)
        await client.emit("session_request", {"session_id": sender})
        await asyncio.sleep(1)
        await client.emit("user_uttered", {"message": "hello", "session_id": sender,
                                           "metadata": {"hrd_auth": {"partner_org": "x"}}})
        for _ in range(60):
            if any(event == "bot_uttered" for event, _ in received):
                break
            await asyncio.sleep(0.5)
        ok = (client.connected, list(received))
        await client.disconnect()
        return [*refused, *ok]

    closed, refused_events, connected, events = _run(scenario())
    assert closed and ("hrd_error", {"code": "sender_mismatch"}) in refused_events
    assert connected and ("session_confirm", sender) in events
    assert any(event == "bot_uttered" for event, _ in events)
    # The organization came from the token, not from the metadata the client sent.
    assert stack.assistant.tracker(sender)["slots"]["partner_org"] == "unhcr"
