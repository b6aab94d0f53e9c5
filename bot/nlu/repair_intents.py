"""Rasa NLU component: conversation repair intents come from the words alone (issue 20).

Placed after the control gate. When bot.intake.repair reads a message as a repeat, handoff,
privacy, progress ("how many questions are left?", issue 16) or next-steps request, that
intent is imposed (a skip, "I don't know", becomes
`inform`: it answers the question asked); when the classifier guessed one of those intents
for a message without their words, the likeliest other intent takes its place. So a phrase
list, not a statistical guess, decides, and no answer is ever taken for one of them.
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

from bot.intake.repair import REPAIR_INTENTS, repair_intent

ANSWER_INTENT = "inform"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
class RepairIntents(GraphComponent, IntentClassifier):
    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> RepairIntents:
        return cls(config)

    def __init__(self, config: dict[str, Any]) -> None:
        self.component_config = config

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str):
                continue
            intent = message.get(INTENT) or {}
            ranking = message.get(INTENT_RANKING_KEY) or ([intent] if intent else [])
            decided = repair_intent(text)
            if decided is not None:
                chosen = {INTENT_NAME_KEY: decided, PREDICTED_CONFIDENCE_KEY: 1.0}
            elif intent.get(INTENT_NAME_KEY) in REPAIR_INTENTS:
                others = [r for r in ranking if r.get(INTENT_NAME_KEY) not in REPAIR_INTENTS]
                best = others[0] if others else {INTENT_NAME_KEY: ANSWER_INTENT}
                # It takes the ruled-out intents' probability, as in the control gate.
                ruled_out = sum(r.get(PREDICTED_CONFIDENCE_KEY, 0.0) for r in ranking
                                if r.get(INTENT_NAME_KEY) in REPAIR_INTENTS)
                chosen = {INTENT_NAME_KEY: best[INTENT_NAME_KEY], PREDICTED_CONFIDENCE_KEY:
                          min(1.0, best.get(PREDICTED_CONFIDENCE_KEY, 0.0) + ruled_out)}
            else:
                continue
            rest = [r for r in ranking if r.get(INTENT_NAME_KEY) not in
                    (chosen[INTENT_NAME_KEY], *REPAIR_INTENTS)]
            message.set(INTENT, chosen, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [chosen, *rest], add_to_output=True)
        return messages
