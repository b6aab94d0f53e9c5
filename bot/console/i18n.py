"""Console texts: templates write English and wrap it in `_()`, gettext style. A second
language is a dict from those English strings to its own (`CATALOGS["fr"] = {...}`); a
missing entry falls back to English, so a partial translation never breaks a page."""

from __future__ import annotations

from collections.abc import Callable

DEFAULT_LANGUAGE = "en"
CATALOGS: dict[str, dict[str, str]] = {
    "en": {},  # English is the source text itself
}
LANGUAGES = tuple(CATALOGS)


def translator(language: str) -> Callable[..., str]:
    catalog = CATALOGS.get(language, {})

    def gettext(text: str, **values: object) -> str:
        translated = catalog.get(text, text)
        return translated.format(**values) if values else translated

    return gettext
