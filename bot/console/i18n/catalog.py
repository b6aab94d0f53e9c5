"""Console texts: templates write English and wrap it in `_()`, gettext style; Python code
marks the English it hands to a page with `N_()` (it stays English until rendered). A
second language is a dict from those English strings to its own (bot/console/i18n/catalog_fr.py);
a missing entry falls back to English, and tests/console/test_i18n.py fails on one.

`{name}` placeholders are filled after translation (str.format), so a translation may
move them: `_("{n} case(s)", n=3)`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.access.models import DEFAULT_LANGUAGE, LANGUAGES
from bot.console.i18n.catalog_fr import FRENCH

CATALOGS: dict[str, dict[str, str]] = {
    "en": {},  # English is the source text itself
    "fr": FRENCH,
}
# Babel locales for dates and numbers: Canadian usage in both languages.
BABEL_LOCALES = {"en": "en_CA", "fr": "fr_CA"}

__all__ = [
    "BABEL_LOCALES",
    "CATALOGS",
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "N_",
    "Gettext",
    "Msg",
    "translator",
]


def N_(text: str) -> str:
    """Marks English for translation at render time (tests collect these); returns it as is."""
    return text


@dataclass(frozen=True)
class Msg:
    """A marked text with its values, translated when a page is rendered."""

    text: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.text.format(**self.values) if self.values else self.text


Gettext = Callable[..., str]


def translator(language: str) -> Gettext:
    catalog = CATALOGS.get(language, {})

    def gettext(text: str | Msg, **values: object) -> str:
        if isinstance(text, Msg):
            values = {**text.values, **values}
            text = text.text
        translated = catalog.get(text) or text
        return translated.format(**values) if values else translated

    return gettext
