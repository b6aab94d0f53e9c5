"""Which official language a message is written in: "en", "fr", or None when not clear.

Pure and lexicon based (function words, not content words), so that the short answers that
make up most of a referral ("Kenya", "3", "ok", "RDC", "Nigéria") never switch the
conversation's language: only an explicit request or clear evidence does.
"""

from __future__ import annotations

import re
import unicodedata

# Explicit requests win over everything else ("en français svp" is mostly French, but
# "in French please" is English and still asks for French).
_ASK_FR = re.compile(
    r"\b(en|in) francais\b|\bfrancais,? (svp|stp|s il (te|vous) plait|please|pls)\b"
    r"|\bparl\w* (vous |tu )?francais\b|\bfrench,? please\b|\bspeak french\b"
    r"|\bau francais\b|\bversion francaise\b|^francais\W*$|^french\W*$"
)
_ASK_EN = re.compile(
    r"\b(in|en) (english|anglais)\b"
    r"|\b(english|anglais),? (please|pls|svp|stp|s il (te|vous) plait)\b"
    r"|\bspeak english\b|\bparl\w* (vous |tu )?anglais\b|^english\W*$|^anglais\W*$"
)

def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that are frequent in one language and do not exist (or are rare) in the other.
# Ambiguous ones are left out on purpose: "a", "on", "son", "me", and the letters that
# English contractions leave once apostrophes are dropped ("I'd", "she's", "don't").
# Short yes/no words count once, so "oui", "no" or "ok" alone never decide.
_FR_WORDS = _words(
    """
    le la les des du au aux une un est et en elle elles il ils sa ses leur leurs je nous vous
    avec dans sur chez pas ne n qui que qu quoi c ce cette ces mais ou donc car pour
    sont ont etait avait fait vit habite travaille depuis tres aussi encore deja plus
    oui non merci bonjour bonsoir salut pourquoi comment combien aide veux voudrais peux
    personne personnes famille femme mari enfants deux trois quatre cinq aucun aucune
    rien seule seul toujours maintenant actuellement avant apres quand parce mon ma mes
    notre nos votre vos lui l j qu
    """
)
_EN_WORDS = _words(
    """
    the is are was were she he they her his their him them and of to in with for from
    not this that these those what why how who which there here have has had been
    do does did don doesn didn can could would should will i you we my our your
    yes no thanks thank hello hi please help wife husband children kids family two three
    four five none nothing alone still now currently because about at by an it
    ll ve isn wasn aren weren
    """
)
# Words that alone say which language the user wants to talk in (greetings, thanks).
_FR_STRONG = _words("bonjour bonsoir salut merci pourquoi svp stp")
_EN_STRONG = _words("hello thanks why please")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[’'`-]", " ", text)


def _score(tokens: list[str], words: frozenset[str], strong: frozenset[str]) -> int:
    return sum(2 if t in strong else 1 for t in tokens if t in words)


def detect_language(text: str) -> str | None:
    """"en" or "fr" on clear evidence, otherwise None (keep the conversation's language)."""
    if not isinstance(text, str) or not text.strip():
        return None
    folded = _fold(text)
    if _ASK_FR.search(folded):
        return "fr"
    if _ASK_EN.search(folded):
        return "en"
    tokens = re.findall(r"[a-z]+", folded)
    fr = _score(tokens, _FR_WORDS, _FR_STRONG)
    en = _score(tokens, _EN_WORDS, _EN_STRONG)
    # A French "à" is evidence, unlike accents in names ("Nigéria", "Côte d'Ivoire").
    fr += len(re.findall(r"(?<!\w)à(?!\w)", text.lower()))
    if fr >= 2 and fr >= 2 * en + 1:
        return "fr"
    if en >= 2 and en >= 2 * fr + 1:
        return "en"
    return None
