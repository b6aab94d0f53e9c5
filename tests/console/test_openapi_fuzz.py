"""Schemathesis keeps the case API and its OpenAPI document honest: requests generated
from the served document (the filters' part of it generated from the query model, valid
values and not) go to the real console with a partner's token, and every answer must be
no server error and as the document describes it (status, content type, body)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.console.support import Console, random_client

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


@pytest.mark.parametrize("mode", list(schemathesis.GenerationMode), ids=str)
def test_case_api_answers_generated_requests_as_documented(
    console: Console, mode: schemathesis.GenerationMode
) -> None:
    schema = schemathesis.openapi.from_url(f"{console.base}/api/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in operations} == {"/api/cases", "/api/cases/{reference}"}
    for operation in operations:

        # Few examples, the same ones every run (derandomize): fast and reproducible.
        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=30, derandomize=True, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case: schemathesis.Case) -> None:
            case.call_and_validate(
                base_url=console.base,
                headers={"Authorization": f"Bearer {console.tokens['unhcr']}",
                         "X-Forwarded-For": random_client()},
                checks=CHECKS,
            )

        run()
