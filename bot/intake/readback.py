"""Read-backs: an answer understood but not surely is confirmed before it is stored.

A read-back is its own question (intake-contract.md): while it is pending the form's
`requested_slot` is `confirm_<slot>`, answered with yes/no or a pick ("2", or the value in
words). The pending reading lives in the `readback` slot as a plain dict.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from bot.intake.normalize import parse_answer, parse_yes_no
from bot.intake.parsed import Parsed
from bot.intake.questions import READBACK_PREFIX as PREFIX
from bot.intake.questions import READBACK_SLOTS

__all__ = ["READBACK_SLOTS", "pending", "resolve", "slot_of", "with_readback"]


def readback_slot(slot: str) -> str:
    return PREFIX + slot


def slot_of(name: str | None) -> str | None:
    """The question a read-back confirms (None when `name` is no read-back)."""
    if name and name in READBACK_SLOTS:
        return name[len(PREFIX) :]
    return None


def pending(slot: str, parsed: Parsed) -> dict[str, Any]:
    """What to read back: the value understood first, then the others that fit."""
    return {
        "slot": slot,
        "choices": [parsed.value, *parsed.alternatives],
        "evidence": list(parsed.evidence),
    }


def with_readback(required: Sequence[str], readback: Mapping[str, Any] | None) -> list[str]:
    """The form's questions, with the pending read-back asked just before its question."""
    slots = list(required)
    slot = (readback or {}).get("slot")
    if slot in slots:
        slots.insert(slots.index(slot), readback_slot(slot))
    return slots


ACCEPT, REJECT, UNCLEAR = "accept", "reject", "unclear"
# A yes or no opening a longer reply to a read-back.
_LEADING = re.compile(
    r"^\s*(?:yes|yeah|yep|no|nope|oui|non|si|correct|wrong|faux|exact)\b[\s,.;:!-]*",
    re.IGNORECASE,
)


def resolve(readback: Mapping[str, Any], text: str) -> tuple[str, Any]:
    """(ACCEPT, value) | (REJECT, None) | (UNCLEAR, None) for the reply to a read-back.

    A pick is a number or a value in words; a yes takes the first reading (only when
    there is one); a no asks the question again; a fresh, sure answer to the question
    ("no, she is from Burundi") is taken as it stands.
    """
    slot = str(readback.get("slot"))
    choices = list(readback.get("choices") or [])
    bare = (text or "").strip().strip(".!").strip()
    if bare.isdigit() and len(choices) > 1:
        n = int(bare)
        return (ACCEPT, choices[n - 1]) if 1 <= n <= len(choices) else (UNCLEAR, None)
    answer = parse_answer(slot, text)
    if len(choices) > 1 and answer.ok and answer.value in choices and not answer.alternatives:
        return ACCEPT, answer.value
    verdict = parse_yes_no(text)
    rest = _LEADING.sub("", text, count=1).strip()
    if rest and rest != text.strip() and not parse_yes_no(rest).ok:
        # "no, he fled because of the threats": the no answers the read-back, the rest
        # is the answer to the question itself.
        fresh = parse_answer(slot, rest)
        if fresh.ok and fresh.sure and not fresh.alternatives:
            return ACCEPT, fresh.value
    if verdict.ok and verdict.sure and _only_yes_no(text, verdict):
        if verdict.value is False:
            return REJECT, None
        return (ACCEPT, choices[0]) if len(choices) == 1 else (UNCLEAR, None)
    if answer.ok and answer.sure and not answer.alternatives:
        return ACCEPT, answer.value
    if verdict.ok and verdict.value is False:
        return REJECT, None
    if verdict.ok and verdict.value is True and len(choices) == 1:
        return ACCEPT, choices[0]
    return UNCLEAR, None


def _only_yes_no(text: str, verdict: Parsed) -> bool:
    """"yes", "no that's wrong": the words say nothing beyond the verdict itself."""
    return len(text.split()) <= 4 or len(verdict.evidence) == len(text.split())
