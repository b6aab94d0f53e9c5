"""The HS256 key shared by the console (which signs widget tokens) and the Rasa server's
widget channel (which verifies them): HRD_SOCKET_JWT_KEY, or else a key file in
HRD_DATA_DIR created on first use with mode 0600 (both processes read the same file)."""

from __future__ import annotations

from bot.config import settings
from bot.store.files import SharedSecretError, shared_secret

KEY_FILE_NAME = "socket_jwt.key"
MIN_KEY_CHARS = 32  # HS256 wants at least 256 bits

SocketKeyError = SharedSecretError


def socket_jwt_key() -> str:
    return shared_secret("HRD_SOCKET_JWT_KEY", settings().data_dir / KEY_FILE_NAME,
                         MIN_KEY_CHARS)
