"""Rasa NLU component: a control intent needs its control words (bot/intake/control_words).

Placed after the intent classifier: a message predicted as, say, `cancel` without any
cancel word ("she is treated for cancer") becomes `inform`, so the form takes it as the
answer to the question asked instead of discarding the draft. The confidence is kept, so
the FallbackClassifier after it still judges it.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from bot.intake.control_words import has_control_words

ANSWER_INTENT = "inform"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
class ControlIntentGate(GraphComponent, IntentClassifier):
    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ControlIntentGate:
        return cls(config)

    def __init__(self, config: dict[str, Any]) -> None:
        self.component_config = config

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            name, text = intent.get(INTENT_NAME_KEY), message.get(TEXT)
            if not name or not isinstance(text, str) or has_control_words(name, text):
                continue
            confidence = intent.get(PREDICTED_CONFIDENCE_KEY, 0.0)
            answer = {INTENT_NAME_KEY: ANSWER_INTENT, PREDICTED_CONFIDENCE_KEY: confidence}
            ranking = [
                r for r in message.get(INTENT_RANKING_KEY, [])
                if r.get(INTENT_NAME_KEY) != ANSWER_INTENT
            ]
            message.set(INTENT, answer, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [answer, *ranking], add_to_output=True)
        return messages
