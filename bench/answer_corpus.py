"""The answer corpus (tests/bot/intake/corpus): per question and language, how many
answers were understood, asked back (read back, a pick, or asked again) and silently wrong.

The `repair` rows (issue 20) are repeat, skip, handoff, privacy and next-steps messages
tried at every question: none may be stored, but as the contract's `unknown`.

`--wrong` also lists the silently wrong answers and those asked back that had a value.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.append(str(ROOT))  # after PYTHONPATH: the checkout measured comes first

from tests.bot.intake.answer_corpus import (  # noqa: E402
    ASK_BACK,
    ASKED,
    UNDERSTOOD,
    WRONG,
    score_all,
    table,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--wrong", action="store_true", help="list the answers not understood")
    args = parser.parse_args()
    results = score_all()
    print(f"{'question':28} {'lang':4} {'answers':>7} {'understood':>10} {'asked back':>10} "
          f"{'wrong':>6} {'understood %':>12}")
    for question, lang, n, outcomes, share in table(results):
        print(f"{question:28} {lang:4} {n:7d} {outcomes[UNDERSTOOD]:10d} {outcomes[ASKED]:10d} "
              f"{outcomes[WRONG]:6d} {share:12.1%}")
    with_value = [r for r in results if r.expected != ASK_BACK]
    understood = sum(r.outcome == UNDERSTOOD for r in with_value)
    wrong = sum(r.outcome == WRONG for r in results)
    print(f"total: {len(results)} answers, {understood / max(1, len(with_value)):.1%} of "
          f"{len(with_value)} with a value understood without asking back, {wrong} silently wrong")
    if args.wrong:
        for r in results:
            if r.outcome == WRONG or (r.outcome == ASKED and r.expected != ASK_BACK):
                print(f"  {r.outcome:6} {r.question}_{r.lang}: {r.text!r} -> {r.got!r} "
                      f"(expected {r.expected!r})")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
