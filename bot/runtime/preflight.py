"""`python -m bot.runtime.preflight`: check the start-up settings once, before scripts/run.sh
starts anything, and create the shared secret file (so the servers need not race for it).
Each server checks them again itself (bot.runtime.rasa_server, bot.runtime.action_server)."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

from bot.config import Settings, SettingsError, installed, refuse_to_start
from bot.runtime.secret_settings import action_secret, rasa_api_token


@dataclass(frozen=True)
class Runtime:
    settings: Settings  # built once here; the server installs it (bot.config.installed)
    environment: str
    host: str
    api_token: str | None = field(repr=False)
    action_secret: str = field(repr=False)


def runtime(settings: Settings | None = None) -> Runtime:
    """The checked settings (read from the environment unless given); SettingsError says
    what to fix."""
    conf = settings or Settings.from_environment()
    return Runtime(conf, conf.environment, conf.bind_host, rasa_api_token(conf),
                   action_secret(conf))


def runtime_or_exit() -> Runtime:
    """runtime(), or a one-line message on stderr and exit status 2 (no trace)."""
    try:
        return runtime()
    except SettingsError as error:
        refuse_to_start(error)


def data_key_or_exit() -> None:
    """The data keyring opens what is stored (bot.store.key_check), or a one-line message
    and exit status 2 before anything is served or written. Call with the settings
    installed."""
    from bot.store import crypto, db
    from bot.store.key_check import check_keys_open_stored_data

    try:
        check_keys_open_stored_data()
    except crypto.KeyringError as error:
        print(f"hrd: refusing to start: {error}", file=sys.stderr)
        raise SystemExit(2) from None
    finally:
        db.dispose_engines()  # no connection of this check is inherited by a server worker


def main() -> None:
    with installed(runtime_or_exit().settings):
        data_key_or_exit()


if __name__ == "__main__":
    main()
