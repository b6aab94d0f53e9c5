"""The engine reads like the spec: each rule id written once, next to its source; pure."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from bot.rules import RULES, Rule

RULES_DIR = Path(__file__).resolve().parents[3] / "bot" / "rules"
IDS = ["E1", "E2", "E3", "E4", "E5", "E6", "E7", "E8", "U1"]
ALLOWED_IMPORTS = {
    "__future__", "collections", "dataclasses", "datetime", "functools", "pathlib", "re",
    "types", "typing", "zoneinfo", "jsonschema", "yaml", "bot",
}


def test_rules_table_in_spec_order():
    assert list(RULES) == IDS
    for rule_id, rule in RULES.items():
        assert isinstance(rule, Rule)
        assert rule.id == rule_id
        assert rule.summary.strip() and rule.reads
        assert not hasattr(rule, "source")  # sources live in the policy data only
    assert RULES["E8"].kind == "precondition"


def test_each_rule_id_appears_once_in_the_code():
    code = "".join(path.read_text() for path in sorted(RULES_DIR.glob("*.py")))
    for rule_id in IDS:
        assert len(re.findall(rf"\b{rule_id}\b", code)) == 1, rule_id


def test_each_rule_id_appears_once_per_policy_file_next_to_its_source():
    for path in sorted((RULES_DIR / "policies").glob("*.yml")):
        text = path.read_text()
        for rule_id in IDS:
            found = re.findall(rf"^  {rule_id}: (.+)$", text, flags=re.MULTILINE)
            assert len(found) == 1 and len(re.findall(rf"\b{rule_id}\b", text)) == 1, (
                path.name, rule_id)


def test_engine_imports_no_framework_or_io_library():
    for module in RULES_DIR.glob("*.py"):
        tree = ast.parse(module.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in ALLOWED_IMPORTS, f"{module.name} imports {name}"
