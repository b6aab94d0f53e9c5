"""Where the questionnaire stands: "Question 7 of 16", from the response that asks."""

from __future__ import annotations

from bot.intake.message_kinds import message_kind
from bot.intake.progress import QUESTIONS, progress_of_response, progress_of_slot, questions_left
from bot.intake.questions import FORM_SLOTS


def test_sixteen_questions_in_the_order_asked() -> None:
    assert len(QUESTIONS) == 16 and "summary_confirmed" not in QUESTIONS
    assert FORM_SLOTS[:16] == QUESTIONS


def test_the_position_of_each_asking_response() -> None:
    first = progress_of_response("utter_ask_partner_case_reference")
    assert first is not None and (first.number, first.total, first.left) == (1, 16, 15)
    activity = progress_of_response("utter_ask_hrd_activity")
    assert activity is not None and activity.number == 5
    assert progress_of_response("action_ask_summary_confirmed") is None
    assert progress_of_slot("wants_resettlement_canada").number == 16  # type: ignore[union-attr]


def test_read_backs_and_other_responses_are_no_question() -> None:
    for response in ("utter_ask_confirm_summary", "action_ask_confirm_country_of_origin",
                     "utter_greet", "", None, "utter_ask_"):
        assert progress_of_response(response) is None


def test_message_kinds() -> None:
    assert message_kind("utter_not_understood") == "not_understood"
    assert message_kind("utter_invalid_country_of_origin") == "not_understood"
    assert message_kind("utter_action_failed") == "error"
    assert message_kind("utter_ask_hrd_activity") == ""
    assert message_kind(None) == ""


def test_questions_left() -> None:
    assert questions_left("refugee_status") == (
        "utter_questions_left", {"number": 8, "total": 16, "left": 8})
    assert questions_left(None) == ("utter_questions_left_none", {})
    assert questions_left("confirm_country_of_origin") == (
        "utter_questions_left", {"number": 3, "total": 16, "left": 13})
    assert questions_left("wants_resettlement_canada") == (
        "utter_questions_left_last", {"number": 16, "total": 16, "left": 0})
    assert questions_left("summary_confirmed") == ("utter_questions_left_summary", {"total": 16})
    for nothing in ("cancel_confirmed", "confirm_", "", None):
        assert questions_left(nothing) == ("utter_questions_left_none", {})
