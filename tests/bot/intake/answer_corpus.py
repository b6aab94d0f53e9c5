"""The answer corpus (corpus/<question>_<lang>.yml) and how each answer is scored.

Every answer is labelled with the value that must be stored, or `ask_back` when a careful
reader could not tell. Outcomes:
- understood: stored without asking, and right;
- asked: not stored yet (asked again, read back, or a pick offered);
- wrong: stored without asking, and not the label (the failure that must never happen).
Corrections (corrections_<lang>.yml) are scored the same way on the change they make.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.intake.corrections import is_correction, parse_correction
from bot.intake.normalize import parse_answer

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


def _score_answer(slot: str, text: str, expected: Any) -> tuple[Any, str]:
    parsed = parse_answer(slot, text)
    if not parsed.ok or parsed.needs_readback:
        return (parsed.value if parsed.ok else None), ASKED
    if expected == ASK_BACK or parsed.value != expected:
        return parsed.value, WRONG
    return parsed.value, UNDERSTOOD


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
