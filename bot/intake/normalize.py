"""Free-text answer -> stored slot value, for every slot of the intake form.

The per-slot parsers live in small modules (countries, yesno, counts, categories,
freetext); this module is the one entry point others import.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.intake.categories import (
    parse_activity,
    parse_agent,
    parse_charges,
    parse_refugee_status,
    parse_risk_factors,
)
from bot.intake.countries import parse_country
from bot.intake.counts import parse_count
from bot.intake.freetext import parse_reference, parse_threat_description
from bot.intake.lexicon import LEXICON
from bot.intake.parsed import Parsed
from bot.intake.questions import BOOLEAN_SLOTS, COUNTRY_SLOTS
from bot.intake.text import Matcher, tokenize
from bot.intake.yesno import parse_yes_no

__all__ = [
    "Parsed",
    "asks_to_start",
    "looks_like_answer",
    "parse_activity",
    "parse_agent",
    "parse_answer",
    "parse_charges",
    "parse_count",
    "parse_country",
    "parse_reference",
    "parse_refugee_status",
    "parse_risk_factors",
    "parse_threat_description",
    "parse_yes_no",
]

_PARSERS: dict[str, Callable[[str], Parsed]] = {
    "partner_case_reference": parse_reference,
    "hrd_activity": parse_activity,
    "persecution_agent": parse_agent,
    "refugee_status": parse_refugee_status,
    "threat_description": parse_threat_description,
    "family_members": parse_count,
    "risk_factors": parse_risk_factors,
    "criminal_charges": parse_charges,
}


# Questions whose answers say something about a referral on their own (a place, a kind of
# work, a persecutor, a count, a status): an opening message that reads as one starts it.
_TELLING = ("country_of_origin", "hrd_activity", "persecution_agent", "refugee_status")


def looks_like_answer(text: str) -> bool:
    """"a journalist from Uganda", "she fled the police": an answer-like message, not small
    talk or gibberish (a guessed misspelling does not count)."""
    return any(
        parsed.ok and parsed.sure and parsed.value not in ("other", "none", "unknown")
        for parsed in (parse_answer(slot, text) for slot in _TELLING)
    )


_START = Matcher({"start": LEXICON.get("start_words", [])})


def asks_to_start(text: str) -> bool:
    """"Good morning, we have a case for the HRD stream": a greeting that already asks for a
    referral starts it, without an offer to accept first."""
    return bool(_START.find(tokenize(text or "")))


def parse_answer(slot: str, text: str) -> Parsed:
    """The stored value for `slot` read from the caseworker's answer `text`."""
    text = text if isinstance(text, str) else ""
    if slot in BOOLEAN_SLOTS:
        return parse_yes_no(text, slot)
    if slot in COUNTRY_SLOTS:
        return parse_country(text, slot)
    try:
        parser = _PARSERS[slot]
    except KeyError:
        raise ValueError(f"not a form slot: {slot!r}") from None
    return parser(text)
