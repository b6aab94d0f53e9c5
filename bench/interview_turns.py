"""Turns a caseworker needs for a straightforward referral, through the real servers.

Each referral of tests/e2e/referrals.py is typed as written: the opener, "start" if the
assistant only greeted, one answer per question, the intended value to any read-back or
pick, and "yes" to the summary. Prints the mean number of user messages and how many
referrals were stored with exactly the expected answers (a read-back never costs
correctness).
"""

from __future__ import annotations

import statistics
import sys
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.append(str(ROOT))  # after PYTHONPATH: the checkout measured comes first

from bench.servers import dev_assistant  # noqa: E402
from tests.e2e.referrals import REFERRALS, Referral, answer_all  # noqa: E402
from tests.support.servers import Assistant  # noqa: E402


def interview(assistant: Assistant, referral: Referral) -> tuple[int, bool]:
    """(user messages until the summary was confirmed, stored exactly as expected)."""
    sender = f"turns-{uuid.uuid4().hex}"

    def say(message: str) -> Any:
        return assistant.say(sender, message)

    def slots() -> dict[str, Any]:
        return assistant.tracker(sender)["slots"]

    say(referral.opener)
    turns = 1
    if not slots().get("requested_slot"):  # only greeted: start, as a caseworker would
        say("yes, let's start")
        turns += 1
    _, sent = answer_all(say, slots, referral.answers, referral.expected)
    turns += sent
    state = slots()
    exact = state.get("requested_slot") == "summary_confirmed" and all(
        state.get(k) == v for k, v in referral.expected.items()
    )
    say("yes")
    return turns + 1, exact


def main() -> None:
    with dev_assistant() as assistant:
        results = [interview(assistant, referral) for referral in REFERRALS]
    for referral, (t, ok) in zip(REFERRALS, results, strict=True):
        print(f"  {referral.name}: {t} turns{'' if ok else ' (NOT stored as expected)'}")
    turns = [t for t, _ in results]
    exact = sum(ok for _, ok in results)
    print(f"straightforward referrals: mean {statistics.mean(turns):.1f} turns "
          f"(min {min(turns)}, max {max(turns)}) over {len(turns)}; "
          f"{exact}/{len(turns)} stored exactly as expected")


if __name__ == "__main__":
    main()
