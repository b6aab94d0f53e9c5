"""`hrd users link|unlink|links`: chat accounts (Telegram, a phone number for SMS and
WhatsApp, Slack) linked to partner users. Registered by bot/cli/users.py under `hrd users`;
kept here so that file's other sub-commands and these change independently."""

from __future__ import annotations

import argparse

from bot.access.chat_accounts import link_account, list_links, unlink_account
from bot.cli import CommandError
from bot.cli.access_errors import cli_errors

_ACCOUNT_OPTIONS = (("--telegram", "telegram", "numeric Telegram user id"),
                    ("--phone", "phone", "E.164 number, for SMS and WhatsApp"),
                    ("--slack", "slack", "Slack member id (U...)"))


def register_link_commands(commands: argparse._SubParsersAction) -> None:
    """Adds link, unlink and links to the `hrd users` sub-commands."""
    link = commands.add_parser("link", help="link a chat account to a partner user")
    unlink = commands.add_parser("unlink", help="remove a chat account's link")
    for parser, handler in ((link, link_command), (unlink, unlink_command)):
        parser.add_argument("email")
        for option, _, help_text in _ACCOUNT_OPTIONS:
            parser.add_argument(option, metavar="ID", help=help_text)
        parser.set_defaults(handler=handler)
    links = commands.add_parser("links", help="linked chat accounts (of one user)")
    links.add_argument("email", nargs="?")
    links.set_defaults(handler=links_command)


def _account(args: argparse.Namespace) -> tuple[str, str]:
    given = [(platform, getattr(args, option[2:])) for option, platform, _ in _ACCOUNT_OPTIONS
             if getattr(args, option[2:]) is not None]
    if len(given) != 1:
        raise CommandError("give exactly one of --telegram <id>, --phone <E.164>, "
                           "--slack <member id>")
    return given[0]


def link_command(args: argparse.Namespace) -> int:
    platform, account = _account(args)
    with cli_errors():
        info = link_account(args.email, platform, account)
    print(f"Linked {info.platform} account {info.account_id} to {info.email} "
          f"(user id {info.user_id}, link id {info.link_id}).")
    return 0


def unlink_command(args: argparse.Namespace) -> int:
    platform, account = _account(args)
    with cli_errors():
        link_id = unlink_account(args.email, platform, account)
    print(f"Removed link id {link_id}; messages from this account are now refused.")
    return 0


def links_command(args: argparse.Namespace) -> int:
    with cli_errors():
        links = list_links(args.email)
    for info in links:
        print(f"{info.link_id}\t{info.platform}\t{info.account_id}\t{info.email}\t"
              f"{info.created_at.isoformat(timespec='minutes')}")
    return 0
