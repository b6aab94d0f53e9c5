"""`make bench`: every benchmark, one after the other; each prints its own figures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
SCRIPTS = (
    "training_time.py",
    "turn_latency.py",
    "nlu_cv.py",
    "nlu_cv_languages.py",
    "store_bench.py",
)


def main() -> int:
    failed = 0
    for script in SCRIPTS:
        path = BENCH / script
        if not path.exists():
            continue
        print(f"== {script}", flush=True)
        failed |= subprocess.run([sys.executable, str(path)], cwd=BENCH.parent).returncode
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
