"""A control intent without its words becomes an answer; with them it stays."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.intake.control_words import has_control_words
from bot.nlu.control_gate import ControlIntentGate


def classified(text: str, intent: str, confidence: float = 0.97) -> Message:
    message = Message(data={"text": text})
    message.set("intent", {"name": intent, "confidence": confidence})
    message.set("intent_ranking", [{"name": intent, "confidence": confidence},
                                   {"name": "inform", "confidence": 0.02}])
    return message


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Nairobi", "greet"),
        ("she is being treated for cancer", "cancel"),
        ("Pakistani", "pause"),
        ("wheelchair user", "ask_why"),
        ("she's an asylum seeker", "correct"),
        ("at risk of refoulement", "start_referral"),
        ("elle est soignée pour un cancer", "cancel"),
    ],
)
def test_an_answer_read_as_a_control_intent_becomes_an_answer(text: str, intent: str) -> None:
    [message] = ControlIntentGate({}).process([classified(text, intent)])
    assert message.get("intent") == {"name": "inform", "confidence": 0.97}
    assert message.get("intent_ranking")[0]["name"] == "inform"
    assert [r["name"] for r in message.get("intent_ranking")].count("inform") == 1


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("please cancel this referral", "cancel"),
        ("annulez le dossier", "cancel"),
        ("why do you need that?", "ask_why"),
        ("pourquoi cette question ?", "ask_why"),
        ("I'm not sure how to answer this", "ask_help"),
        ("I have to go, let's continue later", "pause"),
        ("actually she is in Uganda, not Kenya", "correct"),
        ("en fait elle est en Ouganda", "correct"),
        ("hello there", "greet"),
        ("are you a bot?", "bot_challenge"),
        ("I'd like to refer a defender", "start_referral"),
        ("can you recommend a restaurant", "out_of_scope"),
    ],
)
def test_a_real_control_request_is_kept(text: str, intent: str) -> None:
    [message] = ControlIntentGate({}).process([classified(text, intent)])
    assert message.get("intent")["name"] == intent


def test_word_starts_match_but_lookalikes_do_not() -> None:
    assert has_control_words("cancel", "it was cancelled")
    assert not has_control_words("cancel", "cancer")
    assert not has_control_words("greet", "Hiroshima")
