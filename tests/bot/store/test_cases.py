"""submit_case and the case queries: references, idempotency, decisions, audit, encryption."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from bot.rules import PreconditionFailed
from bot.store import (
    CaseNotFound,
    UnknownOrganization,
    case_events,
    db,
    get_case,
    list_cases,
    record_event,
    spaces_used,
    submit_case,
    update_status,
)

from .conftest import StoreEnv, answers, new_id

REFERENCE = re.compile(r"^HRD-\d{4}-\d{5}$")


def at(year: int, month: int = 3, day: int = 1) -> datetime:
    return datetime(year, month, day, 12, 0, tzinfo=UTC)


def submit(year: int = 2030, **overrides) -> object:
    return submit_case(intake_id=new_id(), sender_id=new_id("sender"), partner_org="unhcr",
                       answers=answers(**overrides), submitted_at=at(year))


def test_references_follow_the_year_sequence(store: StoreEnv) -> None:
    refs = [submit(2030).reference for _ in range(3)]
    assert refs == ["HRD-2030-00001", "HRD-2030-00002", "HRD-2030-00003"]
    assert submit(2031).reference == "HRD-2031-00001"  # every year starts again at 1
    assert all(REFERENCE.match(r) for r in refs)


def test_year_is_the_ottawa_year_of_submission(store: StoreEnv) -> None:
    """Deviation 7: 31 December at 20:00 in Ottawa counts in that year, not the next."""
    from datetime import timedelta, timezone

    late_evening_in_toronto = datetime(2032, 12, 31, 20, 0, tzinfo=timezone(timedelta(hours=-5)))
    result = submit_case(intake_id=new_id(), sender_id="s", partner_org="unhcr",
                         answers=answers(), submitted_at=late_evening_in_toronto)
    assert result.reference == "HRD-2032-00001"
    assert get_case(result.reference).submitted_at == datetime(2033, 1, 1, 1, 0, tzinfo=UTC)
    assert spaces_used(2032) == 3 and spaces_used(2033) == 0
    # Written in Paris (UTC+1), 02:00 on 1 January is still 31 December in Ottawa...
    paris = timezone(timedelta(hours=1))
    result = submit_case(intake_id=new_id(), sender_id="s", partner_org="unhcr",
                         answers=answers(), submitted_at=datetime(2033, 1, 1, 2, 0, tzinfo=paris))
    assert result.reference == "HRD-2032-00002"
    # ... and 06:00 in Paris is 00:00 in Ottawa: the new year.
    result = submit_case(intake_id=new_id(), sender_id="s", partner_org="unhcr",
                         answers=answers(), submitted_at=datetime(2033, 1, 1, 6, 0, tzinfo=paris))
    assert result.reference == "HRD-2033-00001"


def test_the_policy_in_force_is_taken_on_the_ottawa_date(store: StoreEnv) -> None:
    # 25 July 2023 03:30 UTC is 24 July in Ottawa: the 250 cap still applies.
    result = submit_case(intake_id=new_id(), sender_id="s", partner_org="unhcr",
                         answers=answers(), submitted_at=datetime(2023, 7, 25, 3, 30, tzinfo=UTC))
    assert result.decision["policy_version"] == "2023-direct-referrals"


@pytest.mark.parametrize(
    "consent", [False, None, "yes", 1], ids=["refused", "missing", "text", "number"])
def test_the_store_refuses_an_intake_without_consent(store: StoreEnv, consent) -> None:
    """Deviation 6: submit_case itself enforces consent; nothing is stored."""
    given = answers(consent_to_share=consent)
    if consent is None:
        del given["consent_to_share"]
    with pytest.raises(ValueError, match="consent_to_share") as raised:
        submit_case(intake_id=new_id(), sender_id="s", partner_org="unhcr", answers=given,
                    submitted_at=at(2041))
    if consent is False:
        assert isinstance(raised.value, PreconditionFailed)
    assert list_cases(year=2041) == []
    with db.engine().connect() as connection:
        counters = connection.execute(sa.text(
            "SELECT count(*) FROM reference_counters WHERE year = 2041")).scalar_one()
    assert counters == 0


def test_same_intake_twice_returns_the_first_case(store: StoreEnv) -> None:
    intake = new_id()
    first = submit_case(intake_id=intake, sender_id="s1", partner_org="unhcr",
                        answers=answers(), submitted_at=at(2034))
    again = submit_case(intake_id=intake, sender_id="s1", partner_org="unhcr",
                        answers=answers(family_members=9), submitted_at=at(2034))
    assert first.created and not again.created
    assert again.reference == first.reference and again.decision == first.decision
    assert len(list_cases(year=2034)) == 1


def test_decision_saved_with_filterable_fields(store: StoreEnv) -> None:
    result = submit_case(intake_id=new_id(), sender_id="s", partner_org="front_line_defenders",
                         answers=answers(current_country="UG", immediate_threat=False,
                                         family_members=0),
                         submitted_at=at(2035), created_by=7)
    assert result.decision["eligibility"] == "ineligible"
    assert result.decision["reasons"] == ["E1"]
    case = get_case(result.reference)
    assert case is not None
    assert case.decision == result.decision
    assert case.in_country is True and case.created_by == 7
    assert case.partner_org == "front_line_defenders" and case.status == "submitted"
    assert case.answers == answers(current_country="UG", immediate_threat=False, family_members=0)
    api = case.to_api_dict()
    assert set(api) == {"reference", "partner_org", "submitted_at", "status", "answers", "decision"}
    with db.engine().connect() as connection:
        row = connection.execute(sa.text(
            "SELECT eligibility, urgent, pathway, priority, capacity, case_size, policy_version, "
            "in_country, counts_against_cap FROM cases WHERE reference = :r"
        ), {"r": result.reference}).one()
    assert tuple(row) == ("ineligible", False, "none", "high", "within_cap", 1,
                          "2023-doubled", True, False)


def test_spaces_used_counts_eligible_and_needs_review_only(store: StoreEnv) -> None:
    submit(2036, family_members=2)  # eligible: 3
    submit(2036, family_members=1, refugee_status="unknown")  # needs_review: 2
    submit(2036, family_members=5, fled_persecution=False)  # ineligible: 0
    assert spaces_used(2036) == 5
    assert spaces_used(2037) == 0


def test_withdrawn_or_declined_cases_free_their_spaces(store: StoreEnv) -> None:
    kept = submit(2042, family_members=2).reference
    withdrawn = submit(2042, family_members=4).reference
    declined = submit(2042, family_members=0).reference
    assert spaces_used(2042) == 3 + 5 + 1
    update_status(withdrawn, "withdrawn", actor="user:1")
    update_status(declined, "declined", actor="user:1")
    update_status(kept, "referred_to_ircc", actor="user:1")
    assert spaces_used(2042) == 3


def test_list_cases_filters(store: StoreEnv) -> None:
    a = submit(2038, immediate_threat=False)
    b = submit(2038, refugee_status="none")
    update_status(b.reference, "under_review", actor="user:1")
    assert [c.reference for c in list_cases(year=2038)] == [a.reference, b.reference]
    assert [c.reference for c in list_cases(year=2038, status="under_review")] == [b.reference]
    assert [c.reference for c in list_cases(year=2038, eligibility="needs_review")] == [b.reference]
    assert [c.reference for c in list_cases(year=2038, urgent=False)] == [a.reference]
    assert list_cases(year=2038, partner="front_line_defenders") == []
    assert "answers" not in list_cases(year=2038)[0].to_api_dict()


def test_audit_trail(store: StoreEnv) -> None:
    ref = submit(2039).reference
    get_case(ref, viewed_by="user:2")
    update_status(ref, "declined", actor="user:3")
    record_event(ref, actor="user:3", action="note_added", detail={"code": "N1"})
    assert [(e["actor"], e["action"]) for e in case_events(ref)] == [
        ("system", "submitted"), ("user:2", "viewed"), ("user:3", "status_changed"),
        ("user:3", "note_added"),
    ]
    assert case_events(ref)[2]["detail"] == {"from": "submitted", "to": "declined"}


def test_audit_detail_refuses_free_text(store: StoreEnv) -> None:
    ref = submit(2039).reference
    with pytest.raises(ValueError):
        record_event(ref, actor="user:1", action="note", detail={"text": "x" * 500})


def test_errors(store: StoreEnv) -> None:
    with pytest.raises(UnknownOrganization):
        submit_case(intake_id=new_id(), sender_id="s", partner_org="nobody", answers=answers(),
                    submitted_at=at(2040))
    with pytest.raises(ValueError):
        submit_case(intake_id=new_id(), sender_id="s", partner_org="unhcr",
                    answers=answers(family_members=99), submitted_at=at(2040))
    with pytest.raises(ValueError):
        update_status("HRD-2040-00001", "lost", actor="x")
    with pytest.raises(CaseNotFound):
        update_status("HRD-1999-00001", "declined", actor="x")
    assert get_case("HRD-1999-00001") is None
    assert list_cases(year=2040) == []  # nothing half-saved


def test_answers_ciphertext_cannot_be_moved_to_another_case(store: StoreEnv) -> None:
    a, b = submit(2041).reference, submit(2041).reference
    with db.engine().begin() as connection:
        blob = connection.execute(sa.text("SELECT answers FROM cases WHERE reference = :r"),
                                  {"r": a}).scalar_one()
        connection.execute(sa.text("UPDATE cases SET answers = :a WHERE reference = :r"),
                           {"a": blob, "r": b})
    assert get_case(b) is None  # refused, as if absent: never the other case's answers


def test_answers_never_stored_or_logged_in_clear(
    store: StoreEnv, caplog: pytest.LogCaptureFixture
) -> None:
    marker = "ZEBRA-" + new_id("marker")
    with caplog.at_level(logging.DEBUG):
        ref = submit(2042, threat_description=f"threatened at {marker}",
                     partner_case_reference=marker[:60]).reference
        assert marker in get_case(ref).answers["threat_description"]
    assert marker not in caplog.text and ref in caplog.text
    stored = store.stored_bytes()
    assert ref.encode() in stored  # the dump really holds the case...
    store.assert_not_stored(marker)  # ...but not its answers
