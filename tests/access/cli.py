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


def new_token(*args: str, env: dict[str, str] | None = None, days: int = 30) -> str:
    """`hrd users add ...` and the user's API token: the last line of `add` for partner
    staff; supervisors and admins get none from `add`, so theirs is the last line of
    `hrd users token <email> --expires-in-days <days>` (a read-only token)."""
    result = hrd("users", "add", *args, env=env)
    assert result.returncode == 0, result.stderr
    last = result.stdout.strip().splitlines()[-1]
    if args[args.index("--role") + 1] == "partner":
        return last
    assert "No API token" in last, result.stdout
    issued = hrd("users", "token", args[-1], "--expires-in-days", str(days), env=env)
    assert issued.returncode == 0, issued.stderr
    return issued.stdout.strip().splitlines()[-1]
