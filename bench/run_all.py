"""`make bench`: every benchmark, one after the other; each prints its own figures."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench_cv_") as reports:
        # One cross-validation run: the per-language figures split the same reports.
        runs = (
            ["training_time.py"],
            ["turn_latency.py"],
            ["side_by_side.py"],
            ["load_soak.py"],  # HRD_SOAK_SECONDS (default 600) shortens the soak
            ["turn_cost.py"],
            ["nlu_cv.py", "--keep", reports],
            ["nlu_cv_languages.py", "--report-only", reports],
            ["store_bench.py"],
            ["answer_corpus.py"],
            ["interview_turns.py"],
        )
        failed = 0
        for script, *args in runs:
            print(f"== {script} {' '.join(args)}".rstrip(), flush=True)
            failed |= subprocess.run([sys.executable, str(BENCH / script), *args],
                                     cwd=BENCH.parent).returncode
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
