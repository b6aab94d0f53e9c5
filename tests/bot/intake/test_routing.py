"""Answer routing without Rasa: one message and the slots in, a Route out."""

from __future__ import annotations

from typing import Any

from bot.intake.routing import (
    Route,
    correction_updates,
    disguised_answer,
    route_answer,
    route_correction,
    route_readback_reply,
    route_summary_reply,
)

ANSWERS: dict[str, Any] = {
    "partner_case_reference": "UNHCR-42",
    "consent_to_share": True,
    "country_of_origin": "UG",
    "current_country": "KE",
}
FLED = {"slot": "fled_persecution", "choices": [False], "evidence": []}


def nothing(_: str) -> bool:
    return False


def test_a_sure_answer_is_stored_and_resets_the_count() -> None:
    route = route_answer("family_members", "3", {**ANSWERS, "misunderstood": 1}, nothing)
    assert route == Route({"family_members": 3, "misunderstood": 0})


def test_an_activity_keeps_the_caseworkers_words() -> None:
    route = route_answer("hrd_activity", " a journalist ", ANSWERS, nothing)
    assert route.updates["hrd_activity"] == "journalism_media"
    assert route.updates["hrd_activity_description"] == "a journalist"


def test_an_unsure_answer_is_read_back_before_it_is_stored() -> None:
    route = route_answer("hrd_activity", "a journalist who investigates land grabs",
                         ANSWERS, nothing)
    assert route.updates["hrd_activity"] is None
    assert route.updates["readback"]["choices"] == ["journalism_media",
                                                    "environmental_land_rights"]
    assert not route.responses


def test_not_understood_twice_offers_numbered_options_or_help() -> None:
    first = route_answer("persecution_agent", "purple", ANSWERS, nothing)
    assert first.responses == ("utter_invalid_persecution_agent",) and first.numbered is None
    second = route_answer("persecution_agent", "purple", {**ANSWERS, "misunderstood": 1},
                          nothing)
    assert second.numbered == "persecution_agent"
    assert second.updates == {"persecution_agent": None, "misunderstood": 2}
    free = route_answer("partner_case_reference", "", {"misunderstood": 1},
                        lambda name: name == "utter_empty_partner_case_reference")
    assert free.responses == ("utter_empty_partner_case_reference",
                              "utter_help_partner_case_reference")


def test_a_correction_inside_an_answer_is_reported_and_the_question_asked_again() -> None:
    route = route_answer("hrd_activity", "actually she is in Uganda, not Kenya", ANSWERS,
                         nothing)
    assert route.changes == correction_updates(
        "actually she is in Uganda, not Kenya", ANSWERS, "hrd_activity")
    assert route.updates["current_country"] == "UG" and route.updates["hrd_activity"] is None


def test_the_summary_reply() -> None:
    assert route_summary_reply("yes", ANSWERS).updates == {"summary_confirmed": True,
                                                          "misunderstood": 0}
    assert route_summary_reply("no", ANSWERS).responses == ("utter_what_to_change",)
    assert route_summary_reply("purple", ANSWERS).responses == (
        "utter_invalid_summary_confirmed",)


def test_readback_replies() -> None:
    slots = {**ANSWERS, "readback": FLED}
    accepted = route_readback_reply("confirm_fled_persecution", "yes", slots, nothing)
    assert accepted.updates == {"fled_persecution": False, "readback": None,
                                "confirm_fled_persecution": None, "misunderstood": 0}
    rejected = route_readback_reply("confirm_fled_persecution", "no", slots, nothing)
    assert rejected.responses == ("utter_readback_rejected",)
    unclear = route_readback_reply("confirm_fled_persecution", "purple", slots, nothing)
    assert unclear.responses == ("utter_readback_unclear",)
    assert unclear.updates == {"confirm_fled_persecution": None, "misunderstood": 1}
    again = route_readback_reply("confirm_fled_persecution", "purple",
                                 {**slots, "misunderstood": 1}, nothing)
    assert again.numbered == "fled_persecution"
    assert again.updates["readback"] is None and again.updates["fled_persecution"] is None


def test_disguised_answers_only_inside_the_form_and_not_for_free_text() -> None:
    assert disguised_answer(ANSWERS, "hrd_activity", True, "journalist") == {
        "hrd_activity": "journalism_media", "misunderstood": 0}
    assert disguised_answer(ANSWERS, "hrd_activity", False, "journalist") is None
    assert disguised_answer(ANSWERS, "threat_description", True, "hello") is None
    assert disguised_answer(ANSWERS, "summary_confirmed", True, "yes") is None
    assert disguised_answer(ANSWERS, "current_country", True, "Toronto", places=False) is None
    assert disguised_answer(ANSWERS, "hrd_activity", True, "purple") is None


def test_route_correction() -> None:
    text = "actually she is in Uganda, not Kenya"
    changed = route_correction(text, ANSWERS, "hrd_activity", in_form=True)
    assert changed.changes is not None and changed.updates["current_country"] == "UG"
    assert route_correction("purple", ANSWERS, None, in_form=False).responses == (
        "utter_correction_not_understood",)
    # The pending question answered with correction words: an answer, not a change.
    pending = route_correction("sorry, there are 3", ANSWERS, "family_members", in_form=True)
    assert pending.updates["family_members"] == 3 and pending.changes is None
