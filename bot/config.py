"""Settings from the environment, with the embedded defaults of intake-contract.md ("Running")."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

KEY_FILE_NAME = "data.key"
DB_FILE_NAME = "hrd.db"


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    redis_url: str | None
    data_key: str | None
    rasa_api_token: str | None
    console_port: int
    # The embedded key file's directory: never the database's (a copy of the database
    # directory, or its backup, must not carry the key that opens it).
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


def default_database_path(data_dir: Path) -> Path:
    """HRD_DATA_DIR/db/hrd.db; a database created before that layout (HRD_DATA_DIR/hrd.db)
    is used where it is, so an existing installation keeps its data."""
    legacy = data_dir / DB_FILE_NAME
    return legacy if legacy.exists() else data_dir / "db" / DB_FILE_NAME


def settings() -> Settings:
    """Read the settings now (not at import), so tests can point a process at its own data."""
    data_dir = Path(os.environ.get("HRD_DATA_DIR", "./var")).resolve()
    explicit_url = os.environ.get("DATABASE_URL") or None
    key_dir = os.environ.get("HRD_KEY_DIR")
    return Settings(
        data_dir=data_dir,
        database_url=explicit_url or f"sqlite:///{default_database_path(data_dir)}",
        redis_url=os.environ.get("REDIS_URL") or None,
        data_key=os.environ.get("HRD_DATA_KEY") or None,
        rasa_api_token=os.environ.get("RASA_API_TOKEN") or None,
        console_port=int(os.environ.get("HRD_CONSOLE_PORT", "8080")),
        key_dir=Path(key_dir).resolve() if key_dir else data_dir / "keys",
        shared_database=explicit_url is not None and not explicit_url.startswith("sqlite"),
    )


ENVIRONMENTS = ("production", "development")
LOOPBACK = "127.0.0.1"


class SettingsError(ValueError):
    """A setting that must stop a process from starting; the message says what to set."""


def environment() -> str:
    """HRD_ENV: "production" unless development is asked for explicitly."""
    value = (os.environ.get("HRD_ENV") or "production").strip().lower()
    if value not in ENVIRONMENTS:
        raise SettingsError(f"HRD_ENV must be one of {', '.join(ENVIRONMENTS)}, not {value!r}")
    return value


def is_development() -> bool:
    return environment() == "development"


def bind_host() -> str:
    """HRD_BIND_HOST: the address every process listens on; loopback unless told otherwise
    (a TLS reverse proxy on the same host is what should face the network)."""
    return (os.environ.get("HRD_BIND_HOST") or LOOPBACK).strip()


def dev_partner_org() -> str | None:
    """The organization the local development chat channel stands for (development only)."""
    if not is_development():
        return None
    return os.environ.get("HRD_DEV_PARTNER_ORG") or None


# The console's settings (formerly bot/console/settings.py).
DEFAULT_RASA_PUBLIC_URL = "http://localhost:5005"
DEFAULT_CONSOLE_PUBLIC_URL = "http://localhost:8080"


@dataclass(frozen=True)
class ConsoleSettings:
    cookie_secure: bool
    rasa_public_url: str  # an origin: scheme://host[:port], no path
    session_idle_seconds: int
    session_absolute_seconds: int
    socket_token_seconds: int
    signin_max_failures: int
    signin_window_seconds: int


def _int(name: str, default: int, minimum: int = 1) -> int:
    try:
        return max(minimum, int(os.environ.get(name, default)))
    except ValueError:
        return default


def origin_of(url: str) -> str:
    """scheme://host[:port] of an http(s) URL; a bad value is a startup error, not a CSP hole."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http:// or https:// URL: {url!r}")
    if any(c in parts.netloc for c in " ;,'\""):
        raise ValueError(f"characters not allowed in an origin: {url!r}")
    netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
    return f"{parts.scheme}://{netloc}"


def console_public_origin() -> str:
    """Where browsers load the console from (HRD_CONSOLE_PUBLIC_URL): the one origin the
    Rasa server's widget channel accepts socket.io requests from."""
    return origin_of(os.environ.get("HRD_CONSOLE_PUBLIC_URL") or DEFAULT_CONSOLE_PUBLIC_URL)


def console_settings() -> ConsoleSettings:
    return ConsoleSettings(
        # Only `HRD_COOKIE_SECURE=0` relaxes it (http://127.0.0.1 in tests).
        cookie_secure=os.environ.get("HRD_COOKIE_SECURE", "1") != "0",
        rasa_public_url=origin_of(os.environ.get("HRD_RASA_PUBLIC_URL")
                                  or DEFAULT_RASA_PUBLIC_URL),
        session_idle_seconds=_int("HRD_SESSION_IDLE_MINUTES", 30) * 60,
        session_absolute_seconds=_int("HRD_SESSION_MAX_HOURS", 12) * 3600,
        socket_token_seconds=_int("HRD_SOCKET_TOKEN_SECONDS", 120),
        signin_max_failures=_int("HRD_SIGNIN_MAX_FAILURES", 5),
        signin_window_seconds=_int("HRD_SIGNIN_WINDOW_SECONDS", 900),
    )
