import pytest

from bot.intake.normalize import parse_answer, parse_yes_no

YES = [
    "yes", "Yes.", "YES!", "yep", "yeah", "yup", "sure", "absolutely", "of course",
    "definitely", "she does", "he does", "correct", "that's correct", "right", "indeed",
    "affirmative", "I think so", "yes she has", "Yes, she is", "ok", "1", "true", "True",
]
NO = [
    "no", "No.", "nope", "nah", "not at the moment", "not really", "absolutely not",
    "of course not", "I don't think so", "I dont think so", "negative", "not yet", "not now",
    "no, not at all", "she doesn't", "she does not", "he isn't", "she hasn't", "incorrect",
    "2", "false", "False", "not that I know of", "no longer",
]


@pytest.mark.parametrize("text", YES)
def test_generic_yes(text):
    assert parse_yes_no(text).value is True


@pytest.mark.parametrize("text", NO)
def test_generic_no(text):
    assert parse_yes_no(text).value is False


@pytest.mark.parametrize(
    ("slot", "text", "value"),
    [
        # safe_in_current_country: danger words mean "not safe"
        ("safe_in_current_country", "she is in danger there", False),
        ("safe_in_current_country", "not safe", False),
        ("safe_in_current_country", "unsafe", False),
        ("safe_in_current_country", "she is not safe", False),
        ("safe_in_current_country", "she isn't safe at all", False),
        ("safe_in_current_country", "she is safe", True),
        ("safe_in_current_country", "she feels safe there for now", True),
        ("safe_in_current_country", "she is not in danger", True),
        ("safe_in_current_country", "yes, but she is being followed", False),
        ("safe_in_current_country", "No, she is at risk of being deported", False),
        ("safe_in_current_country", "she's hiding from the militia", False),
        ("safe_in_current_country", "she was safe but now she is in danger", False),
        # immediate_threat
        ("immediate_threat", "yes, she's being followed and threatened", True),
        ("immediate_threat", "no immediate threat", False),
        ("immediate_threat", "there is no immediate threat", False),
        ("immediate_threat", "she received death threats yesterday", True),
        ("immediate_threat", "her life is at risk", True),
        ("immediate_threat", "she is safe for now", False),
        ("immediate_threat", "not at the moment", False),
        ("immediate_threat", "there are no threats", False),
        # medical_needs
        ("medical_needs", "she has diabetes", True),
        ("medical_needs", "needs dialysis", True),
        ("medical_needs", "he uses a wheelchair", True),
        ("medical_needs", "she is pregnant", True),
        ("medical_needs", "healthy", False),
        ("medical_needs", "she is in good health", False),
        ("medical_needs", "she has no medical needs", False),
        ("medical_needs", "no health problems", False),
        ("medical_needs", "she is not sick", False),
        ("medical_needs", "she does not take any medication", False),
        ("medical_needs", "she is not healthy", True),
        # consent_to_share
        ("consent_to_share", "she agreed", True),
        ("consent_to_share", "she has consented", True),
        ("consent_to_share", "she gave her consent", True),
        ("consent_to_share", "she refused", False),
        ("consent_to_share", "she did not agree", False),
        ("consent_to_share", "she declined", False),
        ("consent_to_share", "she has not consented", False),
        # fled_persecution
        ("fled_persecution", "she fled in 2021", True),
        ("fled_persecution", "yes she escaped after the raid", True),
        ("fled_persecution", "she never left", False),
        ("fled_persecution", "she is still in her country", False),
        # wants_resettlement_canada
        ("wants_resettlement_canada", "she wants to go to Canada", True),
        ("wants_resettlement_canada", "she would like that", True),
        ("wants_resettlement_canada", "she doesn't want to go", False),
        ("wants_resettlement_canada", "she prefers to stay in the region", False),
        ("wants_resettlement_canada", "she is not interested", False),
        # summary_confirmed
        ("summary_confirmed", "looks good", True),
        ("summary_confirmed", "all correct, submit", True),
        ("summary_confirmed", "there is a mistake", False),
        ("summary_confirmed", "not right", False),
    ],
)
def test_slot_aware(slot, text, value):
    parsed = parse_yes_no(text, slot)
    assert parsed.ok
    assert parsed.value is value
    assert parse_answer(slot, text).value is value


@pytest.mark.parametrize(
    "text", ["not sure", "I don't know", "maybe", "asdf", "the weather is nice", "Kenya"]
)
def test_not_understood(text):
    parsed = parse_yes_no(text, "medical_needs")
    assert parsed.value is None
    assert parsed.problem == "not_understood"
    assert not parsed.ok


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_empty(text):
    assert parse_yes_no(text).problem == "empty"


def test_false_is_an_ok_value():
    parsed = parse_yes_no("no")
    assert parsed.ok
    assert parsed.value is False


@pytest.mark.parametrize(
    ("text", "value"),
    [("she does", True), ("yes she is", True), ("she is", True), ("she is not", False),
     ("she doesn't", False), ("she has no", False)],
)
def test_subject_verb_answers(text, value):
    assert parse_yes_no(text).value is value


@pytest.mark.parametrize(
    "text", ["she is in Uganda", "there is a problem with her papers", "she has a brother"]
)
def test_statements_are_not_a_yes(text):
    assert parse_yes_no(text, "cancel_confirmed").problem == "not_understood"


@pytest.mark.parametrize(
    "text",
    ["actually she is in Uganda, not Kenya", "no wait, she is in Tanzania",
     "the family is wrong", "change the activity to journalism"],
)
def test_a_correction_is_no_verdict_on_the_summary(text):
    # Left to parse_correction instead of confirming (or rejecting) the summary.
    assert parse_yes_no(text, "summary_confirmed").problem == "not_understood"


@pytest.mark.parametrize(
    ("text", "value"),
    [("yes", True), ("yes, all correct", True), ("yes the summary is correct", True),
     ("no", False), ("No, change it", False), ("no wait", False)],
)
def test_summary_verdicts(text, value):
    assert parse_yes_no(text, "summary_confirmed").value is value
