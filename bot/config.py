"""Settings from the environment, with the embedded defaults of intake-contract.md ("Running")."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    redis_url: str | None
    data_key: str | None
    rasa_api_token: str | None
    console_port: int

    @property
    def key_file(self) -> Path:
        return self.data_dir / "data.key"


def settings() -> Settings:
    """Read the settings now (not at import), so tests can point a process at its own data."""
    data_dir = Path(os.environ.get("HRD_DATA_DIR", "./var")).resolve()
    default_db = f"sqlite:///{data_dir / 'hrd.db'}"
    return Settings(
        data_dir=data_dir,
        database_url=os.environ.get("DATABASE_URL") or default_db,
        redis_url=os.environ.get("REDIS_URL") or None,
        data_key=os.environ.get("HRD_DATA_KEY") or None,
        rasa_api_token=os.environ.get("RASA_API_TOKEN") or None,
        console_port=int(os.environ.get("HRD_CONSOLE_PORT", "8080")),
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
