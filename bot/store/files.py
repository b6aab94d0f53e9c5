"""Durable, private file writes (the key file, outbox spool files)."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path


def write_private_file(path: Path, data: bytes, *, replace: bool) -> bool:
    """Write `data` to `path` with mode 0600, atomically and durably: a crash leaves the
    old file (or none) or the whole new one. With replace=False an existing file is kept
    (a concurrent writer got there first). Returns whether `path` now holds `data`."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    written = True
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if replace:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)
            except FileExistsError:
                written = False
        fsync_dir(path.parent)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return written


def fsync_dir(directory: Path) -> None:
    """Make a rename or unlink in `directory` durable."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
