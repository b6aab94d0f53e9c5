"""Repair intents (issue 20) come from the words alone: imposed when the phrase is there,
ruled out when the classifier guessed one without it."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.repair_intents import RepairIntents


def classified(text: str, intent: str, runner_up: str = "inform") -> Message:
    message = Message(data={"text": text})
    message.set("intent", {"name": intent, "confidence": 0.6})
    message.set("intent_ranking", [{"name": intent, "confidence": 0.6},
                                   {"name": runner_up, "confidence": 0.3}])
    return message


@pytest.mark.parametrize(("text", "guess", "intent"), [
    ("can you repeat that?", "out_of_scope", "repeat_question"),
    ("pardon ?", "correct", "repeat_question"),
    ("I'd like to talk to a person", "bot_challenge", "human_handoff"),
    ("what happens with this data?", "out_of_scope", "ask_privacy"),
    ("who will see this?", "ask_why", "ask_privacy"),
    ("what happens now?", "out_of_scope", "ask_next_steps"),
    ("how many questions are left?", "out_of_scope", "ask_progress"),
    ("c'est bientôt fini ?", "goodbye", "ask_progress"),
    ("I don't know", "ask_help", "inform"),
    ("passer", "out_of_scope", "inform"),
])
def test_the_phrase_decides(text: str, guess: str, intent: str) -> None:
    [message] = RepairIntents({}).process([classified(text, guess)])
    assert message.get("intent") == {"name": intent, "confidence": 1.0}
    assert message.get("intent_ranking")[0]["name"] == intent


@pytest.mark.parametrize(("text", "guess"), [
    ("Nairobi", "repeat_question"), ("she was repeatedly arrested", "repeat_question"),
    ("a human rights lawyer", "human_handoff"), ("the police", "ask_privacy"),
    ("how many people are in the family?", "ask_progress"), ("4", "ask_progress"),
])
def test_a_guess_without_the_words_is_ruled_out(text: str, guess: str) -> None:
    [message] = RepairIntents({}).process([classified(text, guess)])
    assert message.get("intent")["name"] == "inform"
    assert message.get("intent")["confidence"] == pytest.approx(0.9)
    assert [r["name"] for r in message.get("intent_ranking")] == ["inform"]


def test_other_messages_are_left_alone() -> None:
    [message] = RepairIntents({}).process([classified("cancel", "cancel", "pause")])
    assert message.get("intent") == {"name": "cancel", "confidence": 0.6}
