"""Policy versions as data: one effective-dated YAML file per version (stream-policy.md,
"Policy versions"). A new version is a new file in the folder, never a code change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import jsonschema
import yaml

from bot.rules.dates import ottawa_date
from bot.rules.schema import POLICY_SCHEMA, SOURCED_FIELDS

DEFAULT_FOLDER = Path(__file__).resolve().parent / "policies"
_VALIDATOR = jsonschema.Draft202012Validator(POLICY_SCHEMA)

ReferralRight = Literal["direct", "identify", "none"]
Language = Literal["en", "fr"]
_EMPTY: Mapping[str, Any] = MappingProxyType({})


class PolicyError(Exception):
    """A policy file is missing, unreadable or malformed. Names the file and the field."""

    def __init__(self, file: Path | str, field: str | None, problem: str) -> None:
        self.file = str(file)
        self.field = field
        self.problem = problem
        where = f"{self.file}: field '{field}'" if field else self.file
        super().__init__(f"{where}: {problem}")


class StreamNotOpen(ValueError):
    """The date precedes the first policy version: no rules applied then, so no guess."""


@dataclass(frozen=True)
class Policy:
    id: str
    effective_from: dt.date
    annual_cap: int
    direct_referral_partners: frozenset[str]
    identifying_partners: frozenset[str]
    # field name -> source citation; read-only, and kept out of the hash (a mapping has none).
    sources: Mapping[str, str] = field(hash=False)
    # partner id -> {"en": name, "fr": name}: how the chat names partners.
    partner_names: Mapping[str, Mapping[str, str]] = field(
        default_factory=lambda: _EMPTY, hash=False)
    # rule id -> the one source the chat and `hrd policy explain` cite for it.
    rule_sources: Mapping[str, str] = field(default_factory=lambda: _EMPTY, hash=False)

    def partner_name(self, org_id: str, language: str = "en") -> str:
        names = self.partner_names.get(org_id) or {}
        return names.get(language) or names.get("en") or org_id

    def rule_source(self, rule_id: str) -> str:
        try:
            return self.rule_sources[rule_id]
        except KeyError:
            raise PolicyError(self.id, f"rule_sources.{rule_id}", "no source") from None


class _TextDatesLoader(yaml.SafeLoader):
    """SafeLoader that keeps dates as text, so a bad date is a PolicyError, not a YAML crash."""


_TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _field_of(error: jsonschema.ValidationError) -> str:
    """The dotted path of the offending field; for a missing key, the key itself."""
    path = [str(part) for part in error.absolute_path]
    if error.validator == "required" and isinstance(error.instance, dict):
        missing = [key for key in error.validator_value if key not in error.instance]
        path += missing[:1]
    elif error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = error.schema.get("properties", {})
        path += [key for key in error.instance if key not in allowed][:1]
    return ".".join(path) or "(top level)"


def _parse_file(file: Path) -> Policy:
    try:
        # A SafeLoader subclass: no arbitrary objects are constructed.
        raw = yaml.load(file.read_text(encoding="utf-8"), Loader=_TextDatesLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise PolicyError(file, None, f"cannot read: {error}") from error
    errors = sorted(_VALIDATOR.iter_errors(raw), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        raise PolicyError(file, _field_of(errors[0]), errors[0].message)
    try:
        effective_from = dt.date.fromisoformat(raw["effective_from"]["value"])
    except ValueError as error:
        raise PolicyError(file, "effective_from.value", f"not a date: {error}") from error
    direct = frozenset(raw["direct_referral_partners"]["value"])
    identifying = frozenset(raw["identifying_partners"]["value"])
    if both := sorted(direct & identifying):
        raise PolicyError(
            file, "identifying_partners.value", f"also listed as direct: {', '.join(both)}"
        )
    names = raw["partner_names"]["value"]
    if unnamed := sorted((direct | identifying) - set(names)):
        raise PolicyError(file, "partner_names.value", f"no name for {', '.join(unnamed)}")
    _check_rule_ids(file, raw["rule_sources"])
    return Policy(
        id=raw["id"],
        effective_from=effective_from,
        annual_cap=raw["annual_cap"]["value"],
        direct_referral_partners=direct,
        identifying_partners=identifying,
        sources=MappingProxyType({name: raw[name]["source"] for name in SOURCED_FIELDS}),
        partner_names=MappingProxyType(
            {org: MappingProxyType(dict(by_language)) for org, by_language in names.items()}
        ),
        rule_sources=MappingProxyType(dict(raw["rule_sources"])),
    )


def _check_rule_ids(file: Path, rule_sources: Mapping[str, str]) -> None:
    """Exactly one source for each rule of the engine: none missing, none unknown."""
    from bot.rules.engine import RULES  # the engine imports this module

    if missing := [rule_id for rule_id in RULES if rule_id not in rule_sources]:
        raise PolicyError(file, f"rule_sources.{missing[0]}", "missing: every rule needs a source")
    if unknown := sorted(set(rule_sources) - set(RULES)):
        raise PolicyError(file, f"rule_sources.{unknown[0]}", "not a rule of the engine")


def _check_unique(loaded: Iterable[tuple[Path, Policy]]) -> None:
    """Two files with one id or one start date would make `policy_on` ambiguous."""
    seen: dict[tuple[str, object], Path] = {}
    for file, policy in loaded:
        for name, value in (("id", policy.id), ("effective_from", policy.effective_from)):
            if (name, value) in seen:
                raise PolicyError(
                    file, name, f"{value} already defined in {seen[(name, value)].name}"
                )
            seen[(name, value)] = file


def _load(folder: Path) -> tuple[Policy, ...]:
    if not folder.is_dir():
        raise PolicyError(folder, None, "policy folder not found")
    files = sorted([*folder.glob("*.yml"), *folder.glob("*.yaml")])
    if not files:
        raise PolicyError(folder, None, "no policy version files (*.yml)")
    loaded = [(file, _parse_file(file)) for file in files]
    _check_unique(loaded)
    return tuple(sorted((policy for _, policy in loaded), key=lambda p: p.effective_from))


@lru_cache(maxsize=1)
def _load_default() -> tuple[Policy, ...]:
    return _load(DEFAULT_FOLDER)


def load_policies(folder: Path | None = None) -> tuple[Policy, ...]:
    """All versions, oldest first. The shipped folder is read once; others on every call."""
    return _load_default() if folder is None else _load(Path(folder))


def policy_on(on: dt.date | dt.datetime, policies: Iterable[Policy] | None = None) -> Policy:
    """The version in force: the latest `effective_from` not after `on`, an Ottawa date
    (an aware datetime is taken at its Ottawa date; a naive one is refused)."""
    on = ottawa_date(on)
    versions = sorted(load_policies() if policies is None else policies,
                      key=lambda p: p.effective_from)
    in_force = [policy for policy in versions if policy.effective_from <= on]
    if not in_force:
        opened = versions[0].effective_from.isoformat() if versions else "(no versions)"
        raise StreamNotOpen(
            f"no policy in force on {on.isoformat()}: the HRD stream opened on {opened}"
        )
    return in_force[-1]


def policy_by_id(policy_id: str, policies: Iterable[Policy] | None = None) -> Policy:
    """The version a stored decision recorded (its "policy_version")."""
    for policy in load_policies() if policies is None else policies:
        if policy.id == policy_id:
            return policy
    raise LookupError(f"unknown policy version {policy_id!r}")


def policy_for_year(
    year: int, today: dt.date, policies: Iterable[Policy] | None = None
) -> Policy:
    """The version whose cap governs `year`'s spaces: in force today for this year and
    later, in force on 31 December for a past year."""
    return policy_on(min(ottawa_date(today), dt.date(year, 12, 31)), policies)


def referral_right(
    org_id: str, on: dt.date | dt.datetime, policies: Iterable[Policy] | None = None
) -> ReferralRight:
    policy = policy_on(on, policies)
    if org_id in policy.direct_referral_partners:
        return "direct"
    if org_id in policy.identifying_partners:
        return "identify"
    return "none"


def may_refer(
    org_id: str, on: dt.date | dt.datetime, policies: Iterable[Policy] | None = None
) -> bool:
    """Only direct partners may refer; identifying partners go through one that does."""
    return referral_right(org_id, on, policies) == "direct"


def policy_values(policy: Policy) -> dict[str, Any]:
    """The sourced values of a version, by field name (for display)."""
    return {
        "effective_from": policy.effective_from,
        "annual_cap": policy.annual_cap,
        "direct_referral_partners": policy.direct_referral_partners,
        "identifying_partners": policy.identifying_partners,
        "partner_names": {org: dict(names) for org, names in policy.partner_names.items()},
    }
