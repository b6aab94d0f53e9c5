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
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bare_bot import bare_bot_dir, conversation  # noqa: E402

from bot.store.crypto import generate_key_text  # noqa: E402
from tests.access.cli import new_token  # noqa: E402
from tests.e2e.referrals import REFERRALS  # noqa: E402
from tests.support.saved_cases import REFERENCE, check_saved_once  # noqa: E402
from tests.support.servers import (  # noqa: E402
    PARTNER_WEBHOOK,
    VENV_BIN,
    Assistant,
    assistant_env,
    free_port,
    production_env,
    round_robin,
    stop_processes,
    wait_until_up,
)

Say = Callable[[str, str], list[dict[str, Any]]]


@dataclass
class Bot:
    """A running bot as the benchmark sees it: how to send a turn, and its processes."""

    name: str
    say: Say
    pids: Callable[[], list[int]]
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


@contextmanager
def production_database() -> Iterator[str]:
    """A fresh PostgreSQL database on this machine's server, dropped afterwards."""
    from store_bench import _admin

    name = f"hrd_bench_{secrets.token_hex(6)}"
    _admin("127.0.0.1", f"CREATE DATABASE {name}")
    try:
        yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    finally:
        _admin("127.0.0.1", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def start_production(
    workdir: Path, database_url: str, processes: int
) -> tuple[list[Assistant], str]:
    """The production set-up on this machine: PostgreSQL, the Redis lock store, and several
    Rasa servers (each with its action server) on one database and one data key."""
    # A shared database takes its keyring from HRD_DATA_KEY in every process (issue 12).
    env = production_env(workdir / "prod-data", DATABASE_URL=database_url,
                         HRD_DATA_KEY=generate_key_text(), REDIS_URL="redis://127.0.0.1:6379/1")
    token = new_token("--role", "partner", "--org", "unhcr", "bench@unhcr.org", env=env)
    servers = []
    for index in range(processes):
        (workdir / f"prod{index}").mkdir()
        servers.append(Assistant(workdir=workdir / f"prod{index}", env=env))
    for server in servers:  # one at a time: two starting together would fight for 2 cores
        server.start(credentials="credentials.yml")
    return servers, token


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


# -- report ---------------------------------------------------------------------------------

def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def table(bots: list[Bot], concurrency: int, memory: dict[str, float],
          saved: dict[str, str]) -> str:
    bare, others = bots[0], bots[1:]

    def p50_95(bot: Bot, phase: str) -> tuple[float, float]:
        return statistics.median(bot.timings[phase]), percentile(bot.timings[phase], 0.95)

    def rate(bot: Bot) -> float:
        return len(bot.timings["n"]) / bot.elapsed["n"]

    def row(label: str, cell: Callable[[Bot], str], ratio: Callable[[Bot], str]) -> list[str]:
        cells = [label, cell(bare)]
        for bot in others:
            cells += [cell(bot), ratio(bot)]
        return cells

    rows = [row("", lambda b: b.name, lambda b: f"{b.name} / {bare.name}")]
    for phase, label in (("1", "p50 / p95 per turn, 1 conversation"),
                         ("n", f"p50 / p95 per turn, {concurrency} concurrent")):
        rows.append(row(
            label, lambda b, ph=phase: "{:.0f} / {:.0f} ms".format(*p50_95(b, ph)),
            lambda b, ph=phase: "{:.2f} / {:.2f}".format(
                *(o / r for o, r in zip(p50_95(b, ph), p50_95(bare, ph), strict=True)))))
    rows.append(row(f"turns/s, {concurrency} concurrent", lambda b: f"{rate(b):.1f}",
                    lambda b: f"{rate(b) / rate(bare):.2f}"))
    rows.append(row("peak resident memory, all processes",
                    lambda b: f"{memory[b.name] / 1024:.2f} GB",
                    lambda b: f"{memory[b.name] / memory[bare.name]:.2f}"))
    rows.append(row("cases saved exactly once", lambda b: saved.get(b.name, "-"), lambda b: ""))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |"
             for r in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sequential", type=int, default=2,
                        help="whole conversations one at a time (default 2)")
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--production", type=int, default=2, metavar="N",
                        help="the production set-up beside: PostgreSQL, Redis lock store and N "
                             "Rasa servers, each turn sent to the next server (0: none)")
    parser.add_argument("--profile", type=Path,
                        help="py-spy record our Rasa server during the concurrent phase "
                             "into this file (speedscope JSON)")
    args = parser.parse_args()

    saved: dict[str, dict[str, str | None]] = {}
    with tempfile.TemporaryDirectory(prefix="bench_sbs_") as tmp, ExitStack() as stack:
        workdir = Path(tmp)
        bare_process, bare_base = start_bare(workdir)
        stack.callback(stop_processes, bare_process)
        assistant, token = start_ours(workdir)
        stack.callback(assistant.stop)
        bots = [
            Bot("bare", lambda s, m: post_json(f"{bare_base}/webhooks/rest/webhook",
                                               {"sender": s, "message": m}),
                lambda: descendants(bare_process.pid)),
            Bot("ours", lambda s, m: post_json(assistant.base + PARTNER_WEBHOOK,
                                               {"sender": s, "message": m},
                                               {"Authorization": f"Bearer {token}"}),
                lambda: [p for proc in assistant.processes for p in descendants(proc.pid)]),
        ]
        stores = {"ours": (workdir / "data", None)}
        if args.production:
            database_url = stack.enter_context(production_database())
            servers, prod_token = start_production(workdir, database_url, args.production)
            for server in servers:
                stack.callback(server.stop)
            bots.append(Bot("production", round_robin(servers, prod_token),
                            lambda: [p for server in servers for proc in server.processes
                                     for p in descendants(proc.pid)]))
            stores["production"] = (workdir / "prod-data", database_url)
        for bot in bots:  # warm-up: first-turn model loading and connections
            conversation_of(bot)(bot.say, 0, {})
        for phase, count, concurrency in (("1", args.sequential, 1),
                                          ("n", args.concurrency, args.concurrency)):
            for bot in bots:
                profiler = None
                if args.profile and bot.name == "ours" and phase == "n":
                    profiler = subprocess.Popen(
                        [str(VENV_BIN / "py-spy"), "record", "--format", "speedscope",
                         "-o", str(args.profile), "--pid", str(assistant.processes[1].pid)],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                run_phase(bot, conversation_of(bot), phase, count, concurrency,
                          saved.setdefault(bot.name, {}))
                if profiler:
                    profiler.send_signal(2)  # SIGINT: py-spy writes its file and exits
                    profiler.wait(timeout=120)
        memory = {bot.name: peak_rss_mb(bot.pids()) for bot in bots}
        # Before the stack stops the servers and drops the production database.
        problems = [p for name, (data_dir, url) in stores.items()
                    for p in check_saved_once(data_dir, saved[name], url)]
    print(f"Whole conversations, 1 at a time ({args.sequential} each) and {args.concurrency} "
          f"at once; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.")
    counts = {name: f"{len(saved[name]) - sum(p.startswith(tuple(saved[name])) for p in problems)}"
                    f"/{len(saved[name])}" for name in stores}
    print(table(bots, args.concurrency, memory, counts))
    for problem in problems:
        print(f"NOT SAVED EXACTLY ONCE: {problem}")
    return 1 if problems else 0


def conversation_of(bot: Bot) -> Callable[..., list[float]]:
    return bare_conversation if bot.name == "bare" else our_intake


if __name__ == "__main__":
    sys.exit(main())
