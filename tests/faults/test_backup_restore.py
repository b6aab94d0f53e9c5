"""`hrd backup` under load and `hrd restore` elsewhere, as an operator runs them (issue 18,
"Backup and restore"), on SQLite and PostgreSQL.

A load process submits cases from three threads while `hrd backup` runs; the archive is
restored into a fresh data directory (SQLite, the key file kept apart) or a new database
(PostgreSQL), the real console is started on it, and every case is read back through the
case API. The snapshot must be one moment: every case committed before the backup started
is there, the references form an unbroken run (a case committed while the tables were
being read cannot be half in), and the next case continues the run. Then the refusals: no
key, a wrong key, a tampered or truncated archive, a non-empty target: one line, exit code
2, no traceback, and the target exactly as it was."""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg2
import pytest

from bot.access import create_user
from bot.store import crypto, submit_case
from bot.store.cases import OFFICER_NOTES
from tests.access.databases import KINDS, postgres_admin, temporary_database
from tests.console.support import Console, elevated_user, running_console, seed_case
from tests.support.backup_support import (
    ENV_KEYS,
    child_env,
    hrd,
    load,
    load_answers,
    pointing_at,
    read_log,
    wait_for_log,
)

SPOOL_NAME = "ab" * 32 + ".intake"


def _table_count(database_url: str) -> int:
    connection = psycopg2.connect(database_url, connect_timeout=5)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM information_schema.tables "
                           "WHERE table_schema = 'public'")
            return int(cursor.fetchone()[0])
    finally:
        connection.close()


@dataclass
class Target:
    """A place to restore into, and how to tell it was left as it was."""

    env: dict[str, str]
    untouched: Callable[[], bool]
    cleanup: Callable[[], None] = lambda: None


def new_target(kind: str, workdir: Path, source_env: dict[str, str], *,
               key: str | None = "right") -> Target:
    """A fresh data directory (SQLite) or an empty database (PostgreSQL). `key`: "right"
    (the source's keyring: HRD_DATA_KEY, or the source's key directory), "wrong" (another
    keyring) or None (no key at all)."""
    data_dir = workdir / f"target-{secrets.token_hex(3)}"
    data_dir.mkdir()
    keys: dict[str, str] = {}
    if key == "wrong":
        keys["HRD_DATA_KEY"] = crypto.generate_key_text()
    elif key == "right" and source_env.get("HRD_DATA_KEY"):
        keys["HRD_DATA_KEY"] = source_env["HRD_DATA_KEY"]
    elif key == "right":  # the embedded key file, kept apart from the data directory
        keys["HRD_KEY_DIR"] = str(Path(source_env["HRD_DATA_DIR"]) / "keys")
    if kind == "sqlite":
        return Target(child_env(HRD_DATA_DIR=str(data_dir), **keys),
                      lambda: not any(data_dir.iterdir()))
    name = f"hrd_backup_test_{secrets.token_hex(6)}"
    postgres_admin(f'CREATE DATABASE "{name}"')
    url = f"postgresql://postgres@127.0.0.1:5432/{name}"
    return Target(child_env(HRD_DATA_DIR=str(data_dir), DATABASE_URL=url, **keys),
                  lambda: _table_count(url) == 0 and not any(data_dir.iterdir()),
                  lambda: postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


TRANSCRIPT_SENDER = "partner:backup-test"


def annotate_and_converse(reference: str, supervisor_id: int) -> None:
    """A supervisor's tag and note (encrypted, bound to the case) and a transcript
    (encrypted, bound to the conversation), as the console and Rasa write them."""
    from bot.console.review.reviews import add_note, add_tag
    from bot.store.associated_data import tracker_label
    from bot.store.db import session_scope
    from bot.store.models import TrackerEvent

    add_tag(reference, supervisor_id, "urgent-check")
    add_note(reference, supervisor_id, "Called the caseworker: the family is in Kampala.")
    with session_scope() as session:
        for number, text in enumerate(["hi, I need to submit a referral", "she's Ugandan"]):
            event = {"event": "user", "text": text, "timestamp": 1764560000.25 + number}
            session.add(TrackerEvent(
                sender_id=TRANSCRIPT_SENDER, type_name="user", timestamp=event["timestamp"],
                data=crypto.encrypt_json(event, tracker_label(TRANSCRIPT_SENDER))))


def annotations_and_transcript(reference: str) -> tuple[Any, ...]:
    from bot.console.review.reviews import review_state
    from bot.store.tracker_reader import TrackerEvents
    from bot.store.unit_of_work import unit_of_work

    state = review_state(reference)
    with unit_of_work() as uow:
        transcript = uow.repository(TrackerEvents).decrypted(TRANSCRIPT_SENDER)
    return state.tags, [(n.author, n.created_at, n.text) for n in state.notes], transcript


@dataclass
class Scenario:
    kind: str
    workdir: Path
    source_env: dict[str, str]
    archive: Path
    before: dict[str, int]  # load cases committed before `hrd backup` started
    during: int  # load cases committed while it ran
    everything: dict[str, int]  # every load case
    seeded: dict[str, list[str]]  # organization -> references, made before the load
    backup_output: str
    restore_output: str
    listed: list[str]  # what the restored console lists to a supervisor
    read: dict[str, dict[str, Any]]  # reference -> the case API's case (supervisor)
    partner_reads: dict[str, int]  # reference -> status for the UNHCR partner's token
    next_reference: str
    annotations: tuple[Any, Any]  # (in the source, restored): tags, notes, transcript
    spool_restored: bytes | None
    targets: list[Target] = field(default_factory=list)


def _check(result: Any, what: str) -> None:
    assert result.returncode == 0, f"{what}: {result.stderr}"


@pytest.fixture(scope="module", params=KINDS)
def scenario(request: pytest.FixtureRequest,
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scenario]:
    kind = request.param
    workdir = tmp_path_factory.mktemp(f"backup-{kind}")
    with temporary_database(kind, workdir / "source") as db_env:
        source_env = child_env(**db_env)
        unhcr = create_user("worker@unhcr.org", "partner", "unhcr")
        supervisor = elevated_user("supervisor@irc.gc.ca", "supervisor")
        seeded = {org: [seed_case(org, i, datetime(2024, 3, 1 + i, tzinfo=UTC))
                        for i in range(2)] for org in ("unhcr", "front_line_defenders")}
        annotate_and_converse(seeded["unhcr"][0], supervisor.user_id)
        before_restore = annotations_and_transcript(seeded["unhcr"][0])
        spool = secrets.token_bytes(300)
        (workdir / "source" / "outbox").mkdir(mode=0o700, parents=True)
        (workdir / "source" / "outbox" / SPOOL_NAME).write_bytes(spool)
        archive = workdir / "hrd.backup"
        with load(source_env, workdir) as log:
            before = wait_for_log(log, 5)
            backup = hrd("backup", str(archive), env=source_env)
            during = len(read_log(log)) - len(before)
            wait_for_log(log, len(before) + during + 10)  # and the load goes on after it
        _check(backup, "hrd backup")
        everything = read_log(log)

        target = new_target(kind, workdir, source_env)
        try:
            restore = hrd("restore", str(archive), env=target.env)
            _check(restore, "hrd restore")
            console_env = {k: target.env[k] for k in ENV_KEYS if k in target.env}
            with running_console(console_env, workdir) as base:
                console = Console(base=base, tokens={}, cases=seeded)
                listed = console.get("/api/cases", supervisor.token)
                assert listed.status == 200, listed.raw[:300]
                references = [case["reference"] for case in listed.json]
                read = {}
                for reference in references:
                    reply = console.get(f"/api/cases/{reference}", supervisor.token)
                    assert reply.status == 200, (reference, reply.raw[:300])
                    read[reference] = reply.json
                partner_reads = {
                    ref: console.get(f"/api/cases/{ref}", unhcr.token or "").status
                    for refs in seeded.values() for ref in refs}
            with pointing_at(target.env):
                restored_annotations = annotations_and_transcript(seeded["unhcr"][0])
                next_reference = submit_case(
                    intake_id="after-restore", sender_id="after-restore",
                    partner_org="unhcr", answers=load_answers(0)).reference
            restored_spool = Path(target.env["HRD_DATA_DIR"]) / "outbox" / SPOOL_NAME
            yield Scenario(
                kind=kind, workdir=workdir, source_env=source_env, archive=archive,
                before=before, during=during, everything=everything, seeded=seeded,
                backup_output=backup.stdout, restore_output=restore.stdout,
                listed=references, read=read, partner_reads=partner_reads,
                next_reference=next_reference,
                annotations=(before_restore, restored_annotations),
                spool_restored=restored_spool.read_bytes() if restored_spool.exists() else None,
                targets=[target])
        finally:
            target.cleanup()


@pytest.fixture
def target_of(scenario: Scenario) -> Iterator[Callable[..., Target]]:
    made: list[Target] = []

    def make(**options: Any) -> Target:
        made.append(new_target(scenario.kind, scenario.workdir, scenario.source_env, **options))
        return made[-1]

    yield make
    for target in made:
        target.cleanup()


def _seq(reference: str) -> tuple[int, int]:
    _, year, seq = reference.split("-")
    return int(year), int(seq)


def test_backup_under_load_restores_every_case_of_one_moment(scenario: Scenario) -> None:
    assert scenario.during > 0, "no case was committed while the backup ran: no load"
    listed = set(scenario.listed)
    seeded = {ref for refs in scenario.seeded.values() for ref in refs}
    # Everything committed before the backup started is there, and nothing that never was.
    assert seeded | set(scenario.before) <= listed
    assert listed <= seeded | set(scenario.everything)
    # The load went on after the snapshot, and the snapshot is one moment: a case takes
    # the next number of its year under a lock held until commit, so the cases committed
    # at any moment are numbers 1..N of each year, without a gap.
    assert len(listed - seeded) < len(scenario.everything)
    by_year: dict[int, list[int]] = {}
    for reference in listed:
        year, seq = _seq(reference)
        by_year.setdefault(year, []).append(seq)
    for year, seqs in by_year.items():
        assert sorted(seqs) == list(range(1, len(seqs) + 1)), year
    # The restored counter and ids continue the run.
    year, seq = _seq(scenario.next_reference)
    assert seq == len(by_year.get(year, [])) + 1


def test_every_restored_case_reads_back_with_its_answers(scenario: Scenario) -> None:
    assert set(scenario.read) == set(scenario.listed)
    for reference, case in scenario.read.items():
        if reference in scenario.everything:
            number = scenario.everything[reference]
            expected = {k: v for k, v in load_answers(number).items() if k not in OFFICER_NOTES}
            assert case["answers"] == expected, reference
            assert case["partner_org"] == ("unhcr", "front_line_defenders")[number % 2]
        assert case["decision"]["eligibility"] in ("eligible", "ineligible", "needs_review")
    for reference in scenario.seeded["unhcr"]:
        assert scenario.read[reference]["answers"]["country_of_origin"]


def test_accounts_and_their_tokens_are_restored(scenario: Scenario) -> None:
    """The partner's API token (its hash, restored with the user) still works, and still
    sees only its organization's cases."""
    for reference in scenario.seeded["unhcr"]:
        assert scenario.partner_reads[reference] == 200
    for reference in scenario.seeded["front_line_defenders"]:
        assert scenario.partner_reads[reference] == 404


def test_annotations_and_transcripts_are_restored(scenario: Scenario) -> None:
    source, restored = scenario.annotations
    assert source[0] == ("urgent-check",) and len(source[1]) == 1 and len(source[2]) == 2
    assert restored == source


def test_the_outbox_is_restored(scenario: Scenario) -> None:
    spool = Path(scenario.source_env["HRD_DATA_DIR"]) / "outbox" / SPOOL_NAME
    assert scenario.spool_restored == spool.read_bytes()


def test_the_archive_is_private_and_opaque(scenario: Scenario) -> None:
    mode = stat.S_IMODE(scenario.archive.stat().st_mode)
    assert mode == 0o600, oct(mode)
    data = scenario.archive.read_bytes()
    key_text = scenario.source_env.get("HRD_DATA_KEY") or (
        Path(scenario.source_env["HRD_DATA_DIR"]) / "keys" / "data.key").read_text().strip()
    for secret in (b"worker@unhcr.org", b"supervisor@irc.gc.ca", b"unhcr", b"UNHCR",
                   b"HRD-20", b"argon2", b"LOAD-", b"cases",
                   *(part.split(":")[-1].encode() for part in key_text.split(","))):
        assert secret not in data, secret
    assert "cases" in scenario.backup_output and "cases" in scenario.restore_output
    assert not list(scenario.archive.parent.glob(".*partial"))


def _refused(result: Any) -> str:
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("hrd: "), result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    return lines[0]


@pytest.mark.parametrize("key", ["wrong", None])
def test_restore_without_the_right_key_is_refused_and_touches_nothing(
    scenario: Scenario, target_of: Callable[..., Target], key: str | None
) -> None:
    target = target_of(key=key)
    message = _refused(hrd("restore", str(scenario.archive), env=target.env))
    assert ("does not open" in message) if key else ("HRD_DATA_KEY" in message)
    assert target.untouched()  # no database, no tables, and no key file made either


def _damaged(data: bytes, damage: str) -> bytes:
    altered = bytearray(data)
    if damage == "flip-body":
        altered[len(altered) // 2] ^= 0x01
    elif damage == "flip-salt":
        altered[10] ^= 0x80
    elif damage == "flip-tag":
        altered[-1] ^= 0x01
    elif damage == "truncate":
        del altered[len(altered) - 40:]
    elif damage == "append":
        altered += altered[-60:]
    else:
        altered = bytearray(b"PK\x03\x04" + bytes(200))
    return bytes(altered)


@pytest.mark.parametrize("damage", ["flip-body", "truncate", "not-an-archive"])
def test_a_damaged_or_altered_archive_is_refused(
    scenario: Scenario, target_of: Callable[..., Target], damage: str
) -> None:
    altered = scenario.workdir / f"altered-{damage}.backup"
    altered.write_bytes(_damaged(scenario.archive.read_bytes(), damage))
    target = target_of()
    message = _refused(hrd("restore", str(altered), env=target.env))
    assert any(word in message for word in ("altered", "truncated", "damaged", "not an"))
    assert target.untouched()


@pytest.mark.parametrize("damage", ["flip-salt", "flip-tag", "append"])
def test_every_alteration_is_refused_before_the_target_is_touched(
    scenario: Scenario, target_of: Callable[..., Target], damage: str
) -> None:
    """The same refusals in this process (quicker than one `hrd` each)."""
    from bot.store.backup import restore_backup, verify_backup
    from bot.store.backup_archive import ArchiveError

    altered = scenario.workdir / f"altered-{damage}.backup"
    altered.write_bytes(_damaged(scenario.archive.read_bytes(), damage))
    target = target_of()
    with pointing_at(target.env):
        with pytest.raises(ArchiveError):
            verify_backup(altered)
        with pytest.raises(ArchiveError):
            restore_backup(altered)
    assert target.untouched()


def test_a_target_with_data_is_refused_unless_replaced(scenario: Scenario) -> None:
    target = scenario.targets[0]  # restored, and one case added since
    message = _refused(hrd("restore", str(scenario.archive), env=target.env))
    assert "not empty" in message and "--force-replace" in message
    with pointing_at(target.env):
        from bot.store import get_case

        assert get_case(scenario.next_reference) is not None  # still there
    replaced = hrd("restore", "--force-replace", str(scenario.archive), env=target.env)
    _check(replaced, "hrd restore --force-replace")
    with pointing_at(target.env):
        assert get_case(scenario.next_reference) is None  # the archive's content only
        assert get_case(scenario.listed[-1]) is not None


def test_backup_never_overwrites_and_needs_the_key(scenario: Scenario, tmp_path: Path) -> None:
    _refused(hrd("backup", str(scenario.archive), env=scenario.source_env))
    no_key = {k: v for k, v in scenario.source_env.items()
              if k not in ("HRD_DATA_KEY", "HRD_KEY_DIR")}
    if scenario.kind == "sqlite":
        no_key["HRD_KEY_DIR"] = str(tmp_path / "no-keys")
    _refused(hrd("backup", str(tmp_path / "x.backup"), env=no_key))
    assert not (tmp_path / "x.backup").exists()
    assert not (tmp_path / "no-keys").exists()
    assert os.listdir(tmp_path) == []


# --- the container itself, with small chunks: chunks moved, dropped or added ------------------

def _frames(data: bytes) -> tuple[bytes, list[bytes]]:
    from bot.store.backup_archive import HEADER_BYTES

    header, rest, frames = data[:HEADER_BYTES], data[HEADER_BYTES:], []
    while rest:
        size = int.from_bytes(rest[:4], "big")
        frames.append(rest[: 4 + size])
        rest = rest[4 + size :]
    return header, frames


@pytest.mark.parametrize("change", ["swap", "drop-last", "drop-middle", "repeat", "intact"])
def test_chunks_cannot_be_moved_dropped_or_repeated(
    monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    import io

    from bot.store import backup_archive
    from bot.store.backup_archive import ArchiveCorrupted, ArchiveWriter, read_archive

    monkeypatch.setattr(backup_archive, "CHUNK_BYTES", 4096)
    keyring = crypto.parse_keyring(crypto.generate_key_text())
    content = secrets.token_bytes(20_000)  # incompressible: six chunks
    buffer = io.BytesIO()
    writer = ArchiveWriter(buffer, keyring)
    writer.write(content)
    writer.close()
    header, frames = _frames(buffer.getvalue())
    assert len(frames) >= 5
    if change == "swap":
        frames[1], frames[2] = frames[2], frames[1]
    elif change == "drop-last":
        frames.pop()
    elif change == "drop-middle":
        frames.pop(2)
    elif change == "repeat":
        frames.insert(2, frames[1])
    altered = io.BytesIO(header + b"".join(frames))
    if change == "intact":
        assert b"".join(read_archive(altered, keyring)) == content
    else:
        with pytest.raises(ArchiveCorrupted):
            b"".join(read_archive(altered, keyring))


@pytest.mark.postgres
def test_an_sqlite_archive_restores_into_postgresql(scenario: Scenario) -> None:
    """The archive holds rows, not a database file: the embedded set-up's backup moves
    into production's database (the keyring travels as HRD_DATA_KEY)."""
    if scenario.kind != "sqlite":
        pytest.skip("the PostgreSQL archive restores into PostgreSQL above")
    from bot.store import get_case, list_cases
    from bot.store.backup import restore_backup

    keyring = (Path(scenario.source_env["HRD_DATA_DIR"]) / "keys" / "data.key").read_text()
    target = new_target("postgresql", scenario.workdir, scenario.source_env, key=None)
    target.env["HRD_DATA_KEY"] = keyring.strip()
    try:
        with pointing_at(target.env):
            restore_backup(scenario.archive)
            assert [case.reference for case in list_cases()] == scenario.listed
            for reference in scenario.listed[-3:]:
                case = get_case(reference)
                assert case is not None
                assert case.to_api_dict()["answers"] == scenario.read[reference]["answers"]
    finally:
        target.cleanup()
