"""Where a caseworker is in the questionnaire: "Question 7 of 16". Pure: from the slot being
asked (or the response that asks it) to a position among the questions.

The summary's confirmation is not counted as a question; the threat's description is (it
is asked only after a "yes" to the immediate threat, so "of 16" is an upper bound)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.intake.questions import FORM_SLOTS

QUESTIONS: tuple[str, ...] = tuple(s for s in FORM_SLOTS if s != "summary_confirmed")
ASK_PREFIXES: tuple[str, ...] = ("utter_ask_", "action_ask_")


@dataclass(frozen=True)
class Progress:
    number: int  # 1-based position of the question being asked
    total: int

    @property
    def left(self) -> int:
        """Questions after this one."""
        return self.total - self.number


def progress_of_slot(slot: str | None) -> Progress | None:
    """The position of the question that asks `slot`; None for anything else."""
    if slot not in QUESTIONS:
        return None
    return Progress(QUESTIONS.index(slot) + 1, len(QUESTIONS))


def progress_of_response(response: str | None) -> Progress | None:
    """The position of the question a response asks ("utter_ask_hrd_activity" is 5 of 16);
    None for a response that asks none (including read-backs, "utter_ask_confirm_...")."""
    for prefix in ASK_PREFIXES:
        if isinstance(response, str) and response.startswith(prefix):
            return progress_of_slot(response[len(prefix):])
    return None


SUMMARY = "summary_confirmed"
READBACK_PREFIX = "confirm_"


def questions_left(slot: str | None) -> tuple[str, dict[str, int]]:
    """The answer to "how many questions are left?" while `slot` is asked: a response name
    and its values, for the action side ("utter_questions_left": "This is question
    {number} of {total}; {left} more after it."; "utter_questions_left_last" at the last
    question; "utter_questions_left_summary" at the summary, every question answered;
    "utter_questions_left_none" when no question is being asked). A read-back
    ("confirm_<slot>") is still its question."""
    if slot == SUMMARY:
        return "utter_questions_left_summary", {"total": len(QUESTIONS)}
    if isinstance(slot, str) and slot.startswith(READBACK_PREFIX):
        slot = slot[len(READBACK_PREFIX):]
    progress = progress_of_slot(slot)
    if progress is None:
        return "utter_questions_left_none", {}
    values = {"number": progress.number, "total": progress.total, "left": progress.left}
    return ("utter_questions_left_last" if progress.left == 0 else "utter_questions_left"), values
