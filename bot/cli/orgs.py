"""`hrd orgs add <org id> "<display name>"` and `hrd orgs list`."""

from __future__ import annotations

import argparse
import datetime as dt

from bot.access import add_org, list_orgs
from bot.cli.access_errors import cli_errors
from bot.rules import StreamNotOpen, ottawa_date, policy_on, referral_right
from bot.rules.messages import partner_list

_RIGHTS = {
    "direct": "designated, refers directly",
    "identify": "identifies cases through {partners}",
    "none": "not designated: cannot refer",
}


def register(subparsers: argparse._SubParsersAction) -> None:
    orgs = subparsers.add_parser("orgs", help="partner organizations")
    commands = orgs.add_subparsers(dest="orgs_command", required=True)
    add = commands.add_parser("add", help="add a partner organization")
    add.add_argument("org_id", help="lower-case id, e.g. ngo_kampala")
    add.add_argument("display_name")
    add.set_defaults(handler=add_command)
    listing = commands.add_parser("list", help="organizations and their referral right today")
    listing.set_defaults(handler=list_command)


def _right_today(org_id: str) -> str:
    today = ottawa_date(dt.datetime.now(dt.UTC))
    try:
        policy = policy_on(today)
    except StreamNotOpen:
        return _RIGHTS["none"]
    # The partners that refer directly are named from the policy in force.
    direct = partner_list(policy, policy.direct_referral_partners, language="en")
    return _RIGHTS[referral_right(org_id, today)].format(partners=direct)


def add_command(args: argparse.Namespace) -> int:
    with cli_errors():
        org = add_org(args.org_id, args.display_name)
    # Designation comes from the policy files (bot/rules/policies), never from this command.
    print(f"Added organization {org.id} ({org.display_name}): {_right_today(org.id)}.")
    return 0


def list_command(args: argparse.Namespace) -> int:
    with cli_errors():
        orgs = list_orgs()
    for org in orgs:
        print(f"{org.id}\t{org.display_name}\t{_right_today(org.id)}")
    return 0
