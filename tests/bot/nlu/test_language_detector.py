"""The Rasa component: registered under its module path, emits `language` on clear evidence."""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.language_detector import LanguageDetector


def _entities(text: str) -> list[dict]:
    detector = LanguageDetector.create({}, None, None, None)  # type: ignore[arg-type]
    [message] = detector.process([Message(data={"text": text})])
    return message.get("entities", [])


def test_registered_as_a_non_trainable_entity_extractor() -> None:
    registered = DefaultV1Recipe._from_registry("bot.nlu.language_detector.LanguageDetector")
    assert registered.clazz is LanguageDetector
    assert not registered.is_trainable
    assert DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR in registered.types


def test_emits_the_language_over_the_whole_message() -> None:
    text = "elle vit à Goma avec ses enfants"
    [entity] = _entities(text)
    assert entity["entity"] == "language"
    assert entity["value"] == "fr"
    assert (entity["start"], entity["end"]) == (0, len(text))
    assert entity["extractor"] == "LanguageDetector"


def test_nothing_on_short_answers() -> None:
    assert _entities("Kenya") == []
    assert _entities("3") == []
    assert _entities("ok") == []
