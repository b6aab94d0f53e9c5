"""Keyword lexicons, one YAML file per language under lexicon/, merged at import.

Adding a language is a data change: drop a new <lang>.yml next to en.yml with the same
keys. Lists are concatenated and mappings merged, so every language is understood at once
(caseworkers mix languages) without any language detection.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

LEXICON_DIR = Path(__file__).with_name("lexicon")
DATA_DIR = Path(__file__).with_name("data")


def merge(base: Any, extra: Any) -> Any:
    """Deep merge: dicts key by key, lists concatenated (deduplicated), scalars replaced."""
    if isinstance(base, dict) and isinstance(extra, dict):
        out = dict(base)
        for key, value in extra.items():
            out[key] = merge(out[key], value) if key in out else value
        return out
    if isinstance(base, list) and isinstance(extra, list):
        return base + [v for v in extra if v not in base]
    return extra


def load_lexicon(directory: Path = LEXICON_DIR) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    # en first so other languages extend it; the order does not change any meaning.
    files = sorted(directory.glob("*.yml"), key=lambda p: (p.stem != "en", p.stem))
    for path in files:
        with path.open(encoding="utf-8") as fh:
            merged = merge(merged, yaml.safe_load(fh) or {})
    return merged


def load_data(name: str) -> Any:
    with (DATA_DIR / name).open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


LEXICON: dict[str, Any] = load_lexicon()
