"""The one place where actions fail: every action derives from GuardedAction or
GuardedFormValidationAction, whose `run` (its own or inherited) is wrapped so that an
exception (a database error, a bad key, a bug) never reaches rasa_sdk, which would answer
Rasa with the whole tracker, and Rasa would log it.

On an exception the wrapper logs the action's name, the intake id (random, never the
sender id or any answer) and the exception's type only, drops what the action had started
to say, and tells the user in their language (the domain's `utter_action_failed`) that the
intake is kept and to try again in a minute. It returns no events, so the draft stays as it
was; a form validation also clears the values it was checking, so the question is asked again.
"""

from __future__ import annotations

import functools
import logging
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.interfaces import ActionExecutionRejection

logger = logging.getLogger(__name__)

FAILED_RESPONSE = "utter_action_failed"
_GUARDED = "__hrd_guarded__"

Run = Callable[[Any, CollectingDispatcher, Tracker, dict[str, Any]], Awaitable[list[EventType]]]


def _after_failure(action: Any, tracker: Tracker) -> list[EventType]:
    if isinstance(action, FormValidationAction):
        # The candidate answers were not validated: drop them, so the form asks again.
        return [SlotSet(name, None) for name in tracker.slots_to_validate()]
    return []


def guarded(run: Run) -> Run:
    @functools.wraps(run)
    async def run_guarded(self: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                          domain: dict[str, Any]) -> list[EventType]:
        try:
            return await run(self, dispatcher, tracker, domain)
        except ActionExecutionRejection:  # rasa_sdk's signal to Rasa, not a failure
            raise
        except Exception as error:
            logger.error("action %s failed for intake %s (%s)", self.name(),
                         tracker.get_slot("intake_id") or "-", type(error).__name__)
            dispatcher.messages.clear()  # half an answer could say something untrue
            dispatcher.utter_message(response=FAILED_RESPONSE)
            return _after_failure(self, tracker)

    setattr(run_guarded, _GUARDED, True)
    return run_guarded


def is_guarded(action: Action) -> bool:
    return bool(getattr(type(action).run, _GUARDED, False))


class _Guard:
    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not getattr(cls.run, _GUARDED, False):  # type: ignore[attr-defined]
            cls.run = guarded(cls.run)  # type: ignore[attr-defined]


class GuardedAction(_Guard, Action, ABC):
    """The base of every custom action (abstract: rasa_sdk registers only its subclasses)."""

    @abstractmethod
    def name(self) -> str: ...


class GuardedFormValidationAction(_Guard, FormValidationAction, ABC):
    """The base of every form validation action."""

    @abstractmethod
    def name(self) -> str: ...
