"""One filter model for the case API, the review pages and the CSV export: each surface
takes its own parameters and words and refuses a bad value with its own message, and the
API's OpenAPI parameters are the model's schema."""

from __future__ import annotations

from datetime import date

import pytest

from bot.console.api.openapi import openapi_document
from bot.console.api.query import API, REVIEW, CaseQuery, InvalidFilter, Surface


def _args(query: str) -> dict[str, list[str]]:
    from urllib.parse import parse_qs

    return parse_qs(query, keep_blank_values=True)


def test_both_surfaces_fill_the_same_model() -> None:
    api = API.parse(_args("eligibility=eligible&urgent=true&partner=unhcr&year=2024&limit=5"))
    review = REVIEW.parse(_args("outcome=+eligible+&urgent=yes&partner=unhcr&colour=red"))
    assert (api.eligibility, api.urgent, api.partner) == ("eligible", True, "unhcr")
    assert (review.eligibility, review.urgent, review.partner) == ("eligible", True, "unhcr")
    assert api.store_kwargs() == {"status": None, "eligibility": "eligible", "urgent": True,
                                  "partner": "unhcr", "year": 2024, "limit": 5, "offset": 0}
    assert REVIEW.form(review)["outcome"] == "eligible" and REVIEW.form(review)["urgent"] == "yes"
    assert API.parse(_args("status=&eligibility=&urgent=&partner=&year=")) == CaseQuery()


@pytest.mark.parametrize(("surface", "query", "message"), [
    (API, "urgent=yes", "urgent must be one of: true, false"),
    (API, "outcome=eligible", "unknown parameter(s); allowed: status, eligibility, urgent, "
                              "partner, year, limit, offset"),
    (API, "status=declined&status=withdrawn", "status may be given once"),
    (API, "limit=+5", "limit must be an integer from 1 to 1000"),
    (API, "limit=1_000", "limit must be an integer from 1 to 1000"),
    (API, "year=24", "year must be a four-digit year, e.g. 2024"),
    (API, "partner=unhcr%0A", "partner must be an organization id (e.g. unhcr)"),
    (REVIEW, "urgent=true", "urgent must be yes or no"),
    (REVIEW, "outcome=maybe", "outcome must be one of eligible, ineligible, needs_review"),
    (REVIEW, "date_to=2024-1-1", "date_to must be a date (YYYY-MM-DD)"),
    (REVIEW, "tag=Bad+Tag", "tag: lower-case letters, digits, - and _"),
    # Two bad values: the first in the surface's order of checks is named.
    (REVIEW, "reviewed=maybe&priority=none", "priority must be one of urgent, high, standard"),
], ids=lambda value: value if isinstance(value, str) else None)
def test_each_surface_refuses_what_it_refused(surface: Surface, query: str,
                                              message: str) -> None:
    with pytest.raises(InvalidFilter) as refused:
        surface.parse(_args(query))
    assert str(refused.value) == message


def test_review_values_are_normalized() -> None:
    parsed = REVIEW.parse(_args("reference=hrd-2024&date_from=2024-03-01"))
    assert parsed.reference == "HRD-2024" and parsed.date_from == date(2024, 3, 1)


def test_openapi_parameters_are_the_models_schema() -> None:
    listing = openapi_document()["paths"]["/api/cases"]["get"]
    properties = CaseQuery.schema()["properties"]
    parameters = {p["name"]: p for p in listing["parameters"]}
    assert list(parameters) == list(API.params)
    assert parameters["urgent"]["schema"] == {"type": "string", "enum": ["true", "false"]}
    for name in ("status", "eligibility", "partner", "year", "limit"):
        assert parameters[name]["schema"].items() <= properties[name].items()
        assert parameters[name]["description"] == properties[name]["description"]
