"""The custom actions, loaded by the action server (`rasa run actions --actions actions`)."""

from bot.store.crypto import KeyringError, check_key_config

try:  # before the action server serves anything: a shared database needs HRD_DATA_KEY
    check_key_config()
except KeyringError as error:
    raise SystemExit(f"action server: {error}") from None
