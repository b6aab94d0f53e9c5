"""Issue 20's actions in process: what they say, and that none of them touches the draft."""

from __future__ import annotations

import pytest

from actions.repair import (
    ActionAskCountryOfOrigin,
    ActionHumanHandoff,
    ActionNextSteps,
    ActionPrivacy,
    ActionRepeatQuestion,
    ActionThank,
)
from actions.summary import ActionAskSummaryConfirmed
from tests.actions.support import FULL_ANSWERS, responses, run, tracker


@pytest.fixture(autouse=True)
def _settings(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("HRD_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("HRD_DATA_KEY", raising=False)
    monkeypatch.setenv("HRD_RETENTION_DAYS", "45")
    monkeypatch.delenv("HRD_HANDOFF_CONTACT", raising=False)


def test_stateless_defender_is_asked_the_former_residence() -> None:
    _, said = run(ActionAskCountryOfOrigin(), tracker({"stateless": True}))
    assert responses(said) == ["utter_ask_former_residence"]
    _, said = run(ActionAskCountryOfOrigin(), tracker())
    assert responses(said) == ["utter_ask_country_of_origin"]


def test_repeat_in_the_form_leads_in_and_outside_says_the_last_turn_again() -> None:
    events, said = run(ActionRepeatQuestion(), tracker(active_loop="referral_form"))
    assert (events, responses(said)) == ([], ["utter_repeat_lead"])
    history = [
        {"event": "user", "text": "hello"},
        {"event": "bot", "text": "Hello! Shall we start?", "data": {"buttons": [
            {"title": "Yes", "payload": "yes"}]}},
        {"event": "user", "text": "repeat"},
    ]
    events, said = run(ActionRepeatQuestion(), tracker(events=history))
    assert events == []
    assert [(m["text"], m["buttons"]) for m in said] == [
        ("Hello! Shall we start?", [{"title": "Yes", "payload": "yes"}])]
    _, said = run(ActionRepeatQuestion(), tracker())
    assert responses(said) == ["utter_nothing_to_repeat"]


def test_handoff_without_a_contact_route_says_so_and_changes_nothing() -> None:
    events, said = run(ActionHumanHandoff(), tracker())
    assert (events, responses(said)) == ([], ["utter_handoff_no_contact"])


def test_handoff_with_a_draft_flags_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HRD_HANDOFF_CONTACT", "+1 613 555 0100")
    flagged: list[dict] = []
    monkeypatch.setattr("actions.repair.flag_draft", lambda **kw: flagged.append(kw))
    state = tracker({"intake_id": "i-1", "partner_org": "unhcr",
                     "requested_slot": "family_members"}, active_loop="referral_form")
    events, said = run(ActionHumanHandoff(), state)
    assert events == []
    assert responses(said) == ["utter_handoff_contact", "utter_handoff_flagged",
                               "utter_handoff_continue"]
    assert said[0]["contact"] == "+1 613 555 0100"
    assert flagged == [{"intake_id": "i-1", "sender_id": "test-sender", "partner_org": "unhcr",
                        "reason": "human_handoff", "question": "family_members"}]


def test_handoff_still_gives_the_route_when_the_flag_cannot_be_saved(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HRD_HANDOFF_CONTACT", "desk@example.org")

    def down(**_kw: object) -> None:
        raise ConnectionError("database down")

    monkeypatch.setattr("actions.repair.flag_draft", down)
    state = tracker({"intake_id": "i-1", "partner_org": "unhcr"}, active_loop="referral_form")
    _, said = run(ActionHumanHandoff(), state)
    assert responses(said) == ["utter_handoff_contact", "utter_handoff_continue"]


def test_privacy_from_the_real_settings(tmp_path) -> None:
    events, said = run(ActionPrivacy(), tracker({"partner_org": "unhcr"},
                                                text="how long do you keep it?"))
    assert events == []
    assert responses(said) == ["utter_privacy_retention_days"]
    assert said[0]["days"] == 45
    _, said = run(ActionPrivacy(), tracker({"partner_org": "unhcr"}, text="privacy"))
    by_name = {m["response"]: m for m in said}
    assert by_name["utter_privacy_who"]["organization"] == "UNHCR"
    assert by_name["utter_privacy_storage_sqlite"]["location"].startswith(str(tmp_path))
    assert "utter_privacy_key_file" in by_name
    assert "utter_privacy_withdraw_no_contact" in by_name


def test_after_the_outcome() -> None:
    outcome = {"eligibility": "eligible", "urgent": True, "waitlisted": False}
    state = tracker({"last_outcome": outcome, "last_case_reference": "HRD-2026-00007"},
                    text="what happens now?")
    events, said = run(ActionNextSteps(), state)
    assert events == []
    assert responses(said) == ["utter_next_steps_eligible", "utter_timeline_urgent"]
    assert said[0]["reference"] == "HRD-2026-00007"
    _, said = run(ActionThank(), state)
    assert responses(said) == ["utter_thanks_after_outcome"]
    _, said = run(ActionThank(), tracker())
    assert responses(said) == ["utter_you_are_welcome"]


def test_the_summary_says_stateless() -> None:
    _, said = run(ActionAskSummaryConfirmed(), tracker({**FULL_ANSWERS, "stateless": True}))
    assert "Stateless: yes" in said[0]["stateless_line"]
    _, said = run(ActionAskSummaryConfirmed(), tracker(FULL_ANSWERS))
    assert said[0]["stateless_line"] == ""
