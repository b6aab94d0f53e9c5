"""One vocabulary for chat and console: the labels of the answers' fixed values and of the
countries come from one table (bot/intake/labels.py). The chat says them from domain.yml
(its buttons, and its summary reads them there): each label it says is the table's, in
both languages; the console shows the same words."""

from __future__ import annotations

import pytest

from actions.responses import button_titles
from actions.summary import display_value
from bot.console.i18n.labels import code_label
from bot.console.i18n.labels import country_name as console_country
from bot.intake.labels import CHOICE_LABELS, LANGUAGES, choice_label, country_label
from bot.intake.questions import CHOICES, COUNTRY_SLOTS
from tests.actions.support import DOMAIN

# Buttons that answer without being a stored value: "none" is the empty risk-factor list.
NOT_A_VALUE = {"risk_factors": {"none"}}
COUNTRIES = ("UG", "KE", "CD", "CI", "IR", "SY", "TR", "US", "VG", "KP")


def test_the_table_labels_every_value_in_both_languages() -> None:
    assert set(CHOICE_LABELS) == set(LANGUAGES)
    for language in LANGUAGES:
        assert set(CHOICE_LABELS[language]) == set(CHOICES), language
        for slot, values in CHOICES.items():
            labels = CHOICE_LABELS[language][slot]
            assert set(labels) == set(values), (language, slot)
            assert all(label.strip() for label in labels.values()), (language, slot)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("slot", sorted(CHOICES))
def test_the_chat_buttons_say_the_table_labels(slot: str, language: str) -> None:
    titles = button_titles(DOMAIN, f"utter_ask_{slot}", language)
    values = {payload: title for payload, title in titles.items()
              if payload not in NOT_A_VALUE.get(slot, set())}
    assert values == CHOICE_LABELS[language][slot]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_chat_summary_and_the_console_say_the_same(language: str) -> None:
    for slot, values in CHOICES.items():
        for value in values:
            label = choice_label(slot, value, language)
            answer = [value] if slot == "risk_factors" else value
            assert display_value(slot, answer, DOMAIN, language) == label
            assert code_label(slot, value, language) == label
    for risk in CHOICES["risk_factors"]:  # the dashboard's priority factors too
        assert code_label("priority_factor", risk, language) == \
            choice_label("risk_factors", risk, language)
    for code in COUNTRIES:
        name = country_label(code, language)
        for slot in COUNTRY_SLOTS:
            assert display_value(slot, code, DOMAIN, language) == name
        assert console_country(code, language) == f"{name} ({code})"


def test_a_few_labels_read_as_the_chat_says_them() -> None:
    assert choice_label("hrd_activity", "journalism_media", "en") == "Journalism / media"
    assert choice_label("hrd_activity", "journalism_media", "fr") == "Journalisme / médias"
    assert choice_label("hrd_activity", "not_a_value", "en") is None
    assert country_label("UG", "fr") == "Ouganda"
    assert country_label("CD", "en") == "Democratic Republic of the Congo"
