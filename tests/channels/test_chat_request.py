"""The partner channel's body rules that need no server: reserved ids, injected intents."""

from __future__ import annotations

import json

import pytest

from bot.channels.requests import BadRequest, parse_chat_request


def body(sender: str, message: str) -> bytes:
    return json.dumps({"sender": sender, "message": message}).encode()


@pytest.mark.parametrize("sender", ["telegram:12", "SMS:3", "whatsapp:3", "slack:5", "web-7-x"])
def test_sender_ids_of_other_channels_are_reserved(sender: str) -> None:
    with pytest.raises(BadRequest) as refused:
        parse_chat_request(body(sender, "hello"))
    assert refused.value.status == 422


def test_a_client_cannot_inject_an_intent_with_entities() -> None:
    chat = parse_chat_request(body("case-17", '/affirm{"partner_org": "unhcr"}'))
    assert not chat.message.startswith("/")


def test_a_message_of_slashes_only_is_empty() -> None:
    with pytest.raises(BadRequest) as refused:
        parse_chat_request(body("case-17", "///"))
    assert refused.value.status == 422
