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


def test_needs_review_takes_space():
    result = decide(answers(refugee_status="unknown"), on=ON, spaces_used=500)
    assert result.eligibility == "needs_review"
    assert result.capacity == "over_cap"
    assert counts_against_cap(result) is True


@pytest.mark.parametrize("rule", ["E1", "E2", "E3", "E4", "E5", "E8"])
def test_ineligible_takes_no_space_so_never_over(rule: str):
    result = decide(answers(**FAILS[rule], family_members=20), on=ON, spaces_used=10_000)
    assert result.eligibility == "ineligible"
    assert result.capacity == "within_cap"
    assert counts_against_cap(result) is False


def test_urgent_case_is_still_counted():
    result = decide(answers(immediate_threat=True), on=ON, spaces_used=500)
    assert (result.pathway, result.capacity) == ("urgent_protection", "over_cap")


def test_counts_against_cap_by_outcome():
    eligible = decide(answers(), on=ON, spaces_used=0)
    assert counts_against_cap(eligible) is True
    flagged = decide(answers(criminal_charges="related_to_hr_work"), on=ON, spaces_used=0)
    assert counts_against_cap(flagged) is True


def test_empty_year_and_largest_family_fit():
    result = decide(answers(family_members=20), on=LAUNCH_YEAR, spaces_used=0)
    assert (result.case_size, result.capacity) == (21, "within_cap")
