"""The form's validation: free text in, normalized values (or a specific re-ask) out."""

from __future__ import annotations

from actions.referral_form import ValidateReferralForm
from tests.actions.support import FULL_ANSWERS, responses, run, slot_sets, tracker


def validate(slot: str, text: str, **slots: object) -> tuple[dict, list[str]]:
    state = tracker({**slots, "requested_slot": slot}, text=text, active_loop="referral_form")
    # The form's from_text mapping has put the raw text into the slot already.
    state.events.append({"event": "slot", "name": slot, "value": text})
    state.slots[slot] = text
    events, messages = run(ValidateReferralForm(), state)
    return slot_sets(events), responses(messages)


def test_a_country_answer_can_also_give_the_current_country() -> None:
    values, said = validate("country_of_origin", "she's Ugandan, now in Nairobi")
    assert values["country_of_origin"] == "UG"
    assert values["current_country"] == "KE"
    assert said == []


def test_a_count_in_words_is_stored_as_an_int() -> None:
    values, _ = validate("family_members", "his wife and two children")
    assert values["family_members"] == 3


def test_an_out_of_range_count_gets_its_specific_re_ask() -> None:
    values, said = validate("family_members", "35")
    assert values["family_members"] is None
    assert said == ["utter_out_of_range_family_members"]


def test_second_misunderstanding_in_a_row_offers_choices() -> None:
    values, said = validate("persecution_agent", "purple elephants", misunderstood=1)
    assert values["persecution_agent"] is None
    assert values["misunderstood"] == 2
    assert said == ["utter_invalid_persecution_agent", "utter_choose_numbered"]


def test_threat_description_is_only_required_after_an_immediate_threat() -> None:
    import asyncio

    from rasa_sdk.executor import CollectingDispatcher

    form = ValidateReferralForm()
    slots = [*FULL_ANSWERS, "summary_confirmed"]
    without = tracker({**FULL_ANSWERS, "immediate_threat": False})
    with_threat = tracker(FULL_ANSWERS)
    required_without = asyncio.run(
        form.required_slots(slots, CollectingDispatcher(), without, {})
    )
    required_with = asyncio.run(form.required_slots(slots, CollectingDispatcher(), with_threat, {}))
    assert "threat_description" not in required_without
    assert "threat_description" in required_with


def test_refused_consent_ends_the_form_after_the_second_question() -> None:
    import asyncio

    from rasa_sdk.executor import CollectingDispatcher

    state = tracker({"partner_case_reference": "X", "consent_to_share": False})
    form = ValidateReferralForm()
    required = asyncio.run(form.required_slots([], CollectingDispatcher(), state, {}))
    assert required == ["partner_case_reference", "consent_to_share"]


def test_summary_answered_with_a_correction_changes_the_answer() -> None:
    slots = {**FULL_ANSWERS, "requested_slot": "summary_confirmed"}
    text = "actually she is in Uganda, not Kenya"
    state = tracker(slots, text=text, active_loop="referral_form")
    state.events.append({"event": "slot", "name": "summary_confirmed", "value": text})
    state.slots["summary_confirmed"] = text
    events, messages = run(ValidateReferralForm(), state)
    values = slot_sets(events)
    assert values["current_country"] == "UG"
    assert values["summary_confirmed"] is None
    assert responses(messages) == ["utter_correction_changed"]


def test_summary_confirmed_with_yes() -> None:
    values, said = validate("summary_confirmed", "yes, all correct", **FULL_ANSWERS)
    assert values["summary_confirmed"] is True
    assert said == []
