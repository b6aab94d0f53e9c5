"""The production set-up on this machine (issue 17): PostgreSQL (DATABASE_URL), the Redis lock
store (REDIS_URL), one action server and two Rasa processes. Concurrent whole intakes through
the partner channel move between the two processes turn by turn, so each process serves
conversations the other has just changed: every turn must be answered, every case saved once
with the referral's answers, and no lock lost or ticket refused."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from bot.store import get_case
from bot.store.db import session_scope
from bot.store.models import Case
from tests.access.cli import new_token
from tests.access.databases import temporary_database
from tests.e2e.referrals import REFERRALS, Referral, answer_all
from tests.support.saved_cases import REFERENCE, check_saved_once
from tests.support.servers import (
    PARTNER_WEBHOOK,
    Assistant,
    production_env,
    reply_texts,
    round_robin,
)

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

INTAKES = 8
# The lock keys are "hrd:lock:<sender>" and every sender here is new, so runs in parallel
# (or the benchmark, on database 1) do not meet.
REDIS_URL = "redis://127.0.0.1:6379/2"
FAILURE_SIGNS = ("TicketExistsError", "LockError", "Traceback")


@dataclass
class Intake:
    referral: Referral
    sender: str = field(default_factory=lambda: f"prod-{uuid.uuid4().hex}")
    unanswered: list[str] = field(default_factory=list)
    reference: str | None = None
    last_reply: str = ""


@dataclass
class Production:
    servers: list[Assistant]
    database_url: str
    data_dir: Path
    token: str
    intakes: list[Intake]


def run_intake(servers: list[Assistant], token: str, index: int) -> Intake:
    """One whole referral, as tests/e2e/test_referrals.py makes it, each turn to the next
    Rasa process; the read-backs' slots are read from the other one."""
    say = round_robin(servers, token)
    intake = Intake(REFERRALS[index % len(REFERRALS)])

    def turn(message: str) -> list[dict[str, Any]]:
        replies = say(intake.sender, message)
        if not reply_texts(replies).strip():
            intake.unanswered.append(message)
        return replies

    if "Start a referral" in str(turn(intake.referral.opener)):  # a greeting's button
        turn("yes let's start a referral")
    answer_all(turn, lambda: servers[index % 2].tracker(intake.sender)["slots"],
               intake.referral.answers, intake.referral.expected)
    intake.last_reply = reply_texts(turn("yes, that's all correct"))
    match = REFERENCE.search(intake.last_reply)
    intake.reference = match.group(0) if match else None
    return intake


@pytest.fixture(scope="module")
def production(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Production]:
    workdir = tmp_path_factory.mktemp("production")
    data_dir = workdir / "data"
    with temporary_database("postgresql", data_dir) as database:
        env = production_env(data_dir, DATABASE_URL=database["DATABASE_URL"],
                             HRD_DATA_KEY=database["HRD_DATA_KEY"], REDIS_URL=REDIS_URL)
        token = new_token("--role", "partner", "--org", "unhcr", "prod@unhcr.org", env=env)
        for name in ("one", "two"):
            (workdir / name).mkdir()
        servers = [Assistant(workdir=workdir / "one", env=env)]
        try:
            servers[0].start(credentials="credentials.yml")
            servers.append(servers[0].another_rasa_server(workdir / "two",
                                                          credentials="credentials.yml"))
            with ThreadPoolExecutor(INTAKES) as pool:
                intakes = list(pool.map(lambda i: run_intake(servers, token, i), range(INTAKES)))
            yield Production(servers, database["DATABASE_URL"], data_dir, token, intakes)
        finally:
            for server in reversed(servers):  # the Rasa servers, then the action server
                server.stop()


def test_every_turn_is_answered_and_every_intake_ends_in_a_reference(
    production: Production,
) -> None:
    assert [(i.sender, i.unanswered) for i in production.intakes if i.unanswered] == []
    assert [(i.referral.name, i.last_reply) for i in production.intakes if not i.reference] == []


def test_every_case_is_saved_once_with_the_referrals_answers(production: Production) -> None:
    saved = {intake.sender: intake.reference for intake in production.intakes}
    assert check_saved_once(production.data_dir, saved, production.database_url) == []
    references = [intake.reference for intake in production.intakes]
    with session_scope() as session:
        stored = session.execute(
            sa.select(Case.reference).where(Case.reference.in_(references))
        ).scalars().all()
    assert sorted(stored) == sorted(references)  # no reference given twice
    for intake in production.intakes:
        case = get_case(intake.reference or "")
        assert case is not None, intake.reference
        expected = intake.referral.expected
        assert {slot: case.answers.get(slot) for slot in expected} == expected


def test_messages_at_once_to_both_processes_take_turns(production: Production) -> None:
    """Two messages of one conversation sent at the same moment, one to each process: the
    shared lock makes the second turn wait for the first and build on it, so the tracker
    holds both, each answered before the next is read."""
    senders = [f"prod-both-{uuid.uuid4().hex}" for _ in range(INTAKES)]
    start = threading.Barrier(2 * len(senders))

    def send(job: tuple[str, int]) -> str:
        sender, server = job
        start.wait()
        return reply_texts(production.servers[server].post(
            PARTNER_WEBHOOK, {"sender": sender, "message": "hello"},
            {"Authorization": f"Bearer {production.token}"}))

    jobs = [(sender, server) for sender in senders for server in (0, 1)]
    with ThreadPoolExecutor(len(jobs)) as pool:
        replies = list(pool.map(send, jobs))
    assert all(reply.strip() for reply in replies)
    for sender in senders:
        events = production.servers[0].tracker(sender)["events"]
        kinds = [e["event"] if e["event"] != "action" else e["name"] for e in events]
        users = [i for i, kind in enumerate(kinds) if kind == "user"]
        assert len(users) == 2, kinds
        assert kinds.count("session_started") == 1, kinds
        # The second message was read only after the first was answered and the bot listened.
        assert "bot" in kinds[users[0]:users[1]] and kinds[users[1] - 1] == "action_listen", kinds


def test_no_server_lost_a_lock_or_refused_a_ticket(production: Production) -> None:
    logs = [log for server in production.servers for log in server.logs]
    assert {log.name for log in logs} == {"action_server.log", "rasa_server.log"}
    assert len(logs) == 3
    found = [(log.parent.name, log.name, sign) for log in logs for sign in FAILURE_SIGNS
             if sign in log.read_text(errors="replace")]
    assert found == []
