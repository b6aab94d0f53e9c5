"""The consent gate as plain data: which questions the form asks, and who may submit."""

from __future__ import annotations

from bot.intake.consent import CONSENT_GATE, consent_given, consent_refused, form_questions
from bot.intake.questions import FORM_SLOTS


def test_a_refusal_ends_the_form_at_the_gate() -> None:
    assert form_questions({"consent_to_share": False}) == list(CONSENT_GATE)
    assert consent_refused({"consent_to_share": False})
    assert not consent_given({"consent_to_share": False})


def test_unanswered_consent_is_no_refusal_but_no_consent_either() -> None:
    questions = form_questions({})
    assert questions[: len(CONSENT_GATE)] == list(CONSENT_GATE)
    assert "threat_description" not in questions  # only after an immediate threat
    assert not consent_refused({}) and not consent_given({})
    assert not consent_given({"consent_to_share": "yes"})  # only a stored True counts


def test_with_consent_every_question_and_a_pending_readback_before_its_question() -> None:
    slots = {"consent_to_share": True, "immediate_threat": True,
             "readback": {"slot": "fled_persecution", "choices": [False]}}
    questions = form_questions(slots)
    assert consent_given(slots)
    assert [q for q in questions if not q.startswith("confirm_")] == list(FORM_SLOTS)
    at = questions.index("fled_persecution")
    assert questions[at - 1] == "confirm_fled_persecution"
