"""The encrypted container of `hrd backup`: a stream of bytes, compressed, then cut into
chunks, each sealed with AES-256-GCM under a key derived from the data key.

File layout (all integers big-endian):

    header:  b"HRDBKP" 0x00 0x01 | salt (32 bytes) | nonce prefix (7 bytes)
    chunk:   length of the sealed chunk (4 bytes) | sealed chunk (plaintext <= CHUNK_BYTES,
             plus the 16-byte GCM tag)

The archive key is HKDF-SHA256(the keyring's current key, salt, ARCHIVE_INFO): a fresh key
per archive, and never the data key itself (which is in no archive). Chunk i's nonce is the
prefix, i (4 bytes) and a last-chunk flag (1 byte), and every chunk authenticates the
header: a chunk altered, moved, dropped or appended, a truncated file or a changed salt
fails to open (the STREAM construction). A reader that gets an error has been handed only
chunks that authenticated, and the caller must discard them: nothing is real until the
whole archive has been read (`hrd restore` reads it through once before writing).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from bot.store.crypto import Keyring
from bot.store.files import fsync_dir

MAGIC = b"HRDBKP\x00\x01"
SALT_BYTES = 32
PREFIX_BYTES = 7
HEADER_BYTES = len(MAGIC) + SALT_BYTES + PREFIX_BYTES
TAG_BYTES = 16
CHUNK_BYTES = 1 << 20
ARCHIVE_INFO = b"hrd backup archive v1"
_LAST, _MORE = b"\x01", b"\x00"
_READ_BYTES = 1 << 16


class ArchiveError(Exception):
    """The archive cannot be used; the message is one line and says why."""


class NotAnArchive(ArchiveError):
    pass


class WrongKey(ArchiveError):
    pass


class ArchiveCorrupted(ArchiveError):
    pass


def _archive_key(data_key: bytes, salt: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=ARCHIVE_INFO
                ).derive(data_key)


def _nonce(prefix: bytes, index: int, last: bool) -> bytes:
    return prefix + index.to_bytes(4, "big") + (_LAST if last else _MORE)


class ArchiveWriter:
    """Compresses, chunks and seals what is written to it; close() seals the last chunk."""

    def __init__(self, handle: BinaryIO, keyring: Keyring) -> None:
        salt, prefix = os.urandom(SALT_BYTES), os.urandom(PREFIX_BYTES)
        self._header = MAGIC + salt + prefix
        self._prefix = prefix
        self._aead = AESGCM(_archive_key(keyring.keys[keyring.current_id], salt))
        self._handle = handle
        self._compress = zlib.compressobj(6)
        self._buffer = bytearray()
        self._index = 0
        handle.write(self._header)

    def write(self, data: bytes) -> None:
        self._buffer += self._compress.compress(data)
        while len(self._buffer) > CHUNK_BYTES:  # ">": the last chunk is never empty-by-split
            self._seal(bytes(self._buffer[:CHUNK_BYTES]), last=False)
            del self._buffer[:CHUNK_BYTES]

    def close(self) -> None:
        self._buffer += self._compress.flush()
        while len(self._buffer) > CHUNK_BYTES:
            self._seal(bytes(self._buffer[:CHUNK_BYTES]), last=False)
            del self._buffer[:CHUNK_BYTES]
        self._seal(bytes(self._buffer), last=True)
        self._buffer.clear()

    def _seal(self, chunk: bytes, *, last: bool) -> None:
        sealed = self._aead.encrypt(_nonce(self._prefix, self._index, last), chunk,
                                    self._header)
        self._handle.write(len(sealed).to_bytes(4, "big") + sealed)
        self._index += 1


def read_archive(handle: BinaryIO, keyring: Keyring) -> Iterator[bytes]:
    """The archive's plaintext, in pieces, each authenticated before it is yielded. Raises
    NotAnArchive, WrongKey (no key of the keyring opens it) or ArchiveCorrupted."""
    header = handle.read(HEADER_BYTES)
    if len(header) < len(MAGIC) or header[: len(MAGIC)] != MAGIC:
        raise NotAnArchive("not an archive made by `hrd backup`")
    if len(header) < HEADER_BYTES:
        raise ArchiveCorrupted("the archive is truncated")
    salt = header[len(MAGIC) : len(MAGIC) + SALT_BYTES]
    prefix = header[len(MAGIC) + SALT_BYTES :]
    decompress = zlib.decompressobj()
    frame = _read_frame(handle)
    if frame is None:
        raise ArchiveCorrupted("the archive is truncated")
    following = _read_frame(handle)
    aead = _opening_key(keyring, salt, _nonce(prefix, 0, following is None), frame, header)
    index = 0
    while frame is not None:
        last = following is None
        try:
            chunk = aead.decrypt(_nonce(prefix, index, last), frame, header)
        except InvalidTag:
            raise ArchiveCorrupted(
                f"the archive is corrupted or was altered (chunk {index + 1} does not "
                "authenticate)") from None
        try:
            plain = decompress.decompress(chunk)
        except zlib.error:
            raise ArchiveCorrupted("the archive's content is damaged") from None
        if plain:
            yield plain
        index += 1
        frame, following = following, (_read_frame(handle) if following is not None else None)
    if not decompress.eof or decompress.unused_data:
        raise ArchiveCorrupted("the archive's content is damaged")


def _opening_key(keyring: Keyring, salt: bytes, nonce: bytes, frame: bytes,
                 header: bytes) -> AESGCM:
    """The archive key made from whichever key of the keyring opens the first chunk."""
    for key in keyring.keys.values():
        aead = AESGCM(_archive_key(key, salt))
        with contextlib.suppress(InvalidTag):
            aead.decrypt(nonce, frame, header)
            return aead
    raise WrongKey("the archive does not open with this data keyring (HRD_DATA_KEY or the "
                   "key file): wrong key, or the archive was altered")


def _read_frame(handle: BinaryIO) -> bytes | None:
    size_bytes = handle.read(4)
    if not size_bytes:
        return None
    if len(size_bytes) < 4:
        raise ArchiveCorrupted("the archive is truncated")
    size = int.from_bytes(size_bytes, "big")
    if not TAG_BYTES <= size <= CHUNK_BYTES + TAG_BYTES:
        raise ArchiveCorrupted("the archive is corrupted or was altered (bad chunk length)")
    frame = handle.read(size)
    if len(frame) < size:
        raise ArchiveCorrupted("the archive is truncated")
    return frame


def iter_lines(pieces: Iterator[bytes]) -> Iterator[bytes]:
    """Newline-separated records of a plaintext stream (the last one must end in one)."""
    pending = b""
    for piece in pieces:
        pending += piece
        *lines, pending = pending.split(b"\n")
        yield from lines
    if pending:
        raise ArchiveCorrupted("the archive's content is damaged (unterminated record)")


class PrivateOutput:
    """A new file written under a temporary name (mode 0600) and renamed into place only
    when complete: an interrupted backup leaves no archive that looks whole."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.partial")
        if path.exists():
            raise FileExistsError(path)
        self.handle: BinaryIO = os.fdopen(
            os.open(self.tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb",
            buffering=_READ_BYTES)

    def commit(self) -> None:
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()
        try:
            os.link(self.tmp, self.path)  # never replaces a file made meanwhile
        finally:
            self.tmp.unlink()
        fsync_dir(self.path.parent)

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            self.handle.close()
        with contextlib.suppress(FileNotFoundError):
            self.tmp.unlink()
