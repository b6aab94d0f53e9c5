"""Conversation repair (issue 20) as plain data: the intents read from the words alone, skips,
stateless defenders, privacy answers from the settings, and the replies after an outcome."""

from __future__ import annotations

import pytest

from bot.intake.completion import next_steps_responses, outcome_facts, thanks_response
from bot.intake.privacy import PrivacySettings, privacy_messages, storage_location
from bot.intake.repair import (
    HANDOFF,
    NEXT_STEPS,
    PRIVACY,
    PROGRESS,
    REPEAT,
    privacy_topics,
    repair_intent,
    skip_kind,
)
from bot.intake.routing import route_answer

ALWAYS = lambda _name: True  # noqa: E731


@pytest.mark.parametrize(("text", "intent"), [
    ("can you repeat that?", REPEAT), ("say that again", REPEAT), ("pardon ?", REPEAT),
    ("vous pouvez répéter ?", REPEAT), ("Repeat", REPEAT),
    ("I'd like to talk to a person", HANDOFF), ("I need help from a human", HANDOFF),
    ("parler à une personne", HANDOFF),
    ("what happens with this data?", PRIVACY), ("who will see this?", PRIVACY),
    ("how long do you keep it?", PRIVACY), ("how do I withdraw it?", PRIVACY),
    ("privacy", PRIVACY), ("qui verra ces informations ?", PRIVACY),
    ("what happens now?", NEXT_STEPS), ("how long will it take?", NEXT_STEPS),
    ("combien de temps ça va prendre ?", NEXT_STEPS),
    ("skip this question", "inform"), ("je ne sais pas", "inform"),
])
def test_repair_intents_from_the_words(text: str, intent: str) -> None:
    assert repair_intent(text) == intent


@pytest.mark.parametrize("text", [
    "how many questions are left?", "How many more questions?", "is this almost done?",
    "how many questions left", "sorry, how many questions are left?", "how many more?",
    "how much longer?", "Are we almost done? I have a meeting at 3",
    "how many questions are there?", "almost done?",
    "combien de questions reste-t-il ?", "c'est bientôt fini ?", "Il reste combien de questions ?",
    "encore combien de questions ?", "est-ce que c'est bientôt fini ?", "c'est presque fini ?",
    "combien de questions svp",
])
def test_progress_questions_from_the_words(text: str) -> None:
    assert repair_intent(text) == PROGRESS


@pytest.mark.parametrize("text", [
    "how many people are in the family?", "how many people are in the family", "how many",
    "she doesn't know how much longer she can hide", "her studies are almost done",
    "the house was almost finished when they burned it",
    "elle dit que c'est bientôt fini pour elle", "ils ont dit que c'est presque fini pour lui",
    "combien de personnes dans la famille ?", "the police asked her many questions",
    "how long will it take?", "4", "questions",
])
def test_answers_and_other_questions_are_not_progress(text: str) -> None:
    assert repair_intent(text) != PROGRESS


@pytest.mark.parametrize("text", [
    "she was repeatedly arrested", "she works for a human rights group", "Nairobi", "Uganda",
    "the police", "I don't know exactly, maybe 3", "are you a real person?",
    "et maintenant elle vit à Nairobi",
])
def test_answers_are_never_repair_requests(text: str) -> None:
    assert repair_intent(text) is None


def test_privacy_topics() -> None:
    assert privacy_topics("who will see this?") == ("who",)
    assert privacy_topics("how long do you keep it?") == ("retention",)
    assert privacy_topics("what happens with this data?") == (
        "who", "storage", "retention", "withdraw")


def test_skip_at_a_question_with_unknown_is_unknown_and_said() -> None:
    route = route_answer("refugee_status", "skip", {}, ALWAYS)
    assert route.updates["refugee_status"] == "unknown"
    assert route.responses == ("utter_skipped_refugee_status",)
    assert route_answer("criminal_charges", "je ne sais pas", {}, ALWAYS).updates[
        "criminal_charges"] == "unknown"


def test_skip_at_a_required_question_explains_and_offers_to_pause() -> None:
    route = route_answer("country_of_origin", "skip this question", {}, ALWAYS)
    assert route.updates == {"country_of_origin": None}
    assert route.responses == ("utter_cannot_skip", "utter_why_country_of_origin",
                               "utter_cannot_skip_pause")
    assert route_answer("partner_case_reference", "passer", {}, ALWAYS).updates == {
        "partner_case_reference": None}


def test_optional_question_skip_is_not_disclosed_but_not_knowing_is_asked_again() -> None:
    assert route_answer("risk_factors", "skip", {}, ALWAYS).updates["risk_factors"] == []
    route = route_answer("risk_factors", "I don't know", {}, ALWAYS)
    assert route.updates == {"risk_factors": None}
    assert skip_kind("I don't know") == "dont_know"


@pytest.mark.parametrize("text", ["stateless", "Rohingya, no nationality", "Bidoon", "apatride"])
def test_stateless_is_recorded_and_no_country_guessed(text: str) -> None:
    route = route_answer("country_of_origin", text, {}, ALWAYS)
    assert route.updates["stateless"] is True
    assert route.updates["country_of_origin"] is None
    assert route.responses == ("utter_stateless_noted",)


def test_stateless_with_the_former_residence_named() -> None:
    route = route_answer("country_of_origin", "Bidoon, lived in Kuwait", {}, ALWAYS)
    assert route.updates["stateless"] is True
    assert route.updates["country_of_origin"] == "KW"


def _view(**changes) -> PrivacySettings:
    base = {"database_url": "sqlite:////srv/hrd/db/hrd.db", "key_from_setting": False,
            "retention_days": 30, "contact": "hrd@example.org", "organization": "UNHCR"}
    return PrivacySettings(**{**base, **changes})


def test_privacy_answers_follow_the_settings() -> None:
    messages = dict(privacy_messages(_view()))
    assert messages["utter_privacy_who"] == {"organization": "UNHCR"}
    assert messages["utter_privacy_storage_sqlite"] == {"location": "/srv/hrd/db"}
    assert "utter_privacy_key_file" in messages
    assert messages["utter_privacy_retention_days"] == {"days": 30}
    assert messages["utter_privacy_withdraw"] == {"contact": "hrd@example.org"}
    other = dict(privacy_messages(_view(
        database_url="postgresql://hrd:secret@db.internal:5432/hrd", key_from_setting=True,
        retention_days=None, contact=None)))
    assert other["utter_privacy_storage_postgresql"] == {"location": "db.internal"}
    assert "utter_privacy_key_setting" in other
    assert "utter_privacy_retention_unset" in other
    assert "utter_privacy_withdraw_no_contact" in other
    assert "secret" not in repr(other)
    assert storage_location("postgresql://u:p@h/db") == ("postgresql", "h")


def test_only_the_topics_asked() -> None:
    assert [n for n, _ in privacy_messages(_view(), ("retention",))] == [
        "utter_privacy_retention_days"]


def test_after_the_outcome() -> None:
    urgent = outcome_facts({"eligibility": "eligible", "urgent": True, "capacity": "within_cap"})
    assert next_steps_responses("what happens now?", urgent, False) == [
        "utter_next_steps_eligible", "utter_timeline_urgent"]
    assert next_steps_responses("how long will it take?", urgent, False) == [
        "utter_timeline_urgent"]
    standard = outcome_facts({"eligibility": "needs_review", "urgent": False,
                              "capacity": "over_cap"})
    assert next_steps_responses("how long will it take?", standard, False) == [
        "utter_timeline_waitlisted"]
    assert next_steps_responses("what now", None, False) == ["utter_next_steps_none"]
    assert next_steps_responses("what now", urgent, True) == ["utter_next_steps_in_form"]
    assert thanks_response(urgent, "HRD-2026-00001", False) == "utter_thanks_after_outcome"
    assert thanks_response(None, None, False) == "utter_you_are_welcome"
    assert thanks_response(outcome_facts(None), None, False) == "utter_you_are_welcome"
