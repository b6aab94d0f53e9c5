"""The bare Rasa bot of the side-by-side benchmark: what `rasa init --no-prompt` makes
(default config, REST channel, in-memory tracker store, no action server).

Built once per Rasa version into ~/.cache/hrd-bench (HRD_BENCH_CACHE to move it), then reused:
training it takes minutes, and it never changes. Nothing of it is committed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from importlib.metadata import version
from pathlib import Path

# The moodbot's own intents, cycled to give a conversation as many turns as an intake.
MESSAGES = ("hello there", "I am feeling very sad", "yes it did", "great, thanks",
            "are you a bot?", "I am super happy", "no", "goodbye")


def cache_root() -> Path:
    return Path(os.environ.get("HRD_BENCH_CACHE", Path.home() / ".cache" / "hrd-bench"))


def bare_bot_dir(rasa: Path, env: dict[str, str]) -> Path:
    """The bare bot's project directory with its trained model, built on first use."""
    target = cache_root() / f"rasa-{version('rasa')}-init"
    if any((target / "models").glob("*.tar.gz")):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    # Built aside and renamed into place, so an interrupted build is never reused.
    building = Path(tempfile.mkdtemp(prefix="building-", dir=target.parent))
    try:
        subprocess.run([str(rasa), "init", "--no-prompt", "--init-dir", str(building)],
                       cwd=building, env=env, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.STDOUT)
        if not any((building / "models").glob("*.tar.gz")):
            raise RuntimeError("rasa init made no model")
        building.rename(target)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return target


def conversation(turns: int) -> list[str]:
    return [MESSAGES[i % len(MESSAGES)] for i in range(turns)]
