"""`make bench` runs every script of bench/ in its own process, and no test runs them (they
take minutes): each must at least import, so that a name moved elsewhere fails here, in
`make test`, rather than in the next benchmark run (turn_cost.py once failed that way)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.mark.parametrize("script", sorted(p.name for p in BENCH.glob("*.py")))
def test_the_script_imports(script: str) -> None:
    loaded = subprocess.run(
        [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(BENCH)!r}); "
                               f"import {script.removesuffix('.py')}"],
        cwd=BENCH.parent, capture_output=True, text=True, timeout=300,
    )
    assert loaded.returncode == 0, loaded.stderr[-3000:]
