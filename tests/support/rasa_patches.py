"""Tests that run the Rasa entrypoint (bot.runtime.rasa_server.main) in-process: it patches
Rasa for its process's life (action results, the unreachable-action reply, the fail-closed
tracker store, API auth, the model check); the test process must get Rasa back as it ships."""

from __future__ import annotations

import pytest
import rasa.server
from rasa.core.actions.action import RemoteAction
from rasa.core.agent import Agent
from rasa.core.tracker_store import FailSafeTrackerStore


def keep_rasa_as_shipped(monkeypatch: pytest.MonkeyPatch) -> None:
    """Everything the entrypoint patches, put back when the test ends."""
    monkeypatch.setattr(rasa.server, "requires_auth", rasa.server.requires_auth)
    for name in ("run", "_validate_action_result"):
        monkeypatch.setattr(RemoteAction, name, getattr(RemoteAction, name))
    for name in ("retrieve", "retrieve_full_tracker", "save", "keys"):
        monkeypatch.setattr(FailSafeTrackerStore, name, getattr(FailSafeTrackerStore, name))
    monkeypatch.setattr(Agent, "handle_message", Agent.handle_message)
