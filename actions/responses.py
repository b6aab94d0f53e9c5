"""Reading texts from the domain's responses, so no user-facing text is written in Python."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

DomainDict = dict[str, Any]


def language(tracker: Tracker) -> str:
    return tracker.get_slot("language") or "en"


def _variant(domain: DomainDict, name: str, lang: str) -> dict[str, Any] | None:
    """The variant Rasa itself would pick: one conditioned on this language, else a plain one."""
    variants = domain.get("responses", {}).get(name) or []
    plain = None
    for variant in variants:
        conditions = variant.get("condition") or []
        if not conditions:
            plain = plain or variant
        elif any(c.get("name") == "language" and c.get("value") == lang for c in conditions):
            return variant
    return plain


def has_response(domain: DomainDict, name: str) -> bool:
    return bool(domain.get("responses", {}).get(name))


def text(domain: DomainDict, name: str, lang: str) -> str:
    variant = _variant(domain, name, lang)
    return variant.get("text", "") if variant else ""


def button_titles(domain: DomainDict, name: str, lang: str) -> dict[str, str]:
    """Payload -> title of a question's buttons: the labels of its fixed values."""
    variant = _variant(domain, name, lang) or {}
    return {str(b["payload"]): str(b["title"]) for b in variant.get("buttons", [])}
