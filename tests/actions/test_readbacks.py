"""Issue 13 at the action level: read-backs, exact change reports, the greeting that leads."""

from __future__ import annotations

import pytest

from actions.conversation import ActionFallback, ActionGreet
from actions.corrections import ActionApplyCorrection
from actions.readback import READBACK_ACTIONS
from actions.referral_form import ValidateReferralForm
from tests.actions.support import FULL_ANSWERS, responses, run, slot_sets, tracker


def validate(slot: str, text: str, **slots: object) -> tuple[dict, list[dict]]:
    state = tracker({**slots, "requested_slot": slot}, text=text, active_loop="referral_form")
    state.events.append({"event": "slot", "name": slot, "value": text})
    state.slots[slot] = text
    events, messages = run(ValidateReferralForm(), state)
    return slot_sets(events), messages


BEFORE_FLIGHT = {k: FULL_ANSWERS[k] for k in list(FULL_ANSWERS)[:6]}


@pytest.mark.parametrize(
    "text",
    [
        "no, he left for economic reasons, his work had nothing to do with it",
        "non, il est parti pour des raisons économiques, son travail n'y est pour rien",
        "he is still stuck there",
        "she never got out",
        "toujours bloquée là-bas",
    ],
)
def test_a_no_with_content_is_never_a_yes(text: str) -> None:
    values, _ = validate("fled_persecution", text, **BEFORE_FLIGHT)
    assert values.get("fled_persecution") is False
    assert values.get("readback") is None


def test_an_unsure_reading_is_read_back_as_its_own_question() -> None:
    values, _ = validate("fled_persecution", "he left", **BEFORE_FLIGHT)
    assert values["fled_persecution"] is None  # nothing stored yet
    assert values["readback"]["choices"] == [True]
    assert values["requested_slot"] == "confirm_fled_persecution"


def test_yes_to_a_read_back_stores_it_and_no_asks_the_question_again() -> None:
    readback = {"slot": "fled_persecution", "choices": [False], "evidence": []}
    values, _ = validate("confirm_fled_persecution", "yes", **BEFORE_FLIGHT, readback=readback)
    assert values["fled_persecution"] is False
    assert values["readback"] is None
    assert values["requested_slot"] == "refugee_status"
    values, messages = validate("confirm_fled_persecution", "no", **BEFORE_FLIGHT,
                                readback=readback)
    assert values["fled_persecution"] is None
    assert values["requested_slot"] == "fled_persecution"
    assert responses(messages) == ["utter_readback_rejected"]


def test_two_fitting_activities_ask_for_a_pick() -> None:
    values, _ = validate("hrd_activity", "a journalist who investigates land grabs",
                         **{k: FULL_ANSWERS[k] for k in list(FULL_ANSWERS)[:4]})
    assert values["readback"]["choices"] == ["journalism_media", "environmental_land_rights"]
    assert values["hrd_activity_description"] == "a journalist who investigates land grabs"
    readback = values["readback"]
    values, _ = validate("confirm_hrd_activity", "2", readback=readback,
                         **{k: FULL_ANSWERS[k] for k in list(FULL_ANSWERS)[:4]})
    assert values["hrd_activity"] == "environmental_land_rights"


def test_the_read_back_names_what_was_understood() -> None:
    ask = next(a for a in READBACK_ACTIONS if a().name() == "action_ask_confirm_fled_persecution")
    state = tracker({"readback": {"slot": "fled_persecution", "choices": [False]}})
    _, messages = run(ask(), state)
    assert messages[0]["response"] == "utter_readback"
    assert messages[0]["value"] == "no"


def test_a_correction_mid_form_says_exactly_what_changed() -> None:
    answers = {**FULL_ANSWERS, "family_members": 4, "risk_factors": None}
    values, messages = validate(
        "risk_factors", "wait, I said four before, it is five people with her", **answers
    )
    assert values["family_members"] == 5
    assert values["risk_factors"] is None  # the question asked is asked again
    assert responses(messages) == ["utter_correction_changed"]
    assert "Family members: 5 (was 4)" in messages[0]["changes"]


def test_a_correction_that_changes_nothing_says_so() -> None:
    slots = {**FULL_ANSWERS, "family_members": 3, "intake_id": "x"}
    state = tracker(slots, text="sorry, the family is 3", intent="correct",
                    active_loop="referral_form")
    state.slots["requested_slot"] = "medical_needs"
    events, messages = run(ActionApplyCorrection(), state)
    assert responses(messages) == ["utter_correction_unchanged"]
    assert "family_members" not in slot_sets(events) or slot_sets(events)["family_members"] == 3


def test_an_answer_that_mentions_an_earlier_topic_is_not_a_correction() -> None:
    slots = {k: FULL_ANSWERS[k] for k in list(FULL_ANSWERS)[:5]}
    slots.update(intake_id="x", requested_slot="persecution_agent")
    text = "the ruling party's youth militia threatened him before he left the country"
    state = tracker(slots, text=text, intent="correct", active_loop="referral_form")
    events, messages = run(ActionApplyCorrection(), state)
    assert "utter_correction_changed" not in responses(messages)
    # Read back as the answer to the question asked (a party's militia: which kind?).
    assert slot_sets(events)["readback"]["slot"] == "persecution_agent"


@pytest.mark.parametrize("text", ["sure, let's do it", "ok", "yes please", "oui, allons-y"])
def test_accepting_the_greetings_offer_starts_the_form(text: str) -> None:
    state = tracker(
        {"partner_org": "unhcr"},
        text=text,
        intent="affirm",
        events=[
            {"event": "user", "text": "hello"},
            {"event": "action", "name": "action_greet"},
            {"event": "action", "name": "action_listen"},
            {"event": "user", "text": text},
        ],
    )
    events, messages = run(ActionFallback(), state)
    assert responses(messages) == ["utter_start_intro"]
    assert any(e["event"] == "active_loop" and e["name"] == "referral_form" for e in events)


@pytest.mark.parametrize(
    ("text", "intent", "starts"),
    [
        ("a journalist from Uganda needs to be referred", "inform", True),
        ("zxqv blarg wibble", "inform", False),
        ("no, not now", "deny", False),
    ],
)
def test_an_answer_like_first_message_starts_the_form(text: str, intent: str, starts: bool) -> None:
    state = tracker({"partner_org": "unhcr"}, text=text, intent=intent,
                    events=[{"event": "user", "text": text}])
    events, _ = run(ActionFallback(), state)
    assert any(e["event"] == "active_loop" for e in events) is starts


@pytest.mark.parametrize(
    ("text", "starts"),
    [
        ("hello", False),
        ("bonjour", False),
        ("Good morning. Front Line Defenders has a case for the HRD stream", True),
        ("Bonjour, j'ai une défenseure haïtienne à recommander", True),
    ],
)
def test_a_greeting_that_asks_for_a_referral_starts_it(text: str, starts: bool) -> None:
    state = tracker({"partner_org": "unhcr"}, text=text, intent="greet")
    events, messages = run(ActionGreet(), state)
    assert responses(messages) == (["utter_start_intro"] if starts else ["utter_greet"])
    assert any(e["event"] == "active_loop" for e in events) is starts


def test_a_read_back_not_understood_twice_falls_back_to_numbered_options() -> None:
    readback = {"slot": "fled_persecution", "choices": [False], "evidence": []}
    values, messages = validate("confirm_fled_persecution", "purple", **BEFORE_FLIGHT,
                                readback=readback)
    assert responses(messages) == ["utter_readback_unclear"]
    assert values["requested_slot"] == "confirm_fled_persecution"
    values, messages = validate("confirm_fled_persecution", "purple", **BEFORE_FLIGHT,
                                readback=readback, misunderstood=1)
    assert responses(messages) == ["utter_invalid_fled_persecution", "utter_choose_numbered"]
    assert values["readback"] is None
    assert values["requested_slot"] == "fled_persecution"


def test_why_at_a_read_back_explains_its_question() -> None:
    from actions.explain import ActionExplainQuestion

    state = tracker({"requested_slot": "confirm_fled_persecution"}, text="why?", intent="ask_why")
    _, messages = run(ActionExplainQuestion(), state)
    assert responses(messages) == ["utter_why_fled_persecution"]
