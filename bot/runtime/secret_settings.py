"""The secrets the processes share, from the settings object (the environment) or
HRD_DATA_DIR, never from a command line (anyone on the machine can read another process's
arguments in `ps`)."""

from __future__ import annotations

from bot.config import MIN_SECRET_CHARS, Settings, SettingsError, current
from bot.store.files import SharedSecretError, shared_secret

# Rasa sends it on every call to the action server (bot/runtime/rasa_server.py), which
# answers nothing else (bot/runtime/action_server.py).
ACTION_SECRET_HEADER = "X-HRD-Action-Secret"
ACTION_SECRET_VARIABLE = "HRD_ACTION_SECRET"
ACTION_SECRET_FILE = "action_secret.key"

__all__ = ["ACTION_SECRET_FILE", "ACTION_SECRET_HEADER", "ACTION_SECRET_VARIABLE",
           "MIN_SECRET_CHARS", "action_secret", "rasa_api_token"]


def action_secret(settings: Settings | None = None) -> str:
    """HRD_ACTION_SECRET (the same on every host of a deployment), else the key file in
    HRD_DATA_DIR, created with mode 0600 on first use."""
    conf = settings or current()
    try:
        return shared_secret(ACTION_SECRET_VARIABLE, conf.data_dir / ACTION_SECRET_FILE,
                             MIN_SECRET_CHARS, settings=conf)
    except SharedSecretError as error:
        raise SettingsError(str(error)) from error


def rasa_api_token(settings: Settings | None = None) -> str | None:
    """RASA_API_TOKEN, or None (Rasa's HTTP API stays off). That token reads every decrypted
    transcript, so the settings refuse a short one (bot.config)."""
    return (settings or current()).value("RASA_API_TOKEN")
