"""Case filters: one model (`CaseQuery`) for every place that filters cases, the case API
(`GET /api/cases`), the review pages and their CSV export, and one error (`InvalidFilter`).

Each surface (`API`, `REVIEW`) says which parameters it accepts under which names, its
words for yes and no, how strict it is with the query string and what it answers for a
bad value; the model checks the values. An unknown value is refused before any query is
built (and the store binds every value as a parameter anyway). The OpenAPI document's
parameters are generated from the model's schema (bot.console.api.openapi)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, Field, ValidationError

from bot.console.i18n.catalog import N_, Msg
from bot.store.annotation_repository import TAG
from bot.store.models import CASE_STATUSES, ELIGIBILITIES

ORG_ID = re.compile(r"[a-z][a-z0-9_]{1,63}")
REFERENCE_SEARCH = re.compile(r"[A-Za-z0-9-]{1,32}")
PRIORITIES = ("urgent", "high", "standard")
MAX_LIMIT = 1000
# The review pages' orders: urgent first (then newest) unless the supervisor picks another.
SORTS = ("urgent", "newest", "oldest", "reference", "partner", "status")
PAGE_SIZE = 50
MAX_PAGE = 100_000
# The partner's own case reference, as typed in the chat: searched in the decrypted answers.
PARTNER_REFERENCE = re.compile(r"[^\x00-\x1f\x7f]{1,64}")


class InvalidFilter(ValueError):
    """A filter that is refused: `message` is shown translated on pages (parameter names and
    values stay as the query string writes them); str() is the English text (the API's)."""

    def __init__(self, text: str, **values: object) -> None:
        self.message = Msg(text, values)
        super().__init__(str(self.message))


# Value types: each validates the text exactly as the query string must write it (whole
# match, no spaces or signs that int() or a looser date parser would let through) and
# describes itself to the schema.
class _Pattern(str):
    pattern: ClassVar[re.Pattern[str]]

    @classmethod
    def __get_validators__(cls) -> Iterator[Callable[[Any], Any]]:
        yield cls.validate

    @classmethod
    def validate(cls, value: Any) -> str:
        if not isinstance(value, str) or not cls.pattern.fullmatch(value):
            raise ValueError("malformed")
        return value

    @classmethod
    def __modify_schema__(cls, schema: dict[str, Any]) -> None:
        schema.update(type="string", pattern=f"^{cls.pattern.pattern}$")


class OrgId(_Pattern):
    pattern = ORG_ID


class Tag(_Pattern):
    pattern = TAG


class ReferenceSearch(_Pattern):
    """Part of a reference, matched case-insensitively (stored upper-case)."""

    pattern = REFERENCE_SEARCH

    @classmethod
    def validate(cls, value: Any) -> str:
        return super().validate(value).upper()


class PartnerReference(_Pattern):
    """Part of the partner's own reference, matched case-insensitively."""

    pattern = PARTNER_REFERENCE


class Year(int):
    """Four digits on the wire (the contract's `year=`), an int in the model."""

    @classmethod
    def __get_validators__(cls) -> Iterator[Callable[[Any], Any]]:
        yield cls.validate

    @classmethod
    def validate(cls, value: Any) -> int:
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 9999:
            return value
        if isinstance(value, str) and re.fullmatch(r"\d{4}", value):
            return int(value)
        raise ValueError("not a four-digit year")

    @classmethod
    def __modify_schema__(cls, schema: dict[str, Any]) -> None:
        schema.update(type="string", pattern=r"^\d{4}$")


class _Count(int):
    least: ClassVar[int]
    most: ClassVar[int | None] = None

    @classmethod
    def __get_validators__(cls) -> Iterator[Callable[[Any], Any]]:
        yield cls.validate

    @classmethod
    def validate(cls, value: Any) -> int:
        if isinstance(value, str) and re.fullmatch(r"\d{1,6}", value):
            value = int(value)
        if (not isinstance(value, int) or isinstance(value, bool) or value < cls.least
                or (cls.most is not None and value > cls.most)):
            raise ValueError("out of range")
        return value

    @classmethod
    def __modify_schema__(cls, schema: dict[str, Any]) -> None:
        schema.update(type="integer", minimum=cls.least)
        if cls.most is not None:
            schema["maximum"] = cls.most


class Limit(_Count):
    least, most = 1, MAX_LIMIT


class Offset(_Count):
    least = 0


class Page(_Count):
    least, most = 1, MAX_PAGE


class Day:
    """An ISO date (YYYY-MM-DD), as a browser's date field sends it."""

    @classmethod
    def __get_validators__(cls) -> Iterator[Callable[[Any], Any]]:
        yield cls.validate

    @classmethod
    def validate(cls, value: Any) -> date:
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            return date.fromisoformat(value)  # its ValueError is pydantic's error
        raise ValueError("not a date")

    @classmethod
    def __modify_schema__(cls, schema: dict[str, Any]) -> None:
        schema.update(type="string", format="date")


class CaseQuery(BaseModel):
    """Every filter over cases; a filter left at None does not filter."""

    status: Literal[CASE_STATUSES] | None = Field(None, description="Case status")  # type: ignore[valid-type]
    eligibility: Literal[ELIGIBILITIES] | None = Field(  # type: ignore[valid-type]
        None, description="Decision outcome")
    urgent: bool | None = Field(None, description="Immediate threat (U1)")
    partner: OrgId | None = Field(None, description="Referring organization id")
    year: Year | None = Field(None, description="Year of submission")
    limit: Limit | None = Field(None, description="At most this many cases (default: all)")
    offset: Offset = Field(0, description="Skip this many cases")
    reference: ReferenceSearch | None = Field(None, description="Part of a case reference")
    date_from: Day | None = Field(None, description="Submitted on or after this date")
    date_to: Day | None = Field(None, description="Submitted on or before this date")
    priority: Literal[PRIORITIES] | None = Field(  # type: ignore[valid-type]
        None, description="Priority")
    reviewed: bool | None = Field(None, description="Marked reviewed by a supervisor")
    tag: Tag | None = Field(None, description="Carries this tag")
    partner_reference: PartnerReference | None = Field(
        None, description="Part of the partner's own case reference")
    sort: Literal[SORTS] | None = Field(None, description="Order of the list")  # type: ignore[valid-type]
    page: Page = Field(1, description="Page of the list (review pages)")

    class Config:
        extra = "forbid"
        frozen = True

    def store_kwargs(self) -> dict[str, Any]:
        """The arguments of bot.store.list_cases (the case API's filters)."""
        return self.dict(include=set(API.params.values()))


@dataclass(frozen=True)
class Surface:
    """How one place writes case filters in its query string or form."""

    params: Mapping[str, str]  # parameter name -> CaseQuery field, in the form's order
    yes_no: tuple[str, str]
    # Strict (the API): an unknown or repeated parameter is refused and values are taken
    # as given. Else (the pages, whose forms add fields of their own): unknown parameters
    # are ignored, the first value counts, and spaces around it are dropped.
    strict: bool
    # Parameter -> message and its values, in the order values are checked (the first bad
    # one is reported).
    refusals: Mapping[str, tuple[str, dict[str, object]]]

    def parse(self, args: Mapping[str, Sequence[str]]) -> CaseQuery:
        """`args` maps each parameter to all its values; a blank value means no filter."""
        values = self._given(args)
        fields: dict[str, object] = {}
        bad: set[str] = set()  # parameters refused
        for name, value in values.items():
            field = self.params[name]
            if CaseQuery.__fields__[field].outer_type_ is bool:
                if value in self.yes_no:
                    fields[field] = value == self.yes_no[0]
                else:
                    bad.add(name)
            else:
                fields[field] = value
        query: CaseQuery | None = None
        try:
            query = CaseQuery(**fields)
        except ValidationError as error:
            fields_refused = {str(e["loc"][0]) for e in error.errors()}
            bad |= {name for name in values if self.params[name] in fields_refused}
        if bad or query is None:
            # The first in the surface's order of checks is the one reported.
            raise self.refused(next(name for name in self.refusals if name in bad))
        if query.date_from and query.date_to and query.date_from > query.date_to:
            # Not an empty list: the dates are the wrong way round, and the page says so.
            raise InvalidFilter(INVERTED_RANGE, date_from=query.date_from.isoformat(),
                                date_to=query.date_to.isoformat())
        return query

    def _given(self, args: Mapping[str, Sequence[str]]) -> dict[str, str]:
        """The one non-blank value of each parameter of this surface."""
        values: dict[str, str] = {}
        if self.strict and set(args) - set(self.params):
            raise InvalidFilter(f"unknown parameter(s); allowed: {', '.join(self.params)}")
        for name, given in args.items():
            if name not in self.params:
                continue
            if self.strict:
                given = [v for v in given if v != ""]
                if len(given) > 1:
                    raise InvalidFilter("{name} may be given once", name=name)
                value = given[0] if given else ""
            else:
                value = given[0].strip() if given else ""
            if value:
                values[name] = value
        return values

    def refused(self, name: str) -> InvalidFilter:
        text, values = self.refusals[name]
        return InvalidFilter(text, **values)

    def form(self, query: CaseQuery) -> dict[str, str]:
        """The values to put back in a filter form, by parameter name."""
        out: dict[str, str] = {}
        for name, field in self.params.items():
            value = getattr(query, field)
            if isinstance(value, bool):
                out[name] = self.yes_no[0] if value else self.yes_no[1]
            else:
                out[name] = "" if value is None else str(value)
        return out


def _one_of(allowed: Sequence[str], text: str) -> tuple[str, dict[str, object]]:
    return text, {"allowed": ", ".join(allowed)}


# The case API (intake-contract.md): English messages, true/false.
API = Surface(
    params={name: name for name in ("status", "eligibility", "urgent", "partner", "year",
                                    "limit", "offset")},
    yes_no=("true", "false"),
    strict=True,
    refusals={
        "status": _one_of(CASE_STATUSES, "status must be one of: {allowed}"),
        "eligibility": _one_of(ELIGIBILITIES, "eligibility must be one of: {allowed}"),
        "urgent": _one_of(("true", "false"), "urgent must be one of: {allowed}"),
        "partner": ("partner must be an organization id (e.g. unhcr)", {}),
        "year": ("year must be a four-digit year, e.g. 2024", {}),
        "limit": (f"limit must be an integer from 1 to {MAX_LIMIT}", {}),
        "offset": ("offset must be a non-negative integer", {}),
    },
)

_DATE = N_("{name} must be a date (YYYY-MM-DD)")
INVERTED_RANGE = N_("The start date ({date_from}) is after the end date ({date_to}): "
                    "swap them to see the cases between.")
_ONE_OF = N_("{name} must be one of {allowed}")
_YES_NO = N_("{name} must be yes or no")

# The review pages and the CSV export: translated messages, yes/no, and `outcome` for the
# decision's eligibility.
REVIEW = Surface(
    params={"reference": "reference", "partner": "partner", "date_from": "date_from",
            "date_to": "date_to", "outcome": "eligibility", "urgent": "urgent",
            "priority": "priority", "status": "status", "reviewed": "reviewed", "tag": "tag",
            "partner_ref": "partner_reference", "sort": "sort", "page": "page"},
    yes_no=("yes", "no"),
    strict=False,
    refusals={
        "reference": (N_("reference: letters, digits and - only"), {}),
        "partner": (N_("partner must be an organization id"), {}),
        "date_from": (_DATE, {"name": "date_from"}),
        "date_to": (_DATE, {"name": "date_to"}),
        "outcome": (_ONE_OF, {"name": "outcome", "allowed": ", ".join(ELIGIBILITIES)}),
        "priority": (_ONE_OF, {"name": "priority", "allowed": ", ".join(PRIORITIES)}),
        "status": (_ONE_OF, {"name": "status", "allowed": ", ".join(CASE_STATUSES)}),
        "urgent": (_YES_NO, {"name": "urgent"}),
        "reviewed": (_YES_NO, {"name": "reviewed"}),
        "tag": (N_("tag: lower-case letters, digits, - and _"), {}),
        "partner_ref": (N_("partner reference: up to 64 characters, no control characters"),
                        {}),
        "sort": (_ONE_OF, {"name": "sort", "allowed": ", ".join(SORTS)}),
        "page": (N_("page must be a whole number from 1"), {}),
    },
)
