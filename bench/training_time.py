"""Wall-clock time of a full `rasa train` (forced, into a temporary folder)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    rasa = Path(sys.executable).parent / "rasa"
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        subprocess.run(
            [str(rasa), "train", "--force", "--out", out, "--fixed-model-name", "bench"],
            cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        elapsed = time.perf_counter() - started
    print(f"rasa train (forced, NLU + dialogue): {elapsed:.0f} s")


if __name__ == "__main__":
    main()
