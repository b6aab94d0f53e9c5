"""Conversation repair (issue 20): messages that are not answers, read from their words alone.

`repair_intent()` names the intent of a repeat, skip, handoff, privacy, progress or
next-steps request (the NLU component bot/nlu/repair_intents.py imposes it); `skip_route()`
decides what a skip
or "I don't know" does at a question; `stateless_route()` reads a stateless defender at the
country question. Pure functions over plain data: no Rasa, no I/O after import.

Precision first: a phrase list, matched on whole folded words, decides; an answer that merely
contains a word ("she was repeatedly arrested", "a human rights group") is never one of these.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from bot.intake.lexicon import load_data
from bot.intake.questions import CHOICES
from bot.intake.text import fold

# The intents this module decides (domain.yml); a skip is an answer to the question asked.
REPEAT = "repeat_question"
HANDOFF = "human_handoff"
PRIVACY = "ask_privacy"
NEXT_STEPS = "ask_next_steps"
PROGRESS = "ask_progress"  # "how many questions are left?" (issue 16)
SKIP = "inform"
REPAIR_INTENTS: frozenset[str] = frozenset({REPEAT, HANDOFF, PRIVACY, NEXT_STEPS, PROGRESS})

# A phrase found inside a longer message counts only in a message this short (or a
# question): a long free-text answer (a threat description) may quote anything.
_ANYWHERE_MAX_WORDS = 15
_WORD = re.compile(r"[a-z0-9]+")

Slots = Mapping[str, Any]
HasResponse = Callable[[str], bool]


def _words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


@cache
def _data() -> dict[str, Any]:
    return load_data("repair_words.yml")


@cache
def _phrases(*path: str) -> frozenset[str]:
    node: Any = _data()
    for key in path:
        node = (node or {}).get(key) if isinstance(node, dict) else None
    return frozenset(" ".join(_words(str(p))) for p in node or ())


@cache
def _fillers() -> tuple[tuple[str, ...], ...]:
    # Longest first, so "thank you" goes before "thank".
    return tuple(sorted((tuple(_words(str(f))) for f in _data()["filler"]), key=len,
                        reverse=True))


def core(text: str) -> str:
    """The message's folded words without polite words at either end ("could you repeat
    that please" -> "repeat that")."""
    words = _words(text)
    changed = True
    while words and changed:
        changed = False
        for filler in _fillers():
            n = len(filler)
            if len(words) > n and tuple(words[:n]) == filler:
                words, changed = words[n:], True
            elif len(words) > n and tuple(words[-n:]) == filler:
                words, changed = words[:-n], True
    return " ".join(words)


def _matches(text: str, *path: str) -> bool:
    """The whole message is one of the `whole` phrases, or, in a short message or a
    question, has one of the `anywhere` phrases."""
    if core(text) in _phrases(*path, "whole"):
        return True
    words = _words(text)
    if len(words) > _ANYWHERE_MAX_WORDS and not text.rstrip().endswith("?"):
        return False
    padded = f" {' '.join(words)} "
    return any(f" {phrase} " in padded for phrase in _phrases(*path, "anywhere") if phrase)


PRIVACY_TOPICS: tuple[str, ...] = ("who", "storage", "retention", "withdraw")


def privacy_topics(text: str) -> tuple[str, ...]:
    """Which privacy questions a message asks: some of PRIVACY_TOPICS, all of them for a
    general question ("what happens with this data?", "privacy"), none when it asks none."""
    asked = tuple(t for t in PRIVACY_TOPICS if _matches(text, "privacy", t))
    if asked:
        return asked
    return PRIVACY_TOPICS if _matches(text, "privacy", "all") else ()


def is_skip(text: str) -> bool:
    """"skip", "I don't know", "passer", "je ne sais pas": the whole message, nothing else."""
    return skip_kind(text) is not None


def skip_kind(text: str) -> str | None:
    """"skip" (declines to answer), "dont_know", or None."""
    words = core(text)
    for kind in ("skip", "dont_know"):
        if words in _phrases(kind, "whole"):
            return kind
    return None


def asks_timeline(text: str) -> bool:
    return _matches(text, "timeline")


def repair_intent(text: str) -> str | None:
    """The intent a message has by its words alone, or None. A handoff request wins over
    everything (a person asked for must be reached), then privacy, repeat, progress ("how
    many questions are left?", before next steps: it asks about the questionnaire, not the
    decision), next steps, skip."""
    if not text or not text.strip():
        return None
    if _matches(text, "handoff"):
        return HANDOFF
    if privacy_topics(text):
        return PRIVACY
    if _matches(text, "repeat"):
        return REPEAT
    if _matches(text, "progress"):
        return PROGRESS
    if asks_timeline(text) or _matches(text, "next_steps"):
        return NEXT_STEPS
    if is_skip(text):
        return SKIP
    return None


# --- Skip and unknown ------------------------------------------------------------------

UNKNOWN = "unknown"
# Optional to disclose (intake-contract.md): "prefer not to say" is the empty list.
UNDISCLOSED: Mapping[str, Any] = {"risk_factors": []}


def accepts_unknown(slot: str) -> bool:
    """Whether the contract's values for the question include `unknown`."""
    return UNKNOWN in CHOICES.get(slot, ())


@dataclass(frozen=True)
class SkipDecision:
    updates: dict[str, Any]
    responses: tuple[str, ...]


def skip_decision(slot: str, kind: str, has_response: HasResponse) -> SkipDecision:
    """A skip (`kind` "skip" or "dont_know") at `slot`: `unknown` where the contract has it;
    at a question optional to disclose, a skip is "not disclosed" while not knowing is
    asked again; otherwise the question stays, with why it needs an answer and the offer
    to pause."""
    if accepts_unknown(slot):
        return SkipDecision({slot: UNKNOWN, "misunderstood": 0}, (f"utter_skipped_{slot}",))
    if slot in UNDISCLOSED:
        if kind == "skip":
            return SkipDecision({slot: UNDISCLOSED[slot], "misunderstood": 0},
                                (f"utter_skipped_{slot}",))
        return SkipDecision({slot: None}, (f"utter_unsure_{slot}",))
    why = f"utter_why_{slot}"
    return SkipDecision({slot: None},
                        ("utter_cannot_skip", *((why,) if has_response(why) else ()),
                         "utter_cannot_skip_pause"))


# --- Stateless defenders ---------------------------------------------------------------

STATELESS_QUESTION = "country_of_origin"

_STATELESS_WORDS: tuple[str, ...] = (
    "stateless", "statelessness", "no nationality", "without nationality", "without a nationality",
    "no citizenship", "without citizenship", "not a citizen of any country", "no country",
    "has no nationality", "bidoon", "bidun", "bedoon", "bedoun", "rohingya",
    "apatride", "apatridie", "sans nationalite", "aucune nationalite", "pas de nationalite",
    "sans citoyennete", "n a pas de nationalite", "n a aucune nationalite",
)


def stateless_rest(text: str) -> str | None:
    """The message without its stateless words when it says the defender is stateless
    ("Rohingya, no nationality" -> ""), else None. Ethnic names that mean statelessness
    (Rohingya, Bidoon) are removed too: they never name the former residence."""
    padded = f" {' '.join(_words(text))} "
    found = False
    for phrase in sorted(_STATELESS_WORDS, key=len, reverse=True):
        needle = f" {phrase} "
        if needle in padded:
            found = True
            padded = padded.replace(needle, " ")
    return " ".join(padded.split()) if found else None
