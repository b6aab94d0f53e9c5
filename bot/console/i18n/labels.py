"""What the console shows for stored codes: a human label in the page's language.

The answers' fixed values and the countries are the chat's own words, from the one table in
bot/intake/labels.py (so a case reads the same in the chat's summary and on its page). The
console's own codes (statuses, outcomes, slots...) are English here, marked with
`NC_(kind, text)`: the kind is the gettext context, since one English word may need two
French ones (a "None" pathway is "Aucune", a "None" refugee status "Aucun"); their French is
in the catalog (locale/fr/LC_MESSAGES/messages.po).

Stored values, the case API and the CSV export keep the codes; a code without a label is
shown as it is."""

from __future__ import annotations

from typing import Any

from bot.console.i18n.catalog import DEFAULT_LANGUAGE, NC_, Gettext, translations
from bot.console.i18n.formats import local_number
from bot.intake.labels import CHOICE_LABELS, choice_label, country_label
from bot.intake.questions import BOOLEAN_SLOTS, CHOICES, COUNT_SLOTS, COUNTRY_SLOTS

# Kinds of code with their own labels; the answers' choices (CHOICES) come from the table.
CODE_LABELS: dict[str, dict[str, str]] = {
    "slot": {
        "partner_case_reference": NC_("slot", "Partner's case reference"),
        "consent_to_share": NC_("slot", "Consent to share with Canada"),
        "country_of_origin": NC_("slot", "Country of origin"),
        "current_country": NC_("slot", "Current country"),
        "hrd_activity": NC_("slot", "Human rights work"),
        "hrd_activity_description": NC_("slot", "Human rights work, in the caseworker's words"),
        "stateless": NC_("slot", "Stateless (country of origin is the former habitual residence)"),
        "persecution_agent": NC_("slot", "Persecuted by"),
        "fled_persecution": NC_("slot", "Fled persecution"),
        "refugee_status": NC_("slot", "Refugee status"),
        "safe_in_current_country": NC_("slot", "Safe in the current country"),
        "immediate_threat": NC_("slot", "Immediate threat"),
        "threat_description": NC_("slot", "Threat description"),
        "family_members": NC_("slot", "Family members to resettle"),
        "risk_factors": NC_("slot", "Risk factors"),
        "medical_needs": NC_("slot", "Medical needs"),
        "criminal_charges": NC_("slot", "Criminal charges"),
        "wants_resettlement_canada": NC_("slot", "Wants resettlement in Canada"),
        "summary_confirmed": NC_("slot", "Summary confirmed"),
    },
    "status": {
        "submitted": NC_("status", "Submitted"),
        "under_review": NC_("status", "Under review"),
        "referred_to_ircc": NC_("status", "Referred to IRCC"),
        "declined": NC_("status", "Declined"),
        "withdrawn": NC_("status", "Withdrawn"),
    },
    "eligibility": {
        "eligible": NC_("eligibility", "Eligible"),
        "ineligible": NC_("eligibility", "Ineligible"),
        "needs_review": NC_("eligibility", "Needs review"),
    },
    "pathway": {
        "hrd_stream": NC_("pathway", "Human rights defenders stream"),
        "urgent_protection": NC_("pathway", "Urgent Protection Program"),
        "none": NC_("pathway", "None"),
    },
    "priority": {
        "urgent": NC_("priority", "Urgent"),
        "high": NC_("priority", "High"),
        "standard": NC_("priority", "Standard"),
    },
    # The risk factors among the priority factors are labelled from the table (below).
    "priority_factor": {
        "medical_needs": NC_("priority_factor", "Medical needs"),
        "immediate_threat": NC_("priority_factor", "Immediate threat"),
    },
    "capacity": {
        "within_cap": NC_("capacity", "Within the cap"),
        "over_cap": NC_("capacity", "Over the cap"),
    },
    # What a rule did to the case (bot.rules.engine.Effect), on the explanation.
    "rule_effect": {
        "ineligible": NC_("rule_effect", "Ineligible"),
        "needs_review": NC_("rule_effect", "Needs review"),
        "flagged": NC_("rule_effect", "Flagged"),
        "urgent": NC_("rule_effect", "Urgent"),
        "refused": NC_("rule_effect", "Stopped"),
    },
    "urgency": {"urgent": NC_("urgency", "Urgent"), "not_urgent": NC_("urgency", "Not urgent")},
    "yes_no": {"yes": NC_("yes_no", "yes"), "no": NC_("yes_no", "no")},
}

# Kinds whose labels are the answers' choices in the one table: a kind -> its table slot.
TABLE_KINDS: dict[str, str] = {**{slot: slot for slot in CHOICES},
                               "priority_factor": "risk_factors"}


def _english_labels() -> dict[str, dict[str, str]]:
    labels = {kind: dict(table) for kind, table in CODE_LABELS.items()}
    for kind, slot in TABLE_KINDS.items():
        labels[kind] = {**CHOICE_LABELS["en"][slot], **labels.get(kind, {})}
    return labels


# Every kind's English labels, by code (what an English page shows).
ENGLISH_LABELS: dict[str, dict[str, str]] = _english_labels()


def code_label(kind: str, code: Any, language: str) -> str:
    if kind in TABLE_KINDS:
        found = choice_label(TABLE_KINDS[kind], code, language)
        if found:
            return found
    english = CODE_LABELS.get(kind, {}).get(str(code))
    if english is None:
        return str(code)
    return translations(language).pgettext(kind, english)


def country_name(code: str, language: str) -> str:
    """"Ouganda (UG)": the country's name in the page's language (the chat's own, from the
    table), and the code."""
    name = country_label(code, language)
    return f"{name} ({code})" if name and name != code else code


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
