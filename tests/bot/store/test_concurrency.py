"""Real concurrency: threads on their own connections, released together by a barrier."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from bot.store import list_cases, spaces_used, submit_case

from .conftest import StoreEnv, answers, new_id

CAP = 500  # policy 2023-doubled, in force for these future years


def run_together(count: int, work: Callable[[int], Any]) -> list[Any]:
    barrier = threading.Barrier(count)

    def task(i: int) -> Any:
        barrier.wait()
        return work(i)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(task, range(count)))


def when(year: int) -> datetime:
    return datetime(year, 6, 1, tzinfo=UTC)


def test_concurrent_submissions_get_distinct_gapless_references(store: StoreEnv) -> None:
    def work(i: int) -> list[str]:
        return [submit_case(intake_id=new_id(), sender_id=f"s{i}", partner_org="unhcr",
                            answers=answers(family_members=0, refugee_status="none"),
                            submitted_at=when(2050)).reference for _ in range(5)]

    refs = [r for batch in run_together(8, work) for r in batch]
    assert len(set(refs)) == 40
    assert sorted(refs) == [f"HRD-2050-{n:05d}" for n in range(1, 41)]


def test_simultaneous_submits_of_one_intake_make_one_case(store: StoreEnv) -> None:
    intake = new_id()
    results = run_together(8, lambda i: submit_case(
        intake_id=intake, sender_id="s", partner_org="unhcr", answers=answers(),
        submitted_at=when(2051)))
    assert len({r.reference for r in results}) == 1
    assert sum(r.created for r in results) == 1
    assert len(list_cases(year=2051)) == 1


def test_two_submissions_never_both_take_the_last_spaces(store: StoreEnv) -> None:
    year = 2052
    # 23 cases of 21 people and one of 14: 497 of 500 spaces used, 3 left.
    for size in [21] * 23 + [14]:
        result = submit_case(intake_id=new_id(), sender_id="filler", partner_org="unhcr",
                             answers=answers(family_members=size - 1), submitted_at=when(year))
        assert result.decision["capacity"] == "within_cap"
    assert spaces_used(year) == CAP - 3

    results = run_together(8, lambda i: submit_case(
        intake_id=new_id(), sender_id=f"racer{i}", partner_org="unhcr",
        answers=answers(family_members=2), submitted_at=when(year)))
    capacities = sorted(r.decision["capacity"] for r in results)
    assert capacities == ["over_cap"] * 7 + ["within_cap"]
    # Over-cap cases are saved too (waitlisted), and still count as submitted cases.
    assert len(list_cases(year=year)) == 24 + 8
    assert len(list_cases(year=year, capacity="within_cap")) == 25
