"""The allowed import directions between the rooms (docs/architecture.md).

The contracts live in pyproject.toml ([tool.importlinter]); import-linter checks them here
and its report is the failure message. A dotted name in a string ("bot.access.x:f" handed
to importlib) is an import that import-linter cannot see, so the same directions are
checked for those too.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
# A whole string that names a module (or "module:attribute") of another room.
DOTTED = re.compile(r"^bot\.(?P<room>[a-z_]+)(?:\.[a-z_][a-z0-9_]*)*(?::[A-Za-z_]\w*)?$")


def test_import_contracts_are_kept() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # The CLI entry point of import-linter, run with this interpreter; no cache in the tree.
    command = [sys.executable, "-c",
               "from importlinter.cli import lint_imports_command; lint_imports_command()",
               str(PYPROJECT), "--no-cache"]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=300, check=False)
    report = result.stdout[result.stdout.find("Contracts"):] + result.stderr
    if result.returncode != 0:
        pytest.fail(report, pytrace=False)


def _room_ranks() -> dict[str, int]:
    """Each room's layer in the "rooms" contract: 0 is the top (runtime)."""
    contracts = tomllib.loads(PYPROJECT.read_text())["tool"]["importlinter"]["contracts"]
    layers = next(c for c in contracts if c["id"] == "rooms")["layers"]
    return {room.strip(): rank for rank, layer in enumerate(layers)
            for room in re.split(r"[|:]", layer)}


def _dotted_strings(path: Path) -> Iterator[tuple[int, str, str]]:
    """(line, string, room named) of every string that is a whole dotted bot.* name."""
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            match = DOTTED.match(node.value)
            if match:
                yield node.lineno, node.value, match["room"]


def test_no_string_imports_against_the_directions() -> None:
    ranks = _room_ranks()
    independent = {room for room, rank in ranks.items() if rank == ranks["channels"]}
    found = []
    for path in sorted((ROOT / "bot").rglob("*.py")):
        room = path.relative_to(ROOT / "bot").parts[0].removesuffix(".py")
        if room not in ranks:
            continue
        for line, text, named in _dotted_strings(path):
            if named == room or named not in ranks:
                continue
            upward = ranks[named] < ranks[room]
            sideways = ranks[named] == ranks[room] and room in independent
            if upward or sideways:
                found.append(f"{path.relative_to(ROOT)}:{line} names {text!r}")
    if found:
        pytest.fail("string imports against the allowed directions:\n" + "\n".join(found),
                    pytrace=False)
