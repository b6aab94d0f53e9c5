import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.intake.lexicon import LEXICON, load_lexicon, merge
from bot.intake.normalize import Parsed, parse_answer
from bot.intake.questions import FORM_SLOTS

PROBLEMS = {None, "not_understood", "out_of_range", "too_long", "empty"}


def test_parsed_ok():
    assert Parsed("KE").ok
    assert Parsed(False).ok
    assert Parsed(0).ok
    assert Parsed([]).ok
    assert not Parsed().ok
    assert not Parsed(problem="not_understood").ok
    assert Parsed("x").also == {}


def test_parsed_is_frozen():
    with pytest.raises(AttributeError):
        Parsed("x").value = "y"  # type: ignore[misc]


def test_unknown_slot_is_an_error():
    with pytest.raises(ValueError):
        parse_answer("favourite_colour", "blue")


@pytest.mark.parametrize(
    ("slot", "text", "value"),
    [
        ("partner_case_reference", "our ref is FLD-2024-0173", "FLD-2024-0173"),
        ("consent_to_share", "she agreed", True),
        ("country_of_origin", "she's Zimbabwean", "ZW"),
        ("current_country", "now in Nairobi", "KE"),
        ("hrd_activity", "investigative reporter", "journalism_media"),
        ("persecution_agent", "the police", "state"),
        ("fled_persecution", "yes", True),
        ("refugee_status", "recognized by UNHCR", "recognized"),
        ("safe_in_current_country", "she is in danger there", False),
        ("immediate_threat", "no immediate threat", False),
        ("threat_description", " followed home ", "followed home"),
        ("family_members", "his wife and two children", 3),
        ("risk_factors", "prefer not to say", []),
        ("medical_needs", "needs dialysis", True),
        ("criminal_charges", "no charges", "none"),
        ("wants_resettlement_canada", "of course", True),
        ("summary_confirmed", "1", True),
    ],
)
def test_parse_answer_dispatches_every_slot(slot, text, value):
    assert parse_answer(slot, text).value == value


@pytest.mark.parametrize("slot", FORM_SLOTS)
def test_empty_answers(slot):
    assert parse_answer(slot, "  ").problem == "empty"


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(FORM_SLOTS), st.text(max_size=300))
def test_never_raises(slot, text):
    parsed = parse_answer(slot, text)
    assert parsed.problem in PROBLEMS
    assert (parsed.problem is None) == (parsed.value is not None)


def test_parsing_is_fast():
    cases = [
        ("country_of_origin", "she's Ugandan, now in Nairobi"),
        ("family_members", "wife, mother and 3 kids"),
        ("hrd_activity", "she runs an organisation defending LGBT people"),
        ("safe_in_current_country", "she is not safe, she is being followed"),
        ("risk_factors", "an Indigenous lesbian woman"),
        ("criminal_charges", "fabricated charges because of her work"),
    ]
    for slot, text in cases:
        parse_answer(slot, text)
    start = time.perf_counter()
    rounds = 100
    for _ in range(rounds):
        for slot, text in cases:
            parse_answer(slot, text)
    assert (time.perf_counter() - start) / (rounds * len(cases)) < 0.002


def _strings(node, path="lexicon"):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, f"{path}.{key}")
    elif isinstance(node, list):
        for item in node:
            yield path, item


def test_lexicon_lists_hold_only_strings():
    # YAML reads unquoted no/yes/on/off as booleans: every phrase must stay a string.
    bad = [(path, item) for path, item in _strings(LEXICON) if not isinstance(item, str)]
    assert bad == []


def test_lexicons_merge():
    assert merge({"a": [1], "b": {"c": [2]}}, {"a": [1, 3], "b": {"d": 4}}) == {
        "a": [1, 3],
        "b": {"c": [2], "d": 4},
    }
    merged = load_lexicon()
    assert "oui" in merged["yes_no"]["affirm"]
    assert "yes" in merged["yes_no"]["affirm"]
