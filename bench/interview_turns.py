"""Turns a caseworker needs for a straightforward referral, through the real servers.

Each referral of tests/e2e/referrals.py is typed as written: the opener, "start" if the
assistant only greeted, one answer per question, "yes" to any read-back, and "yes" to the
summary. Prints the mean number of user messages and how many referrals were stored with
exactly the expected answers (a read-back must never cost correctness).
"""

from __future__ import annotations

import statistics
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.append(str(ROOT))  # after PYTHONPATH: the checkout measured comes first

from bench.servers import dev_assistant  # noqa: E402
from tests.e2e.referrals import REFERRALS, Referral  # noqa: E402
from tests.support.servers import Assistant  # noqa: E402

MAX_TURNS = 60


def interview(assistant: Assistant, referral: Referral) -> tuple[int, bool]:
    """(user messages until the summary was confirmed, stored exactly as expected)."""
    sender = f"turns-{uuid.uuid4().hex}"
    turns = 0
    answers = list(referral.answers)

    def say(message: str) -> dict:
        nonlocal turns
        turns += 1
        assistant.say(sender, message)
        return assistant.tracker(sender)["slots"]

    slots = say(referral.opener)
    if not slots.get("requested_slot"):
        slots = say("yes, let's start")
    while turns < MAX_TURNS:
        requested = slots.get("requested_slot") or ""
        if requested.startswith("confirm_") or requested == "summary_confirmed" or not answers:
            if requested == "summary_confirmed":
                exact = all(slots.get(k) == v for k, v in referral.expected.items())
                say("yes")
                return turns, exact
            slots = say("yes")
            continue
        slots = say(answers.pop(0))
    return turns, False


def main() -> None:
    with dev_assistant() as assistant:
        results = [interview(assistant, referral) for referral in REFERRALS]
    turns = [t for t, _ in results]
    exact = sum(ok for _, ok in results)
    print(f"straightforward referrals: mean {statistics.mean(turns):.1f} turns "
          f"(min {min(turns)}, max {max(turns)}) over {len(turns)}; "
          f"{exact}/{len(turns)} stored exactly as expected")


if __name__ == "__main__":
    main()
