"""Encryption at rest: AES-256-GCM with a keyring, so keys can be rotated.

Ciphertext layout (bytes), version 1:

    0x01 | len(key id) (1 byte) | key id (ASCII) | nonce (12 bytes) | ciphertext + GCM tag

The header (version and key id) is authenticated together with the caller's associated
data (labels.py: e.g. "case:HRD-2026-00001:org:unhcr:answers" or "tracker:<sender id>"), so
a ciphertext copied to another row or organization, or relabelled with another key id,
fails to decrypt instead of being read in the wrong place.

Keys come from HRD_DATA_KEY or, when it is unset, from the key file HRD_KEY_DIR/data.key
(default HRD_DATA_DIR/keys/, apart from the database in HRD_DATA_DIR/db/; created on first
use, mode 0600; a key file left at the old place, HRD_DATA_DIR/data.key, is moved there).
With a shared database (DATABASE_URL naming a server) a process refuses to start without
HRD_DATA_KEY (require_keys_at_start). Both hold a keyring in the same text form:

    <key id>:<base64 of 32 bytes>[,<key id>:<base64 of 32 bytes>...]

The first entry is the current key (used to encrypt); the others only decrypt, which is
how data written before a rotation stays readable until it has been re-encrypted.
A bare base64 key (no "<id>:") is accepted too; its id is derived from the key.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import errno
import hashlib
import json
import os
import re
import secrets
import stat
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from bot.config import settings
from bot.store.files import fsync_dir, write_private_file

FORMAT_VERSION = 1
NONCE_BYTES = 12
KEY_BYTES = 32
_KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


class KeyringError(Exception):
    """The keys are missing, malformed, unsafe, or do not open this ciphertext."""


class DecryptionError(KeyringError):
    """The ciphertext was altered, moved to another row, or made with another key."""


@dataclass(frozen=True)
class Keyring:
    current_id: str
    keys: Mapping[str, bytes]
    # Where the keyring came from: the key file, or None for the HRD_DATA_KEY variable.
    path: Path | None = None

    def __post_init__(self) -> None:
        if self.current_id not in self.keys:
            raise KeyringError("the current key is not in the keyring")
        for key_id, key in self.keys.items():
            if not _KEY_ID.match(key_id):
                raise KeyringError(f"invalid key id {key_id!r}")
            if len(key) != KEY_BYTES:
                raise KeyringError(f"key {key_id!r} is not {KEY_BYTES} bytes")

    def encrypt(self, plaintext: bytes, associated_data: str) -> bytes:
        header = _header(self.current_id)
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(self.keys[self.current_id]).encrypt(
            nonce, plaintext, _aad(header, associated_data)
        )
        return header + nonce + sealed

    def decrypt(self, blob: bytes, associated_data: str) -> bytes:
        key_id, header_len = parse_header(blob)
        key = self.keys.get(key_id)
        if key is None:
            raise KeyringError(f"no key {key_id!r} in the keyring")
        header = blob[:header_len]
        nonce = blob[header_len : header_len + NONCE_BYTES]
        try:
            return AESGCM(key).decrypt(
                nonce, blob[header_len + NONCE_BYTES :], _aad(header, associated_data)
            )
        except Exception as error:  # InvalidTag: never say more than "does not open"
            raise DecryptionError("ciphertext does not open under its key and label") from error

    def with_new_current_key(self) -> Keyring:
        """A keyring with a fresh current key; the old keys are kept to decrypt."""
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
        new_id = f"k{stamp}{secrets.token_hex(2)}"
        return Keyring(new_id, {new_id: os.urandom(KEY_BYTES), **self.keys}, self.path)

    def only_current(self) -> Keyring:
        return Keyring(self.current_id, {self.current_id: self.keys[self.current_id]}, self.path)

    def to_text(self) -> str:
        ordered = [self.current_id, *(k for k in self.keys if k != self.current_id)]
        return ",".join(f"{k}:{base64.b64encode(self.keys[k]).decode()}" for k in ordered)


def _header(key_id: str) -> bytes:
    encoded = key_id.encode("ascii")
    return bytes([FORMAT_VERSION, len(encoded)]) + encoded


def _aad(header: bytes, associated_data: str) -> bytes:
    return header + b"|" + associated_data.encode("utf-8")


def parse_header(blob: bytes) -> tuple[str, int]:
    """Return (key id, header length) of a ciphertext, without decrypting it."""
    if len(blob) < 2 or blob[0] != FORMAT_VERSION:
        raise DecryptionError("not a ciphertext of a known format version")
    end = 2 + blob[1]
    if len(blob) < end + NONCE_BYTES + 16:
        raise DecryptionError("ciphertext truncated")
    return blob[2:end].decode("ascii"), end


def key_id_of(blob: bytes) -> str:
    return parse_header(blob)[0]


def parse_keyring(text: str, path: Path | None = None) -> Keyring:
    entries = [e.strip() for e in text.replace("\n", ",").split(",") if e.strip()]
    if not entries:
        raise KeyringError("empty keyring")
    keys: dict[str, bytes] = {}
    for entry in entries:
        if ":" in entry:
            key_id, encoded = entry.split(":", 1)
        else:
            key_id, encoded = None, entry
        try:
            key = base64.b64decode(encoded, validate=True)
        except binascii.Error as error:
            raise KeyringError("a key is not valid base64") from error
        key_id = key_id or "k" + hashlib.sha256(b"hrd-key-id|" + key).hexdigest()[:12]
        if key_id in keys:
            raise KeyringError(f"duplicate key id {key_id!r}")
        keys[key_id] = key
    return Keyring(next(iter(keys)), keys, path)


def generate_key_text() -> str:
    """A new single-key keyring, e.g. for HRD_DATA_KEY."""
    return Keyring("k1", {"k1": os.urandom(KEY_BYTES)}).to_text()


# The keyring is re-read when the key file changes (after `hrd keys rotate`), so a
# running server encrypts under the new key and can read what was re-encrypted.
_cache: dict[str, tuple[Any, Keyring]] = {}
_cache_lock = threading.RLock()


def current_keyring() -> Keyring:
    conf = settings()
    if conf.data_key:
        cache_key = "env:" + hashlib.sha256(conf.data_key.encode()).hexdigest()
        with _cache_lock:
            cached = _cache.get(cache_key)
            if cached is None:
                cached = (None, parse_keyring(conf.data_key))
                _cache[cache_key] = cached
        return cached[1]
    path = conf.key_file
    with _cache_lock:
        try:
            info = path.stat()
        except FileNotFoundError:
            if not _adopt_legacy_key_file(conf.legacy_key_file, path):
                _create_key_file(path)
            info = path.stat()
        signature = (info.st_mtime_ns, info.st_size, info.st_ino)
        cached = _cache.get(str(path))
        if cached is not None and cached[0] == signature:
            return cached[1]
        if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise KeyringError(f"key file {path} is readable by others; chmod 600 it")
        keyring = parse_keyring(path.read_text(encoding="ascii"), path)
        _cache[str(path)] = (signature, keyring)
        return keyring


def check_key_config() -> None:
    """A shared database needs HRD_DATA_KEY: a key file on one host would encrypt with a
    key the other hosts (and the next container) do not have."""
    conf = settings()
    if conf.shared_database and not conf.data_key:
        raise KeyringError(
            "DATABASE_URL names a shared database: set HRD_DATA_KEY to the data keyring, "
            "the same on every host (`hrd keys generate` makes one)"
        )


def require_keys_at_start() -> Keyring:
    """Called by every process before it serves (Rasa's tracker store, the action server,
    the console, the CLI): the keys are configured as the database requires, and load."""
    check_key_config()
    return current_keyring()


def _adopt_legacy_key_file(legacy: Path, path: Path) -> bool:
    """Move a key file from the old place (next to the database) to `path`. Never loses
    it: linked (or copied across file systems) to the new name first, then unlinked."""
    if legacy == path or not legacy.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        os.link(legacy, path)
    except FileExistsError:
        pass  # another process moved it first
    except FileNotFoundError:
        return path.exists()
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
        write_private_file(path, legacy.read_bytes(), replace=False)
    with contextlib.suppress(FileNotFoundError):
        legacy.unlink()
    fsync_dir(legacy.parent)
    return True


def _create_key_file(path: Path) -> None:
    write_key_file(path, Keyring("k1", {"k1": os.urandom(KEY_BYTES)}, path), replace=False)


def write_key_file(path: Path, keyring: Keyring, *, replace: bool = True) -> None:
    """Write the keyring atomically with mode 0600. With replace=False an existing file
    wins (two processes creating the first key at once agree on one)."""
    write_private_file(path, (keyring.to_text() + "\n").encode("ascii"), replace=replace)
    with _cache_lock:
        _cache.pop(str(path), None)


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


def encrypt(plaintext: bytes, associated_data: str) -> bytes:
    return current_keyring().encrypt(plaintext, associated_data)


def decrypt(blob: bytes, associated_data: str) -> bytes:
    return current_keyring().decrypt(bytes(blob), associated_data)


def encrypt_json(value: Any, associated_data: str) -> bytes:
    return encrypt(json.dumps(value, separators=(",", ":")).encode("utf-8"), associated_data)


def decrypt_json(blob: bytes, associated_data: str) -> Any:
    return json.loads(decrypt(blob, associated_data))
