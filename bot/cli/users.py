"""`hrd users add|token|revoke|list|password|totp|language`: accounts, their API tokens,
their language and their console sign-in (an argon2 password hash and, for every role, a
TOTP secret kept encrypted). A new token or TOTP secret is printed once, and only a hash
(token) or ciphertext (TOTP secret) is kept. Partner staff get a token from `add`;
supervisors and admins only from `token --expires-in-days N`, and it only reads."""

from __future__ import annotations

import argparse
import getpass
import sys

from bot.access import (
    LANGUAGES,
    ROLES,
    IssuedToken,
    NewUser,
    create_user,
    issue_token,
    list_users,
    revoke_user,
    set_language,
)
from bot.cli import CommandError
from bot.cli.access_errors import cli_errors
from bot.cli.links import register_link_commands


def register(subparsers: argparse._SubParsersAction) -> None:
    users = subparsers.add_parser("users", help="user accounts and API tokens")
    commands = users.add_subparsers(dest="users_command", required=True)

    add = commands.add_parser("add", help="add a user; partner staff's API token is printed "
                              "last (supervisors and admins get none: see `token`)")
    # Checked in the handler, not with argparse choices: every error is then one line.
    add.add_argument("--role", required=True, help=" | ".join(ROLES))
    add.add_argument("--org", help="organization id (partner users only)")
    add.add_argument("--expires-in-days", metavar="N",
                     help="partner staff's token lifetime (default: none)")
    add.add_argument("--language", help=f"{' | '.join(LANGUAGES)}: console, widget and "
                     "assistant (default: none chosen, so English unless the browser or chat "
                     "app says French)")
    add.add_argument("email")
    add.set_defaults(handler=add_command)

    token = commands.add_parser("token", help="issue an API token (last line); for a "
                                "supervisor or admin a read-only one, N required")
    token.add_argument("--expires-in-days", metavar="N",
                       help="token lifetime (required for supervisors and admins)")
    token.add_argument("email")
    token.set_defaults(handler=token_command)

    revoke = commands.add_parser("revoke", help="disable a user and all their tokens")
    revoke.add_argument("email")
    revoke.set_defaults(handler=revoke_command)

    listing = commands.add_parser("list", help="users (tokens are never shown)")
    listing.set_defaults(handler=list_command)

    password = commands.add_parser("password", help="set the console sign-in password")
    password.add_argument("--password-stdin", action="store_true",
                          help="read the password from the first line of standard input")
    password.add_argument("email")
    password.set_defaults(handler=password_command)

    totp = commands.add_parser("totp", help="enrol (or re-enrol) one-time codes; prints the "
                               "secret once")
    totp.add_argument("email")
    totp.set_defaults(handler=totp_command)

    language = commands.add_parser("language", help="set the user's language "
                                   f"({' | '.join(LANGUAGES)})")
    language.add_argument("email")
    language.add_argument("language", help=" | ".join(LANGUAGES))
    language.set_defaults(handler=language_command)

    register_link_commands(commands)  # link|unlink|links: chat accounts (bot/cli/links.py)


def _days(text: str | None) -> int | None:
    if text is None:
        return None
    if not text.isdigit():
        raise CommandError("--expires-in-days must be a whole number of days")
    return int(text)


def _print_token(issued: IssuedToken | NewUser) -> None:
    expiry = issued.expires_at.isoformat(timespec="minutes") if issued.expires_at else "never"
    print(f"Token expires: {expiry}")
    print("The API token follows; it is shown only this once, store it securely:")
    print(issued.token)


def add_command(args: argparse.Namespace) -> int:
    if args.role not in ROLES:
        raise CommandError(f"--role must be one of {', '.join(ROLES)}")
    with cli_errors():
        issued = create_user(args.email, args.role, args.org,
                             expires_in_days=_days(args.expires_in_days),
                             language=args.language)
    where = f" of organization {args.org}" if args.org else ""
    print(f"Added {args.role} {issued.email}{where} (user id {issued.user_id}).")
    if args.language:
        print(f"Language: {args.language.strip().lower()}.")
    print("Console sign-in needs a password and one-time codes: `hrd users password "
          f"{issued.email}` and `hrd users totp {issued.email}`.")
    if issued.token is None:
        print("No API token: a supervisor or admin gets a read-only one only on request, "
              f"with `hrd users token {issued.email} --expires-in-days N`.")
        return 0
    _print_token(issued)
    return 0


def token_command(args: argparse.Namespace) -> int:
    with cli_errors():
        issued = issue_token(args.email, expires_in_days=_days(args.expires_in_days))
    print(f"New token for {issued.email} (user id {issued.user_id}); earlier tokens stay valid"
          " until the user is revoked or they expire.")
    if issued.read_only:
        print("This token only reads (GET on the case API); any write answers 403.")
    _print_token(issued)
    return 0


def revoke_command(args: argparse.Namespace) -> int:
    with cli_errors():
        user_id = revoke_user(args.email)
    print(f"Revoked user id {user_id} and all their tokens.")
    return 0


def list_command(args: argparse.Namespace) -> int:
    with cli_errors():
        users = list_users()
    for user in users:
        codes = "one-time codes enrolled" if user.totp_enrolled else "no one-time codes"
        state = ("revoked" if user.revoked_at
                 else f"active, {user.active_tokens} valid token(s), {codes}")
        language = user.language or "-"  # "-": never chosen (English by default)
        print(f"{user.id}\t{user.email}\t{user.role}\t{user.org_id or '-'}\t{state}\t"
              f"{language}")
    return 0


def language_command(args: argparse.Namespace) -> int:
    with cli_errors():
        user_id = set_language(args.email, args.language)
    print(f"Language of user id {user_id} set to {args.language.strip().lower()}; it applies "
          "from their next console page and chat session.")
    return 0


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("New password: ")
    if getpass.getpass("Repeat it: ") != first:
        raise CommandError("the two passwords differ; nothing was changed")
    return first


def password_command(args: argparse.Namespace) -> int:
    # Imported here: bot.access.passwords hashes a dummy password at import, which the
    # other `hrd` commands need not wait for.
    from bot.access.passwords import WeakPassword, set_password

    password = _read_password(args.password_stdin)
    try:
        with cli_errors():
            user_id = set_password(args.email, password)
    except WeakPassword as error:
        raise CommandError(str(error)) from error
    print(f"Password set for user id {user_id}; their console sessions were ended.")
    return 0


def totp_command(args: argparse.Namespace) -> int:
    from bot.access.passwords import enrol_totp

    with cli_errors():
        user_id, secret, uri = enrol_totp(args.email)
    print(f"One-time codes enrolled for user id {user_id} (any earlier enrolment is replaced).")
    print("Add it to the user's authenticator app (shown only this once; the URI can be "
          "turned into a QR code offline):")
    print(f"secret: {secret}")
    print(uri)
    return 0
