"""The result every parser returns (re-exported by bot.intake.normalize)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
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
    # How sure the reading is: False means "read it back before storing it".
    sure: bool = True
    # The words the reading relied on, as typed (for read-backs, logs and tests).
    evidence: tuple[str, ...] = ()
    # Other values that fit as well as `value` (a pick is asked for); empty when one fits.
    alternatives: tuple[Any, ...] = ()

    @property
    def ok(self) -> bool:
        return self.problem is None and self.value is not None

    @property
    def needs_readback(self) -> bool:
        """Understood, but to be confirmed by the caseworker before it is stored."""
        return self.ok and (not self.sure or bool(self.alternatives))


def unsure(parsed: Parsed, *alternatives: Any) -> Parsed:
    """The same reading, marked for a read-back (with other fitting values for a pick)."""
    return replace(parsed, sure=False, alternatives=tuple(alternatives) or parsed.alternatives)


def not_understood(also: Mapping[str, Any] | None = None) -> Parsed:
    return Parsed(problem=NOT_UNDERSTOOD, also=dict(also or {}))


def empty() -> Parsed:
    return Parsed(problem=EMPTY)
