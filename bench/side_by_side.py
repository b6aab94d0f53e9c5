"""Whole intakes against the bare Rasa bot, side by side in one run (issue 17).

The bare bot is `rasa init --no-prompt` (bench/bare_bot.py): REST, in-memory tracker, no action
server. Ours runs as in production: the partner channel with a real API token, the action
server, the encrypted SQLite tracker store, and every intake ends in a saved case. Both are up
for the whole run and are measured alternately, 1 conversation at a time then 20 at once, so
the ratios hold even when the machine is loaded by other work; the absolute figures do not.

Every one of our cases must be saved exactly once, or the run fails: a fast path that drops
work cannot score.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bare_bot import bare_bot_dir, conversation  # noqa: E402

from tests.access.cli import new_token  # noqa: E402
from tests.e2e.referrals import REFERRALS  # noqa: E402
from tests.support.servers import (  # noqa: E402
    VENV_BIN,
    Assistant,
    assistant_env,
    free_port,
    production_env,
    reading_store,
    stop_processes,
    wait_until_up,
)

REFERENCE = re.compile(r"\bHRD-\d{4}-\d{5}\b")
PARTNER_WEBHOOK = "/webhooks/partner/webhook"
Say = Callable[[str, str], list[dict[str, Any]]]


@dataclass
class Bot:
    """A running bot as the benchmark sees it: how to send a turn, and its processes."""

    name: str
    say: Say
    pids: Callable[[], list[int]]
    stop: Callable[[], None]
    timings: dict[str, list[float]] = field(default_factory=dict)
    elapsed: dict[str, float] = field(default_factory=dict)


def post_json(url: str, body: Any, headers: dict[str, str] | None = None) -> Any:
    request = urllib.request.Request(
        url, json.dumps(body).encode(), {"Content-Type": "application/json", **(headers or {})}
    )
    with urllib.request.urlopen(request, timeout=300) as response:
        return json.loads(response.read())


# -- starting the two bots ------------------------------------------------------------------

def start_ours(workdir: Path) -> tuple[Assistant, str]:
    """Our Rasa server and action server as production runs them (tests/support/servers.py),
    with a partner user's API token. The one place to adapt when server start-up changes."""
    env = production_env(workdir / "data")
    token = new_token("--role", "partner", "--org", "unhcr", "bench@unhcr.org", env=env)
    return Assistant(workdir=workdir, env=env).start(credentials="credentials.yml"), token


def start_bare(workdir: Path) -> tuple[subprocess.Popen, str]:
    env = assistant_env(workdir / "bare-data")
    project = bare_bot_dir(VENV_BIN / "rasa", env)
    port = free_port()
    log = workdir / "bare_rasa.log"
    process = subprocess.Popen(
        [str(VENV_BIN / "rasa"), "run", "--model", str(project / "models"), "--port", str(port),
         "--credentials", str(project / "credentials.yml")],
        cwd=project, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/", process, log)
    except BaseException:
        stop_processes(process)
        raise
    return process, base


def descendants(pid: int) -> list[int]:
    """pid and every process below it (/proc; psutil is not a dependency)."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(parents.get(current, []))
    return found


def peak_rss_mb(pids: list[int]) -> float:
    """The sum of each process's peak resident set (VmHWM)."""
    total_kb = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total_kb += int(line.split()[1])
        except OSError:
            continue
    return total_kb / 1024


# -- conversations --------------------------------------------------------------------------

def timed(say: Say, sender: str, message: str, timings: list[float]) -> list[dict[str, Any]]:
    started = time.perf_counter()
    replies = say(sender, message)
    timings.append((time.perf_counter() - started) * 1000)
    return replies


def intake_turns(index: int) -> int:
    return len(REFERRALS[index % len(REFERRALS)].answers) + 3


def our_intake(say: Say, index: int, saved: dict[str, str | None]) -> list[float]:
    """One whole referral, as tests/e2e/test_referrals.py makes it; records the reference."""
    referral = REFERRALS[index % len(REFERRALS)]
    sender = f"bench-{uuid.uuid4().hex}"
    timings: list[float] = []
    replies = timed(say, sender, referral.opener, timings)
    if "Start a referral" in str(replies):
        timed(say, sender, "yes let's start a referral", timings)
    for answer in referral.answers:
        timed(say, sender, answer, timings)
    replies = timed(say, sender, "yes, that's all correct", timings)
    match = REFERENCE.search(" ".join(r.get("text", "") for r in replies))
    saved[sender] = match.group(0) if match else None
    return timings


def bare_conversation(say: Say, index: int, saved: dict[str, str | None]) -> list[float]:
    sender = f"bench-{uuid.uuid4().hex}"
    timings: list[float] = []
    for message in conversation(intake_turns(index)):
        timed(say, sender, message, timings)
    return timings


def run_phase(bot: Bot, run: Callable[..., list[float]], phase: str, count: int,
              concurrency: int, saved: dict[str, str | None]) -> None:
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        runs = list(pool.map(lambda i: run(bot.say, i, saved), range(count)))
    bot.elapsed[phase] = time.perf_counter() - started
    bot.timings[phase] = [t for timings in runs for t in timings]


def check_saved_once(data_dir: Path, saved: dict[str, str | None]) -> list[str]:
    """Every intake's case is in the store exactly once, under the reference it was given."""
    import sqlalchemy as sa

    from bot.store.db import session_scope
    from bot.store.models import Case

    problems = [f"{sender}: no reference in the reply" for sender, ref in saved.items() if not ref]
    with reading_store(data_dir), session_scope() as session:
        rows = session.execute(
            sa.select(Case.sender_id, Case.reference).where(Case.sender_id.in_(list(saved)))
        ).all()
    stored: dict[str, list[str]] = {}
    for sender, reference in rows:
        stored.setdefault(sender, []).append(reference)
    for sender, reference in saved.items():
        if reference and stored.get(sender) != [reference]:
            problems.append(f"{sender}: replied {reference}, stored {stored.get(sender)}")
    return problems


# -- report ---------------------------------------------------------------------------------

def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def table(bare: Bot, ours: Bot, concurrency: int, memory: dict[str, float],
          saved: str) -> str:
    def p50_95(bot: Bot, phase: str) -> tuple[float, float]:
        return statistics.median(bot.timings[phase]), percentile(bot.timings[phase], 0.95)

    def rate(bot: Bot, phase: str) -> float:
        return len(bot.timings[phase]) / bot.elapsed[phase]

    rows = []
    for phase, label in (("1", "p50 / p95 per turn, 1 conversation"),
                         ("n", f"p50 / p95 per turn, {concurrency} concurrent")):
        (b50, b95), (o50, o95) = p50_95(bare, phase), p50_95(ours, phase)
        rows.append((label, f"{b50:.0f} / {b95:.0f} ms", f"{o50:.0f} / {o95:.0f} ms",
                     f"{o50 / b50:.2f} / {o95 / b95:.2f}"))
    rb, ro = rate(bare, "n"), rate(ours, "n")
    rows.append((f"turns/s, {concurrency} concurrent", f"{rb:.1f}", f"{ro:.1f}",
                 f"{ro / rb:.2f}"))
    mb, mo = memory[bare.name], memory[ours.name]
    rows.append(("peak resident memory, all processes", f"{mb / 1024:.2f} GB",
                 f"{mo / 1024:.2f} GB", f"{mo / mb:.2f}"))
    rows.append(("cases saved exactly once", "-", saved, ""))
    header = ("", "bare Rasa bot", "ours", "ours / bare")
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(4)]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |"
             for r in (header, *rows)]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sequential", type=int, default=2,
                        help="whole conversations one at a time (default 2)")
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--profile", type=Path,
                        help="py-spy record our Rasa server during the concurrent phase "
                             "into this file (speedscope JSON)")
    args = parser.parse_args()

    saved: dict[str, str | None] = {}
    with tempfile.TemporaryDirectory(prefix="bench_sbs_") as tmp:
        workdir = Path(tmp)
        bare_process, bare_base = start_bare(workdir)
        try:
            assistant, token = start_ours(workdir)
        except BaseException:
            stop_processes(bare_process)
            raise
        bare = Bot("bare", lambda s, m: post_json(f"{bare_base}/webhooks/rest/webhook",
                                                  {"sender": s, "message": m}),
                   lambda: descendants(bare_process.pid), lambda: stop_processes(bare_process))
        ours = Bot("ours", lambda s, m: post_json(assistant.base + PARTNER_WEBHOOK,
                                                  {"sender": s, "message": m},
                                                  {"Authorization": f"Bearer {token}"}),
                   lambda: [p for proc in assistant.processes for p in descendants(proc.pid)],
                   assistant.stop)
        runs = {bare.name: bare_conversation, ours.name: our_intake}
        try:
            for bot in (bare, ours):  # warm-up: first-turn model loading and connections
                runs[bot.name](bot.say, 0, {})
            for phase, count, concurrency in (("1", args.sequential, 1),
                                              ("n", args.concurrency, args.concurrency)):
                for bot in (bare, ours):
                    profiler = None
                    if args.profile and bot is ours and phase == "n":
                        profiler = subprocess.Popen(
                            [str(VENV_BIN / "py-spy"), "record", "--format", "speedscope",
                             "-o", str(args.profile), "--pid", str(assistant.processes[1].pid)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                    run_phase(bot, runs[bot.name], phase, count, concurrency,
                              saved if bot is ours else {})
                    if profiler:
                        profiler.send_signal(2)  # SIGINT: py-spy writes its file and exits
                        profiler.wait(timeout=120)
            memory = {bot.name: peak_rss_mb(bot.pids()) for bot in (bare, ours)}
        finally:
            bare.stop()
            ours.stop()
        problems = check_saved_once(workdir / "data", saved)
    print(f"Whole conversations, 1 at a time ({args.sequential} each) and {args.concurrency} "
          f"at once; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.")
    print(table(bare, ours, args.concurrency, memory,
                f"{len(saved) - len(problems)}/{len(saved)}"))
    for problem in problems:
        print(f"NOT SAVED EXACTLY ONCE: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
