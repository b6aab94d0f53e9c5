"""Capacity through the store (stream-policy.md, "Capacity"): only cases that fit take
spaces, over-cap cases are waitlisted in submission order, and a supervisor moves one into
the year's spaces when it fits."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from bot.store import (
    CaseNotFound,
    DoesNotFit,
    NotWaitlisted,
    admit_from_waitlist,
    capacity_by_year,
    case_events,
    db,
    get_case,
    spaces_used,
    submit_case,
    update_status,
    year_capacity,
)

from .conftest import StoreEnv, answers, new_id

CAP = 500  # 2023-doubled, in force for these future years
TODAY = date(2026, 12, 1)


def submit(year: int, people: int, **overrides):
    return submit_case(intake_id=new_id(), sender_id="s", partner_org="unhcr",
                       answers=answers(family_members=people - 1, **overrides),
                       submitted_at=datetime(year, 6, 1, 12, tzinfo=UTC))


def fill(year: int, people: int) -> None:
    """Cases of at most 21 people, `people` in all, each within the cap."""
    while people:
        size = min(21, people)
        assert submit(year, size).decision["capacity"] == "within_cap"
        people -= size
    assert spaces_used(year) >= 0


def test_largest_family_exactly_filling_the_cap_then_one_person_over(store: StoreEnv) -> None:
    fill(2060, CAP - 21)
    fills = submit(2060, 21)
    assert fills.decision["capacity"] == "within_cap"
    assert spaces_used(2060) == CAP
    over = submit(2060, 1)
    assert over.decision["capacity"] == "over_cap"
    assert spaces_used(2060) == CAP
    # One person over: a family of 21 when only 20 spaces are left.
    fill(2061, CAP - 20)
    assert submit(2061, 21).decision["capacity"] == "over_cap"
    assert spaces_used(2061) == CAP - 20


def test_an_over_cap_case_takes_no_space(store: StoreEnv) -> None:
    """Deviation 2: 497 used, a family of 5 is waitlisted; a single person still fits."""
    fill(2062, CAP - 3)
    family = submit(2062, 5)
    assert family.decision["capacity"] == "over_cap"
    assert spaces_used(2062) == CAP - 3
    single = submit(2062, 1)
    assert single.decision["capacity"] == "within_cap"
    assert spaces_used(2062) == CAP - 2
    with db.engine().connect() as connection:
        counted = connection.execute(sa.text(
            "SELECT counts_against_cap FROM cases WHERE reference = :r"),
            {"r": family.reference}).scalar_one()
    assert not counted


def test_the_waitlist_in_submission_order(store: StoreEnv) -> None:
    fill(2063, CAP)
    first = submit(2063, 3, immediate_threat=True)
    submit(2063, 2, fled_persecution=False)  # ineligible: never waitlisted
    second = submit(2063, 1, immediate_threat=False, refugee_status="unknown")
    withdrawn = submit(2063, 4, immediate_threat=False)
    update_status(withdrawn.reference, "withdrawn", actor="user:1")
    board = year_capacity(2063, today=TODAY)
    assert (board.cap, board.used, board.left) == (CAP, CAP, 0)
    assert [e.reference for e in board.waitlist] == [first.reference, second.reference]
    assert [e.case_size for e in board.waitlist] == [3, 1]
    assert board.waitlisted_people == 4
    assert board.waitlist[0].urgent is True


def test_a_waitlisted_case_becomes_within_cap_after_a_withdrawal(store: StoreEnv) -> None:
    fill(2064, CAP - 2)
    waiting = submit(2064, 3)
    assert waiting.decision["capacity"] == "over_cap"
    with pytest.raises(DoesNotFit) as raised:
        admit_from_waitlist(waiting.reference, actor="user:9", today=TODAY)
    assert (raised.value.case_size, raised.value.left) == (3, 2)
    assert get_case(waiting.reference).decision["capacity"] == "over_cap"

    freed = submit(2065, 1)  # another year's case frees nothing in 2064
    update_status(freed.reference, "withdrawn", actor="user:1")
    with pytest.raises(DoesNotFit):
        admit_from_waitlist(waiting.reference, actor="user:9", today=TODAY)

    one = submit(2064, 1)  # takes one of the 2 spaces left: 499 used
    update_status(one.reference, "withdrawn", actor="user:1")  # 498 used again
    with pytest.raises(DoesNotFit):
        admit_from_waitlist(waiting.reference, actor="user:9", today=TODAY)
    # A case of 21 is withdrawn: 477 used, the family of 3 fits.
    big = next(c for c in _within_cap(2064) if c[1] == 21)[0]
    update_status(big, "withdrawn", actor="user:1")
    assert spaces_used(2064) == CAP - 2 - 21
    after = admit_from_waitlist(waiting.reference, actor="user:9", today=TODAY)
    assert after == spaces_used(2064) == CAP - 2 - 21 + 3
    case = get_case(waiting.reference)
    assert case.decision["capacity"] == "within_cap"
    assert year_capacity(2064, today=TODAY).waitlist == ()
    event = case_events(waiting.reference)[-1]
    assert (event["actor"], event["action"]) == ("user:9", "admitted_from_waitlist")
    assert event["detail"] == {"case_size": 3, "spaces_used_before": CAP - 23, "cap": CAP,
                               "policy_version": "2023-doubled"}
    with pytest.raises(NotWaitlisted):  # once only
        admit_from_waitlist(waiting.reference, actor="user:9", today=TODAY)


def _within_cap(year: int) -> list[tuple[str, int]]:
    with db.engine().connect() as connection:
        return [tuple(r) for r in connection.execute(sa.text(
            "SELECT reference, case_size FROM cases WHERE year = :y AND capacity = 'within_cap'"
            " ORDER BY seq"), {"y": year})]


def test_only_open_waitlisted_cases_can_be_moved(store: StoreEnv) -> None:
    fill(2066, CAP)
    ineligible = submit(2066, 1, hrd_activity="none")
    within = submit(2067, 1)
    withdrawn = submit(2066, 1)
    update_status(withdrawn.reference, "withdrawn", actor="user:1")
    for reference in (ineligible.reference, within.reference, withdrawn.reference):
        with pytest.raises(NotWaitlisted):
            admit_from_waitlist(reference, actor="user:9", today=TODAY)
    with pytest.raises(CaseNotFound):
        admit_from_waitlist("HRD-2066-99999", actor="user:9", today=TODAY)


def test_used_already_above_the_cap_legacy_data(store: StoreEnv) -> None:
    """Rows saved before the waitlist may hold more within_cap people than the cap."""
    fill(2068, CAP)
    extra = submit(2068, 5)
    with db.engine().begin() as connection:  # as the old code saved it: counted, over the cap
        connection.execute(sa.text(
            "UPDATE cases SET capacity = 'within_cap', counts_against_cap = :t "
            "WHERE reference = :r"), {"r": extra.reference, "t": True})
    assert spaces_used(2068) == CAP + 5
    board = year_capacity(2068, today=TODAY)
    assert (board.used, board.left) == (CAP + 5, 0)
    late = submit(2068, 1)
    assert late.decision["capacity"] == "over_cap"
    with pytest.raises(DoesNotFit) as raised:
        admit_from_waitlist(late.reference, actor="user:9", today=TODAY)
    assert raised.value.left == 0


def test_capacity_by_year_lists_this_year_and_years_with_cases(store: StoreEnv) -> None:
    submit(2069, 2)
    years = [c.year for c in capacity_by_year(today=TODAY)]
    assert years == sorted(years, reverse=True)
    assert {TODAY.year, 2069} <= set(years)
    # A past year is governed by the version in force on its 31 December.
    past = [c for c in capacity_by_year(today=date(2023, 5, 1)) if c.year == 2022]
    assert past == [] or past[0].policy_version == "2021-launch"
    assert year_capacity(2022, today=date(2030, 1, 1)).cap == 250
    assert year_capacity(2023, today=date(2023, 5, 1)).cap == 250
    assert year_capacity(2023, today=date(2030, 1, 1)).cap == 500
