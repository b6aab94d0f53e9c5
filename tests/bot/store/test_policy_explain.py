"""`hrd policy explain <reference>`: each rule, whether it held, the answer it read and
its source in the version the case was decided under; the view is audited."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.cli import main
from bot.rules import RULES, policy_by_id
from bot.store import case_events, submit_case

from .conftest import StoreEnv, answers, new_id


def explain(capsys: pytest.CaptureFixture[str], reference: str) -> tuple[int, str, str]:
    code = main(["policy", "explain", reference])
    out, err = capsys.readouterr()
    return code, out, err


def test_explain_prints_each_rule_with_what_it_read_and_its_source(
    store: StoreEnv, capsys: pytest.CaptureFixture[str]
) -> None:
    result = submit_case(intake_id=new_id(), sender_id="s", partner_org="unhcr",
                         answers=answers(current_country="UG", hrd_activity="none"),
                         submitted_at=datetime(2022, 6, 1, 3, 0, tzinfo=UTC))
    code, out, err = explain(capsys, result.reference)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    # 03:00 UTC on 1 June is 31 May in Ottawa.
    assert lines[0] == (f"{result.reference}: ineligible, within_cap, pathway none; "
                        "policy 2021-launch; submitted 2022-05-31 (Ottawa date)")
    policy = policy_by_id("2021-launch")
    for rule_id, rule in RULES.items():
        at = lines.index(next(line for line in lines if line.startswith(f"  {rule_id} ")))
        assert lines[at + 1].startswith("    read: ")
        for slot in rule.reads:
            assert f"{slot}=" in lines[at + 1]
        assert lines[at + 2] == f"    source: {policy.rule_source(rule_id)}"
    assert "  E1 outside their country of origin: did not hold (ineligible)" in lines
    assert "    read: country_of_origin='UG', current_country='UG'" in lines
    assert "  E2 fled persecution linked to their human rights work: held" in lines
    assert "  U1 life, liberty or physical safety under immediate threat: held (urgent)" in lines
    assert case_events(result.reference)[-1]["actor"] == "cli:policy-explain"


@pytest.mark.parametrize(("reference", "message"), [
    ("HRD-1999-00001", "no case HRD-1999-00001"),
    ("hrd-2024-1", "invalid reference 'hrd-2024-1': expected HRD-YYYY-NNNNN"),
])
def test_explain_errors(store: StoreEnv, capsys: pytest.CaptureFixture[str], reference: str,
                        message: str) -> None:
    code, out, err = explain(capsys, reference)
    assert (code, out, err) == (2, "", f"hrd: {message}\n")
