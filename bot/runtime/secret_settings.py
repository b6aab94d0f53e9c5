"""The secrets the processes share, read from the environment or HRD_DATA_DIR, never from a
command line (anyone on the machine can read another process's arguments in `ps`)."""

from __future__ import annotations

import os

from bot.config import SettingsError, settings
from bot.store.files import SharedSecretError, shared_secret

# Rasa sends it on every call to the action server (bot/runtime/rasa_server.py), which
# answers nothing else (bot/runtime/action_server.py).
ACTION_SECRET_HEADER = "X-HRD-Action-Secret"
ACTION_SECRET_VARIABLE = "HRD_ACTION_SECRET"
ACTION_SECRET_FILE = "action_secret.key"
MIN_SECRET_CHARS = 32


def action_secret() -> str:
    """HRD_ACTION_SECRET (the same on every host of a deployment), else the key file in
    HRD_DATA_DIR, created with mode 0600 on first use."""
    try:
        return shared_secret(ACTION_SECRET_VARIABLE,
                             settings().data_dir / ACTION_SECRET_FILE, MIN_SECRET_CHARS)
    except SharedSecretError as error:
        raise SettingsError(str(error)) from error


def rasa_api_token() -> str | None:
    """RASA_API_TOKEN, or None (Rasa's HTTP API stays off). That token reads every decrypted
    transcript, so a short one is refused rather than accepted."""
    token = os.environ.get("RASA_API_TOKEN") or None
    if token is not None and len(token) < MIN_SECRET_CHARS:
        raise SettingsError(
            f"RASA_API_TOKEN must be at least {MIN_SECRET_CHARS} characters (it unlocks every "
            "transcript); generate one with: python -c 'import secrets; "
            "print(secrets.token_urlsafe(32))'")
    return token
