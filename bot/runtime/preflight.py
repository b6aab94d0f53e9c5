"""`python -m bot.runtime.preflight`: check the start-up settings once, before scripts/run.sh
starts anything, and create the shared secret file (so the servers need not race for it).
Each server checks them again itself (bot.runtime.rasa_server, bot.runtime.action_server)."""

from __future__ import annotations

import sys
from dataclasses import dataclass

from bot.config import SettingsError, bind_host, environment
from bot.runtime.secret_settings import action_secret, rasa_api_token


@dataclass(frozen=True)
class Runtime:
    environment: str
    host: str
    api_token: str | None
    action_secret: str


def runtime() -> Runtime:
    """The checked settings; SettingsError says what to fix."""
    host = bind_host()
    if not host:
        raise SettingsError("HRD_BIND_HOST must be an address to listen on")
    return Runtime(environment(), host, rasa_api_token(), action_secret())


def runtime_or_exit() -> Runtime:
    """runtime(), or a one-line message on stderr and exit status 2 (no trace)."""
    try:
        return runtime()
    except SettingsError as error:
        print(f"hrd: refusing to start: {error}", file=sys.stderr)
        raise SystemExit(2) from None


def main() -> None:
    runtime_or_exit()


if __name__ == "__main__":
    main()
