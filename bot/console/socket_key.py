"""The HS256 key shared by the console (which signs widget tokens) and the Rasa server's
widget channel (which verifies them): HRD_SOCKET_JWT_KEY, or else a key file in
HRD_DATA_DIR created on first use with mode 0600 (both processes read the same file)."""

from __future__ import annotations

import os
import secrets
import stat

from bot.config import settings
from bot.store.files import write_private_file

KEY_FILE_NAME = "socket_jwt.key"
MIN_KEY_CHARS = 32  # HS256 wants at least 256 bits


class SocketKeyError(RuntimeError):
    pass


def socket_jwt_key() -> str:
    configured = os.environ.get("HRD_SOCKET_JWT_KEY")
    if configured:
        if len(configured) < MIN_KEY_CHARS:
            raise SocketKeyError(f"HRD_SOCKET_JWT_KEY must be at least {MIN_KEY_CHARS} characters")
        return configured
    path = settings().data_dir / KEY_FILE_NAME
    if not path.exists():
        # replace=False: when the console and Rasa start together, the first file wins.
        write_private_file(path, (secrets.token_urlsafe(48) + "\n").encode("ascii"),
                           replace=False)
    if path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise SocketKeyError(f"{path} is readable by others; chmod 600 it")
    key = path.read_text(encoding="ascii").strip()
    if len(key) < MIN_KEY_CHARS:
        raise SocketKeyError(f"{path} holds a key shorter than {MIN_KEY_CHARS} characters")
    return key
