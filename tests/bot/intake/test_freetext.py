import pytest

from bot.intake.normalize import parse_answer, parse_reference, parse_threat_description


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("our ref is FLD-2024-0173", "FLD-2024-0173"),
        ("it's UNHCR/KEN/24/113", "UNHCR/KEN/24/113"),
        ("Reference: PDEU-778", "PDEU-778"),
        ("the case number is 2024/55.", "2024/55"),
        ("FLD-2024-0173", "FLD-2024-0173"),
        ("  abc  ", "abc"),
        ("Amani", "Amani"),
        ("our reference is Amani", "Amani"),
        ("x" * 64, "x" * 64),
    ],
)
def test_reference(text, value):
    parsed = parse_reference(text)
    assert parsed.ok
    assert parsed.value == value
    assert parse_answer("partner_case_reference", text).value == value


@pytest.mark.parametrize(
    ("text", "problem"), [("", "empty"), ("   ", "empty"), ("x" * 65, "too_long")]
)
def test_reference_problems(text, problem):
    parsed = parse_reference(text)
    assert parsed.value is None
    assert parsed.problem == problem


def test_threat_description_is_kept_as_typed():
    text = "  Armed men came to her house twice.\nThey said they would return.  "
    parsed = parse_threat_description(text)
    assert parsed.value == text.strip()
    assert parse_answer("threat_description", text).value == text.strip()


def test_threat_description_limits():
    assert parse_threat_description("a" * 2000).value == "a" * 2000
    assert parse_threat_description("a" * 2001).problem == "too_long"
    assert parse_threat_description(" \n ").problem == "empty"
