"""The console's French, without a server: every text the templates wrap in `_()` and every
text the console's Python code marks with N_() has a French entry (and no entry is left
over), placeholders match, every stored code has a label in both languages; the choice
of language and the Babel formats."""

from __future__ import annotations

import ast
import re
import string
from datetime import UTC, date, datetime
from pathlib import Path
from typing import get_args

import pytest
from babel.dates import format_date
from babel.numbers import format_decimal
from jinja2 import Environment, nodes

from bot.console.api.query import PRIORITIES
from bot.console.i18n import formats
from bot.console.i18n.catalog import LANGUAGES, Msg, translator
from bot.console.i18n.catalog_fr import FRENCH, FRENCH_LABELS
from bot.console.i18n.labels import ENGLISH_LABELS, answer_text, code_label, country_name
from bot.console.i18n.language import accepted_language, local_path
from bot.console.partner.widget_texts import WIDGET_TEXTS
from bot.intake.questions import CHOICES, FORM_SLOTS
from bot.rules.answers import RISK_FACTORS
from bot.rules.engine import Capacity, Eligibility, Pathway, Priority
from bot.store.models import CASE_STATUSES, ELIGIBILITIES

CONSOLE = Path(__file__).resolve().parents[2] / "bot" / "console"
MARKERS = ("N_", "gettext", "_")  # Python calls whose first argument is English to translate
# `_(name)` with a variable: only these, each fed with N_()-marked text by the console code.
DYNAMIC_ARGUMENTS = {"title", "message", "error"}
SAME_IN_BOTH = {"Conversation", "Conversations", "Action", "Notes", "Urgent"}


def _template_texts() -> tuple[dict[str, str], list[tuple[str, str]]]:
    """{English: template} of constant `_()` arguments; (template, expression) of others."""
    env = Environment()
    texts: dict[str, str] = {}
    dynamic: list[tuple[str, str]] = []
    for path in sorted(CONSOLE.glob("*/templates/*.html")):
        tree = env.parse(path.read_text(encoding="utf-8"), name=path.name)
        for call in tree.find_all(nodes.Call):
            if not (isinstance(call.node, nodes.Name) and call.node.name == "_"):
                continue
            argument = call.args[0] if call.args else None
            if isinstance(argument, nodes.Const) and isinstance(argument.value, str):
                texts.setdefault(argument.value, path.name)
            else:
                name = argument.name if isinstance(argument, nodes.Name) else repr(argument)
                dynamic.append((path.name, name))
    return texts, dynamic


def _python_texts() -> dict[str, str]:
    texts: dict[str, str] = {}
    for path in sorted(CONSOLE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in MARKERS and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                texts.setdefault(node.args[0].value, path.name)
    return texts


def _all_texts() -> dict[str, str]:
    template_texts, _ = _template_texts()
    return {**{t: "widget_texts.py" for t in WIDGET_TEXTS.values()}, **_python_texts(),
            **template_texts}


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_the_extraction_finds_texts_of_each_kind() -> None:
    """Guards the test itself: a broken extraction would find nothing missing."""
    texts = _all_texts()
    assert texts["Sign in"] == "signin.html"  # a template
    assert "Cases by outcome" in texts  # N_() in dashboard.py
    assert "Connecting to the assistant…" in texts  # the widget's texts
    assert "{name} must be one of {allowed}" in texts  # N_() with values
    assert len(texts) > 150


def test_every_console_text_has_a_french_entry() -> None:
    missing = {text: where for text, where in _all_texts().items()
               if not FRENCH.get(text, "").strip()}
    assert missing == {}, "add these to bot/console/i18n/catalog_fr.py"


def test_no_french_entry_is_left_over() -> None:
    assert sorted(set(FRENCH) - set(_all_texts())) == []


def test_templates_translate_only_marked_variables() -> None:
    _, dynamic = _template_texts()
    assert {name for _, name in dynamic} <= DYNAMIC_ARGUMENTS, dynamic


@pytest.mark.parametrize("english", sorted(FRENCH))
def test_french_keeps_the_placeholders_and_is_french(english: str) -> None:
    french = FRENCH[english]
    assert _placeholders(french) == _placeholders(english)
    french.format(**dict.fromkeys(_placeholders(english), "x"))  # no stray brace
    if english not in SAME_IN_BOTH:
        assert french != english
    assert not re.search(r"\s[:]", french.replace("\u00a0:", "")), "no-break space before :"


def test_every_code_has_a_label_in_both_languages() -> None:
    assert set(FRENCH_LABELS) == set(ENGLISH_LABELS)
    for kind, english in ENGLISH_LABELS.items():
        assert set(FRENCH_LABELS[kind]) == set(english), kind
        assert all(v.strip() for v in FRENCH_LABELS[kind].values()), kind
    expected = {
        "slot": FORM_SLOTS, "status": CASE_STATUSES, "eligibility": ELIGIBILITIES,
        "pathway": get_args(Pathway), "priority": PRIORITIES,
        "priority_factor": (*RISK_FACTORS, "medical_needs", "immediate_threat"),
        "capacity": get_args(Capacity), **CHOICES,
    }
    assert set(get_args(Eligibility)) == set(ELIGIBILITIES)
    assert set(get_args(Priority)) == set(PRIORITIES)
    for kind, codes in expected.items():
        assert set(codes) <= set(ENGLISH_LABELS[kind]), kind


def test_labels_and_answers_in_each_language() -> None:
    assert code_label("status", "under_review", "en") == "Under review"
    assert code_label("status", "under_review", "fr") == "En cours d'examen"
    assert code_label("status", "not_a_status", "fr") == "not_a_status"
    fr = translator("fr")
    assert answer_text("country_of_origin", "UG", fr, "fr") == "Ouganda (UG)"
    assert country_name("CD", "en") == "Congo - Kinshasa (CD)"
    assert answer_text("risk_factors", [], fr, "fr") == "aucun déclaré"
    assert answer_text("risk_factors", ["woman", "lgbtq2"], fr, "fr") == "Femme, 2ELGBTQI+"
    assert answer_text("medical_needs", True, fr, "fr") == "oui"
    assert answer_text("threat_description", "<b>x</b>", fr, "fr") == "<b>x</b>"  # escaped later


def test_translator_fills_values_after_translating() -> None:
    fr, en = translator("fr"), translator("en")
    assert fr("{n} case(s)", n=3) == "3 dossier(s)"
    assert en("{n} case(s)", n=3) == "3 case(s)"
    message = Msg("{name} must be a date (YYYY-MM-DD)", {"name": "date_from"})
    assert fr(message) == "date_from doit être une date (AAAA-MM-JJ)"
    assert str(message) == "date_from must be a date (YYYY-MM-DD)"
    assert fr("Not in any catalog") == "Not in any catalog"  # falls back to English
    assert set(LANGUAGES) == {"en", "fr"}


@pytest.mark.parametrize(("header", "expected"), [
    ("fr-CA,fr;q=0.9,en;q=0.8", "fr"),
    ("en-US,en;q=0.9,fr;q=0.8", "en"),
    ("de-DE,fr;q=0.5,en;q=0.4", "fr"),
    ("fr;q=0.2, en;q=0.9", "en"),
    ("FR", "fr"),
    ("fr;q=0", None),
    ("de, es", None),
    ("", None),
    (None, None),
    ("*", None),
    ("fr;q=abc", None),
    ("x" * 5000, None),
])
def test_accept_language(header: str | None, expected: str | None) -> None:
    assert accepted_language(header) == expected


@pytest.mark.parametrize(("target", "expected"), [
    ("/review/cases?status=declined&partner=unhcr", "/review/cases?status=declined&partner=unhcr"),
    ("/chat", "/chat"),
    ("//evil.example/x", "/"),
    ("/\\evil.example", "/"),
    ("https://evil.example/", "/"),
    ("javascript:alert(1)", "/"),
    ("evil.example", "/"),
    ("/chat\r\nSet-Cookie: x=1", "/"),
    ("", "/"),
    (None, "/"),
    ("/" + "a" * 2000, "/"),
])
def test_the_switch_only_goes_back_to_a_local_page(target: str | None, expected: str) -> None:
    assert local_path(target) == expected


def test_dates_and_numbers_are_formatted_for_the_locale() -> None:
    day = date(2026, 11, 28)
    moment = datetime(2026, 11, 28, 23, 9, 14, tzinfo=UTC)
    assert formats.local_date(day, "en") == format_date(day, "medium", locale="en_CA")
    assert formats.local_date(day, "fr") == format_date(day, "medium", locale="fr_CA")
    assert formats.local_date(day, "en") == "Nov 28, 2026"
    assert formats.local_date(day, "fr") == "28 nov. 2026"
    assert formats.local_date(moment, "fr") == "28 nov. 2026"
    assert formats.local_datetime(moment, "fr") == "28 nov. 2026, 23 h 09"
    assert formats.local_datetime(moment, "fr", seconds=True) == "28 nov. 2026, 23 h 09 min 14 s"
    assert formats.local_datetime(moment, "en").startswith("Nov 28, 2026, 11:09")
    assert formats.local_number(1250, "en") == "1,250" == format_decimal(1250, locale="en_CA")
    assert formats.local_number(1250, "fr") == format_decimal(1250, locale="fr_CA")
    assert formats.local_number(1250, "fr").replace("\u202f", " ").replace("\xa0", " ") \
        == "1 250"
    assert formats.local_percent(0.42, "en") == "42%"
    assert formats.local_percent(0.42, "fr") == "42\xa0%"
    assert formats.month_abbreviation(3, "fr") == "mars"
