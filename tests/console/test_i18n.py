"""The console's French, without a server. The catalog is extracted from the sources here
with Babel's own API and babel.cfg (what `make catalog` runs): every text has a confirmed
(non-empty, not fuzzy) French translation in locale/fr/LC_MESSAGES/messages.po, the
committed .po and .pot hold exactly the texts of the sources (neither stale nor left over),
placeholders match, plurals have every French form; every stored code has a label in both
languages; the choice of language and the Babel formats."""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import get_args

import pytest
from babel.dates import format_date
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po
from babel.numbers import format_decimal
from jinja2 import Environment, nodes

from bot.console.api.query import PRIORITIES
from bot.console.i18n import formats
from bot.console.i18n.catalog import (
    LANGUAGES,
    LOCALE_DIR,
    Msg,
    install_translations,
    po_path,
    translations,
    translator,
)
from bot.console.i18n.labels import (
    CODE_LABELS,
    ENGLISH_LABELS,
    answer_text,
    code_label,
    country_name,
)
from bot.console.i18n.language import accepted_language, local_path
from bot.console.partner.widget_texts import WIDGET_TEXTS
from bot.intake.questions import CHOICES, FORM_SLOTS
from bot.rules.answers import RISK_FACTORS
from bot.rules.engine import Capacity, Eligibility, Pathway, Priority
from bot.store.models import CASE_STATUSES, ELIGIBILITIES

ROOT = Path(__file__).resolve().parents[2]
CONSOLE = ROOT / "bot" / "console"
# `_(name)` with a variable: only these, each fed with N_()-marked text by the console code.
DYNAMIC_ARGUMENTS = {"title", "message", "error"}
# The only texts whose French is the English itself.
SAME_IN_BOTH = {"Conversation", "Conversations", "Action", "Notes", "Urgent"}
Key = tuple[str | tuple[str, ...], str | None]  # (msgid, or singular and plural; context)


def _extracted() -> dict[Key, Message]:
    """The texts of the sources, as `pybabel extract -F babel.cfg ... bot` finds them."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, "babel.cfg")
    catalog = Catalog()
    for filename, lineno, message, _comments, context in extract_from_dir(
            str(ROOT / "bot"), method_map, options_map, keywords=DEFAULT_KEYWORDS):
        catalog.add(message, locations=[(filename, lineno)], context=context)
    return _keyed(catalog)


def _keyed(messages: Iterable[Message]) -> dict[Key, Message]:
    return {(m.id, m.context): m for m in messages if m.id}


def _committed(path: Path) -> dict[Key, Message]:
    with path.open("rb") as po:
        return _keyed(read_po(po, locale="fr" if path.suffix == ".po" else None))


@pytest.fixture(scope="module")
def extracted() -> dict[Key, Message]:
    return _extracted()


@pytest.fixture(scope="module")
def french() -> dict[Key, Message]:
    return _committed(po_path("fr"))


def _ids(key: Key) -> tuple[str, ...]:
    return key[0] if isinstance(key[0], tuple) else (key[0],)


def _strings(message: Message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def _placeholders(text: str) -> set[str]:
    """`{name}` (our `_()`, str.format) and `%(name)s` (Jinja's `{% trans %}`)."""
    braces = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    return braces | set(re.findall(r"%\((\w+)\)s", text))


def test_the_extraction_finds_texts_of_each_kind(extracted: dict[Key, Message]) -> None:
    """Guards the test itself: a broken extraction would find nothing missing."""
    where = {key: {path for path, _ in m.locations} for key, m in extracted.items()}
    assert "auth/templates/signin.html" in {p.removeprefix("console/")
                                            for p in where[("Sign in", None)]}  # a template
    assert ("Cases by outcome", None) in extracted  # N_() in dashboard/summary.py
    assert all((text, None) in extracted for text in WIDGET_TEXTS.values())  # the widget
    assert ("{name} must be one of {allowed}", None) in extracted  # N_() with values
    assert (("%(n)s case", "%(n)s cases"), None) in extracted  # {% trans %}...{% pluralize %}
    assert (("used", "used"), None) in extracted  # ngettext() in a template
    assert ("None", "pathway") in extracted and ("None", None) not in extracted  # NC_()
    assert len(extracted) > 200


def test_the_catalogs_are_not_stale(extracted: dict[Key, Message],
                                    french: dict[Key, Message]) -> None:
    """The committed template and .po hold the texts of the sources, no more, no less."""
    hint = "run `make catalog`, then translate the new texts in the .po"
    pot = _committed(LOCALE_DIR / "messages.pot")
    assert sorted(set(extracted) - set(pot), key=str) == [], hint
    assert sorted(set(pot) - set(extracted), key=str) == [], hint
    assert sorted(set(extracted) - set(french), key=str) == [], hint
    assert sorted(set(french) - set(extracted), key=str) == [], hint


def test_every_console_text_has_a_french_translation(french: dict[Key, Message]) -> None:
    forms = 3  # French plurals (CLDR): 0 and 1, multiples of a million, the others
    untranslated = sorted(
        (key for key, m in french.items()
         if m.fuzzy or not all(s.strip() for s in _strings(m))
         or (isinstance(key[0], tuple) and len(_strings(m)) != forms)),
        key=str)
    assert untranslated == [], f"translate these in {po_path('fr')} (and drop `#, fuzzy`)"


def test_french_keeps_the_placeholders_and_is_french(french: dict[Key, Message]) -> None:
    for key, message in french.items():
        english = _ids(key)
        for form in _strings(message):
            assert _placeholders(form) == _placeholders(english[-1]), key
            if "{" in english[0]:
                form.format(**dict.fromkeys(_placeholders(form), "x"))  # no stray brace
            if english[0] not in SAME_IN_BOTH:
                assert form not in english, key
            assert not re.search(r"\s[:]", form.replace("\u00a0:", "")), \
                f"no-break space before : in {key}"


def test_french_plurals_have_every_form() -> None:
    fr = translations("fr")
    assert fr.ngettext("%(n)s case", "%(n)s cases", 0) == "%(n)s dossier"
    assert fr.ngettext("%(n)s case", "%(n)s cases", 1) == "%(n)s dossier"
    assert fr.ngettext("%(n)s case", "%(n)s cases", 2) == "%(n)s dossiers"
    assert fr.ngettext("%(n)s case", "%(n)s cases", 1_000_000) == "%(n)s de dossiers"
    template = ("{% trans count=n, n=n|format_number %}{{ n }} case"
                "{% pluralize %}{{ n }} cases{% endtrans %}")
    rendered: dict[str, list[str]] = {}
    for lang in LANGUAGES:  # as bot/console/web/rendering.py sets up each language's Jinja
        env = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
        formats.install_filters(env)
        install_translations(env, lang)
        rendered[lang] = [env.from_string(template).render(n=n, language=lang)
                          for n in (0, 1, 3)]
    assert rendered == {"en": ["0 cases", "1 case", "3 cases"],
                        "fr": ["0 dossier", "1 dossier", "3 dossiers"]}


def test_templates_translate_only_marked_variables() -> None:
    env = Environment(extensions=["jinja2.ext.i18n"])
    dynamic: list[tuple[str, str]] = []
    for path in sorted(CONSOLE.glob("*/templates/*.html")):
        tree = env.parse(path.read_text(encoding="utf-8"), name=path.name)
        for call in tree.find_all(nodes.Call):
            if not (isinstance(call.node, nodes.Name) and call.node.name == "_"):
                continue
            argument = call.args[0] if call.args else None
            if not (isinstance(argument, nodes.Const) and isinstance(argument.value, str)):
                name = argument.name if isinstance(argument, nodes.Name) else repr(argument)
                dynamic.append((path.name, name))
    assert {name for _, name in dynamic} <= DYNAMIC_ARGUMENTS, dynamic


def test_every_code_has_a_label_in_both_languages() -> None:
    for kind, english in ENGLISH_LABELS.items():
        for code in english:
            assert code_label(kind, code, "en") == english[code]
            assert code_label(kind, code, "fr").strip(), (kind, code)
    for kind, table in CODE_LABELS.items():  # the console's own codes: in the catalog
        for code, text in table.items():
            assert translations("fr").pgettext(kind, text) != text or text in SAME_IN_BOTH, \
                (kind, code)
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
    assert code_label("pathway", "none", "fr") == "Aucune"  # one English word, two French
    assert code_label("refugee_status", "none", "fr") == "Aucun statut"
    # The answers' values say what the chat says (bot/intake/labels.py).
    assert code_label("hrd_activity", "journalism_media", "en") == "Journalism / media"
    assert code_label("priority_factor", "lgbtq2", "fr") == "LGBTQ2"
    fr = translator("fr")
    assert answer_text("country_of_origin", "UG", fr, "fr") == "Ouganda (UG)"
    assert country_name("CD", "en") == "Democratic Republic of the Congo (CD)"
    assert country_name("ZZ", "en") == "ZZ"
    assert answer_text("risk_factors", [], fr, "fr") == "aucun déclaré"
    assert answer_text("risk_factors", ["woman", "lgbtq2"], fr, "fr") == "Femme, LGBTQ2"
    assert answer_text("medical_needs", True, fr, "fr") == "oui"
    assert answer_text("threat_description", "<b>x</b>", fr, "fr") == "<b>x</b>"  # escaped later


def test_translator_fills_values_after_translating() -> None:
    fr, en = translator("fr"), translator("en")
    assert fr("Dashboard {year}", year=2026) == "Tableau de bord 2026"
    assert en("Dashboard {year}", year=2026) == "Dashboard 2026"
    message = Msg("{name} must be a date (YYYY-MM-DD)", {"name": "date_from"})
    assert fr(message) == "date_from doit être une date (AAAA-MM-JJ)"
    assert str(message) == "date_from must be a date (YYYY-MM-DD)"
    assert fr("Not in any catalog") == "Not in any catalog"  # falls back to English
    assert set(LANGUAGES) == {"en", "fr"}


def test_fuzzy_translations_are_not_shown(tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A fuzzy entry (merged by `make catalog`, not confirmed yet) shows the English."""
    from bot.console.i18n import catalog as catalog_module

    with po_path("fr").open("rb") as po:
        edited = read_po(po, locale="fr")
    edited["Sign in"].flags.add("fuzzy")
    target = tmp_path / "fr" / "LC_MESSAGES" / "messages.po"
    target.parent.mkdir(parents=True)
    with target.open("wb") as po:
        write_po(po, edited)
    monkeypatch.setattr(catalog_module, "LOCALE_DIR", tmp_path)
    uncached = catalog_module.translations.__wrapped__
    assert uncached("fr").gettext("Sign in") == "Sign in"
    assert uncached("fr").gettext("Sign out") == "Se déconnecter"
    assert translations("fr").gettext("Sign in") == "Se connecter"  # the real catalog


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
