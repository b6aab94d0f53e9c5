"""AES-256-GCM envelope: key id in the header, associated data binding, keyring forms."""

from __future__ import annotations

import base64
import os
import stat
from pathlib import Path

import pytest

from bot.store import crypto


@pytest.fixture
def key_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HRD_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("HRD_DATA_KEY", raising=False)
    crypto.clear_cache()
    yield tmp_path / "data"
    crypto.clear_cache()


def test_round_trip_and_header_carries_key_id(key_dir: Path) -> None:
    blob = crypto.encrypt(b"threat details", "case:HRD-2026-00001:answers")
    keyring = crypto.current_keyring()
    assert crypto.key_id_of(blob) == keyring.current_id
    assert b"threat details" not in blob
    assert crypto.decrypt(blob, "case:HRD-2026-00001:answers") == b"threat details"


def test_nonce_is_random(key_dir: Path) -> None:
    assert crypto.encrypt(b"same", "x") != crypto.encrypt(b"same", "x")


def test_ciphertext_bound_to_its_label(key_dir: Path) -> None:
    blob = crypto.encrypt(b"answers of case 1", "case:HRD-2026-00001:answers")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(blob, "case:HRD-2026-00002:answers")


def test_tampering_detected(key_dir: Path) -> None:
    blob = bytearray(crypto.encrypt(b"x" * 40, "l"))
    blob[-1] ^= 1
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(bytes(blob), "l")


def test_relabelled_key_id_detected() -> None:
    key = os.urandom(32)
    ring = crypto.Keyring("aa", {"aa": key, "bb": key})
    blob = ring.encrypt(b"secret", "l")
    forged = blob.replace(b"\x02aa", b"\x02bb", 1)
    assert crypto.key_id_of(forged) == "bb"
    with pytest.raises(crypto.DecryptionError):
        ring.decrypt(forged, "l")


def test_key_file_created_private_and_reused(key_dir: Path) -> None:
    first = crypto.current_keyring()
    path = key_dir / "keys" / "data.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    crypto.clear_cache()
    assert crypto.current_keyring().keys == first.keys


def test_readable_key_file_refused(key_dir: Path) -> None:
    crypto.current_keyring()
    (key_dir / "keys" / "data.key").chmod(0o644)
    crypto.clear_cache()
    with pytest.raises(crypto.KeyringError, match="readable"):
        crypto.current_keyring()


def test_env_key_bare_base64_and_keyring(key_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bare = base64.b64encode(os.urandom(32)).decode()
    monkeypatch.setenv("HRD_DATA_KEY", bare)
    blob = crypto.encrypt(b"v", "l")
    old_id = crypto.key_id_of(blob)
    assert not (key_dir / "keys" / "data.key").exists()  # the variable wins: no key file
    # The same key inside a keyring, behind a newer current key, still decrypts.
    new = base64.b64encode(os.urandom(32)).decode()
    monkeypatch.setenv("HRD_DATA_KEY", f"k2:{new},{old_id}:{bare}")
    assert crypto.decrypt(blob, "l") == b"v"
    assert crypto.key_id_of(crypto.encrypt(b"v", "l")) == "k2"


_KEY = base64.b64encode(b"k" * 32).decode()


@pytest.mark.parametrize("text", ["", "k1:not base64!", "k1:" + base64.b64encode(b"short").decode(),
                                  "bad id:" + _KEY, f"k1:{_KEY},k1:{_KEY}"],
                         ids=["empty", "not-base64", "short-key", "bad-id", "duplicate-id"])
def test_malformed_keyrings_refused(text: str) -> None:
    with pytest.raises(crypto.KeyringError):
        crypto.parse_keyring(text)


def test_unknown_key_refused() -> None:
    a = crypto.parse_keyring(crypto.generate_key_text().replace("k1:", "a:"))
    b = crypto.parse_keyring(crypto.generate_key_text().replace("k1:", "b:"))
    with pytest.raises(crypto.KeyringError, match="no key"):
        b.decrypt(a.encrypt(b"v", "l"), "l")


def test_key_file_apart_from_the_database(key_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.store import db

    monkeypatch.delenv("DATABASE_URL", raising=False)
    crypto.current_keyring()
    database = Path(db.database_url().removeprefix("sqlite:///"))
    key_file = crypto.current_keyring().path
    assert key_file is not None and key_file.parent != database.parent
    assert database.parent not in key_file.parents  # a copy of db/ never carries the key


def test_key_dir_setting(key_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HRD_KEY_DIR", str(tmp_path / "elsewhere"))
    assert crypto.current_keyring().path == tmp_path / "elsewhere" / "data.key"


def test_legacy_key_file_is_moved_not_lost(key_dir: Path) -> None:
    """A key file from before (HRD_DATA_DIR/data.key, next to the database) opens what was
    written under it: it is moved to the keys directory, never replaced by a new key."""
    legacy = crypto.Keyring("old1", {"old1": os.urandom(32)})
    key_dir.mkdir()
    crypto.write_key_file(key_dir / "data.key", legacy)
    blob = legacy.encrypt(b"written before the move", "l")
    assert crypto.decrypt(blob, "l") == b"written before the move"
    assert not (key_dir / "data.key").exists()
    moved = key_dir / "keys" / "data.key"
    assert stat.S_IMODE(moved.stat().st_mode) == 0o600
    crypto.clear_cache()  # as another process starting later
    assert crypto.current_keyring().keys == legacy.keys


def test_shared_database_needs_the_key_variable(key_dir: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/any")
    with pytest.raises(crypto.KeyringError, match="HRD_DATA_KEY"):
        crypto.require_keys_at_start()
    assert not (key_dir / "keys").exists()  # refused before any key file is made
    monkeypatch.setenv("HRD_DATA_KEY", crypto.generate_key_text())
    assert crypto.require_keys_at_start().path is None
    # An SQLite file named in DATABASE_URL is local, not shared: the key file is fine.
    monkeypatch.delenv("HRD_DATA_KEY")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{key_dir / 'other.db'}")
    assert crypto.require_keys_at_start().path == key_dir / "keys" / "data.key"
