"""`hrd policy show [--on YYYY-MM-DD]`: the policy version in force, each value with its
source; `hrd policy explain <reference>`: why a case was decided as it was, rule by rule
(the same lines as the console's case page)."""

from __future__ import annotations

import argparse
import datetime as dt
import re
from collections.abc import Iterable

from bot.cli import CommandError
from bot.rules import (
    PolicyError,
    RuleResult,
    StreamNotOpen,
    explain_case,
    ottawa_date,
    policy_on,
)
from bot.rules.versions import Policy, policy_values

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_REFERENCE = re.compile(r"HRD-\d{4}-\d{5}")
# The case view is audited in the case's trail under this actor.
CLI_ACTOR = "cli:policy-explain"


def register(subparsers: argparse._SubParsersAction) -> None:
    policy = subparsers.add_parser("policy", help="the stream's policy versions")
    commands = policy.add_subparsers(dest="policy_command", required=True)
    show = commands.add_parser("show", help="the version in force on a date, with sources")
    # Parsed in the handler, not by argparse, so a bad date is a one-line CommandError.
    show.add_argument("--on", metavar="YYYY-MM-DD", help="decision date (default: today)")
    show.set_defaults(handler=show_policy)
    explain = commands.add_parser("explain", help="why a case was decided so, rule by rule")
    explain.add_argument("reference", help="a case reference, HRD-YYYY-NNNNN")
    explain.set_defaults(handler=explain_policy)


def _parse_date(text: str) -> dt.date:
    # fromisoformat alone would also take "20220101" or "2022-W01-1".
    try:
        if _ISO_DATE.fullmatch(text):
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    raise CommandError(f"invalid date {text!r}: expected a calendar date as YYYY-MM-DD")


def _format(name: str, value: object) -> str:
    if name == "annual_cap":  # stream-policy.md: counted in people, per calendar year
        return f"{value} people a calendar year, family members included"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, frozenset):
        return ", ".join(sorted(value)) or "(none)"
    return str(value)


def render(policy: Policy, on: dt.date) -> Iterable[str]:
    yield f"Policy in force on {on.isoformat()}: {policy.id}"
    for name, value in policy_values(policy).items():
        yield f"  {name}: {_format(name, value)}"
        yield f"    source: {policy.sources[name]}"


def show_policy(args: argparse.Namespace) -> int:
    on = ottawa_date(dt.datetime.now(dt.UTC)) if args.on is None else _parse_date(args.on)
    try:
        policy = policy_on(on)
    except (StreamNotOpen, PolicyError) as error:
        raise CommandError(str(error)) from error
    print("\n".join(render(policy, on)))
    return 0


def render_explanation(results: Iterable[RuleResult]) -> Iterable[str]:
    """Each rule: whether it held (and what it did), the answers it read, its source."""
    for result in results:
        outcome = "held" if result.held else "did not hold"
        effect = f" ({result.effect})" if result.effect else ""
        yield f"  {result.rule_id} {result.summary}: {outcome}{effect}"
        yield "    read: " + ", ".join(f"{slot}={value!r}" for slot, value in result.read)
        yield f"    source: {result.source}"


def explain_policy(args: argparse.Namespace) -> int:
    from bot.store import get_case  # the database only for this sub-command

    if not _REFERENCE.fullmatch(args.reference):
        raise CommandError(f"invalid reference {args.reference!r}: expected HRD-YYYY-NNNNN")
    case = get_case(args.reference, viewed_by=CLI_ACTOR)
    if case is None:
        raise CommandError(f"no case {args.reference}")
    decision = case.decision
    print(f"{case.reference}: {decision['eligibility']}, {decision['capacity']}, "
          f"pathway {decision['pathway']}; policy {decision['policy_version']}; "
          f"submitted {ottawa_date(case.submitted_at).isoformat()} (Ottawa date)")
    print("\n".join(render_explanation(explain_case(case.answers, decision))))
    return 0
