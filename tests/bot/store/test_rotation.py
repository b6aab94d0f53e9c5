"""`hrd keys rotate`: every ciphertext re-encrypted under a new key, old key retired."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from bot.cli import keys as keys_cli
from bot.store import crypto, db, get_case, submit_case
from bot.store.associated_data import tracker_label
from bot.store.models import Case, TrackerEvent
from bot.store.outbox import Queued, drain_outbox, read_spool, spool_files, submit_or_queue
from bot.store.rotation import RotationError, rotate_keys
from bot.store.turn_replies import TurnReply, claim_turn, complete_turn, reply_key

from .conftest import StoreEnv, answers, new_id

REPLY_KEY = reply_key(1, "conversation", "retry-1")


def all_key_ids() -> set[str]:
    ids: set[str] = set()
    with db.engine().connect() as connection:
        for a, d in connection.execute(sa.select(Case.answers, Case.decision)):
            ids |= {crypto.key_id_of(a), crypto.key_id_of(d)}
        for (data,) in connection.execute(sa.select(TrackerEvent.data)):
            ids.add(crypto.key_id_of(data))
        for (data,) in connection.execute(sa.select(TurnReply.data)):
            ids.add(crypto.key_id_of(data))
    ids |= {crypto.key_id_of(p.read_bytes()) for p in spool_files()}
    return ids


def seed(store: StoreEnv, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str, str]:
    ref = submit_case(intake_id=new_id(), sender_id="s", partner_org="unhcr",
                      answers=answers(threat_description="rotate me")).reference
    sender = new_id("conv")
    with db.session_scope() as session:
        session.add(TrackerEvent(sender_id=sender, type_name="user", timestamp=1.0,
                                 data=crypto.encrypt_json({"text": "t"}, tracker_label(sender))))
    # A partner-channel turn's replies kept for a client's retry.
    assert claim_turn(REPLY_KEY, "yes").outcome == "run"
    complete_turn(REPLY_KEY, "yes", [{"recipient_id": "c", "text": "kept"}])
    # One intake waiting in the outbox (database "down" for that submit).
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:9/x")
    queued = new_id()
    assert isinstance(submit_or_queue(intake_id=queued, sender_id="s", partner_org="unhcr",
                                      answers=answers(),
                                      submitted_at=datetime(2070, 1, 2, tzinfo=UTC)), Queued)
    monkeypatch.setenv("DATABASE_URL", store.url)
    return ref, sender, queued


def key_file_only(store: StoreEnv) -> None:
    if store.kind == "postgresql":
        pytest.skip("a shared database takes its key from HRD_DATA_KEY (issue 12); "
                    "the key file is the embedded default's")


def test_rotate_with_key_file(store: StoreEnv, monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str]) -> None:
    key_file_only(store)
    ref, sender, queued = seed(store, monkeypatch)
    old_id = crypto.current_keyring().current_id
    assert all_key_ids() == {old_id}

    parser = argparse.ArgumentParser()
    keys_cli.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["keys", "rotate"])
    monkeypatch.setattr("bot.store.rotation.time.sleep", lambda seconds: None)
    assert args.handler(args) == 0
    out = capsys.readouterr().out
    assert "retired keys: " + old_id in out

    crypto.clear_cache()  # as a freshly started process
    keyring = crypto.current_keyring()
    assert keyring.current_id != old_id and set(keyring.keys) == {keyring.current_id}
    assert all_key_ids() == {keyring.current_id}
    assert get_case(ref).answers["threat_description"] == "rotate me"
    with db.engine().connect() as connection:
        data = connection.execute(sa.select(TrackerEvent.data)
                                  .where(TrackerEvent.sender_id == sender)).scalar_one()
    assert crypto.decrypt_json(data, tracker_label(sender)) == {"text": "t"}
    assert [read_spool(p)["intake_id"] for p in spool_files()] == [queued]
    assert [r.created for r in drain_outbox()] == [True]
    replay = claim_turn(REPLY_KEY, "yes")
    assert replay.outcome == "replay" and replay.replies == [{"recipient_id": "c",
                                                              "text": "kept"}]


def test_write_under_old_key_during_rotation_is_caught(
    store: StoreEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    key_file_only(store)
    stale = crypto.current_keyring()  # what a server that missed the new key file holds
    sender = new_id("conv")

    def late_write(seconds: float) -> None:
        with db.session_scope() as session:
            session.add(TrackerEvent(sender_id=sender, type_name="user", timestamp=2.0,
                                     data=stale.encrypt(b'{"text":"late"}', tracker_label(sender))))
        monkeypatch.setattr("bot.store.rotation.time.sleep", lambda s: None)  # once

    monkeypatch.setattr("bot.store.rotation.time.sleep", late_write)
    report = rotate_keys()
    assert report.tracker_events >= 1
    assert stale.current_id in report.retired_key_ids
    crypto.clear_cache()
    assert all_key_ids() == {report.new_key_id}


def test_rotate_with_env_key_writes_new_keyring(
    store: StoreEnv, monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    # Runs last in this module: from here the keys come from the variable.
    monkeypatch.setenv("HRD_DATA_KEY", crypto.current_keyring().to_text())
    ref = submit_case(intake_id=new_id(), sender_id="s", partner_org="unhcr",
                      answers=answers()).reference
    old_id = crypto.current_keyring().current_id
    with pytest.raises(RotationError):
        rotate_keys(grace_seconds=0)
    out = tmp_path / "new.keyring"
    report = rotate_keys(keyring_out=out, grace_seconds=0)
    assert out.stat().st_mode & 0o077 == 0
    assert report.retired_key_ids == []  # servers on the old variable still need it
    new = crypto.parse_keyring(out.read_text())
    assert new.current_id == report.new_key_id and old_id in new.keys
    monkeypatch.setenv("HRD_DATA_KEY", out.read_text().strip())
    assert all_key_ids() == {report.new_key_id}
    assert get_case(ref) is not None
