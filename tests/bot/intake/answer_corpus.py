"""The answer corpus (corpus/<question>_<lang>.yml) and how each answer is scored.

Every answer is labelled with the value that must be stored, or `ask_back` when a careful
reader could not tell. Outcomes:
- understood: stored without asking, and right;
- asked: not stored yet (asked again, read back, or a pick offered);
- wrong: stored without asking, and not the label (the failure that must never happen).
Corrections (corrections_<lang>.yml) are scored the same way on the change they make.
Conversation repair (repair_<lang>.yml, issue 20) is tried at every question: a repeat,
handoff, privacy or next-steps message never reaches the question; a skip or "I don't
know" is stored only as the contract's `unknown` (or "not disclosed" for an explicit skip of
an optional question); nothing else is ever stored.

Answers are scored as the form takes them (bot.intake.routing.route_answer), after the NLU
step that sets repair intents from the words alone (bot.intake.repair.repair_intent).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.intake.corrections import is_correction, parse_correction
from bot.intake.questions import FORM_SLOTS
from bot.intake.repair import REPAIR_INTENTS, UNDISCLOSED, accepts_unknown, repair_intent
from bot.intake.routing import route_answer

CORPUS = Path(__file__).with_name("corpus")
ASK_BACK = "ask_back"
UNDERSTOOD, ASKED, WRONG = "understood", "asked", "wrong"


@dataclass(frozen=True)
class Scored:
    question: str
    lang: str
    text: str
    expected: Any
    got: Any
    outcome: str


def stored(slot: str, text: str) -> Any:
    """What the form stores at `slot` for `text` (None: nothing, it asks again or reads back)."""
    if repair_intent(text) in REPAIR_INTENTS:
        return None  # another intent: the question's slot is not even filled from the text
    route = route_answer(slot, text, {}, lambda _name: True)
    return None if route.updates.get("readback") else route.updates.get(slot)


def _score_answer(slot: str, text: str, expected: Any) -> tuple[Any, str]:
    value = stored(slot, text)
    if value is None:
        return None, ASKED
    if expected == ASK_BACK or value != expected:
        return value, WRONG
    return value, UNDERSTOOD


REPAIR = "repair"
# Every question a repair message can be said at (the summary has its own reply).
REPAIR_QUESTIONS = tuple(s for s in FORM_SLOTS if s != "summary_confirmed")


def repair_expected(slot: str, kind: str) -> Any:
    if kind in ("skip", "dont_know") and accepts_unknown(slot):
        return "unknown"
    if kind == "skip" and slot in UNDISCLOSED:
        return UNDISCLOSED[slot]
    return ASK_BACK


def _score_correction(
    answers: dict[str, Any], asked: str, text: str, expected: Any
) -> tuple[Any, str]:
    """expected: {slot: value} for a correction, "answer" when the message answers the
    question asked (no change), or ask_back."""
    if not is_correction(text, answers, asked):
        got: Any = "answer"
    else:
        correction = parse_correction(text, answers, asked)
        if correction is None or correction.value is None:
            return None, ASKED
        if correction.slot != asked and correction.slot not in answers:
            return None, ASKED  # nothing earlier to change: the actions ask again
        got = "answer" if correction.slot == asked else {correction.slot: correction.value}
    if got == expected:
        return got, UNDERSTOOD
    return got, WRONG


def files() -> list[Path]:
    return sorted(CORPUS.glob("*.yml"))


def score_file(path: Path) -> Iterator[Scored]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    question, lang = path.stem.rsplit("_", 1)
    if question == REPAIR:
        for text, kind in data["messages"]:
            for slot in REPAIR_QUESTIONS:
                expected = repair_expected(slot, kind)
                got, outcome = _score_answer(slot, text, expected)
                yield Scored(question, lang, f"{slot}: {text}", expected, got, outcome)
        return
    if question == "corrections":
        for case in data["cases"]:
            answers = {**data["answers"], **(case.get("answers") or {})}
            got, outcome = _score_correction(answers, case["asked"], case["text"], case["expect"])
            yield Scored(question, lang, case["text"], case["expect"], got, outcome)
        return
    slot = data["slot"]
    for text, expected in data["answers"]:
        if expected == "as_typed":
            expected = text.strip()
        got, outcome = _score_answer(slot, text, expected)
        yield Scored(question, lang, text, expected, got, outcome)


def score_all() -> list[Scored]:
    return [scored for path in files() for scored in score_file(path)]


def table(results: list[Scored]) -> list[tuple[str, str, int, Counter[str], float]]:
    """(question, lang, answers, outcomes, understood share of the answers with a value)."""
    groups: dict[tuple[str, str], list[Scored]] = {}
    for r in results:
        groups.setdefault((r.question, r.lang), []).append(r)
    rows = []
    for (question, lang), items in sorted(groups.items()):
        outcomes = Counter(r.outcome for r in items)
        with_value = [r for r in items if r.expected != ASK_BACK]
        share = sum(r.outcome == UNDERSTOOD for r in with_value) / max(1, len(with_value))
        rows.append((question, lang, len(items), outcomes, share))
    return rows
