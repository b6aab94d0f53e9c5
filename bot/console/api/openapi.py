"""The OpenAPI 3 document of the case API, served at /api/openapi.json. The list's query
parameters are generated from the filter model (bot.console.api.query), so the document
cannot drift from what the API accepts; the responses, a contract, are written out."""

from __future__ import annotations

from typing import Any

from bot.console.api.query import API, CaseQuery
from bot.store.models import CASE_STATUSES, ELIGIBILITIES

_ERROR = {"$ref": "#/components/schemas/Error"}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ERROR}}}


_COMMON_ERRORS = {
    "401": _error("No, an invalid, revoked or expired token"),
    "405": _error("Method not allowed"),
    "429": _error("Too many failed authentication attempts from this client"),
}

_DECISION = {
    "type": "object",
    "required": ["eligibility", "urgent", "pathway", "priority", "priority_factors",
                 "case_size", "capacity", "reasons", "alternatives", "policy_version"],
    "properties": {
        "eligibility": {"type": "string", "enum": list(ELIGIBILITIES)},
        "urgent": {"type": "boolean"},
        "pathway": {"type": "string", "enum": ["hrd_stream", "urgent_protection", "none"]},
        "priority": {"type": "string", "enum": ["urgent", "high", "standard"]},
        "priority_factors": {"type": "array", "items": {"type": "string"}},
        "case_size": {"type": "integer", "minimum": 1},
        "capacity": {"type": "string", "enum": ["within_cap", "over_cap"]},
        "reasons": {"type": "array", "items": {"type": "string"},
                    "description": "Rule ids that failed or flagged, e.g. E1"},
        "alternatives": {"type": "array", "items": {}},
        "policy_version": {"type": "string"},
    },
}

_SUMMARY_PROPERTIES = {
    "reference": {"type": "string", "pattern": r"^HRD-\d{4}-\d{5,9}$"},
    "partner_org": {"type": "string"},
    "submitted_at": {"type": "string", "format": "date-time"},
    "status": {"type": "string", "enum": list(CASE_STATUSES)},
    "decision": {"$ref": "#/components/schemas/Decision"},
}


def query_parameters() -> list[dict[str, Any]]:
    """The case API's filters as the model's schema describes them; a yes/no filter is the
    word the API takes for each (true, false)."""
    properties = CaseQuery.schema()["properties"]
    parameters = []
    for name, field in API.params.items():
        schema = {k: v for k, v in properties[field].items()
                  if k not in ("title", "description", "default")}
        if schema.get("type") == "boolean":
            schema = {"type": "string", "enum": list(API.yes_no)}
        parameters.append({"name": name, "in": "query", "required": False, "schema": schema,
                           "description": properties[field]["description"]})
    return parameters


def openapi_document() -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "HRD referral case API",
            "version": "1.0.0",
            "description": "Cases referred to Canada's human rights defenders stream. "
                           "Supervisors and admins see every case; partner staff only "
                           "their organization's. Every read is audited.",
        },
        "security": [{"bearerAuth": []}],
        "paths": {
            "/api/cases/{reference}": {
                "get": {
                    "summary": "One case with its answers and decision",
                    "operationId": "getCase",
                    "parameters": [{
                        "name": "reference", "in": "path", "required": True,
                        "schema": {"type": "string"}, "example": "HRD-2024-00001",
                    }],
                    "responses": {
                        "200": {"description": "The case", "content": {"application/json": {
                            "schema": {"$ref": "#/components/schemas/Case"}}}},
                        "404": _error("No such case, or another organization's"),
                        **_COMMON_ERRORS,
                    },
                },
            },
            "/api/cases": {
                "get": {
                    "summary": "Cases matching every given filter, oldest first, without "
                               "answers (a bare JSON list)",
                    "operationId": "listCases",
                    "parameters": query_parameters(),
                    "responses": {
                        "200": {"description": "The matching cases", "content": {
                            "application/json": {"schema": {
                                "type": "array",
                                "items": {"$ref": "#/components/schemas/CaseSummary"}}}}},
                        "400": _error("A filter value is not allowed"),
                        **_COMMON_ERRORS,
                    },
                },
            },
        },
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer",
                                               "description": "An API token from "
                                                              "`hrd users add`"}},
            "schemas": {
                "Decision": _DECISION,
                "CaseSummary": {
                    "type": "object", "required": list(_SUMMARY_PROPERTIES),
                    "properties": _SUMMARY_PROPERTIES, "additionalProperties": False,
                },
                "Case": {
                    "type": "object", "required": [*_SUMMARY_PROPERTIES, "answers"],
                    "properties": {**_SUMMARY_PROPERTIES,
                                   "answers": {"type": "object",
                                               "description": "Slot name to stored value"}},
                    "additionalProperties": False,
                },
                "Error": {
                    "type": "object", "required": ["error", "message"],
                    "properties": {"error": {"type": "string"}, "message": {"type": "string"}},
                },
            },
        },
    }
