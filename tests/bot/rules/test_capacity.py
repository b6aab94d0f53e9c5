"""Cap boundaries: spaces are people (case_size = 1 + family), counted for cases that take one."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.rules import counts_against_cap, decide
from tests.bot.rules.support import FAILS, ON, answers

LAUNCH_YEAR = dt.date(2022, 6, 1)  # cap 250
FAMILY_OF_THREE = {"family_members": 2}


@pytest.mark.parametrize(
    ("on", "cap"), [(LAUNCH_YEAR, 250), (dt.date(2023, 7, 24), 250), (ON, 500)]
)
def test_fits_exactly_then_one_person_over(on: dt.date, cap: int):
    fits = decide(answers(**FAMILY_OF_THREE), on=on, spaces_used=cap - 3)
    over = decide(answers(**FAMILY_OF_THREE), on=on, spaces_used=cap - 2)
    assert (fits.case_size, fits.capacity) == (3, "within_cap")
    assert (over.case_size, over.capacity) == (3, "over_cap")


def test_the_doubled_cap_applies_from_its_first_day():
    before = decide(answers(), on=dt.date(2023, 7, 24), spaces_used=250)
    after = decide(answers(), on=dt.date(2023, 7, 25), spaces_used=250)
    assert before.capacity == "over_cap"
    assert after.capacity == "within_cap"


def test_needs_review_takes_space_when_it_fits():
    fits = decide(answers(refugee_status="unknown"), on=ON, spaces_used=499)
    assert (fits.eligibility, fits.capacity) == ("needs_review", "within_cap")
    assert counts_against_cap(fits) is True
    over = decide(answers(refugee_status="unknown"), on=ON, spaces_used=500)
    assert (over.eligibility, over.capacity) == ("needs_review", "over_cap")
    assert counts_against_cap(over) is False


def test_an_over_cap_case_counts_nothing():
    """Deviation 2: cap 500, 497 used, a family of 5 is waitlisted and takes no space."""
    result = decide(answers(family_members=4), on=ON, spaces_used=497)
    assert (result.case_size, result.capacity) == (5, "over_cap")
    assert counts_against_cap(result) is False


@pytest.mark.parametrize(("on", "cap"), [(LAUNCH_YEAR, 250), (ON, 500)])
def test_largest_family_exactly_filling_the_cap_then_one_person_over(on: dt.date, cap: int):
    largest = answers(family_members=20)  # 21 people
    fills = decide(largest, on=on, spaces_used=cap - 21)
    assert (fills.case_size, fills.capacity) == (21, "within_cap")
    assert counts_against_cap(fills) is True
    one_over = decide(largest, on=on, spaces_used=cap - 20)
    assert one_over.capacity == "over_cap"
    single_then = decide(answers(), on=on, spaces_used=cap - 1)
    assert single_then.capacity == "within_cap"
    assert decide(answers(), on=on, spaces_used=cap).capacity == "over_cap"


def test_used_already_above_the_cap_legacy_data():
    for used in (501, 502, 10_000):
        result = decide(answers(), on=ON, spaces_used=used)
        assert result.capacity == "over_cap"
        assert counts_against_cap(result) is False


@pytest.mark.parametrize("rule", ["E1", "E2", "E3", "E4", "E5"])
def test_ineligible_takes_no_space_so_never_over(rule: str):
    result = decide(answers(**FAILS[rule], family_members=20), on=ON, spaces_used=10_000)
    assert result.eligibility == "ineligible"
    assert result.capacity == "within_cap"
    assert counts_against_cap(result) is False


def test_urgent_case_over_the_cap_is_waitlisted_too():
    result = decide(answers(immediate_threat=True), on=ON, spaces_used=500)
    assert (result.pathway, result.capacity) == ("urgent_protection", "over_cap")
    assert counts_against_cap(result) is False


def test_counts_against_cap_by_outcome():
    eligible = decide(answers(), on=ON, spaces_used=0)
    assert counts_against_cap(eligible) is True
    flagged = decide(answers(criminal_charges="related_to_hr_work"), on=ON, spaces_used=0)
    assert counts_against_cap(flagged) is True


def test_empty_year_and_largest_family_fit():
    result = decide(answers(family_members=20), on=LAUNCH_YEAR, spaces_used=0)
    assert (result.case_size, result.capacity) == (21, "within_cap")
