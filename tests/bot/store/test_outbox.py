"""The database down at submit: spooled, then drained once it is back. "Down" is a real
PostgreSQL URL on a closed port (the shared server stays up for everyone else)."""

from __future__ import annotations

import argparse
import re
import socket
import stat
from datetime import UTC, datetime

import pytest

from bot.cli import db as db_cli
from bot.store import db, get_case, list_cases
from bot.store.cases import SubmitResult
from bot.store.outbox import Queued, drain_outbox, outbox_dir, queued_count, submit_or_queue

from .conftest import StoreEnv, answers, new_id


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # released on close: nothing listens there


@pytest.fixture
def database_down(store: StoreEnv, monkeypatch: pytest.MonkeyPatch):
    """Yields a function that brings the database back."""
    monkeypatch.setenv("DATABASE_URL", f"postgresql://postgres@127.0.0.1:{closed_port()}/x")

    def back() -> None:
        monkeypatch.setenv("DATABASE_URL", store.url)

    yield back
    back()
    db.dispose_engines()


def submit(intake: str, **overrides) -> SubmitResult | Queued:
    return submit_or_queue(intake_id=intake, sender_id="s", partner_org="unhcr",
                           answers=answers(**overrides),
                           submitted_at=datetime(2060, 12, 31, 23, 59, tzinfo=UTC))


def test_queued_while_down_then_drained_once(store: StoreEnv, database_down) -> None:
    marker = "OKAPI-" + new_id("m")
    first, second = new_id(), new_id()
    assert submit(first, threat_description=marker) == Queued(first)
    assert submit(first, threat_description=marker) == Queued(first)  # retry: same file
    assert submit(second) == Queued(second)
    files = list(outbox_dir().iterdir())
    assert len(files) == 2 and queued_count() == 2
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert marker.encode() not in path.read_bytes()
        assert first.encode() not in path.read_bytes() and first not in path.name

    assert drain_outbox() == []  # still down: nothing lost
    assert queued_count() == 2

    database_down()  # back up
    results = drain_outbox()
    assert sorted(r.created for r in results) == [True, True]
    assert queued_count() == 0
    assert drain_outbox() == []
    saved = {r.reference: get_case(r.reference) for r in results}
    assert {c.intake_id for c in saved.values()} == {first, second}
    # The submission time is the user's confirmation, not the drain's.
    assert {c.submitted_at for c in saved.values()} == {datetime(2060, 12, 31, 23, 59, tzinfo=UTC)}
    assert any(c.answers["threat_description"] == marker for c in saved.values())
    # A late retry of the action server after the drain: the same case, not a second one.
    again = submit(first)
    assert isinstance(again, SubmitResult) and not again.created
    assert again.reference in saved
    assert len(list_cases(year=2060)) == 2


def test_spooled_intake_saved_by_next_submit_of_same_intake(store: StoreEnv, database_down) -> None:
    intake = new_id()
    assert isinstance(submit(intake), Queued)
    database_down()
    result = submit(intake)
    assert isinstance(result, SubmitResult) and result.created
    assert queued_count() == 0
    assert drain_outbox() == []


def test_bad_answers_fail_now_not_in_the_drain(store: StoreEnv, database_down) -> None:
    with pytest.raises(ValueError):
        submit(new_id(), family_members=99)
    assert queued_count() == 0


def test_up_database_submits_directly(store: StoreEnv) -> None:
    result = submit(new_id())
    assert isinstance(result, SubmitResult) and result.created
    assert queued_count() == 0


def test_next_successful_submit_drains_the_outbox(store: StoreEnv, database_down) -> None:
    waiting = new_id()
    assert isinstance(submit(waiting), Queued)
    database_down()
    assert isinstance(submit(new_id()), SubmitResult)
    assert queued_count() == 0
    again = submit(waiting)  # already saved by that drain
    assert isinstance(again, SubmitResult) and not again.created
    assert get_case(again.reference).intake_id == waiting


def test_drain_cli(store: StoreEnv, database_down, capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser()
    db_cli.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["db", "drain-outbox"])
    assert isinstance(submit(new_id()), Queued)
    assert args.handler(args) == 1  # still down: reported, kept
    assert "1 still queued" in capsys.readouterr().out
    database_down()
    assert args.handler(args) == 0
    out = capsys.readouterr().out
    assert re.search(r"saved HRD-2060-\d{5}", out) and "0 still queued" in out
