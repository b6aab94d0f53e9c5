"""What the console shows for stored codes: a human label in the page's language. Labels
are per kind of code (one English word may need two French ones: a "None" pathway is
"Aucune", a "None" refugee status "Aucun"), so they are tables by language, kind and code
rather than catalog entries: English here, French in bot/console/i18n/catalog_fr.py.

Stored values, the case API and the CSV export keep the codes; a code without a label is
shown as it is."""

from __future__ import annotations

from typing import Any

from babel import Locale

from bot.console.i18n.catalog import DEFAULT_LANGUAGE, Gettext
from bot.console.i18n.catalog_fr import FRENCH_LABELS
from bot.console.i18n.formats import babel_locale, local_number
from bot.intake.questions import BOOLEAN_SLOTS, CHOICES, COUNT_SLOTS, COUNTRY_SLOTS

ENGLISH_LABELS: dict[str, dict[str, str]] = {
    "slot": {
        "partner_case_reference": "Partner's case reference",
        "consent_to_share": "Consent to share with Canada",
        "country_of_origin": "Country of origin",
        "current_country": "Current country",
        "hrd_activity": "Human rights work",
        "hrd_activity_description": "Human rights work, in the caseworker's words",
        "persecution_agent": "Persecuted by",
        "fled_persecution": "Fled persecution",
        "refugee_status": "Refugee status",
        "safe_in_current_country": "Safe in the current country",
        "immediate_threat": "Immediate threat",
        "threat_description": "Threat description",
        "family_members": "Family members to resettle",
        "risk_factors": "Risk factors",
        "medical_needs": "Medical needs",
        "criminal_charges": "Criminal charges",
        "wants_resettlement_canada": "Wants resettlement in Canada",
        "summary_confirmed": "Summary confirmed",
    },
    "status": {
        "submitted": "Submitted",
        "under_review": "Under review",
        "referred_to_ircc": "Referred to IRCC",
        "declined": "Declined",
        "withdrawn": "Withdrawn",
    },
    "eligibility": {
        "eligible": "Eligible",
        "ineligible": "Ineligible",
        "needs_review": "Needs review",
    },
    "pathway": {
        "hrd_stream": "Human rights defenders stream",
        "urgent_protection": "Urgent Protection Program",
        "none": "None",
    },
    "priority": {"urgent": "Urgent", "high": "High", "standard": "Standard"},
    "priority_factor": {
        "woman": "Woman",
        "lgbtq2": "2SLGBTQI+",
        "indigenous": "Indigenous",
        "medical_needs": "Medical needs",
        "immediate_threat": "Immediate threat",
    },
    "capacity": {"within_cap": "Within the cap", "over_cap": "Over the cap"},
    # What a rule did to the case (bot.rules.engine.Effect), on the explanation.
    "rule_effect": {"ineligible": "Ineligible", "needs_review": "Needs review",
                    "flagged": "Flagged", "urgent": "Urgent", "refused": "Stopped"},
    "urgency": {"urgent": "Urgent", "not_urgent": "Not urgent"},
    "yes_no": {"yes": "yes", "no": "no"},
    "hrd_activity": {
        "journalism_media": "Journalism and media",
        "environmental_land_rights": "Environmental and land rights",
        "women_rights": "Women's rights",
        "lgbtq2_rights": "2SLGBTQI+ rights",
        "indigenous_rights": "Indigenous rights",
        "labour_rights": "Labour rights",
        "legal_defence": "Legal defence",
        "humanitarian_work": "Humanitarian work",
        "anti_corruption": "Anti-corruption",
        "democracy_political": "Democracy and political rights",
        "minority_religious_rights": "Minority and religious rights",
        "other": "Other",
        "none": "None",
    },
    "persecution_agent": {"state": "The state", "non_state": "Non-state actors", "both": "Both"},
    "refugee_status": {
        "recognized": "Recognized refugee",
        "asylum_seeker": "Asylum seeker",
        "none": "None",
        "unknown": "Unknown",
    },
    "criminal_charges": {
        "none": "None",
        "related_to_hr_work": "Related to human rights work",
        "unrelated": "Unrelated to human rights work",
        "unknown": "Unknown",
    },
    "risk_factors": {"woman": "Woman", "lgbtq2": "2SLGBTQI+", "indigenous": "Indigenous"},
}

LABELS: dict[str, dict[str, dict[str, str]]] = {"en": ENGLISH_LABELS, "fr": FRENCH_LABELS}


def code_label(kind: str, code: Any, language: str) -> str:
    table = LABELS.get(language, ENGLISH_LABELS).get(kind, {})
    return table.get(str(code)) or ENGLISH_LABELS.get(kind, {}).get(str(code)) or str(code)


def country_name(code: str, language: str) -> str:
    """"Ouganda (UG)": the name in the page's language from Babel's data, and the code."""
    name = Locale.parse(babel_locale(language)).territories.get(code.upper())
    return f"{name} ({code})" if name else code


def answer_text(slot: str, value: Any, gettext: Gettext,
                language: str = DEFAULT_LANGUAGE) -> str:
    """One answer as the answers table shows it; free text stays as typed."""
    if value is None:
        return "–"
    if slot in BOOLEAN_SLOTS or isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if slot in COUNTRY_SLOTS and isinstance(value, str):
        return country_name(value, language)
    if slot in COUNT_SLOTS and isinstance(value, int | float):
        return local_number(value, language)
    if slot in CHOICES:
        values = value if isinstance(value, list | tuple) else [value]
        if not values:
            return gettext("none declared")
        return ", ".join(code_label(slot, v, language) for v in values)
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)
