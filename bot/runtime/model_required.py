"""A Rasa server without a model must not look like a working one.

Rasa starts anyway when --model names no model or one it cannot load: it warns, serves an
agent without one, and every message is dropped (`Agent.handle_message` logs "Ignoring
message" and returns nothing). The caseworker gets no reply at all, and the partner channel
answers 200 with an empty list, as if the bot had nothing to say.

- `model_or_exit(path)`: the entrypoint refuses to start when the path holds no model.
- `install()`: a message that reaches an agent without a model (the archive could not be
  loaded) fails its turn, so its channel answers as for any failed turn: a reply in the
  user's language, the draft kept (bot/channels/turn_failure.py). GET /health says 503
  meanwhile (bot/runtime/health.py).

Both are called by the Rasa server's entrypoint (bot/runtime/rasa_server.py).
"""

from __future__ import annotations

import functools
import sys
from typing import Any

EXIT_NO_MODEL = 2
_INSTALLED = "__hrd_model_required__"


class ModelNotLoaded(RuntimeError):
    """The agent has no model: the turn cannot be answered."""


def model_or_exit(path: str) -> None:
    from rasa.exceptions import ModelNotFound
    from rasa.model import get_local_model

    try:
        get_local_model(path)
    except ModelNotFound:
        print(f"hrd: refusing to start: no trained model at {path} (`make model` trains one)",
              file=sys.stderr)
        raise SystemExit(EXIT_NO_MODEL) from None


def install() -> None:
    from rasa.core.agent import Agent

    if getattr(Agent.handle_message, _INSTALLED, False):
        return
    original = Agent.handle_message

    @functools.wraps(original)
    async def handle_message(self: Agent, message: Any) -> Any:
        if not self.is_ready():
            raise ModelNotLoaded("no model is loaded")
        return await original(self, message)

    setattr(handle_message, _INSTALLED, True)
    Agent.handle_message = handle_message  # type: ignore[method-assign]
