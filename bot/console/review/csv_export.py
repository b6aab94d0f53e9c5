"""CSV export of the supervisor's filtered case list: the decision, the review state and
the answers, without threat_description unless asked for. Cells that a spreadsheet would
run as a formula are defused."""

from __future__ import annotations

import csv
import io
from typing import Any

from bot.console.i18n.catalog import translator
from bot.console.i18n.labels import answer_text, code_label
from bot.console.review.names import organization_name, policy_label
from bot.console.review.queries import CaseRow
from bot.intake.questions import CHOICES, COUNTRY_SLOTS, FORM_SLOTS
from bot.store import get_case

SENSITIVE_SLOT = "threat_description"
CASE_COLUMNS = ("reference", "partner_org", "submitted_at", "status", "eligibility", "urgent",
                "pathway", "priority", "priority_factors", "case_size", "capacity",
                "policy_version", "reviewed", "tags")
# Labels in the page's language beside the codes (after them: the code columns keep their
# places for whoever reads the file by position).
LABEL_COLUMNS = ("partner_name", "status_label", "eligibility_label", "pathway_label",
                 "priority_label", "capacity_label", "policy_label")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def answer_columns(include_threat: bool) -> tuple[str, ...]:
    return tuple(s for s in FORM_SLOTS
                 if s != "summary_confirmed" and (include_threat or s != SENSITIVE_SLOT))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        value = ";".join(str(v) for v in value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _labelled(slot: str) -> bool:
    return slot in CHOICES or slot in COUNTRY_SLOTS


def cases_csv(rows: list[CaseRow], include_threat: bool, language: str = "en") -> str:
    answers_wanted = answer_columns(include_threat)
    answer_labels = [s for s in answers_wanted if _labelled(s)]
    gettext = translator(language)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*CASE_COLUMNS, *answers_wanted, *LABEL_COLUMNS,
                     *(f"{s}_label" for s in answer_labels)])
    for row in rows:
        record = get_case(row.reference)
        answers = record.answers if record else {}
        writer.writerow([
            _cell(row.reference), _cell(row.partner_org), row.submitted_at.isoformat(),
            _cell(row.status), _cell(row.eligibility), _cell(row.urgent), _cell(row.pathway),
            _cell(row.priority), _cell(row.priority_factors), _cell(row.case_size),
            _cell(row.capacity), _cell(row.policy_version), _cell(row.reviewed),
            _cell(row.tags), *(_cell(answers.get(slot)) for slot in answers_wanted),
            _cell(organization_name(row.partner_org)),
            *(_cell(code_label(kind, code, language)) for kind, code in (
                ("status", row.status), ("eligibility", row.eligibility),
                ("pathway", row.pathway), ("priority", row.priority),
                ("capacity", row.capacity))),
            _cell(policy_label(row.policy_version, language)),
            *(_cell(answer_text(s, answers.get(s), gettext, language)
                    if s in answers else None) for s in answer_labels)])
    return out.getvalue()
