"""Pseudonymizing a conversation's user turns for a test-story export (story_export.py).

A test story is meant for a repository, where it outlives the case. What a caseworker typed
is replaced by synthetic stand-ins that read the same to NLU and normalize to the same stored
values where the value is a code:

- the partner's reference, and any word shaped like one (letters and digits, or parts
  joined by / - _ .) -> a synthetic one (REF-0001, ...), wherever it appears;
- the threat description -> a neutral sentence (a threat, no facts); so is any long
  "inform" turn outside a question (the form was not running: nothing says what it is);
- places (country names and cities the intake lexicon knows) -> the canonical name of the
  same country, so the turn still normalizes to the same ISO code; if it would not, the
  turn becomes a plain "from X" / "now in X" answer. Demonyms ("Ugandan") stay: they say
  no more than the stored code, which the stand-ins keep anyway;
- words that look like names (capitalized, and in no lexicon or training data), e-mail
  addresses, links and long digit runs (phone, ID numbers) -> neutral stand-ins.

It is a best effort, not anonymization: free text can name someone in ways no list knows
(a nickname in lower case, a description). The export says so, and is audited.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.intake.countries import country_name, find_mentions
from bot.intake.lexicon import LEXICON
from bot.intake.normalize import parse_answer
from bot.intake.text import fold, tokenize

REFERENCE_SLOT = "partner_case_reference"
THREAT_SLOT = "threat_description"
COUNTRY_TEMPLATES = {
    "country_of_origin": {"en": "from {}", "fr": "originaire de {}"},
    "current_country": {"en": "now in {}", "fr": "maintenant en {}"},
}
THREAT_STANDIN = {
    "en": "she received threats because of her work and fears for her life",
    "fr": "elle a reçu des menaces à cause de son travail et craint pour sa vie",
}
NAME_STANDIN = "Alex"
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_LONG_DIGITS = re.compile(r"\+?\d[\d .-]{4,}\d")
# "UNHCR-NBO-2291", "FLD/ZW/0412", "AB1234": a digit, and letters or joined parts.
_REFERENCE_LIKE = re.compile(
    r"\b(?=[\w/.-]*\d)(?:[^\W_]+(?:[/_.-][^\W_]+)+|(?=\w*[^\W\d_])[^\W_]{3,})\b")
_LONG_FREE_TEXT_WORDS = 8
_TRAINING_DATA = Path(__file__).resolve().parents[2] / "data"


@dataclass
class Turn:
    index: int  # in the event list
    text: str
    intent: str | None
    asked: str | None  # requested_slot when the message came
    set_slots: dict[str, Any] = field(default_factory=dict)  # set in reply to it


def pseudonymized_texts(events: list[dict[str, Any]]) -> dict[int, str]:
    """The stand-in text of each user event, by its index in `events`."""
    turns, language = _turns(events)
    stored = [t.set_slots for t in turns]  # the last value set in reply to each turn
    references = _synthetic_references(
        str(s[REFERENCE_SLOT]) for s in stored if s.get(REFERENCE_SLOT))
    threat_standin = THREAT_STANDIN.get(language, THREAT_STANDIN["en"])
    threats = dict.fromkeys((str(s[THREAT_SLOT]) for s in stored
                             if len(str(s.get(THREAT_SLOT) or "")) >= 4), threat_standin)
    out: dict[int, str] = {}
    for turn in turns:
        if turn.asked == THREAT_SLOT or turn.set_slots.get(THREAT_SLOT) or (
                turn.asked is None and turn.intent == "inform"
                and len(turn.text.split()) >= _LONG_FREE_TEXT_WORDS):
            out[turn.index] = threat_standin
            continue
        text = _replace_all(_replace_all(turn.text, references), threats)
        text = _REFERENCE_LIKE.sub(lambda m: _reference_standin(m.group(), references), text)
        text = _scrub_patterns(_replace_places(_replace_names(text), language))
        out[turn.index] = _same_country(turn, text, language)
    return out


def _reference_standin(word: str, references: dict[str, str]) -> str:
    if word.startswith("REF-") and word in references.values():
        return word  # already a stand-in
    return references.setdefault(word, f"REF-{len(references) + 1:04d}")


def _turns(events: list[dict[str, Any]]) -> tuple[list[Turn], str]:
    turns: list[Turn] = []
    asked: str | None = None
    language = "en"
    for index, event in enumerate(events):
        kind = event.get("event")
        if kind == "user":
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            turns.append(Turn(index, str(event.get("text") or ""), intent, asked))
        elif kind == "active_loop" and not event.get("name"):
            asked = None
        elif kind == "slot":
            name, value = event.get("name"), event.get("value")
            if name == "requested_slot":
                asked = value
            elif name == "language" and value in THREAT_STANDIN:
                language = value
            if turns and name != "requested_slot":
                turns[-1].set_slots[str(name)] = value
    return turns, language


def _synthetic_references(originals: Iterable[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for original in originals:
        found.setdefault(original, f"REF-{len(found) + 1:04d}")
    return found


def _replace_all(text: str, replacements: Mapping[str, str]) -> str:
    """Every occurrence of each original, ignoring case; longest first (one may contain
    another)."""
    for original in sorted(replacements, key=len, reverse=True):
        text = re.sub(re.escape(original), replacements[original], text, flags=re.IGNORECASE)
    return text


def _replace_places(text: str, language: str) -> str:
    tokens = tokenize(text)
    for mention in reversed(find_mentions(text, tokens)):
        if mention.kind != "demonym":
            start, end = tokens[mention.start].start, tokens[mention.end - 1].end
            text = text[:start] + country_name(mention.code, language) + text[end:]
    return text


def _replace_names(text: str) -> str:
    """Capitalized words no lexicon or training data knows, outside place names."""
    known = _known_words()
    tokens = tokenize(text)
    places = {i for m in find_mentions(text, tokens) for i in range(m.start, m.end)}
    for i, token in reversed(list(enumerate(tokens))):
        raw = text[token.start : token.end]
        if i not in places and raw[:1].isupper() and not raw.isupper() and \
                token.word not in known:
            text = text[: token.start] + NAME_STANDIN + text[token.end :]
    return text


def _scrub_patterns(text: str) -> str:
    text = _EMAIL.sub("someone@example.org", text)
    text = _URL.sub("https://example.org", text)
    return _LONG_DIGITS.sub("00000", text)


def _same_country(turn: Turn, text: str, language: str) -> str:
    """A turn answering a country question must still normalize to the stored code."""
    templates = COUNTRY_TEMPLATES.get(turn.asked or "")
    if templates is None:
        return text
    original = parse_answer(turn.asked, turn.text).value
    if original is None or parse_answer(turn.asked, text).value == original:
        return text
    template = templates.get(language, templates["en"])
    return template.format(country_name(str(original), language))


@lru_cache(maxsize=1)
def _known_words() -> frozenset[str]:
    """Words that are not names: the intake lexicons, country names, the NLU training data."""
    words: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, str):
            words.update(t.word for t in tokenize(node))
        elif isinstance(node, Mapping):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(LEXICON)
    for path in sorted(_TRAINING_DATA.glob("nlu/*.yml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return frozenset(fold(w) for w in words)
