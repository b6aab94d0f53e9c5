"""A conversation as a Rasa test story (YAML, `rasa test core --stories ...`): each user
turn with the intent it was predicted as, each action and form activation.

Pseudonymized by default (story_pseudonyms.py): references, names, places and the threat
text are replaced by stand-ins that keep the phrasing NLU relies on. It may still hold
personal data, and says so in its first lines; the page that serves it is supervisor-only
and audited."""

from __future__ import annotations

from typing import Any

import yaml

from bot.console.review.story_pseudonyms import pseudonymized_texts

# Rasa adds these to every conversation; a test story starts after them.
_SKIPPED_ACTIONS = {"action_listen", "action_session_start"}

PSEUDONYMIZED_HEADER = """\
# Rasa test story exported from the HRD intake console, PSEUDONYMIZED: references, names,
# places and threat descriptions were replaced by synthetic stand-ins.
# WARNING: it may still contain personal data (free text that no list recognizes). Read
# every line before committing it to a repository or sharing it.
"""
ORIGINAL_HEADER = """\
# Rasa test story exported from the HRD intake console, NOT pseudonymized: it holds what
# the caseworker typed (personal data of a person at risk). Do not commit or share it.
"""


def story_steps(events: list[dict[str, Any]], *, pseudonymize: bool = True
                ) -> list[dict[str, Any]]:
    texts = pseudonymized_texts(events) if pseudonymize else {}
    steps: list[dict[str, Any]] = []
    for index, event in enumerate(events):
        kind = event.get("event")
        if kind == "user":
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            step: dict[str, Any] = {"user": texts.get(index, str(event.get("text") or ""))}
            if intent:
                step["intent"] = intent
            steps.append(step)
        elif kind == "action" and event.get("name") not in _SKIPPED_ACTIONS:
            steps.append({"action": event["name"]})
        elif kind == "active_loop":
            steps.append({"active_loop": event.get("name")})
    return steps


def story_yaml(name: str, events: list[dict[str, Any]], *, pseudonymize: bool = True) -> str:
    document = {"version": "3.1",
                "stories": [{"story": name,
                             "steps": story_steps(events, pseudonymize=pseudonymize)}]}
    header = PSEUDONYMIZED_HEADER if pseudonymize else ORIGINAL_HEADER
    return header + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
