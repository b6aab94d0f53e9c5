"""A conversation as a Rasa test story (YAML, `rasa test core --stories ...`): each user
turn with the intent it was predicted as, each action and form activation. It holds what
the user typed: the page that serves it is supervisor-only and audited."""

from __future__ import annotations

from typing import Any

import yaml

# Rasa adds these to every conversation; a test story starts after them.
_SKIPPED_ACTIONS = {"action_listen", "action_session_start"}


def story_steps(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = []
    for event in events:
        kind = event.get("event")
        if kind == "user":
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            step: dict[str, Any] = {"user": str(event.get("text") or "")}
            if intent:
                step["intent"] = intent
            steps.append(step)
        elif kind == "action" and event.get("name") not in _SKIPPED_ACTIONS:
            steps.append({"action": event["name"]})
        elif kind == "active_loop":
            steps.append({"active_loop": event.get("name")})
    return steps


def story_yaml(name: str, events: list[dict[str, Any]]) -> str:
    document = {"version": "3.1",
                "stories": [{"story": name, "steps": story_steps(events)}]}
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
