"""A turn's cost with the conversation's length and with the store's history (issue 17).

- length: the 60th turn of a conversation against its 5th, for ours and the bare bot. From the
  3rd turn on every turn is the same kind (ours: "why do you need this?", answered with the
  question's explanation and the question again; the bare bot: "are you a bot?"), so only
  the history differs.
- history: our turns with 10,000 cases in the database against none (whole intakes, each
  ending in a saved case; the cases are copies of one real case, inserted in bulk).

Target: flat, within 20%. Figures from a loaded machine move; compare the ratios.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from side_by_side import (
    PARTNER_WEBHOOK,
    REFERRALS,
    Say,
    check_saved_once,
    our_intake,
    post_json,
    start_bare,
    start_ours,
    stop_processes,
    timed,
)

from tests.support.servers import reading_store  # importable once side_by_side is

LENGTH = 60
WHY = "why do you need to know this?"
CASES = 10_000


def long_conversation(say: Say, ours: bool) -> list[float]:
    sender = f"bench-{uuid.uuid4().hex}"
    timings: list[float] = []
    if ours:
        replies = timed(say, sender, REFERRALS[0].opener, timings)
        second = ("yes let's start a referral" if "Start a referral" in str(replies)
                  else REFERRALS[0].answers[0])
        timed(say, sender, second, timings)
    else:
        timed(say, sender, "hello there", timings)
        timed(say, sender, "I am feeling very sad", timings)
    while len(timings) < LENGTH:
        timed(say, sender, WHY if ours else "are you a bot?", timings)
    return timings


def fill_cases(data_dir: Path, count: int) -> None:
    """`count` copies of the latest case, as if that many intakes had been saved this year."""
    import sqlalchemy as sa

    from bot.store.db import session_scope
    from bot.store.models import Case, ReferenceCounter

    with reading_store(data_dir), session_scope() as session:
        template = session.execute(sa.select(Case).order_by(Case.id.desc())).scalars().first()
        columns = {c.name: getattr(template, c.name) for c in Case.__table__.columns
                   if c.name != "id"}
        last = template.seq
        rows = [{**columns, "seq": last + i, "reference": f"HRD-{template.year}-{last + i:05d}",
                 "intake_id": f"bench-fill-{uuid.uuid4().hex}",
                 "sender_id": f"bench-fill-{i}"} for i in range(1, count + 1)]
        session.execute(sa.insert(Case), rows)
        session.execute(sa.update(ReferenceCounter)
                        .where(ReferenceCounter.year == template.year)
                        .values(last_seq=last + count))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--conversations", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench_cost_") as tmp:
        workdir = Path(tmp)
        bare_process, bare_base = start_bare(workdir)
        try:
            assistant, token = start_ours(workdir)
        except BaseException:
            stop_processes(bare_process)
            raise
        bots: dict[str, Say] = {
            "bare": lambda s, m: post_json(f"{bare_base}/webhooks/rest/webhook",
                                           {"sender": s, "message": m}),
            "ours": lambda s, m: post_json(assistant.base + PARTNER_WEBHOOK,
                                           {"sender": s, "message": m},
                                           {"Authorization": f"Bearer {token}"}),
        }
        saved: dict[str, str | None] = {}
        try:
            our_intake(bots["ours"], 0, {})  # warm-up
            long_conversation(bots["bare"], False)
            runs = {name: [long_conversation(say, name == "ours")
                           for _ in range(args.conversations)] for name, say in bots.items()}
            empty = [t for i in range(args.conversations)
                     for t in our_intake(bots["ours"], i, saved)]
            fill_cases(workdir / "data", CASES)
            full = [t for i in range(args.conversations)
                    for t in our_intake(bots["ours"], i, saved)]
        finally:
            assistant.stop()
            stop_processes(bare_process)
        problems = check_saved_once(workdir / "data", saved)

    print("| row | bare Rasa bot | ours |")
    print("|---|---|---|")
    cells = []
    for name in ("bare", "ours"):
        fifth = statistics.median(r[4] for r in runs[name])
        last = statistics.median(r[LENGTH - 1] for r in runs[name])
        cells.append(f"{fifth:.0f} -> {last:.0f} ms ({last / fifth:.2f}x)")
    print(f"| turn {LENGTH} against turn 5 (median of {args.conversations}) | "
          + " | ".join(cells) + " |")
    before, after = statistics.median(empty), statistics.median(full)
    print(f"| p50 per turn, {CASES:,} cases in the database against none | - | "
          f"{before:.0f} -> {after:.0f} ms ({after / before:.2f}x) |")
    print(f"cases saved exactly once: {len(saved) - len(problems)}/{len(saved)}")
    for problem in problems:
        print(f"NOT SAVED EXACTLY ONCE: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
