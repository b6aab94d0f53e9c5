"""Issue 20: when a turn fails outside any action (Rasa or its stores raising), the partner
channel and the gateway channels still answer with `utter_action_failed` in the user's
language, never silence."""

from __future__ import annotations

import asyncio
import json
from types import SimpleNamespace
from typing import Any

import pytest
from rasa.core.channels.channel import OutputChannel

from bot.channels import gateway
from bot.channels.gateway import Gateway, Inbound
from bot.channels.partner import AUTH_METADATA_KEY, PartnerInput
from bot.channels.requests import ChatRequest
from bot.channels.turn_failure import failure_text


async def _failing(_message: Any) -> None:
    raise ConnectionError("database unreachable")


def _reply(message: str, metadata: dict[str, Any] | None) -> list[dict[str, Any]]:
    response = asyncio.run(PartnerInput().turn(ChatRequest("s-1", message), _failing, metadata))
    assert response.status == 200
    return json.loads(response.body)


def test_the_partner_channel_answers_a_failed_turn() -> None:
    replies = _reply("Uganda", {AUTH_METADATA_KEY: {"language": "en"}})
    assert replies == [{"recipient_id": "s-1", "text": failure_text("Uganda", None)}]
    assert "Your intake is kept" in replies[0]["text"]


def test_in_the_users_language() -> None:
    by_account = _reply("Ouganda", {AUTH_METADATA_KEY: {"language": "fr"}})
    assert "Votre demande est conservée" in by_account[0]["text"]
    by_message = _reply("je voudrais continuer la recommandation", None)
    assert "Votre demande est conservée" in by_message[0]["text"]


class _Collected(OutputChannel):
    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        self.sent.append((recipient_id, text))


def test_telegram_whatsapp_slack_are_answered_too(monkeypatch: pytest.MonkeyPatch) -> None:
    user = SimpleNamespace(link_id=7, user_id=3, email="a@example.org", role="partner",
                           org_id="unhcr", language="fr")
    monkeypatch.setattr(gateway, "linked_user", lambda *_args: user)
    monkeypatch.setattr(gateway, "claim_sender", lambda *_args: True)
    output = _Collected()
    inbound = Inbound("telegram", "telegram", "42", "update-1", "Ouganda")
    outcome = asyncio.run(Gateway("telegram").handle(inbound, output, _failing,
                                                     deduplicated=True))
    assert outcome == "failed"
    assert output.sent == [("telegram:7", failure_text("Ouganda", {
        AUTH_METADATA_KEY: {"language": "fr"}}))]
    assert "Votre demande est conservée" in output.sent[0][1]
