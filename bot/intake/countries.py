"""Country names, demonyms and cities in free text -> ISO 3166-1 alpha-2 codes.

Names and codes come from pycountry (plus its translations for the locales the lexicons
list); aliases and demonyms from the lexicons; cities from data/cities.yml. Everything is
compiled once into a phrase index, so a lookup is a dictionary walk over the words; fuzzy
matching (difflib) is only a fallback for misspellings, over a small prebuilt bucket.
"""

from __future__ import annotations

import difflib
import gettext
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import pycountry

from bot.intake.lexicon import LEXICON, load_data, merge
from bot.intake.parsed import Parsed, empty, not_understood
from bot.intake.text import Hit, Matcher, Token, fold, negators, phrase_words, tokenize

_LEX = LEXICON.get("countries", {})
_CODES = frozenset(c.alpha_2 for c in pycountry.countries)
_ALPHA3 = {c.alpha_3: c.alpha_2 for c in pycountry.countries}


def _display(name: str) -> str:
    """Uninvert pycountry's sortable names for a summary: "Virgin Islands, British" ->
    "British Virgin Islands", "Congo, The Democratic Republic of the" -> "Democratic
    Republic of the Congo"; others ("Bonaire, Sint Eustatius and Saba") stay as they are."""
    if ", " not in name:
        return name
    head, tail = name.split(", ", 1)
    tail = tail.removeprefix("The ")
    if tail.endswith((" of", " of the", " de", " du", " des", " de la")) or " " not in tail:
        return f"{tail} {head}"
    return name


def _official_names() -> dict[str, list[str]]:
    """Every English (and configured locale) name pycountry knows, per code."""
    names: dict[str, list[str]] = {}
    translations = [
        gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
        for lang in _LEX.get("locales", [])
    ]
    firsts: dict[str, list[str]] = {}
    for c in pycountry.countries:
        base = [c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)]
        out: list[str] = []
        for name in filter(None, base):
            out.append(name)
            for tr in translations:
                out.append(tr.gettext(name))
            if ", " in name:  # "Korea, Republic of" -> "Republic of Korea"
                head, tail = name.split(", ", 1)
                out.append(f"{tail} {head}")
                out.append(_display(name))
                firsts.setdefault(head, []).append(c.alpha_2)
        names[c.alpha_2] = out
    # "Bolivia, Plurinational State of" also answers to "Bolivia" when that is unambiguous
    # (not "Congo", which is the Republic of the Congo's own name).
    plain = {fold(c.name) for c in pycountry.countries}
    for head, codes in firsts.items():
        if len(set(codes)) == 1 and fold(head) not in plain:
            names[codes[0]].append(head)
    return names


def _build_matcher() -> Matcher:
    # Insertion order breaks ties between equally long phrases: aliases are the most
    # deliberate, then official names, then demonyms and cities.
    table: dict[str, list[str]] = {}
    for code, phrases in (_LEX.get("aliases") or {}).items():
        table.setdefault(f"name:{code}", []).extend(phrases)
    for code, phrases in _official_names().items():
        table.setdefault(f"name:{code}", []).extend(phrases)
    for code, phrases in (_LEX.get("demonyms") or {}).items():
        table.setdefault(f"demonym:{code}", []).extend(phrases)
    data = load_data("cities.yml") or {}
    regions = data.pop("_regions", {}) or {}
    cities = merge(merge(data, regions), _LEX.get("cities") or {})
    for code, phrases in cities.items():
        table.setdefault(f"city:{code}", []).extend(phrases or [])
    return Matcher(table)


_MATCHER = _build_matcher()
_UPPER_ONLY = frozenset(phrase_words(p) for p in _LEX.get("upper_only", []))


def _cue_table() -> tuple[dict[tuple[str, ...], str], int]:
    cues: dict[tuple[str, ...], str] = {}
    for role in ("origin", "current", "weak_current"):
        for phrase in (_LEX.get("cues") or {}).get(role, []):
            cues.setdefault(phrase_words(phrase), role)
    return cues, max((len(k) for k in cues), default=0)


_CUES, _CUE_MAX = _cue_table()
_DETERMINERS = frozenset(phrase_words(" ".join(_LEX.get("determiners", []))))


@dataclass(frozen=True, slots=True)
class Mention:
    code: str
    kind: str  # "name", "demonym" or "city"
    start: int  # token indexes
    end: int
    cue: str | None  # "origin", "current", "weak_current" or None
    negated: bool  # "not Kenya", "not in Kenya"
    guessed: bool = False  # matched only as a misspelling: read it back before storing


def _cue_before(tokens: Sequence[Token], start: int) -> tuple[str | None, bool]:
    """The cue ending just before a mention (skipping "the"), and whether it is negated."""
    words = [t.word for t in tokens]
    end = start
    while end > 0 and words[end - 1] in _DETERMINERS:
        end -= 1
    role = None
    cue_start = end
    for n in range(min(_CUE_MAX, end), 0, -1):
        found = _CUES.get(tuple(words[end - n : end]))
        if found:
            role, cue_start = found, end - n
            break
    negated = (
        cue_start > 0
        and words[cue_start - 1] in negators()
        and tokens[cue_start - 1].clause == tokens[start].clause
    )
    return role, negated


def find_mentions(text: str, tokens: Sequence[Token] | None = None) -> list[Mention]:
    """Every place named in text, left to right, with the cue that precedes it."""
    tokens = tokenize(text) if tokens is None else tokens
    words = [t.word for t in tokens]
    hits: list[Hit] = []
    for hit in _MATCHER.find(tokens):
        phrase = tuple(words[hit.start : hit.end])
        if phrase in _UPPER_ONLY:
            raw = text[tokens[hit.start].start : tokens[hit.end - 1].end]
            if not raw.isupper():
                continue  # "us", "car": only as abbreviations
        hits.append(hit)
    guessed = not hits
    if guessed:
        hits = _fuzzy_hits(words)
    mentions = []
    for hit in hits:
        kind, code = hit.label.split(":")
        cue, negated = _cue_before(tokens, hit.start)
        mentions.append(Mention(code, kind, hit.start, hit.end, cue, negated, guessed))
    return mentions


# --- fuzzy fallback -------------------------------------------------------------------

def _fuzzy_index() -> dict[tuple[str, int], list[tuple[str, str]]]:
    """Single- and two-word place phrases bucketed by first letter and length."""
    index: dict[tuple[str, int], list[tuple[str, str]]] = {}
    for words, label in _MATCHER.phrases():
        key = " ".join(words)
        if len(words) > 2 or len(key) < 5:
            continue  # long phrases are not typed wrong as a whole; short ones are words
        index.setdefault((key[0], len(key)), []).append((key, label))
    return index


_FUZZY = _fuzzy_index()


@lru_cache(maxsize=1)
def _fuzzy_stopwords() -> frozenset[str]:
    """Words of the lexicons and common English: never read as misspelt countries."""
    words: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                if k not in ("aliases", "demonyms"):
                    walk(v)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, str):
            words.update(phrase_words(node))

    walk({k: v for k, v in LEXICON.items() if k != "countries"})
    walk(_LEX.get("cues", {}))
    words.update(phrase_words(" ".join(LEXICON.get("common_words", []))))
    return frozenset(words)


def _fuzzy_hits(words: Sequence[str]) -> list[Hit]:
    stop = _fuzzy_stopwords()
    hits: list[Hit] = []
    i = 0
    while i < len(words):
        found = None
        for n in (2, 1):
            if i + n > len(words) or any(w in stop or w.isdigit() for w in words[i : i + n]):
                continue
            phrase = " ".join(words[i : i + n])
            if len(phrase) < 5:
                continue
            best = _closest(phrase)
            if best:
                found = Hit(best, i, i + n)
                break
        if found:
            hits.append(found)
            i = found.end
        else:
            i += 1
    return hits


def _closest(phrase: str) -> str | None:
    candidates: list[tuple[str, str]] = []
    for length in range(len(phrase) - 2, len(phrase) + 3):
        candidates.extend(_FUZZY.get((phrase[0], length), ()))
    if len(phrase) <= 5:
        # Short words have too many near neighbours ("sedan"/"Sudan", "parts"/"Paris"):
        # only country names and demonyms sharing the first two letters ("Kenia").
        candidates = [
            (key, label)
            for key, label in candidates
            if not label.startswith("city:") and key[:2] == phrase[:2]
        ]
    labels = dict(candidates)
    match = difflib.get_close_matches(phrase, list(labels), n=1, cutoff=0.8)
    return labels[match[0]] if match else None


# --- public helpers -------------------------------------------------------------------

def exact_code(text: str) -> str | None:
    """A bare ISO code as typed by a button or a careful user ("KE", "COD")."""
    s = text.strip()
    if s.isalpha() and s.isupper():
        if len(s) == 2 and s in _CODES:
            return s
        if len(s) == 3 and s in _ALPHA3:
            return _ALPHA3[s]
    return None


def country_code(text: str) -> str | None:
    """The ISO alpha-2 code of the (first) country named in text, or None."""
    code = exact_code(text)
    if code:
        return code
    mentions = [m for m in find_mentions(text) if not m.negated]
    return mentions[0].code if mentions else None


@lru_cache(maxsize=8)
def _translation(lang: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)


def country_name(code: str, lang: str = "en") -> str:
    """Display name for an alpha-2 code ("CD" -> "Congo, The Democratic Republic of the"
    is avoided: common names first). Unknown codes are returned unchanged."""
    country = pycountry.countries.get(alpha_2=code.upper()) if code else None
    if country is None:
        return code
    if lang == "en":
        return getattr(country, "common_name", None) or _display(country.name)
    translated = _translation(lang).gettext(country.name)
    return _display(translated)


# --- the country slots ----------------------------------------------------------------

ORIGIN, CURRENT = "country_of_origin", "current_country"


def role_of(m: Mention, contrast: bool) -> str | None:
    """Which slot a mention answers by its wording: "from X"/demonym -> origin, "now in X"
    -> current; a bare "in X" only counts when another place is named too."""
    if m.cue == "origin":
        return ORIGIN
    if m.cue == "current":
        return CURRENT
    if m.kind == "demonym":
        return ORIGIN
    if m.cue == "weak_current" and contrast:
        return CURRENT
    return None


def parse_country(text: str, slot: str | None = None) -> Parsed:
    """A country answer. For country_of_origin / current_country the wording decides
    which place answers the slot; the other slot, when clearly stated, goes in `also`."""
    if not text or not text.strip():
        return empty()
    code = exact_code(text)
    if code:
        return Parsed(code)
    mentions = [m for m in find_mentions(text) if not m.negated]
    if not mentions:
        return not_understood()
    if slot not in (ORIGIN, CURRENT):
        return Parsed(mentions[0].code, sure=not mentions[0].guessed)

    contrast = len({m.code for m in mentions}) > 1
    roles = [(m, role_of(m, contrast)) for m in mentions]
    other = CURRENT if slot == ORIGIN else ORIGIN
    chosen = next((m for m, r in roles if r == slot), None)
    if chosen is None:
        chosen = next((m for m, r in roles if r is None), None)
    stated = next((m for m, r in roles if r == other and m is not chosen), None)
    also = {other: stated.code} if stated else {}
    if chosen is None:
        return not_understood(also)
    # A misspelling's best guess ("ugnada") is read back: a wrong country is never silent.
    return Parsed(chosen.code, also=also, sure=not chosen.guessed)
