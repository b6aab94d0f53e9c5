import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.intake.corrections import Correction, apply_correction, parse_correction
from bot.intake.questions import FORM_SLOTS

ANSWERS = {
    "partner_case_reference": "FLD-1",
    "consent_to_share": True,
    "country_of_origin": "BI",
    "current_country": "KE",
    "hrd_activity": "other",
    "family_members": 2,
    "immediate_threat": True,
    "threat_description": "followed",
    "medical_needs": False,
    "criminal_charges": "unknown",
}


@pytest.mark.parametrize(
    ("text", "requested", "slot", "value"),
    [
        ("actually she is in Uganda, not Kenya", None, "current_country", "UG"),
        ("actually she is in Uganda, not Kenya", "hrd_activity", "current_country", "UG"),
        ("she's from Rwanda, not Burundi", None, "country_of_origin", "RW"),
        ("actually the family is 3", None, "family_members", 3),
        ("actually the family is 3", "medical_needs", "family_members", 3),
        ("sorry, she's from Burundi", None, "country_of_origin", "BI"),
        ("sorry, she's from Burundi", "current_country", "country_of_origin", "BI"),
        ("wait, she is actually in Tanzania", None, "current_country", "TZ"),
        ("her nationality is Rwandan", None, "country_of_origin", "RW"),
        ("change the activity to journalism", None, "hrd_activity", "journalism_media"),
        ("actually she's a trade unionist", "family_members", "hrd_activity", "labour_rights"),
        ("wait, she does have medical needs", None, "medical_needs", True),
        ("she has no medical needs", None, "medical_needs", False),
        ("change medical needs to yes", None, "medical_needs", True),
        ("the reference should be ABC-12", None, "partner_case_reference", "ABC-12"),
        ("he was never charged", None, "criminal_charges", "none"),
        ("there is no immediate threat after all", None, "immediate_threat", False),
        ("she is unsafe", "criminal_charges", "safe_in_current_country", False),
        ("sorry, she has three kids", None, "family_members", 3),
        ("actually the persecutor is the army", None, "persecution_agent", "state"),
        ("correction: her refugee status is pending", None, "refugee_status",
         "asylum_seeker"),
        ("sorry, she has been recognized as a refugee", None, "refugee_status", "recognized"),
        ("actually it was the army not the police", None, "persecution_agent", "state"),
        ("oops, she is actually Rwandan", None, "country_of_origin", "RW"),
        ("no wait, she is in Tanzania not Kenya", "medical_needs", "current_country", "TZ"),
        ("update the reference to PDEU/2024/9", None, "partner_case_reference", "PDEU/2024/9"),
        ("change risk factors to woman and indigenous", None, "risk_factors",
         ["woman", "indigenous"]),
        ("actually there are no risk factors", None, "risk_factors", []),
        ("actually she does not want to go to Canada", None, "wants_resettlement_canada",
         False),
        ("she did not consent after all", None, "consent_to_share", False),
        ("she has diabetes actually", "criminal_charges", "medical_needs", True),
        # plain answers to the question being asked
        ("3", "family_members", "family_members", 3),
        ("in Kampala, she fled Burundi", "current_country", "current_country", "UG"),
        ("she is not safe", "immediate_threat", "immediate_threat", True),
        ("the police", "persecution_agent", "persecution_agent", "state"),
    ],
)
def test_parse_correction(text, requested, slot, value):
    assert parse_correction(text, ANSWERS, requested) == Correction(slot, value)


def test_named_slot_without_value_is_asked_again():
    assert parse_correction("I want to change the country of origin", ANSWERS, None) == (
        Correction("country_of_origin", None)
    )
    assert parse_correction("can I change the family size?", ANSWERS, "medical_needs") == (
        Correction("family_members", None)
    )


@pytest.mark.parametrize(
    ("text", "requested"), [("hello", None), ("asdf qwer", "family_members"), ("", None)]
)
def test_nothing_usable(text, requested):
    assert parse_correction(text, ANSWERS, requested) is None


def test_apply_correction_clears_threat_description_and_confirmation():
    updates = apply_correction(
        {**ANSWERS, "summary_confirmed": True}, Correction("immediate_threat", False)
    )
    assert updates == {
        "immediate_threat": False,
        "threat_description": None,
        "summary_confirmed": None,
    }


def test_apply_correction_keeps_threat_description_otherwise():
    updates = apply_correction(ANSWERS, Correction("current_country", "UG"))
    assert updates == {"current_country": "UG", "summary_confirmed": None}
    updates = apply_correction(ANSWERS, Correction("immediate_threat", True))
    assert "threat_description" not in updates


def test_apply_correction_with_no_value_clears_the_slot():
    updates = apply_correction(ANSWERS, Correction("country_of_origin", None))
    assert updates == {"country_of_origin": None, "summary_confirmed": None}


def test_apply_correction_does_not_mutate_answers():
    answers = dict(ANSWERS)
    apply_correction(answers, Correction("family_members", 4))
    assert answers == ANSWERS


@pytest.mark.parametrize(
    ("text", "requested"),
    [
        # A plain answer that mentions another topic stays an answer to the question asked.
        ("armed men threatened her family", "threat_description"),
        ("the police because of her work", "persecution_agent"),
        ("actually the police came to her house in Kampala", "threat_description"),
    ],
)
def test_plain_answers_are_not_hijacked(text, requested):
    correction = parse_correction(text, ANSWERS, requested)
    assert correction is not None
    assert correction.slot == requested


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200), st.sampled_from((None, *FORM_SLOTS)))
def test_never_raises(text, requested):
    correction = parse_correction(text, ANSWERS, requested)
    assert correction is None or correction.slot in FORM_SLOTS


@pytest.mark.parametrize(
    ("text", "slot", "value"),
    [
        ("wait, there are actually 4 family members coming, not 3", "family_members", 4),
        ("no, 4 family members not 3", "family_members", 4),
        ("change the activity to legal defence instead of journalism", "hrd_activity",
         "legal_defence"),
    ],
)
def test_the_replaced_value_is_not_taken_for_the_new_one(text: str, slot: str, value) -> None:
    answers = {"family_members": 3, "hrd_activity": "journalism_media", "current_country": "KE"}
    assert parse_correction(text, answers, "summary_confirmed") == Correction(slot, value)
