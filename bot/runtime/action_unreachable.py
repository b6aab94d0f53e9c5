"""The caseworker is never left in silence when the action server fails (issue 20).

actions/guard.py answers for an action that raises inside the action server. When the action
server itself cannot be reached, answers with an error, or times out, Rasa's processor logs
the exception and drops the action's events: the user gets no reply at all. Here
RemoteAction.run is wrapped so that the user gets `utter_action_failed` in their language
(the draft is kept, try again in a minute), once per turn, and a form validation that could
not run clears the answers it was to check (as actions/guard.py does), so no unchecked text
is ever kept as an answer and the question is asked again.

install() is called by the Rasa server's entrypoint (bot/runtime/rasa_server.py).
"""

from __future__ import annotations

import functools
import logging
from typing import Any

from rasa.core.actions.action import ActionExecutionRejection, RemoteAction, create_bot_utterance
from rasa.shared.core.events import BotUttered, Event, SlotSet, UserUttered

logger = logging.getLogger(__name__)

FAILED_RESPONSE = "utter_action_failed"
_INSTALLED = "__hrd_unreachable_guard__"


def _this_turn(tracker: Any) -> list[Event]:
    """The events after the latest user message."""
    turn: list[Event] = []
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            break
        turn.append(event)
    return turn[::-1]


def _unvalidated(action_name: str, tracker: Any) -> list[Event]:
    """A validation that could not run: the candidate answers of this turn are cleared."""
    if not action_name.startswith("validate_"):
        return []
    names = {e.key for e in _this_turn(tracker)
             if isinstance(e, SlotSet) and e.key != "requested_slot" and e.value is not None}
    return [SlotSet(name, None) for name in sorted(names)]


def install() -> None:
    if getattr(RemoteAction.run, _INSTALLED, False):
        return
    original = RemoteAction.run

    @functools.wraps(original)
    async def run(self: RemoteAction, output_channel: Any, nlg: Any, tracker: Any,
                  domain: Any) -> list[Event]:
        try:
            return await original(self, output_channel, nlg, tracker, domain)
        except ActionExecutionRejection:  # the form's own signal, not a failure
            raise
        except Exception as error:  # every failure gets a reply
            logger.error("action %s not run: action server failed (%s)", self.name(),
                         type(error).__name__)
            events = _unvalidated(self.name(), tracker)
            message = await nlg.generate(FAILED_RESPONSE, tracker, output_channel.name())
            said = any(isinstance(e, BotUttered) and message and e.text == message.get("text")
                       for e in _this_turn(tracker))
            if message and not said:
                events.insert(0, create_bot_utterance(message))
            return events

    setattr(run, _INSTALLED, True)
    RemoteAction.run = run  # type: ignore[method-assign]
