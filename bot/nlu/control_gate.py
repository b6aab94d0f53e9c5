"""Rasa NLU component: a control intent needs its control words (bot/intake/control_words).

Placed after the intent classifier: a message predicted as, say, `cancel` without any
cancel word ("she is treated for cancer") takes the likeliest intent that is possible for
it (usually `inform`), so the form takes it as the answer to the question asked instead of
discarding the draft.
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
            text = message.get(TEXT)
            intent = message.get(INTENT) or {}
            if not isinstance(text, str) or not intent.get(INTENT_NAME_KEY):
                continue
            if has_control_words(intent[INTENT_NAME_KEY], text):
                continue
            ranking = message.get(INTENT_RANKING_KEY) or [intent]
            possible = [r for r in ranking if has_control_words(r[INTENT_NAME_KEY], text)]
            # The likeliest intent that is possible for this text takes the probability of
            # the impossible ones, so the FallbackClassifier does not see a near tie with
            # an intent that was ruled out.
            ruled_out = sum(r.get(PREDICTED_CONFIDENCE_KEY, 0.0) for r in ranking
                            if r not in possible)
            best = possible[0] if possible else {INTENT_NAME_KEY: ANSWER_INTENT,
                                                 PREDICTED_CONFIDENCE_KEY: 0.0}
            chosen = {
                INTENT_NAME_KEY: best[INTENT_NAME_KEY],
                PREDICTED_CONFIDENCE_KEY: min(
                    1.0, best.get(PREDICTED_CONFIDENCE_KEY, 0.0) + ruled_out),
            }
            rest = [r for r in possible if r[INTENT_NAME_KEY] != chosen[INTENT_NAME_KEY]]
            message.set(INTENT, chosen, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [chosen, *rest], add_to_output=True)
        return messages
