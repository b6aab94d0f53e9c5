"""Starting, cancelling, correcting, explaining and submitting, without a Rasa server."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from actions.cancel import ActionCancel, ActionHandleCancel
from actions.conversation import ActionFallback, ActionStartReferral
from actions.corrections import ActionApplyCorrection
from actions.draft_state import org_refusal
from actions.explain import ActionExplainQuestion
from actions.submit import ActionSubmitReferral
from actions.summary import ActionAskSummaryConfirmed
from tests.actions.support import FULL_ANSWERS, responses, run, slot_sets, tracker


@pytest.fixture(autouse=True)
def _no_dev_org(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HRD_DEV_PARTNER_ORG", raising=False)


def test_a_designated_partner_starts_the_form() -> None:
    events, messages = run(ActionStartReferral(), tracker({"partner_org": "unhcr"}))
    assert responses(messages) == ["utter_start_intro"]
    assert {"event": "active_loop", "name": "referral_form"} in [
        {k: e[k] for k in ("event", "name")} for e in events if e["event"] == "active_loop"
    ]
    assert slot_sets(events)["intake_id"]


@pytest.mark.parametrize("org", [None, "local_ngo"])
def test_an_organization_that_may_not_refer_is_stopped_before_any_question(org) -> None:
    events, messages = run(ActionStartReferral(), tracker({"partner_org": org}))
    assert responses(messages) == ["utter_org_cannot_refer"]
    # Named from the policy in force today (2023-doubled): every designated partner.
    assert messages[0]["partners"] == "Front Line Defenders, ProtectDefenders.eu, UNHCR"
    assert events == []


@pytest.mark.parametrize(("language", "partners"), [("en", "UNHCR"), ("fr", "HCR")])
def test_an_identifying_partner_is_sent_to_a_direct_one(language, partners) -> None:
    """Deviation 4: in 2022 Front Line Defenders is told to identify the case to UNHCR,
    not to work through itself."""
    state = tracker({"partner_org": "front_line_defenders", "language": language})
    refusal = org_refusal(state, on=datetime(2022, 6, 1, 15, tzinfo=UTC))
    assert refusal == ("utter_org_identify_only", {"partners": partners})
    assert org_refusal(state, on=datetime(2024, 6, 1, 15, tzinfo=UTC)) is None


def test_why_is_specific_to_the_question() -> None:
    state = tracker({"requested_slot": "family_members"}, text="why?", intent="ask_why")
    _, messages = run(ActionExplainQuestion(), state)
    assert responses(messages) == ["utter_why_family_members"]
    state = tracker({"requested_slot": "family_members"}, text="help", intent="ask_help")
    _, messages = run(ActionExplainQuestion(), state)
    assert responses(messages) == ["utter_help_family_members"]


def test_correction_changes_the_named_answer_and_asks_for_the_summary_again() -> None:
    slots = {**FULL_ANSWERS, "intake_id": "abc", "summary_confirmed": None}
    state = tracker(slots, text="actually the family is 2", intent="correct",
                    active_loop="referral_form")
    events, messages = run(ActionApplyCorrection(), state)
    values = slot_sets(events)
    assert values["family_members"] == 2
    assert values["summary_confirmed"] is None
    assert responses(messages) == ["utter_correction_changed"]


def test_cancel_asks_once_then_discards_everything() -> None:
    state = tracker({"partner_case_reference": "X", "intake_id": "abc"}, intent="cancel")
    events, _ = run(ActionCancel(), state)
    assert {"event": "active_loop", "name": "cancel_form"}.items() <= events[-1].items()
    done = tracker({**FULL_ANSWERS, "intake_id": "abc", "cancel_confirmed": True})
    events, messages = run(ActionHandleCancel(), done)
    assert responses(messages) == ["utter_cancelled"]
    cleared = slot_sets(events)
    assert all(cleared[slot] is None for slot in FULL_ANSWERS)
    assert cleared["intake_id"] is None


def test_fallback_offers_choices_the_second_time_in_a_row() -> None:
    first = tracker(
        text="blorp", intent="nlu_fallback", events=[{"event": "user", "text": "blorp"}]
    )
    _, messages = run(ActionFallback(), first)
    assert responses(messages) == ["utter_not_understood"]
    second = tracker(
        text="blorp again",
        intent="nlu_fallback",
        events=[
            {"event": "user", "text": "blorp"},
            {"event": "action", "name": "action_fallback"},
            {"event": "action", "name": "action_listen"},
            {"event": "user", "text": "blorp again"},
        ]
    )
    _, messages = run(ActionFallback(), second)
    assert responses(messages) == ["utter_not_understood_choices"]


def test_off_topic_is_answered_then_choices_are_offered_the_second_time() -> None:
    first = tracker(intent="out_of_scope", events=[{"event": "user", "text": "a joke?"}])
    _, messages = run(ActionFallback(), first)
    assert responses(messages) == ["utter_out_of_scope"]
    second = tracker(
        intent="out_of_scope",
        events=[
            {"event": "user", "text": "a joke?"},
            {"event": "action", "name": "action_fallback"},
            {"event": "user", "text": "another joke?"},
        ],
    )
    _, messages = run(ActionFallback(), second)
    assert responses(messages) == ["utter_not_understood_choices"]


def test_an_answer_read_as_off_topic_still_answers_a_non_country_question() -> None:
    from actions.conversation import ActionInterjection

    medical = tracker({"requested_slot": "medical_needs"}, intent="out_of_scope",
                      text="he has a heart condition that needs treatment",
                      active_loop="referral_form")
    events, messages = run(ActionInterjection(), medical)
    assert slot_sets(events)["medical_needs"] is True
    assert messages == []
    place = tracker({"requested_slot": "current_country"}, intent="out_of_scope",
                    text="what's the weather in Toronto", active_loop="referral_form")
    events, messages = run(ActionInterjection(), place)
    assert events == []
    assert responses(messages) == ["utter_out_of_scope"]


def test_refused_consent_stores_nothing_and_clears_the_draft() -> None:
    state = tracker({"partner_org": "unhcr", "partner_case_reference": "X",
                     "consent_to_share": False, "intake_id": "abc"})
    events, messages = run(ActionSubmitReferral(), state)
    assert responses(messages) == ["utter_consent_refused"]
    assert slot_sets(events)["partner_case_reference"] is None


def test_summary_shows_every_answer_by_its_label() -> None:
    _, messages = run(ActionAskSummaryConfirmed(), tracker(FULL_ANSWERS))
    summary = messages[0]
    assert summary["response"] == "utter_summary"
    assert summary["country_of_origin"] == "Uganda"
    assert summary["current_country"] == "Kenya"
    assert summary["hrd_activity"] == "Journalism / media"
    assert summary["risk_factors"] == "Woman, LGBTQ2"
    assert summary["family_members"] == "3"
    assert "Armed men came" in summary["threat_line"]
    assert responses(messages)[1] == "utter_ask_confirm_summary"
