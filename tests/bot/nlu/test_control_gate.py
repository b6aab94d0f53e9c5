"""A control intent without its words becomes an answer; with them it stays."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rasa.shared.nlu.training_data.message import Message

from bot.intake.control_words import has_control_words
from bot.nlu.control_gate import ControlIntentGate

NLU_DIR = Path(__file__).resolve().parents[3] / "data" / "nlu"


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
    assert message.get("intent") == {"name": "inform", "confidence": pytest.approx(0.99)}
    names = [r["name"] for r in message.get("intent_ranking")]
    # The ruled-out intent is gone, so the fallback classifier sees no near tie with it.
    assert names == ["inform"]


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


def test_the_likeliest_possible_intent_wins_over_an_impossible_one() -> None:
    message = Message(data={"text": "what does that have to do with anything?"})
    message.set("intent", {"name": "pause", "confidence": 0.6})
    message.set("intent_ranking", [{"name": "pause", "confidence": 0.6},
                                   {"name": "ask_why", "confidence": 0.3},
                                   {"name": "inform", "confidence": 0.1}])
    [message] = ControlIntentGate({}).process([message])
    assert message.get("intent") == {"name": "ask_why", "confidence": pytest.approx(0.9)}
    assert [r["name"] for r in message.get("intent_ranking")] == ["ask_why", "inform"]


def test_word_starts_match_but_lookalikes_do_not() -> None:
    assert has_control_words("cancel", "it was cancelled")
    assert not has_control_words("cancel", "cancer")
    assert not has_control_words("greet", "Hiroshima")


def test_a_message_of_question_marks_alone_asks_for_help() -> None:
    assert has_control_words("ask_help", "?")
    assert has_control_words("ask_help", " ?? ")
    assert not has_control_words("ask_help", "!")
    assert not has_control_words("cancel", "?")


def _training_examples() -> list[tuple[str, str, str]]:
    examples = []
    for path in sorted(NLU_DIR.glob("*.yml")):
        for block in yaml.safe_load(path.read_text())["nlu"]:
            for line in block.get("examples", "").splitlines():
                if line.strip().startswith("- "):
                    examples.append((path.name, block["intent"], line.strip()[2:].strip()))
    return examples


def test_every_training_example_of_a_control_intent_has_its_words() -> None:
    # A training example the gate would overrule teaches the model a prediction that can
    # never be made: the data and the control words must agree.
    overruled = [(name, intent, text) for name, intent, text in _training_examples()
                 if not has_control_words(intent, text)]
    assert overruled == []


def test_no_training_text_is_given_two_intents() -> None:
    intents: dict[str, set[str]] = {}
    for _, intent, text in _training_examples():
        intents.setdefault(" ".join(text.lower().split()), set()).add(intent)
    assert {text: found for text, found in intents.items() if len(found) > 1} == {}
