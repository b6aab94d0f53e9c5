"""Per-turn latency of full interviews through the HTTP channel, against the real servers.

Prints p50/p95 per turn for 1 conversation at a time and for several concurrent ones.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.servers import dev_assistant  # noqa: E402
from tests.e2e.referrals import REFERRALS  # noqa: E402
from tests.support.servers import Assistant  # noqa: E402


def interview(assistant: Assistant, index: int) -> list[float]:
    referral = REFERRALS[index % len(REFERRALS)]
    sender = f"bench-{uuid.uuid4().hex}"
    turns = [referral.opener, "start a referral", *referral.answers, "yes"]
    timings = []
    for message in turns:
        started = time.perf_counter()
        assistant.say(sender, message)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--interviews", type=int, default=6)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    with dev_assistant() as assistant:
        interview(assistant, 0)  # warm-up: first-turn model and connection set-up
        sequential = [t for i in range(args.interviews) for t in interview(assistant, i)]
        started = time.perf_counter()
        with ThreadPoolExecutor(args.concurrency) as pool:
            runs = list(pool.map(lambda i: interview(assistant, i), range(args.interviews)))
        elapsed = time.perf_counter() - started
        concurrent = [t for run in runs for t in run]
    print(f"turn latency, 1 conversation:  p50 {statistics.median(sequential):.0f} ms, "
          f"p95 {percentile(sequential, 0.95):.0f} ms over {len(sequential)} turns")
    print(f"turn latency, {args.concurrency} concurrent:    "
          f"p50 {statistics.median(concurrent):.0f} ms, "
          f"p95 {percentile(concurrent, 0.95):.0f} ms; {len(concurrent) / elapsed:.1f} turns/s")


if __name__ == "__main__":
    main()
