"""Durable, private file writes (the key file, outbox spool files)."""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path

from bot.config import Settings, current


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


class SharedSecretError(RuntimeError):
    """A shared secret that is too short or whose file others can read."""


def shared_secret(variable: str, path: Path, min_chars: int = 32, *,
                  settings: Settings | None = None) -> str:
    """A secret two processes share: the environment variable `variable` if set (as the
    settings object read it), else the file `path`, created with a random value and mode
    0600 on first use (when two processes start together the first file wins, so both read
    the same value). `settings`: the settings to read (default: the process's)."""
    configured = (settings or current()).value(variable)
    if configured:
        if len(configured) < min_chars:
            raise SharedSecretError(f"{variable} must be at least {min_chars} characters")
        return configured
    if not path.exists():
        write_private_file(path, (secrets.token_urlsafe(48) + "\n").encode("ascii"),
                           replace=False)
    if path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise SharedSecretError(f"{path} is readable by others; chmod 600 it")
    value = path.read_text(encoding="ascii").strip()
    if len(value) < min_chars:
        raise SharedSecretError(f"{path} holds a secret shorter than {min_chars} characters")
    return value
