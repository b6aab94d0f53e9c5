"""`hrd keys rotate` re-encrypts TOTP secrets through access's explicit rotation step."""

from __future__ import annotations

import argparse
from collections.abc import Iterator

import pytest

from bot.access import create_user
from bot.access.passwords import decrypt_totp_secret, enrol_totp
from bot.access.repository import Users
from bot.cli import keys as keys_cli
from bot.store import crypto
from bot.store.rotation import rotate_keys
from bot.store.unit_of_work import unit_of_work
from tests.access.databases import temporary_database


@pytest.fixture
def sqlite_db(tmp_path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # The key file is SQLite's (a shared database takes its keys from HRD_DATA_KEY).
    monkeypatch.setattr("bot.store.rotation.time.sleep", lambda seconds: None)
    with temporary_database("sqlite", tmp_path / "data"):
        yield


def _secret_key_id(user_id: int) -> str:
    with unit_of_work() as uow:
        return crypto.key_id_of(bytes(uow.repository(Users).get(user_id).totp_secret))


def test_keys_rotate_reencrypts_totp_secrets(sqlite_db: None,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    user = create_user("rotate-totp@example.org", "supervisor")
    _, secret, _ = enrol_totp("rotate-totp@example.org")
    old_id = crypto.current_keyring().current_id
    parser = argparse.ArgumentParser()
    keys_cli.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["keys", "rotate"])
    assert args.handler(args) == 0
    assert "retired keys: " + old_id in capsys.readouterr().out
    crypto.clear_cache()  # as a freshly started process: the old key is gone
    assert _secret_key_id(user.user_id) == crypto.current_keyring().current_id != old_id
    with unit_of_work() as uow:
        blob = uow.repository(Users).get(user.user_id).totp_secret
    assert decrypt_totp_secret(user.user_id, blob) == secret


def test_the_store_alone_leaves_them_to_the_step(sqlite_db: None) -> None:
    user = create_user("no-step@example.org", "admin")
    enrol_totp("no-step@example.org")
    old_id = crypto.current_keyring().current_id
    report = rotate_keys(keep_old=True, grace_seconds=0)
    assert report.other == 0 and _secret_key_id(user.user_id) == old_id
