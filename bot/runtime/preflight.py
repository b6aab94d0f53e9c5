"""`python -m bot.runtime.preflight`: check the start-up settings once, before scripts/run.sh
starts anything, and create the shared secret file (so the servers need not race for it).
Each server checks them again itself (bot.runtime.rasa_server, bot.runtime.action_server)."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.config import Settings, SettingsError, refuse_to_start
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


def main() -> None:
    runtime_or_exit()


if __name__ == "__main__":
    main()
