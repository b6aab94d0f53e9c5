"""Run the `hrd` command with the access sub-commands, as a separate process."""

from __future__ import annotations

import subprocess
import sys

from tests.support.servers import ROOT

ACCESS_MODULES = ("bot.cli.orgs", "bot.cli.users")
_WRAPPER = (
    "import sys, bot.cli as c; "
    f"c.COMMAND_MODULES = tuple(dict.fromkeys(c.COMMAND_MODULES + {ACCESS_MODULES!r})); "
    "sys.exit(c.main(sys.argv[1:]))"
)


def hrd(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", _WRAPPER, *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def new_token(*args: str, env: dict[str, str] | None = None) -> str:
    """`hrd users add ...`: the API token, the last line of the output."""
    result = hrd("users", "add", *args, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]
