"""The one vocabulary for stored answers: what the chat and the console call each fixed
value and each country, in English and French.

The chat's wording is the contract: its buttons in domain.yml say exactly these labels
(tests/bot/intake/test_labels.py ties the two), its summary reads them from there, and the
console shows the same words (bot/console/i18n/labels.py). Countries have one source too:
pycountry's names through bot.intake.countries.country_name, in the chat's summary and on
the console's pages alike.
"""

from __future__ import annotations

from bot.intake.countries import country_name

__all__ = ["CHOICE_LABELS", "LANGUAGES", "choice_label", "country_label"]

LANGUAGES = ("en", "fr")

# language -> slot -> stored value -> label: every value of bot.intake.questions.CHOICES
# in both languages (tests/bot/intake/test_labels.py).
CHOICE_LABELS: dict[str, dict[str, dict[str, str]]] = {
    "en": {
        "hrd_activity": {
            "journalism_media": "Journalism / media",
            "environmental_land_rights": "Environmental or land rights",
            "women_rights": "Women's rights",
            "lgbtq2_rights": "LGBTQ2 rights",
            "indigenous_rights": "Indigenous rights",
            "labour_rights": "Labour rights",
            "legal_defence": "Legal defence",
            "humanitarian_work": "Humanitarian work",
            "anti_corruption": "Anti-corruption",
            "democracy_political": "Democracy / political rights",
            "minority_religious_rights": "Minority or religious rights",
            "other": "Other human rights work",
            "none": "None",
        },
        "persecution_agent": {
            "state": "State actors",
            "non_state": "Non-state actors",
            "both": "Both",
        },
        "refugee_status": {
            "recognized": "Recognized refugee",
            "asylum_seeker": "Asylum seeker",
            "none": "No status",
            "unknown": "Unknown",
        },
        "criminal_charges": {
            "none": "None",
            "related_to_hr_work": "Related to their human rights work",
            "unrelated": "Unrelated charges",
            "unknown": "Unknown",
        },
        "risk_factors": {"woman": "Woman", "lgbtq2": "LGBTQ2", "indigenous": "Indigenous"},
    },
    "fr": {
        "hrd_activity": {
            "journalism_media": "Journalisme / médias",
            "environmental_land_rights": "Droits environnementaux ou fonciers",
            "women_rights": "Droits des femmes",
            "lgbtq2_rights": "Droits des personnes LGBTQ2",
            "indigenous_rights": "Droits des Autochtones",
            "labour_rights": "Droits des travailleurs",
            "legal_defence": "Défense juridique",
            "humanitarian_work": "Travail humanitaire",
            "anti_corruption": "Lutte contre la corruption",
            "democracy_political": "Démocratie / droits politiques",
            "minority_religious_rights": "Droits des minorités ou droits religieux",
            "other": "Autre travail de défense des droits de la personne",
            "none": "Aucun",
        },
        "persecution_agent": {
            "state": "Acteurs étatiques",
            "non_state": "Acteurs non étatiques",
            "both": "Les deux",
        },
        "refugee_status": {
            "recognized": "Réfugié reconnu",
            "asylum_seeker": "Demandeur d'asile",
            "none": "Aucun statut",
            "unknown": "Inconnu",
        },
        "criminal_charges": {
            "none": "Aucune",
            "related_to_hr_work": "Liées à son travail de défense des droits de la personne",
            "unrelated": "Sans lien avec ce travail",
            "unknown": "Inconnu",
        },
        "risk_factors": {"woman": "Femme", "lgbtq2": "LGBTQ2", "indigenous": "Autochtone"},
    },
}

def choice_label(slot: str, value: object, language: str) -> str | None:
    """The label of a fixed value of `slot` (English when the language is unknown), or None
    when `value` is not one of the slot's values."""
    table = CHOICE_LABELS.get(language) or CHOICE_LABELS["en"]
    return table.get(slot, {}).get(str(value))


def country_label(code: str, language: str) -> str:
    """A country's name ("UG" -> "Uganda" / "Ouganda"); an unknown code stays as it is."""
    return country_name(code, language)
