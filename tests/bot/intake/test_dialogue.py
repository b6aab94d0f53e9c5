"""Turns that are not answers: starting, small talk, fallbacks, "why?"."""

from __future__ import annotations

from bot.intake.dialogue import (
    accepts_start,
    explanation,
    fallback_response,
    greeting_starts,
    interjection_may_name_places,
    interjection_response,
    previous_bot_action,
)

EVENTS = [
    {"event": "action", "name": "action_session_start"},
    {"event": "user", "text": "hi"},
    {"event": "action", "name": "action_greet"},
    {"event": "action", "name": "action_listen"},
    {"event": "user", "text": "sure"},
]


def test_previous_bot_action_is_the_one_before_the_latest_message() -> None:
    assert previous_bot_action(EVENTS) == "action_greet"
    assert previous_bot_action(EVENTS[1:2]) is None


def test_what_starts_a_referral() -> None:
    assert accepts_start({}, None, "affirm", "action_greet", "sure")
    assert accepts_start({}, None, None, "action_greet", "oui, allons-y")
    assert not accepts_start({}, None, "deny", "action_greet", "no")
    assert not accepts_start({"intake_id": "x"}, None, "affirm", "action_greet", "yes")
    assert not accepts_start({}, "referral_form", "affirm", "action_greet", "yes")
    assert accepts_start({}, None, "inform", None, "a journalist from Uganda")
    assert not accepts_start({}, None, "inform", "action_fallback", "a journalist from Uganda")
    assert greeting_starts({"intake_id": "x"}, "hello")


def test_responses_to_what_is_not_an_answer() -> None:
    assert interjection_response("thank") == "utter_you_are_welcome"
    assert interjection_response(None) == "utter_out_of_scope"
    assert not interjection_may_name_places("out_of_scope")
    assert fallback_response("greet", repeated=True) == "utter_not_understood_choices"
    assert fallback_response("out_of_scope", repeated=False) == "utter_out_of_scope"
    assert fallback_response(None, repeated=False) == "utter_not_understood"


def test_explanations_name_the_question_a_readback_confirms() -> None:
    known = {"utter_why_fled_persecution"}.__contains__
    assert explanation("ask_why", "confirm_fled_persecution", known) == (
        "utter_why_fled_persecution")
    assert explanation("help", "fled_persecution", known) == "utter_help_general"
    assert explanation("ask_why", None, known) == "utter_help_general"
