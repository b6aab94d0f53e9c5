"""A person reads words, not codes: no chat message starts with a rule id ("E7:")."""

from __future__ import annotations

import re

from tests.actions.support import DOMAIN

RULE_ID = re.compile(r"^\s*[A-Z]\d+\s*:")


def test_no_response_starts_with_a_rule_id() -> None:
    found = [(name, variant["text"][:40]) for name, variants in DOMAIN["responses"].items()
             for variant in variants if RULE_ID.match(str(variant.get("text") or ""))]
    assert found == []


def test_reasons_are_worded_as_reasons() -> None:
    reasons = {name: variants for name, variants in DOMAIN["responses"].items()
               if name.startswith("utter_reason_")}
    assert reasons
    for variants in reasons.values():
        texts = [str(v["text"]) for v in variants]
        assert texts[0].startswith("Reason: "), texts
        assert texts[1].startswith(("Motif : ", "Motif\u00a0: ")), texts
