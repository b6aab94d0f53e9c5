""""How many questions are left?" (issue 16) in process: the answer, and no event."""

from __future__ import annotations

from actions.progress import ActionQuestionsLeft
from tests.actions.support import run, tracker


def test_in_the_form_the_position_of_the_pending_question() -> None:
    events, said = run(ActionQuestionsLeft(), tracker(
        {"requested_slot": "refugee_status", "country_of_origin": "UG"},
        active_loop="referral_form"))
    assert events == []
    assert [(m["response"], m.get("number"), m.get("total"), m.get("left")) for m in said] == [
        ("utter_questions_left", 8, 16, 8)]


def test_a_read_back_counts_as_its_question_and_the_summary_as_none_left() -> None:
    _, said = run(ActionQuestionsLeft(), tracker(
        {"requested_slot": "confirm_country_of_origin"}, active_loop="referral_form"))
    assert (said[0]["response"], said[0]["number"]) == ("utter_questions_left", 3)
    _, said = run(ActionQuestionsLeft(), tracker(
        {"requested_slot": "wants_resettlement_canada"}, active_loop="referral_form"))
    assert said[0]["response"] == "utter_questions_left_last"
    _, said = run(ActionQuestionsLeft(), tracker(
        {"requested_slot": "summary_confirmed"}, active_loop="referral_form"))
    assert (said[0]["response"], said[0]["total"]) == ("utter_questions_left_summary", 16)


def test_outside_the_form_no_intake_in_progress() -> None:
    for state in (tracker(), tracker({"requested_slot": "hrd_activity"}),
                  tracker({"requested_slot": "cancel_confirmed"}, active_loop="cancel_form")):
        events, said = run(ActionQuestionsLeft(), state)
        assert events == []
        assert [m["response"] for m in said] == ["utter_questions_left_none"]
