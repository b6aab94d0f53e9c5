"""A terminal chat with the assistant, through the authenticated partner channel
(POST /webhooks/partner/webhook with Authorization: Bearer <API token>).

On first run it creates a local development partner account, terminal-chat@dev.localhost
in the organization HRD_DEV_PARTNER_ORG (default unhcr), and keeps its API token in
HRD_DATA_DIR/chat_token with mode 0600. It does so only on the embedded defaults (no
DATABASE_URL) or with HRD_ENV=development; against a shared database, make an account with
`hrd users add` and pass its token file with --token-file.
"""

from __future__ import annotations

import argparse
import json
import os
import stat
import sys
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOKEN_FILE = "chat_token"
CHAT_EMAIL = "terminal-chat@dev.localhost"
WEBHOOK = "/webhooks/partner/webhook"


def may_create_account() -> bool:
    return not os.environ.get("DATABASE_URL") or os.environ.get("HRD_ENV") == "development"


def create_account(path: Path) -> str:
    """A partner account for this terminal and a new API token, kept in `path` (0600)."""
    from bot.access import Duplicate, create_user, issue_token
    from bot.store.files import write_private_file

    org = os.environ.get("HRD_DEV_PARTNER_ORG") or "unhcr"
    try:
        issued = create_user(CHAT_EMAIL, "partner", org)
        print(f"Created the local partner account {CHAT_EMAIL} ({org}).")
    except Duplicate:  # the account exists but its token file was removed
        issued = issue_token(CHAT_EMAIL)
    write_private_file(path, (issued.token + "\n").encode("ascii"), replace=True)
    return issued.token


def read_token(path: Path) -> str:
    if path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        sys.exit(f"{path} is readable by others; chmod 600 it")
    return path.read_text(encoding="ascii").strip()


def api_token(path: Path) -> str:
    if path.exists():
        return read_token(path)
    if not may_create_account():
        sys.exit(f"No token in {path}. Against a shared database, create an account with "
                 "`hrd users add --role partner --org <org> <email>` and pass its token "
                 "file with --token-file.")
    return create_account(path)


def send(url: str, token: str, sender: str, message: str) -> list[dict]:
    body = json.dumps({"sender": sender, "message": message}).encode()
    request = urllib.request.Request(url, body, {"Content-Type": "application/json",
                                                 "Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def main() -> None:
    os.environ.setdefault("HRD_DATA_DIR", str(ROOT / "var"))  # as scripts/run.sh
    sys.path.insert(0, str(ROOT))  # this checkout's bot package
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=f"http://127.0.0.1:5005{WEBHOOK}")
    parser.add_argument("--sender", default=f"terminal-{uuid.uuid4().hex[:8]}")
    parser.add_argument("--token-file", type=Path,
                        default=Path(os.environ["HRD_DATA_DIR"]) / TOKEN_FILE)
    args = parser.parse_args()
    token = api_token(args.token_file)
    print(f"Conversation {args.sender}. Type a message; Ctrl-D to quit.")
    while True:
        try:
            message = input("> ").strip()
        except EOFError:
            return
        if not message:
            continue
        try:
            replies = send(args.url, token, args.sender, message)
        except urllib.error.HTTPError as error:
            print(f"The assistant refused the message ({error.code}): {error.read()[:300]!r}")
            continue
        for reply in replies:
            if reply.get("text"):
                print(reply["text"])
            for number, button in enumerate(reply.get("buttons") or [], start=1):
                print(f"  {number}. {button['title']}  ({button['payload']})")


if __name__ == "__main__":
    main()
