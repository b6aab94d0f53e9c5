"""The result every parser returns (re-exported by bot.intake.normalize)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

NOT_UNDERSTOOD = "not_understood"
OUT_OF_RANGE = "out_of_range"
TOO_LONG = "too_long"
EMPTY = "empty"


@dataclass(frozen=True)
class Parsed:
    value: Any = None  # the stored value, or None when not understood
    problem: str | None = None  # None when ok; else not_understood/out_of_range/too_long/empty
    also: Mapping[str, Any] = field(default_factory=dict)  # other slots stated confidently

    @property
    def ok(self) -> bool:
        return self.problem is None and self.value is not None


def not_understood(also: Mapping[str, Any] | None = None) -> Parsed:
    return Parsed(problem=NOT_UNDERSTOOD, also=dict(also or {}))


def empty() -> Parsed:
    return Parsed(problem=EMPTY)
