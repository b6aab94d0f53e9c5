"""The `hrd` command line. Each room adds its sub-commands through a `register(subparsers)`
function in a module listed in COMMAND_MODULES, so this file stays a dispatcher."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from bot.config import with_settings
from bot.store.crypto import KeyringError, check_key_config

COMMAND_MODULES: tuple[str, ...] = (
    "bot.cli.policy",
    "bot.cli.db",
    "bot.cli.keys",
    "bot.cli.purge",
    "bot.cli.orgs",
    "bot.cli.users",
    "bot.cli.backup",
)


class CommandError(Exception):
    """A user error: printed as one line on stderr, exit code 2, never a traceback."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hrd", description="HRD referral intake administration")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


@with_settings
def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if getattr(args, "needs_data_key", True):
            check_key_config()
        return int(args.handler(args) or 0)
    except (CommandError, KeyringError) as error:
        print(f"hrd: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
