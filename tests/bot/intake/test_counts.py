import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.intake.normalize import parse_answer, parse_count


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0", 0),
        ("3", 3),
        (" 20 ", 20),
        ("three", 3),
        ("twenty", 20),
        ("Twelve", 12),
        ("seventeen", 17),
        ("his wife and two children", 3),
        ("wife, mother and 3 kids", 5),
        ("a husband and a daughter", 2),
        ("twins", 2),
        ("her husband and twins", 3),
        ("the family is 3", 3),
        ("3 people", 3),
        ("family of 5 including her", 4),
        ("five children", 5),
        ("she has two young children and her husband", 3),
        ("her husband, 2 daughters and 1 son", 4),
        ("a wife, three kids and his mother-in-law", 5),
        ("2 kids aged 5 and 7", 2),
        ("her parents", 2),
        ("mother and father", 2),
        ("his mother", 1),
        ("one son", 1),
        ("no children but her wife", 1),
        ("just her and her son", 1),
        ("she lives alone with her two children", 2),
        ("children: 3", 3),
        ("her partner", 1),
        ("wife and 4 children", 5),
        ("Husband + 3 kids", 4),
        # nobody
        ("alone", 0),
        ("she is alone", 0),
        ("just her", 0),
        ("just him", 0),
        ("no family", 0),
        ("none", 0),
        ("nobody", 0),
        ("no one else", 0),
        ("zero", 0),
    ],
)
def test_counts(text, value):
    parsed = parse_count(text)
    assert parsed.ok
    assert parsed.value == value
    assert parse_answer("family_members", text).value == value


@pytest.mark.parametrize("text", ["21", "25", "twenty five", "100", "-1", "minus two", "-5"])
def test_out_of_range(text):
    parsed = parse_count(text)
    assert parsed.value is None
    assert parsed.problem == "out_of_range"


@pytest.mark.parametrize(
    "text", ["blah", "his wife and children", "some kids", "lots", "Kenya"]
)
def test_not_understood(text):
    parsed = parse_count(text)
    assert parsed.value is None
    assert parsed.problem == "not_understood"


def test_empty():
    assert parse_count("  ").problem == "empty"


@given(st.integers(min_value=0, max_value=20))
def test_digits_round_trip(n):
    assert parse_count(str(n)).value == n


@given(st.integers(min_value=21, max_value=10_000))
def test_large_numbers_are_out_of_range(n):
    assert parse_count(str(n)).problem == "out_of_range"


@given(st.text(max_size=200))
def test_never_raises(text):
    parsed = parse_count(text)
    assert parsed.problem in (None, "not_understood", "out_of_range", "empty")
    if parsed.ok:
        assert isinstance(parsed.value, int)
        assert 0 <= parsed.value <= 20
