"""One settings object (bot.config.Settings), built at a process's start and installed; no
other module of bot/ or actions/ reads the environment."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from bot import config
from bot.config import Settings, SettingsError

ROOT = Path(__file__).resolve().parents[1]
SECRETS = {
    "HRD_DATA_KEY": "k1:" + "d" * 43, "RASA_API_TOKEN": "t" * 40,
    "HRD_ACTION_SECRET": "a" * 40, "HRD_SOCKET_JWT_KEY": "j" * 40,
    "DATABASE_URL": "postgresql://hrd:db-password@127.0.0.1:5432/hrd",
    "REDIS_URL": "redis://:redis-password@127.0.0.1:6379/0",
    "HRD_TELEGRAM_TOKEN": "123:telegram-token", "HRD_TELEGRAM_SECRET_TOKEN": "s" * 40,
    "HRD_TWILIO_AUTH_TOKEN": "twilio-auth-token", "HRD_SLACK_TOKEN": "xoxb-slack-token",
    "HRD_SLACK_SIGNING_SECRET": "slack-signing-secret",
}


@pytest.fixture()
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """No HRD setting from the calling shell; nothing installed."""
    for name in config._FIELD_OF:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    assert config.install(None) is None, "a test left settings installed"
    return monkeypatch


def _environment_readers(path: Path) -> list[int]:
    """Lines of `path` that name os.environ / os.getenv (or import them from os)."""
    names = {"environ", "getenv", "environb", "getenvb"}

    def reads(node: ast.AST) -> bool:
        if isinstance(node, ast.Attribute):  # os.environ, os.getenv(...)
            return node.attr in names and isinstance(node.value, ast.Name) \
                and node.value.id == "os"
        if isinstance(node, ast.ImportFrom):  # from os import environ
            return node.module == "os" and bool({a.name for a in node.names} & names)
        return False

    return [node.lineno for node in ast.walk(ast.parse(path.read_text(), str(path)))
            if reads(node)]


def test_only_bot_config_reads_the_environment() -> None:
    readers = {
        str(path.relative_to(ROOT)): lines
        for path in sorted([*(ROOT / "bot").rglob("*.py"), *(ROOT / "actions").rglob("*.py")])
        if (lines := _environment_readers(path)) and path != ROOT / "bot" / "config.py"
    }
    assert not readers, f"read settings through bot.config.current(): {readers}"
    assert _environment_readers(ROOT / "bot" / "config.py")  # the scan does find a reader


def test_the_defaults(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    conf = config.current()
    assert conf.data_dir == tmp_path / "var"
    assert conf.environment == "production" and conf.bind_host == "127.0.0.1"
    assert conf.console_host == "127.0.0.1" and conf.console_port == 8080
    assert conf.rasa_api_token is None and conf.data_key is None and conf.redis_url is None
    assert (conf.trusted_proxies, conf.auth_max_failures, conf.auth_window_seconds,
            conf.outbox_drain_seconds, conf.domain_path) == (0, 10, 300, 15.0, "domain.yml")
    store = config.settings()
    assert store.database_url == f"sqlite:///{tmp_path / 'var' / 'db' / 'hrd.db'}"
    assert store.key_file == tmp_path / "var" / "keys" / "data.key"
    assert not store.shared_database
    assert config.console_settings() == config.ConsoleSettings(
        cookie_secure=True, rasa_public_url="http://localhost:5005",
        session_idle_seconds=1800, session_absolute_seconds=43200, socket_token_seconds=120,
        signin_max_failures=5, signin_window_seconds=900)
    assert config.console_public_origin() == "http://localhost:8080"
    assert config.dev_partner_org() is None


def test_values_are_read_as_they_always_were(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("HRD_ENV", " Development ")
    clean_env.setenv("HRD_DEV_PARTNER_ORG", "unhcr")
    clean_env.setenv("HRD_COOKIE_SECURE", "0")
    clean_env.setenv("HRD_SESSION_IDLE_MINUTES", "not a number")  # the default
    clean_env.setenv("HRD_SIGNIN_MAX_FAILURES", "-3")  # the minimum
    clean_env.setenv("HRD_TRUSTED_PROXIES", "1")
    clean_env.setenv("HRD_RASA_PUBLIC_URL", "https://chat.example.org/socket.io/")
    clean_env.setenv("HRD_TELEGRAM_WEBHOOK_URL", "  https://x.example/hook  ")
    clean_env.setenv("REDIS_URL", "")  # empty is unset
    clean_env.setenv("DATABASE_URL", SECRETS["DATABASE_URL"])
    assert config.is_development() and config.dev_partner_org() == "unhcr"
    console = config.console_settings()
    assert not console.cookie_secure and console.session_idle_seconds == 1800
    assert console.signin_max_failures == 1
    assert console.rasa_public_url == "https://chat.example.org"
    assert config.current().trusted_proxies == 1
    assert config.current().value("HRD_TELEGRAM_WEBHOOK_URL") == "https://x.example/hook"
    assert config.settings().redis_url is None and config.settings().shared_database


@pytest.mark.parametrize(("variable", "value", "says"), [
    ("HRD_ENV", "dev", "HRD_ENV must be one of production, development, not 'dev'"),
    ("HRD_BIND_HOST", "  ", "HRD_BIND_HOST must be an address to listen on"),
    ("RASA_API_TOKEN", "s3cret-but-short", "RASA_API_TOKEN must be at least 32 characters"),
    ("HRD_ACTION_SECRET", "s3cret-but-short", "HRD_ACTION_SECRET must be at least 32 characters"),
    ("HRD_CONSOLE_PORT", "80a", "HRD_CONSOLE_PORT: value is not a valid integer"),
    ("HRD_CONSOLE_PUBLIC_URL", "javascript:x", "HRD_CONSOLE_PUBLIC_URL: not an http"),
])
def test_a_bad_value_is_a_settings_error_naming_it(clean_env: pytest.MonkeyPatch, variable: str,
                                                   value: str, says: str) -> None:
    clean_env.setenv(variable, value)
    with pytest.raises(SettingsError) as raised:
        config.current()
    assert says in str(raised.value)
    if "s3cret" in value:
        assert value not in str(raised.value)


def test_a_bad_value_stops_a_process_with_one_line(tmp_path: Path) -> None:
    """What `hrd`, the console and the servers do at start (bot.config.with_settings)."""
    started = subprocess.run(
        [sys.executable, "-c", "from bot.cli import main; main(['--help'])"],
        cwd=ROOT, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT),
                       "HRD_DATA_DIR": str(tmp_path), "HRD_ENV": "staging"},
        capture_output=True, text=True, timeout=120)
    assert started.returncode == 2
    assert started.stderr.strip() == ("hrd: refusing to start: HRD_ENV must be one of "
                                      "production, development, not 'staging'")


def test_secrets_never_show_in_a_repr(clean_env: pytest.MonkeyPatch) -> None:
    for name, value in SECRETS.items():
        clean_env.setenv(name, value)
    conf = config.current()
    shown = repr(conf) + str(conf) + repr(config.settings()) + repr(conf.dict())
    for name, value in SECRETS.items():
        assert value not in shown, name
        assert conf.value(name) == value  # and they are there for those who need them
    assert "db-password" not in shown and "redis-password" not in shown


def test_current_is_the_installed_object(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    clean_env.setenv("HRD_DATA_DIR", str(tmp_path / "at-start"))
    at_start = Settings.from_environment()
    with config.installed(at_start):
        clean_env.setenv("HRD_DATA_DIR", str(tmp_path / "later"))  # not seen: built once
        assert config.current() is at_start
        assert config.settings().data_dir == tmp_path / "at-start"
    assert config.settings().data_dir == tmp_path / "later"  # nothing installed: read now


def test_nothing_installed_reads_the_environment_on_every_call(
        clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    first = config.current()
    assert config.current() is first  # unchanged environment: the same reading
    clean_env.setenv("HRD_DATA_DIR", str(tmp_path / "elsewhere"))
    assert config.current().data_dir == tmp_path / "elsewhere"
    clean_env.setenv("HRD_COOKIE_SECURE", "0")
    assert not config.console_settings().cookie_secure
    clean_env.delenv("HRD_COOKIE_SECURE")
    assert config.console_settings().cookie_secure


def test_the_installed_object_is_frozen(clean_env: pytest.MonkeyPatch) -> None:
    conf = Settings.from_environment()
    with pytest.raises(TypeError):
        conf.environment = "development"  # type: ignore[misc]


def test_with_settings_installs_for_the_call_only(clean_env: pytest.MonkeyPatch) -> None:
    seen = []

    @config.with_settings
    def main() -> int:
        seen.append(config.current())
        assert config.current() is seen[0]  # one object for the whole run
        return 7

    assert main() == 7
    assert config.install(None) is None  # put back: nothing installed
