"""The settings: one object (`Settings`, a pydantic BaseSettings) read from the environment,
with the embedded defaults of intake-contract.md ("Running"). This is the only module that
reads os.environ (tests/test_settings.py checks it).

Each process's composition root (bot.runtime.rasa_server, bot.runtime.action_server,
`python -m bot.console`, `hrd`) builds it once at start, where a bad value stops the process
with one line, and installs it; everything else reads the installed object through
`current()`. With nothing installed (library use, tests) `current()` reads the environment
again on every call, so a test can point the code at its own data by setting a variable.
The functions below `current()` (settings(), console_settings(), environment(), ...) are
views of that object, in the shapes their callers already used."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn, TypeVar
from urllib.parse import urlsplit

from pydantic import BaseSettings, Field, SecretStr, ValidationError, validator

KEY_FILE_NAME = "data.key"
DB_FILE_NAME = "hrd.db"
ENVIRONMENTS = ("production", "development")
LOOPBACK = "127.0.0.1"
DEFAULT_RASA_PUBLIC_URL = "http://localhost:5005"
DEFAULT_CONSOLE_PUBLIC_URL = "http://localhost:8080"
MIN_SECRET_CHARS = 32
SECRET_HINT = ("generate one with: python -c 'import secrets; "
               "print(secrets.token_urlsafe(32))'")


class SettingsError(ValueError):
    """A setting that must stop a process from starting; the message says what to set."""


def origin_of(url: str) -> str:
    """scheme://host[:port] of an http(s) URL; a bad value is a startup error, not a CSP hole."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http:// or https:// URL: {url!r}")
    if any(c in parts.netloc for c in " ;,'\""):
        raise ValueError(f"characters not allowed in an origin: {url!r}")
    netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
    return f"{parts.scheme}://{netloc}"


def default_database_path(data_dir: Path) -> Path:
    """HRD_DATA_DIR/db/hrd.db; a database created before that layout (HRD_DATA_DIR/hrd.db)
    is used where it is, so an existing installation keeps its data."""
    legacy = data_dir / DB_FILE_NAME
    return legacy if legacy.exists() else data_dir / "db" / DB_FILE_NAME


def _lenient_int(value: Any, default: int, minimum: int) -> int:
    """How these counters have always been read: not a number means the default, and a
    number below the minimum means the minimum."""
    try:
        return max(minimum, int(value))
    except (TypeError, ValueError):
        return default


# Counters read leniently (see _lenient_int), with their minimum.
_LENIENT_MINIMUM = {
    "trusted_proxies": 0, "auth_max_failures": 1, "auth_window_seconds": 1,
    "session_idle_minutes": 1, "session_max_hours": 1, "socket_token_seconds": 1,
    "signin_max_failures": 1, "signin_window_seconds": 1, "tracker_cache_conversations": 0,
}
# Unset or empty means None; the messaging channels' values are also stripped (as they
# always were), the secrets shared between processes are taken as they are.
_OPTIONAL = ("database_url", "redis_url", "data_key", "rasa_api_token", "key_dir",
             "action_secret", "socket_jwt_key", "dev_partner_org")
_CHANNEL = ("telegram_token", "telegram_secret_token", "telegram_webhook_url",
            "telegram_api_base", "twilio_account_sid", "twilio_auth_token", "twilio_number",
            "twilio_whatsapp_number", "twilio_webhook_url", "twilio_api_base", "slack_token",
            "slack_signing_secret", "slack_team_id", "slack_api_base")


class Settings(BaseSettings):
    """Every setting of every process. Secrets are SecretStr: a repr or a log line shows
    '**********', never the value (DATABASE_URL and REDIS_URL may carry a password too)."""

    # Where the data is, and how it is reached.
    data_dir: Path = Field(Path("./var"), env="HRD_DATA_DIR")
    database_url: SecretStr | None = Field(None, env="DATABASE_URL")
    # The embedded key file's directory: never the database's (a copy of the database
    # directory, or its backup, must not carry the key that opens it).
    key_dir: Path | None = Field(None, env="HRD_KEY_DIR")
    redis_url: SecretStr | None = Field(None, env="REDIS_URL")
    data_key: SecretStr | None = Field(None, env="HRD_DATA_KEY")

    # The processes of `make run`.
    environment: str = Field("production", env="HRD_ENV")
    bind_host: str = Field(LOOPBACK, env="HRD_BIND_HOST")
    rasa_api_token: SecretStr | None = Field(None, env="RASA_API_TOKEN")
    action_secret: SecretStr | None = Field(None, env="HRD_ACTION_SECRET")
    dev_partner_org: str | None = Field(None, env="HRD_DEV_PARTNER_ORG")
    outbox_drain_seconds: float = Field(15.0, env="HRD_OUTBOX_DRAIN_SECONDS")
    domain_path: str = Field("domain.yml", env="HRD_DOMAIN_PATH")
    # Conversations whose decrypted tracker each Rasa process keeps between turns (least
    # recently used out; about 0.3-1 MB each): enough for the caseworkers typing at once,
    # small enough that a process's memory stays flat over a day of intakes. 0: no cache.
    tracker_cache_conversations: int = Field(64, env="HRD_TRACKER_CACHE_CONVERSATIONS")
    trusted_proxies: int = Field(0, env="HRD_TRUSTED_PROXIES")
    auth_max_failures: int = Field(10, env="HRD_AUTH_MAX_FAILURES")
    auth_window_seconds: int = Field(300, env="HRD_AUTH_WINDOW_SECONDS")

    # The console.
    console_host: str = Field(LOOPBACK, env="HRD_CONSOLE_HOST")
    console_port: int = Field(8080, env="HRD_CONSOLE_PORT")
    console_public_url: str = Field(DEFAULT_CONSOLE_PUBLIC_URL, env="HRD_CONSOLE_PUBLIC_URL")
    rasa_public_url: str = Field(DEFAULT_RASA_PUBLIC_URL, env="HRD_RASA_PUBLIC_URL")
    socket_jwt_key: SecretStr | None = Field(None, env="HRD_SOCKET_JWT_KEY")
    cookie_secure: bool = Field(True, env="HRD_COOKIE_SECURE")
    session_idle_minutes: int = Field(30, env="HRD_SESSION_IDLE_MINUTES")
    session_max_hours: int = Field(12, env="HRD_SESSION_MAX_HOURS")
    socket_token_seconds: int = Field(120, env="HRD_SOCKET_TOKEN_SECONDS")
    signin_max_failures: int = Field(5, env="HRD_SIGNIN_MAX_FAILURES")
    signin_window_seconds: int = Field(900, env="HRD_SIGNIN_WINDOW_SECONDS")
    review_stale_days: int = Field(14, env="HRD_REVIEW_STALE_DAYS", ge=1)  # 16: attention, drafts

    # What the assistant tells caseworkers (issue 20): the program's contact route for a
    # person, and the retention the deployment's daily `hrd purge --older-than` applies.
    handoff_contact: str | None = Field(None, env="HRD_HANDOFF_CONTACT")
    retention_days: int | None = Field(None, env="HRD_RETENTION_DAYS")

    # The messaging channels (bot.channels.settings checks that each is all set or off).
    telegram_token: SecretStr | None = Field(None, env="HRD_TELEGRAM_TOKEN")
    telegram_secret_token: SecretStr | None = Field(None, env="HRD_TELEGRAM_SECRET_TOKEN")
    telegram_webhook_url: str | None = Field(None, env="HRD_TELEGRAM_WEBHOOK_URL")
    telegram_api_base: str | None = Field(None, env="HRD_TELEGRAM_API_BASE")
    twilio_account_sid: str | None = Field(None, env="HRD_TWILIO_ACCOUNT_SID")
    twilio_auth_token: SecretStr | None = Field(None, env="HRD_TWILIO_AUTH_TOKEN")
    twilio_number: str | None = Field(None, env="HRD_TWILIO_NUMBER")
    twilio_whatsapp_number: str | None = Field(None, env="HRD_TWILIO_WHATSAPP_NUMBER")
    twilio_webhook_url: str | None = Field(None, env="HRD_TWILIO_WEBHOOK_URL")
    twilio_api_base: str | None = Field(None, env="HRD_TWILIO_API_BASE")
    slack_token: SecretStr | None = Field(None, env="HRD_SLACK_TOKEN")
    slack_signing_secret: SecretStr | None = Field(None, env="HRD_SLACK_SIGNING_SECRET")
    slack_team_id: str | None = Field(None, env="HRD_SLACK_TEAM_ID")
    slack_api_base: str | None = Field(None, env="HRD_SLACK_API_BASE")

    class Config:
        case_sensitive = True  # exactly the variable names, as os.environ.get read them
        allow_mutation = False  # the installed object is shared by every thread

    @validator(*_OPTIONAL, pre=True)
    def _empty_is_unset(cls, value: Any) -> Any:
        return value or None

    @validator(*_CHANNEL, pre=True)
    def _stripped_or_unset(cls, value: Any) -> Any:
        return (value.strip() if isinstance(value, str) else value) or None

    @validator(*_LENIENT_MINIMUM, pre=True)
    def _lenient(cls, value: Any, field: Any) -> int:
        return _lenient_int(value, field.default, _LENIENT_MINIMUM[field.name])

    @validator("handoff_contact", pre=True)
    def _contact_or_unset(cls, value: Any) -> str | None:
        return (value.strip() if isinstance(value, str) else value) or None

    @validator("retention_days", pre=True)
    def _positive_days_or_unset(cls, value: Any) -> int | None:
        text = str(value or "").strip()
        return int(text) if text.isdigit() and int(text) > 0 else None

    @validator("data_dir", always=True)
    def _resolved(cls, value: Path) -> Path:
        return value.resolve()

    @validator("key_dir")
    def _key_dir_resolved(cls, value: Path | None) -> Path | None:
        return value.resolve() if value else None

    @validator("environment", pre=True, always=True)
    def _known_environment(cls, value: Any) -> str:
        name = (value or "production").strip().lower()
        if name not in ENVIRONMENTS:
            raise SettingsError(
                f"HRD_ENV must be one of {', '.join(ENVIRONMENTS)}, not {name!r}")
        return name

    @validator("bind_host", pre=True, always=True)
    def _an_address(cls, value: Any) -> str:
        # Loopback unless told otherwise: a TLS reverse proxy on the same host is what
        # should face the network.
        host = (value or LOOPBACK).strip()
        if not host:
            raise SettingsError("HRD_BIND_HOST must be an address to listen on")
        return host

    @validator("rasa_api_token")
    def _long_api_token(cls, value: SecretStr | None) -> SecretStr | None:
        # That token reads every decrypted transcript: a short one is refused.
        if value is not None and len(value.get_secret_value()) < MIN_SECRET_CHARS:
            raise SettingsError(f"RASA_API_TOKEN must be at least {MIN_SECRET_CHARS} "
                                f"characters (it unlocks every transcript); {SECRET_HINT}")
        return value

    @validator("action_secret", "socket_jwt_key")
    def _long_shared_secret(cls, value: SecretStr | None, field: Any) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < MIN_SECRET_CHARS:
            raise SettingsError(
                f"{field.field_info.extra['env']} must be at least {MIN_SECRET_CHARS} characters")
        return value

    @validator("console_public_url", "rasa_public_url", pre=True)
    def _an_origin(cls, value: Any, field: Any) -> str:
        return origin_of(value or field.default)

    @validator("cookie_secure", pre=True)
    def _secure_unless_0(cls, value: Any) -> bool:
        # Only `HRD_COOKIE_SECURE=0` relaxes it (http://127.0.0.1 in tests).
        return value != "0" if isinstance(value, str) else bool(value)

    @classmethod
    def from_environment(cls) -> Settings:
        """Read every setting now; SettingsError names each bad one (never its value)."""
        try:
            return cls()
        except ValidationError as error:
            raise SettingsError("; ".join(_explain(e) for e in error.errors())) from None

    def value(self, variable: str) -> str | None:
        """The value of one environment variable by its name (a secret unwrapped)."""
        value = getattr(self, _FIELD_OF[variable])
        if isinstance(value, SecretStr):
            return value.get_secret_value()
        return None if value is None else str(value)

    # The views below keep the shapes the callers used before there was one object.
    def store(self) -> StoreSettings:
        explicit_url = self.value("DATABASE_URL")
        return StoreSettings(
            data_dir=self.data_dir,
            database_url=explicit_url or f"sqlite:///{default_database_path(self.data_dir)}",
            redis_url=self.value("REDIS_URL"),
            data_key=self.value("HRD_DATA_KEY"),
            rasa_api_token=self.value("RASA_API_TOKEN"),
            console_port=self.console_port,
            key_dir=self.key_dir or self.data_dir / "keys",
            shared_database=explicit_url is not None and not explicit_url.startswith("sqlite"),
        )

    def console(self) -> ConsoleSettings:
        return ConsoleSettings(
            cookie_secure=self.cookie_secure,
            rasa_public_url=self.rasa_public_url,
            session_idle_seconds=self.session_idle_minutes * 60,
            session_absolute_seconds=self.session_max_hours * 3600,
            socket_token_seconds=self.socket_token_seconds,
            signin_max_failures=self.signin_max_failures,
            signin_window_seconds=self.signin_window_seconds,
        )


_FIELD_OF = {f.field_info.extra["env"]: name for name, f in Settings.__fields__.items()}


def _explain(error: dict[str, Any]) -> str:
    """One bad setting: our validators' messages name the variable; pydantic's own
    ("value is not a valid integer") get it in front."""
    variable = Settings.__fields__[str(error["loc"][0])].field_info.extra["env"]
    message = str(error["msg"])
    return message if message.startswith(variable) else f"{variable}: {message}"


# --- The one object of this process ------------------------------------------------------

_installed: Settings | None = None
_VARIABLES = tuple(_FIELD_OF)
# With nothing installed: the last settings read, by what they were read from (the working
# directory resolves a relative HRD_DATA_DIR), so a code path that asks many times (a key
# per encryption) does not validate the environment anew each time it did not change.
_last_read: tuple[tuple[str | None, ...], Settings] | None = None


def current() -> Settings:
    """The installed settings, or (none installed) the environment's as of now."""
    if _installed is not None:
        return _installed
    global _last_read
    source = (os.getcwd(), *(os.environ.get(name) for name in _VARIABLES))
    last = _last_read
    if last is not None and last[0] == source:
        return last[1]
    read = Settings.from_environment()
    _last_read = (source, read)
    return read


def install(settings: Settings | None) -> Settings | None:
    """Make `settings` what current() returns (None: read the environment again);
    returns what was installed before."""
    global _installed
    previous, _installed = _installed, settings
    return previous


@contextmanager
def installed(settings: Settings) -> Iterator[Settings]:
    """install(settings) while the block runs (a server's whole life), then put back what
    was there: a test that runs a composition root in-process leaves nothing behind."""
    previous = install(settings)
    try:
        yield settings
    finally:
        install(previous)


def refuse_to_start(error: SettingsError) -> NoReturn:
    """One line on stderr and exit status 2: no trace, and no value (a secret could be the
    bad one)."""
    print(f"hrd: refusing to start: {error}", file=sys.stderr)
    raise SystemExit(2) from None


def from_environment_or_exit() -> Settings:
    """At a process's start: the settings, or refuse_to_start()."""
    try:
        return Settings.from_environment()
    except SettingsError as error:
        refuse_to_start(error)


F = TypeVar("F", bound=Callable[..., Any])


def with_settings(main: F) -> F:
    """For a process's `main`: the settings are built once when it starts and installed
    while it runs."""

    @functools.wraps(main)
    def started(*args: Any, **kwargs: Any) -> Any:
        with installed(from_environment_or_exit()):
            return main(*args, **kwargs)

    return started  # type: ignore[return-value]


# --- Views, in the shapes their callers used ---------------------------------------------

@dataclass(frozen=True)
class StoreSettings:
    data_dir: Path
    database_url: str = field(repr=False)  # may carry a password
    redis_url: str | None = field(repr=False)
    data_key: str | None = field(repr=False)
    rasa_api_token: str | None = field(repr=False)
    console_port: int
    key_dir: Path
    # DATABASE_URL names a database server (PostgreSQL): shared by hosts and processes,
    # so the key must come from HRD_DATA_KEY, the same everywhere, not a local file.
    shared_database: bool

    @property
    def key_file(self) -> Path:
        return self.key_dir / KEY_FILE_NAME

    @property
    def legacy_key_file(self) -> Path:
        """Where the key file was before it got a directory of its own (moved from there)."""
        return self.data_dir / KEY_FILE_NAME


@dataclass(frozen=True)
class ConsoleSettings:
    cookie_secure: bool
    rasa_public_url: str  # an origin: scheme://host[:port], no path
    session_idle_seconds: int
    session_absolute_seconds: int
    socket_token_seconds: int
    signin_max_failures: int
    signin_window_seconds: int


def settings() -> StoreSettings:
    return current().store()


def console_settings() -> ConsoleSettings:
    return current().console()


def environment() -> str:
    """HRD_ENV: "production" unless development is asked for explicitly."""
    return current().environment


def is_development() -> bool:
    return environment() == "development"


def bind_host() -> str:
    """HRD_BIND_HOST: the address every process listens on."""
    return current().bind_host


def dev_partner_org() -> str | None:
    """The organization the local development chat channel stands for (development only)."""
    conf = current()
    return conf.dev_partner_org if conf.environment == "development" else None


def console_public_origin() -> str:
    """Where browsers load the console from (HRD_CONSOLE_PUBLIC_URL): the one origin the
    Rasa server's widget channel accepts socket.io requests from."""
    return current().console_public_url



def repair_settings() -> dict[str, str | int | None]:
    """Issue 20: HRD_HANDOFF_CONTACT, the program's contact route given to partners who ask
    for a person, and HRD_RETENTION_DAYS, the --older-than of the deployment's daily `hrd
    purge`, which the assistant's privacy answers state (None when unset)."""
    conf = current()
    return {"handoff_contact": conf.handoff_contact, "retention_days": conf.retention_days}
