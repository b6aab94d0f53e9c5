"""The query string of `GET /api/cases`, validated: an unknown value is a 400 before any
query is built (and the store binds every value as a parameter anyway)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.store.models import CASE_STATUSES, ELIGIBILITIES

ORG_ID = re.compile(r"[a-z][a-z0-9_]{1,63}")
YEAR = re.compile(r"\d{4}")
COUNT = re.compile(r"\d{1,6}")
MAX_LIMIT = 1000
ALLOWED = ("status", "eligibility", "urgent", "partner", "year", "limit", "offset")


class InvalidFilter(ValueError):
    pass


@dataclass(frozen=True)
class CaseFilters:
    status: str | None = None
    eligibility: str | None = None
    urgent: bool | None = None
    partner: str | None = None
    year: int | None = None
    limit: int | None = None
    offset: int = 0

    def store_kwargs(self) -> dict[str, Any]:
        return {
            "status": self.status, "eligibility": self.eligibility, "urgent": self.urgent,
            "partner": self.partner, "year": self.year, "limit": self.limit,
            "offset": self.offset,
        }


def _one_of(name: str, value: str, allowed: Sequence[str]) -> str:
    if value not in allowed:
        raise InvalidFilter(f"{name} must be one of: {', '.join(allowed)}")
    return value


def parse_filters(args: Mapping[str, list[str]]) -> CaseFilters:
    """`args` maps each parameter to all its values (blank values mean "no filter")."""
    unknown = sorted(set(args) - set(ALLOWED))
    if unknown:
        raise InvalidFilter(f"unknown parameter(s); allowed: {', '.join(ALLOWED)}")
    values: dict[str, str] = {}
    for name, given in args.items():
        given = [v for v in given if v != ""]
        if len(given) > 1:
            raise InvalidFilter(f"{name} may be given once")
        if given:
            values[name] = given[0]
    filters: dict[str, Any] = {}
    if "status" in values:
        filters["status"] = _one_of("status", values["status"], CASE_STATUSES)
    if "eligibility" in values:
        filters["eligibility"] = _one_of("eligibility", values["eligibility"], ELIGIBILITIES)
    if "urgent" in values:
        filters["urgent"] = _one_of("urgent", values["urgent"], ("true", "false")) == "true"
    if "partner" in values:
        if not ORG_ID.fullmatch(values["partner"]):
            raise InvalidFilter("partner must be an organization id (e.g. unhcr)")
        filters["partner"] = values["partner"]
    if "year" in values:
        if not YEAR.fullmatch(values["year"]):
            raise InvalidFilter("year must be a four-digit year, e.g. 2024")
        filters["year"] = int(values["year"])
    if "limit" in values:
        if not COUNT.fullmatch(values["limit"]) or not 1 <= int(values["limit"]) <= MAX_LIMIT:
            raise InvalidFilter(f"limit must be an integer from 1 to {MAX_LIMIT}")
        filters["limit"] = int(values["limit"])
    if "offset" in values:
        if not COUNT.fullmatch(values["offset"]):
            raise InvalidFilter("offset must be a non-negative integer")
        filters["offset"] = int(values["offset"])
    return CaseFilters(**filters)
