"""One real stack for the browser tests: Rasa server + action server (production
credentials.yml, so the widget channel), the console, users made with the `hrd` command,
and one headless Debian Chromium driven by Playwright. Never downloads a browser."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.access.cli import hrd
from tests.console.support import TotpCodes, console_env
from tests.support.servers import (
    ROOT,
    Assistant,
    free_port,
    production_env,
    reading_store,
    stop_processes,
    wait_until_up,
)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
PASSWORD = "a long test passphrase"
# HRD_SCREENSHOTS_DIR=docs/screenshots makes the tests save the documentation screenshots.
SCREENSHOTS = os.environ.get("HRD_SCREENSHOTS_DIR")

pytestmark = pytest.mark.e2e


@dataclass
class Stack:
    assistant: Assistant
    console: str
    data_dir: Path
    env: dict[str, str]
    codes: TotpCodes = field(default_factory=TotpCodes)  # every user's one-time codes
    shared: dict[str, str] = field(default_factory=dict)  # what one test leaves the next

    def screenshot(self, page, name: str) -> None:
        if SCREENSHOTS:
            target = ROOT / SCREENSHOTS
            target.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(target / f"{name}.png"), full_page=True)


def _user(env: dict[str, str], *args: str) -> None:
    """`hrd users add ...` then `hrd users password`: a console account (codes: _totp)."""
    added = hrd("users", "add", *args, env=env)
    assert added.returncode == 0, added.stderr
    email = args[-1]
    result = subprocess.run(
        [sys.executable, "-c", "import sys, bot.cli as c; sys.exit(c.main(sys.argv[1:]))",
         "users", "password", "--password-stdin", email],
        input=PASSWORD + "\n", cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def _totp(env: dict[str, str], email: str) -> str:
    result = hrd("users", "totp", email, env=env)
    assert result.returncode == 0, result.stderr
    found = re.search(r"^secret: ([A-Z2-7]+)$", result.stdout, re.M)
    assert found, result.stdout
    return found.group(1)


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    workdir = tmp_path_factory.mktemp("console_browser")
    data_dir = workdir / "data"
    env = production_env(data_dir)
    _user(env, "--role", "partner", "--org", "unhcr", "caseworker@unhcr.org")
    _user(env, "--role", "partner", "--org", "front_line_defenders", "staff@fld.org")
    _user(env, "--role", "partner", "--org", "unhcr", "--language", "fr",
          "intervenant@unhcr.org")
    _user(env, "--role", "supervisor", "officer@irc.gc.ca")
    # Every role signs in with a one-time code (issue 12), enrolled as an admin does it.
    codes = TotpCodes({email: _totp(env, email) for email in (
        "caseworker@unhcr.org", "staff@fld.org", "intervenant@unhcr.org",
        "officer@irc.gc.ca")})
    # The ports are known up front: each server names the other's origin (CSP, CORS).
    console_port = free_port()
    console_base = f"http://127.0.0.1:{console_port}"
    env["HRD_CONSOLE_PUBLIC_URL"] = console_base
    assistant = Assistant(workdir=workdir, env=env)
    log = workdir / "console.log"
    with log.open("ab") as handle:
        console = subprocess.Popen(
            [sys.executable, "-m", "bot.runtime.console_server"], cwd=ROOT,
            stdout=handle, stderr=handle,
            env=console_env({"HRD_DATA_DIR": str(data_dir), "HRD_COOKIE_SECURE": "0",
                             "HRD_CONSOLE_PORT": str(console_port),
                             "HRD_RASA_PUBLIC_URL": assistant.base}))
    try:
        with reading_store(data_dir):
            assistant.start(credentials="credentials.yml")
            wait_until_up(f"{console_base}/signin", console, log, timeout=60)
            yield Stack(assistant, console_base, data_dir, env, codes)
    finally:
        stop_processes(console)
        assistant.stop()


def sign_in(page, base: str, email: str, codes: TotpCodes, button: str = "Sign in") -> None:
    """The console's sign-in form, one-time code included (every role has one); `button` is
    the submit button's name in the page's language. The code is computed after the page
    has loaded, just before it is typed: one computed earlier may be two steps old by the
    time the server checks it if a 30 s boundary passes during the load."""
    page.goto(base + "/signin")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.fill("#code", codes.code(email))
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state()


# Per module: Playwright's sync API runs an event loop in this thread while it is open, and
# tests collected after these (asyncio.run in tests/access, ...) need the thread free again.
@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                              args=CHROMIUM_ARGS)
        yield launched
        launched.close()
