"""Console texts through gettext catalogs (Babel). Templates write English and wrap it in
`_()` (or `{% trans %}`, plurals with `{% pluralize %}`); Python code marks the English it
hands to a page with `N_()` (it stays English until rendered) and labels of stored codes
with `NC_(kind, text)` (a gettext context per kind: a "None" pathway is "Aucune", a "None"
refugee status "Aucun").

`make catalog` extracts them (babel.cfg) into locale/messages.pot and merges that into
locale/<language>/LC_MESSAGES/messages.po, which is read as it is at start: no compiled
.mo, no build step. English is the source text itself; a text missing from a catalog falls
back to English, and tests/console/test_i18n.py fails on one.

`_()` fills `{name}` placeholders after translation (str.format), so a translation may move
them: `_("Dashboard {year}", year=2026)`. `{% trans %}` blocks use `%(name)s`, as Jinja
writes them."""

from __future__ import annotations

import gettext as gettext_module
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from jinja2 import Environment

from bot.access.models import DEFAULT_LANGUAGE, LANGUAGES

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
# Babel locales for dates and numbers: Canadian usage in both languages.
BABEL_LOCALES = {"en": "en_CA", "fr": "fr_CA"}
SOURCE_LANGUAGE = "en"  # the msgids: nothing to translate

__all__ = [
    "BABEL_LOCALES",
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "LOCALE_DIR",
    "NC_",
    "N_",
    "Gettext",
    "Msg",
    "install_translations",
    "po_path",
    "translations",
    "translator",
]


def N_(text: str) -> str:
    """Marks English for translation at render time (`make catalog` collects these);
    returns it as is."""
    return text


def NC_(context: str, text: str) -> str:
    """Marks English in a context (the kind of code it labels); returns it as is."""
    return text


@dataclass(frozen=True)
class Msg:
    """A marked text with its values, translated when a page is rendered."""

    text: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.text.format(**self.values) if self.values else self.text


Gettext = Callable[..., str]


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: str) -> NullTranslations:
    """The language's catalog, read from its .po once. Fuzzy entries are left out (a
    translator has not confirmed them): their English shows instead."""
    path = po_path(language)
    if language == SOURCE_LANGUAGE or not path.is_file():
        return NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=language, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def translator(language: str) -> Gettext:
    """`_()` for a page: translates a text (or a Msg) and fills its `{name}` values."""
    catalog: gettext_module.NullTranslations = translations(language)

    def gettext(text: str | Msg, **values: object) -> str:
        if isinstance(text, Msg):
            values = {**text.values, **values}
            text = text.text
        translated = catalog.gettext(text) if text else text
        return translated.format(**values) if values else translated

    return gettext


def install_translations(env: Environment, language: str) -> None:
    """`{% trans %}`, `gettext`, `ngettext` and `pgettext` in templates of `env`, in one
    language (jinja2.ext.i18n must be among its extensions). Newstyle: values are escaped
    and filled by the call, so a translation cannot break the page's HTML."""
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
