"""Schemathesis against the served OpenAPI document: generated requests (valid and not)
for every operation, checked for server errors and conformance to the document."""

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
def test_generated_requests_find_no_server_error(
    console: Console, mode: schemathesis.GenerationMode
) -> None:
    schema = schemathesis.openapi.from_url(f"{console.base}/api/openapi.json")
    # Invalid requests must be refused (4xx), not conform: only server errors count there.
    checks = CHECKS if mode is schemathesis.GenerationMode.POSITIVE else [not_a_server_error]
    for operation in schema.get_all_operations():
        strategy = operation.ok().as_strategy(generation_mode=mode)

        @given(case=strategy)
        @settings(max_examples=60, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case: schemathesis.Case) -> None:
            for role in ("supervisor", "unhcr"):
                case.call_and_validate(
                    base_url=console.base,
                    headers={"Authorization": f"Bearer {console.tokens[role]}",
                             "X-Forwarded-For": random_client()},
                    checks=checks,
                )

        run()
