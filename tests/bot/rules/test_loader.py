"""The policy loader: one file per version, validated; a new version needs no code change."""

from __future__ import annotations

import copy
import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.rules import RULES, PolicyError, decide, load_policies, may_refer, policy_on
from bot.rules.versions import DEFAULT_FOLDER
from tests.bot.rules.support import answers

VALID: dict[str, Any] = {
    "id": "2025-test",
    "effective_from": {"value": "2025-01-01", "source": "test source A"},
    "annual_cap": {"value": 750, "source": "test source B"},
    "direct_referral_partners": {"value": ["unhcr", "new_partner"], "source": "test source C"},
    "identifying_partners": {"value": [], "source": "test source D"},
    "partner_names": {"value": {"unhcr": {"en": "UNHCR", "fr": "HCR"},
                                "new_partner": {"en": "New Partner", "fr": "Nouveau"}},
                      "source": "test source E"},
    "rule_sources": {rule_id: f"test source for {rule_id}" for rule_id in RULES},
}


def write(folder: Path, name: str, content: Any) -> Path:
    path = folder / name
    path.write_text(content if isinstance(content, str) else yaml.safe_dump(content))
    return path


def changed(path: str, value: Any) -> dict[str, Any]:
    """VALID with the dotted `path` set to `value` (or removed when value is ...)."""
    data = copy.deepcopy(VALID)
    *parents, last = path.split(".")
    target = data
    for key in parents:
        target = target[key]
    if value is ...:
        del target[last]
    else:
        target[last] = value
    return data


def copy_shipped(folder: Path) -> None:
    for file in DEFAULT_FOLDER.glob("*.yml"):
        shutil.copy(file, folder / file.name)


def test_an_extra_version_file_is_picked_up(tmp_path: Path):
    copy_shipped(tmp_path)
    write(tmp_path, "2025-test.yml", VALID)
    policies = load_policies(tmp_path)
    assert [p.id for p in policies][-2:] == ["2023-doubled", "2025-test"]
    assert policy_on(dt.date(2024, 12, 31), policies).id == "2023-doubled"
    new = policy_on(dt.date(2025, 1, 1), policies)
    assert (new.id, new.annual_cap) == ("2025-test", 750)
    assert new.sources["annual_cap"] == "test source B"
    assert may_refer("new_partner", dt.date(2025, 1, 1), policies) is True
    assert may_refer("new_partner", dt.date(2024, 12, 31), policies) is False
    # The decision uses the new cap and records the new version.
    result = decide(answers(), on=dt.date(2025, 1, 1), spaces_used=749, policies=policies)
    assert (result.capacity, result.policy_version) == ("within_cap", "2025-test")
    # The new version's sources and partner names come from its file.
    assert new.rule_source("E4") == "test source for E4"
    assert new.partner_name("new_partner", "fr") == "Nouveau"
    # The shipped, cached default is unaffected.
    assert [p.id for p in load_policies()][-1] == "2023-doubled"


def test_unquoted_yaml_dates_and_yaml_extension_are_accepted(tmp_path: Path):
    text = yaml.safe_dump(VALID).replace("'2025-01-01'", "2025-01-01")
    assert "'2025-01-01'" not in text
    write(tmp_path, "2025-test.yaml", text)
    (policy,) = load_policies(tmp_path)
    assert policy.effective_from == dt.date(2025, 1, 1)


MALFORMED = [
    ("missing field", changed("annual_cap", ...), "annual_cap"),
    ("missing id", changed("id", ...), "id"),
    ("missing source", changed("annual_cap.source", ...), "annual_cap.source"),
    ("empty source", changed("identifying_partners.source", ""), "identifying_partners.source"),
    ("missing value", changed("effective_from.value", ...), "effective_from.value"),
    ("cap as text", changed("annual_cap.value", "750"), "annual_cap.value"),
    ("cap as boolean", changed("annual_cap.value", True), "annual_cap.value"),
    ("negative cap", changed("annual_cap.value", -1), "annual_cap.value"),
    ("partners as text", changed("direct_referral_partners.value", "unhcr"),
     "direct_referral_partners.value"),
    ("partner not an id", changed("direct_referral_partners.value", ["Front Line"]),
     "direct_referral_partners.value.0"),
    ("partner listed twice", changed("identifying_partners.value", ["a", "a"]),
     "identifying_partners.value"),
    ("partner both direct and identifying", changed("identifying_partners.value", ["unhcr"]),
     "identifying_partners.value"),
    ("value without source mapping", changed("annual_cap", 750), "annual_cap"),
    ("bad date", changed("effective_from.value", "2025-02-30"), "effective_from.value"),
    ("date in words", changed("effective_from.value", "1 July 2025"), "effective_from.value"),
    ("id not text", changed("id", 2025), "id"),
    ("misspelt field", {**VALID, "anual_cap": VALID["annual_cap"]}, "anual_cap"),
    ("not a mapping", "- just\n- a list\n", "(top level)"),
    ("partner without a name", changed("partner_names.value.new_partner", ...),
     "partner_names.value"),
    ("name without French", changed("partner_names.value.unhcr.fr", ...),
     "partner_names.value.unhcr.fr"),
    ("missing rule sources", changed("rule_sources", ...), "rule_sources"),
    ("rule without a source", changed("rule_sources.E4", ...), "rule_sources.E4"),
    ("empty rule source", changed("rule_sources.U1", ""), "rule_sources.U1"),
    ("source for no rule", changed("rule_sources.E9", "x"), "rule_sources.E9"),
]


@pytest.mark.parametrize(
    ("content", "field"), [pytest.param(c, f, id=name) for name, c, f in MALFORMED]
)
def test_malformed_file_names_file_and_field(tmp_path: Path, content: Any, field: str):
    path = write(tmp_path, "broken.yml", content)
    with pytest.raises(PolicyError) as raised:
        load_policies(tmp_path)
    assert raised.value.file == str(path)
    assert raised.value.field == field
    assert str(path) in str(raised.value)
    assert f"'{field}'" in str(raised.value)


def test_unquoted_impossible_date_is_a_policy_error(tmp_path: Path):
    text = yaml.safe_dump(VALID).replace("'2025-01-01'", "2025-02-30")
    write(tmp_path, "broken.yml", text)
    with pytest.raises(PolicyError, match="effective_from"):
        load_policies(tmp_path)


def test_duplicate_version_id(tmp_path: Path):
    write(tmp_path, "a.yml", VALID)
    second = write(tmp_path, "b.yml", changed("effective_from.value", "2026-01-01"))
    with pytest.raises(PolicyError) as raised:
        load_policies(tmp_path)
    assert (raised.value.file, raised.value.field) == (str(second), "id")
    assert "a.yml" in str(raised.value)


def test_duplicate_effective_date(tmp_path: Path):
    write(tmp_path, "a.yml", VALID)
    second = write(tmp_path, "b.yml", changed("id", "2025-other"))
    with pytest.raises(PolicyError) as raised:
        load_policies(tmp_path)
    assert (raised.value.file, raised.value.field) == (str(second), "effective_from")


def test_invalid_yaml_names_the_file(tmp_path: Path):
    path = write(tmp_path, "broken.yml", "id: [unclosed\n")
    with pytest.raises(PolicyError, match=r"broken\.yml"):
        load_policies(tmp_path)
    assert path.exists()


def test_empty_or_missing_folder(tmp_path: Path):
    with pytest.raises(PolicyError, match="no policy version"):
        load_policies(tmp_path)
    with pytest.raises(PolicyError, match="not found"):
        load_policies(tmp_path / "absent")


def test_one_bad_file_fails_the_whole_load(tmp_path: Path):
    copy_shipped(tmp_path)
    write(tmp_path, "zz.yml", changed("annual_cap.value", "lots"))
    with pytest.raises(PolicyError, match=r"zz\.yml"):
        load_policies(tmp_path)
