"""Text folding, tokenizing and phrase matching shared by every normalizer.

Everything is matched on *folded* words (lower case, accents stripped, apostrophes and
hyphens split), so lexicon phrases written naturally in YAML ("don't know", "sécurité")
match whatever the caseworker typed. Tokens keep their offsets in the original text so a
value (e.g. a case reference) can be cut out with its original case.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.intake.lexicon import LEXICON

# Characters NFKD does not decompose but which people type for plain letters.
_SPECIAL = {"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d", "ı": "i"}
_APOSTROPHES = "’‘`´ʼ"
_WORD = re.compile(r"[a-z0-9]+|[^\sa-z0-9]")
_CLAUSE_PUNCT = frozenset(",;.!?:()[]")


def fold(text: str) -> str:
    """Lower-case, accent-free form of text (same length semantics not guaranteed)."""
    return "".join(_fold_char(ch) for ch in text)


def _fold_char(ch: str) -> str:
    low = ch.lower()
    if low in _SPECIAL:
        return _SPECIAL[low]
    if ch in _APOSTROPHES:
        return "'"
    decomposed = unicodedata.normalize("NFKD", low)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True, slots=True)
class Token:
    word: str  # folded word
    start: int  # offsets in the original text
    end: int
    clause: int  # index of the clause (split on punctuation and words like "but")


def _contractions() -> Mapping[str, tuple[str, ...]]:
    table = LEXICON.get("contractions", {}) or {}
    return {fold(k): tuple(_words(v)) for k, v in table.items()}


def _words(phrase: str) -> list[str]:
    return [w for w in _WORD.findall(fold(phrase)) if w[0].isalnum()]


@lru_cache(maxsize=1)
def _settings() -> tuple[Mapping[str, tuple[str, ...]], frozenset[str], frozenset[str]]:
    breaks = frozenset(w for p in LEXICON.get("clause_breaks", []) for w in _words(p))
    negators = frozenset(w for p in LEXICON.get("negators", []) for w in _words(p))
    return _contractions(), breaks, negators


@lru_cache(maxsize=1)
def _subjects() -> frozenset[str]:
    return frozenset(w for p in LEXICON.get("subjects", []) for w in _words(p))


def tokenize(text: str) -> list[Token]:
    """Words of text with offsets; "doesn't" becomes "does not", "shes" becomes "she s"."""
    contractions, breaks, _ = _settings()
    folded_chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        for f in _fold_char(ch):
            folded_chars.append(f)
            index.append(i)
    folded = "".join(folded_chars)
    index.append(len(text))

    tokens: list[Token] = []
    clause = 0
    raw = list(_WORD.finditer(folded))
    for n, m in enumerate(raw):
        word = m.group()
        start, end = index[m.start()], index[m.end() - 1] + 1
        if not word[0].isalnum():
            if word in _CLAUSE_PUNCT:
                clause += 1
            continue
        # "n't": the "t" after an apostrophe turns the previous word into word + "not".
        if (
            word == "t"
            and n >= 2
            and raw[n - 1].group() == "'"
            and tokens
            and tokens[-1].word.endswith("n")
            and raw[n - 2].end() == raw[n - 1].start()
        ):
            prev = tokens.pop()
            base = {"can": "can", "won": "will", "ain": "is"}.get(prev.word, prev.word[:-1])
            tokens.append(Token(base, prev.start, prev.end, prev.clause))
            tokens.append(Token("not", start, end, clause))
            continue
        if word in breaks:
            clause += 1
            continue
        if word in contractions:
            tokens.extend(Token(w, start, end, clause) for w in contractions[word])
            continue
        tokens.append(Token(word, start, end, clause))
    return tokens


def phrase_words(phrase: str) -> tuple[str, ...]:
    """A lexicon phrase tokenized exactly like user text (so contractions line up)."""
    return tuple(t.word for t in tokenize(phrase))


def negators() -> frozenset[str]:
    return _settings()[2]


# A negator that can stand alone as an answer ("no she moved"), unlike "not the state".
_ANSWER_WORDS = frozenset({"no", "non", "nope", "nah"})


@dataclass(frozen=True, slots=True)
class Hit:
    label: str
    start: int  # token indexes, end exclusive
    end: int


class Matcher:
    """Leftmost-longest, non-overlapping phrase matching over tokens.

    Built once from {label: phrases}; all labels compete, so "absolutely not" (no) wins
    over "absolutely" (yes) and "south sudan" over "sudan".
    """

    def __init__(self, table: Mapping[str, Iterable[str]]) -> None:
        index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for label, phrases in table.items():
            for phrase in phrases:
                words = phrase_words(str(phrase))
                if words:
                    index.setdefault(words[0], []).append((words, label))
        for entries in index.values():
            entries.sort(key=lambda e: -len(e[0]))
        self._index = index

    def phrases(self) -> Iterable[tuple[tuple[str, ...], str]]:
        """Every (phrase words, label) pair, for building secondary indexes."""
        for entries in self._index.values():
            yield from entries

    def find(self, tokens: Sequence[Token]) -> list[Hit]:
        hits: list[Hit] = []
        words = [t.word for t in tokens]
        i = 0
        while i < len(words):
            for phrase, label in self._index.get(words[i], ()):
                j = i + len(phrase)
                if tuple(words[i:j]) == phrase:
                    hits.append(Hit(label, i, j))
                    i = j
                    break
            else:
                i += 1
        return hits


def is_negated(tokens: Sequence[Token], hit: Hit, *, window: int = 3, after: bool = False) -> bool:
    """A negator shortly before the hit in the same clause ("not safe", "no medical needs");
    with after=True also one right after it ("she does not", "she has no")."""
    neg = negators()
    if tokens[hit.start].word in neg:
        return False  # the phrase carries its own negation ("jamais quitté" after "n'a")
    clause = tokens[hit.start].clause
    for k in range(max(0, hit.start - window), hit.start):
        if tokens[k].word in neg and tokens[k].clause == clause:
            if k == 0 and tokens[k].word in _ANSWER_WORDS and tokens[k + 1].word in _subjects():
                continue  # "no she moved for work": an answer word, then a statement
            return True
    if after and hit.end < len(tokens):
        nxt = tokens[hit.end]
        if nxt.word in neg and nxt.clause == tokens[hit.end - 1].clause:
            return True
    return False
