"""The JSON Schema every policy version file must satisfy (one file per version)."""

from __future__ import annotations

from typing import Any

# Every value travels with its source, so a reader can check it against the policy text.
_SOURCE: dict[str, Any] = {"type": "string", "minLength": 1}
_ORG_IDS: dict[str, Any] = {
    "type": "array",
    "items": {"type": "string", "pattern": r"^[a-z][a-z0-9_]*$"},
    "uniqueItems": True,
}


def _sourced(value_schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {"value": value_schema, "source": _SOURCE},
        "required": ["value", "source"],
        "additionalProperties": False,
    }


SOURCED_FIELDS: tuple[str, ...] = (
    "effective_from",
    "annual_cap",
    "direct_referral_partners",
    "identifying_partners",
    "partner_names",
)
_TEXT: dict[str, Any] = {"type": "string", "minLength": 1}
# A partner's name as the chat says it, in each language of the chat.
_NAMES: dict[str, Any] = {
    "type": "object",
    "propertyNames": {"pattern": r"^[a-z][a-z0-9_]*$"},
    "additionalProperties": {
        "type": "object",
        "properties": {"en": _TEXT, "fr": _TEXT},
        "required": ["en", "fr"],
        "additionalProperties": False,
    },
}

POLICY_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "id": {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9._-]*$"},
        # A string here (the loader keeps YAML dates as text); parsed and checked by the loader.
        "effective_from": _sourced({"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}),
        # Counted in people, family members included (stream-policy.md, Background).
        "annual_cap": _sourced({"type": "integer", "minimum": 0}),
        "direct_referral_partners": _sourced(_ORG_IDS),
        "identifying_partners": _sourced(_ORG_IDS),
        "partner_names": _sourced(_NAMES),
        # One source per rule id; the loader checks the ids against the engine's rules.
        "rule_sources": {
            "type": "object",
            "propertyNames": {"pattern": r"^[A-Z][0-9]+$"},
            "additionalProperties": _SOURCE,
        },
    },
    "required": ["id", *SOURCED_FIELDS, "rule_sources"],
    # A misspelt field would otherwise be silently ignored.
    "additionalProperties": False,
}
