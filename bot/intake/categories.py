"""Fixed-value slots read from descriptions: hrd_activity, persecution_agent,
refugee_status, criminal_charges (one value) and risk_factors (a list).

Each stored value has keyword phrases in the lexicons. Phrases are matched
leftmost-longest, so "refugee status pending" is one asylum_seeker phrase rather than
"refugee status" (recognized) + "pending". The value with most hits wins; ties go to the
slot's `priority` list (most specific first: "indigenous land defender" is
indigenous_rights, "lawyer defending LGBT activists" is lgbtq2_rights). `weak_words` and
`weak` values ("activist", "her family") only count when nothing stronger is said, and a
negated phrase either drops out or means another value (`negated`: "not an activist" ->
none, "not related to her work" -> unrelated, "never charged" -> none).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from bot.intake.lexicon import LEXICON
from bot.intake.parsed import OUT_OF_RANGE, Parsed, empty, not_understood
from bot.intake.questions import CHOICES
from bot.intake.text import Matcher, fold, is_negated, phrase_words, tokenize

# "his thugs", "the party's militia", "ses miliciens": a group belonging to someone named.
_OWNED = re.compile(
    r"(?:\b(?:his|her|their|its|ses|son|sa|leurs)|'s|s')\s+(?:\w+\s+)?"
    r"(?:thugs|militia|militias|men|youth|supporters|guards|miliciens|milice|milices"
    r"|hommes|partisans|gardes|jeunes)\b"
)
_NUMBERED = re.compile(r"^\s*\d+(\s*(,|and|&|\+|et|/|\s)\s*\d+)*\s*[.!]?\s*$", re.IGNORECASE)


class Classifier:
    """Keyword voting for one fixed-value slot, configured by its lexicon section."""

    def __init__(self, slot: str, config: Mapping[str, Any]) -> None:
        self.slot = slot
        self.choices = CHOICES[slot]
        values: Mapping[str, list[str]] = config.get("values") or {}
        self.matcher = Matcher(values)
        self.priority = list(config.get("priority") or []) + list(self.choices)
        self.weak_values = frozenset(config.get("weak") or [])
        self.weak_words = frozenset(phrase_words(p) for p in config.get("weak_words") or [])
        self.negated = dict(config.get("negated") or {})
        self.combine = {k: tuple(v) for k, v in (config.get("combine") or {}).items()}
        self.nothing = Matcher({"nothing": config.get("nothing") or []})
        self.absorbs = {k: tuple(v) for k, v in (config.get("absorbs") or {}).items()}
        self.unsure_values = frozenset(config.get("read_back") or [])

    def exact(self, text: str) -> Parsed | None:
        """A button's stored value or a numbered option ("2" = the second choice)."""
        bare = text.strip().strip(".!").strip().lower().replace(" ", "_").replace("-", "_")
        if bare in self.choices:
            return Parsed(bare)
        if bare.isdigit():
            n = int(bare)
            return Parsed(self.choices[n - 1]) if 1 <= n <= len(self.choices) else Parsed(
                problem=OUT_OF_RANGE
            )
        return None

    def votes(self, text: str) -> tuple[Counter[str], Counter[str]]:
        """(strong, weak) hit counts per stored value."""
        tokens = tokenize(text)
        words = [t.word for t in tokens]
        strong: Counter[str] = Counter()
        weak: Counter[str] = Counter()
        for hit in self.matcher.find(tokens):
            label = hit.label
            is_weak = tuple(words[hit.start : hit.end]) in self.weak_words
            if is_negated(tokens, hit):
                label = self.negated.get(label, "")
                is_weak = True
            if label not in self.choices:
                continue
            (weak if is_weak or label in self.weak_values else strong)[label] += 1
        return strong, weak

    def pick(self, counts: Counter[str]) -> str | None:
        if not counts:
            return None
        for value, parts in self.combine.items():
            if all(counts[p] for p in parts):
                return value
        best = max(counts.values())
        return min(
            (v for v, n in counts.items() if n == best),
            key=lambda v: self.priority.index(v) if v in self.priority else len(self.priority),
        )

    def parse(self, text: str) -> Parsed:
        if not text or not text.strip():
            return empty()
        exact = self.exact(text)
        if exact is not None:
            return exact
        strong, weak = self.votes(text)
        value = self.pick(strong)
        if value:
            rivals = self.rivals(strong, value) or self.combined_rivals(strong, weak, value, text)
            return Parsed(value, alternatives=rivals) if rivals else Parsed(value)
        value = self.pick(weak)
        if not value:
            return not_understood()
        # Only general words ("a human rights activist"): a proposal to read back.
        return Parsed(value, sure=value not in self.unsure_values)

    def combined_rivals(
        self, strong: Counter[str], weak: Counter[str], value: str, text: str
    ) -> tuple[str, ...]:
        """Where values combine ("state" + "non-state" = "both"), a weaker mention of the
        other part ("the police and her family") or a group owned by the first ("the
        ruling party's militia") leaves both readings open: ask which."""
        for combined, parts in self.combine.items():
            if value == combined:
                owned = _OWNED.search(fold(text))
                return tuple(p for p in parts) if owned else ()
            if value in parts:
                others = [p for p in parts if p != value]
                if all(weak[p] for p in others):
                    return (combined,)
        return ()

    def rivals(self, counts: Counter[str], value: str) -> tuple[str, ...]:
        """Other values with as many hits as the pick: two readings fit, ask for one.
        A value named in `absorbs` of the pick is part of it ("indigenous land")."""
        if any(value == v for v in self.combine):
            return ()
        best = counts[value]
        absorbed = self.absorbs.get(value, ())
        return tuple(
            v
            for v in dict.fromkeys(self.priority)
            if v != value and counts[v] == best and v not in absorbed
            and value not in self.absorbs.get(v, ())
        )


_SECTIONS = LEXICON.get("categories", {})
_CLASSIFIERS = {
    slot: Classifier(slot, _SECTIONS.get(slot, {}))
    for slot in ("hrd_activity", "persecution_agent", "refugee_status", "criminal_charges")
}


def confident(slot: str, text: str) -> str | None:
    """The value strong keywords point to, without generic words ("activist", "family");
    used to recognize which slot an unprompted statement is about."""
    classifier = _CLASSIFIERS[slot]
    strong, _ = classifier.votes(text)
    return classifier.pick(strong)


def parse_activity(text: str) -> Parsed:
    return _CLASSIFIERS["hrd_activity"].parse(text)


def parse_agent(text: str) -> Parsed:
    return _CLASSIFIERS["persecution_agent"].parse(text)


def parse_refugee_status(text: str) -> Parsed:
    return _CLASSIFIERS["refugee_status"].parse(text)


def parse_charges(text: str) -> Parsed:
    return _CLASSIFIERS["criminal_charges"].parse(text)


# --- risk_factors: any of the values, or none --------------------------------------------

_RISK = Classifier("risk_factors", _SECTIONS.get("risk_factors", {}))
# One matcher per factor: a word may point to several ("lesbian" -> woman and lgbtq2).
_RISK_MATCHERS = {
    value: Matcher({value: phrases})
    for value, phrases in (_SECTIONS.get("risk_factors", {}).get("values") or {}).items()
}


def _canonical(values: Sequence[str] | set[str]) -> list[str]:
    return [v for v in CHOICES["risk_factors"] if v in values]


def parse_risk_factors(text: str) -> Parsed:
    """["woman", "lgbtq2", "indigenous"] in that order; [] for none or "prefer not to say"."""
    if not text or not text.strip():
        return empty()
    if _NUMBERED.match(text):
        picked = [int(n) for n in re.findall(r"\d+", text)]
        if not all(1 <= n <= len(_RISK.choices) for n in picked):
            return Parsed(problem=OUT_OF_RANGE)
        return Parsed(_canonical({_RISK.choices[n - 1] for n in picked}))
    tokens = tokenize(text)
    found: set[str] = set()
    denied = False
    for matcher in _RISK_MATCHERS.values():
        for hit in matcher.find(tokens):
            if is_negated(tokens, hit):
                denied = True  # "she is not indigenous"
            else:
                found.add(hit.label)
    if found:
        return Parsed(_canonical(found))
    if denied or _RISK.nothing.find(tokens):
        return Parsed([])
    return not_understood()
