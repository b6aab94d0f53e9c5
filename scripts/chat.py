"""A terminal chat with the assistant through Rasa's REST channel (development only)."""

from __future__ import annotations

import argparse
import json
import urllib.request
import uuid


def send(url: str, sender: str, message: str) -> list[dict]:
    body = json.dumps({"sender": sender, "message": message}).encode()
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="http://localhost:5005/webhooks/rest/webhook")
    parser.add_argument("--sender", default=f"terminal-{uuid.uuid4().hex[:8]}")
    args = parser.parse_args()
    print(f"Conversation {args.sender}. Type a message; Ctrl-D to quit.")
    while True:
        try:
            message = input("> ").strip()
        except EOFError:
            return
        if not message:
            continue
        for reply in send(args.url, args.sender, message):
            if reply.get("text"):
                print(reply["text"])
            for number, button in enumerate(reply.get("buttons") or [], start=1):
                print(f"  {number}. {button['title']}  ({button['payload']})")


if __name__ == "__main__":
    main()
