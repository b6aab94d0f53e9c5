"""CSV export of the supervisor's filtered case list: the decision, the review state and
the answers, without threat_description unless asked for. Cells that a spreadsheet would
run as a formula are defused."""

from __future__ import annotations

import csv
import io
from typing import Any

from bot.console.review.queries import CaseRow
from bot.intake.questions import FORM_SLOTS
from bot.store import get_case

SENSITIVE_SLOT = "threat_description"
CASE_COLUMNS = ("reference", "partner_org", "submitted_at", "status", "eligibility", "urgent",
                "pathway", "priority", "priority_factors", "case_size", "capacity",
                "policy_version", "reviewed", "tags")
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


def cases_csv(rows: list[CaseRow], include_threat: bool) -> str:
    answers_wanted = answer_columns(include_threat)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*CASE_COLUMNS, *answers_wanted])
    for row in rows:
        record = get_case(row.reference)
        answers = record.answers if record else {}
        writer.writerow([
            _cell(row.reference), _cell(row.partner_org), row.submitted_at.isoformat(),
            _cell(row.status), _cell(row.eligibility), _cell(row.urgent), _cell(row.pathway),
            _cell(row.priority), _cell(row.priority_factors), _cell(row.case_size),
            _cell(row.capacity), _cell(row.policy_version), _cell(row.reviewed),
            _cell(row.tags), *(_cell(answers.get(slot)) for slot in answers_wanted)])
    return out.getvalue()
