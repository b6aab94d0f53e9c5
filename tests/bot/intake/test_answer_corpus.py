"""The answer corpus: never silently wrong, and understood without asking back >= 95%."""

from __future__ import annotations

import pytest

from tests.bot.intake.answer_corpus import (
    ASK_BACK,
    UNDERSTOOD,
    WRONG,
    files,
    score_all,
    score_file,
    table,
)

RESULTS = score_all()


def test_corpus_has_40_answers_per_question_and_language() -> None:
    rows = table(RESULTS)
    assert {lang for _, lang, *_ in rows} == {"en", "fr"}
    assert len(rows) >= 32  # 15 questions + corrections, in two languages
    short = {(q, lang): n for q, lang, n, *_ in rows if n < 40}
    assert not short


@pytest.mark.parametrize("path", files(), ids=lambda p: p.stem)
def test_nothing_is_silently_wrong(path) -> None:
    wrong = [(r.text, r.got, r.expected) for r in score_file(path) if r.outcome == WRONG]
    assert wrong == []


def test_understood_without_asking_back() -> None:
    with_value = [r for r in RESULTS if r.expected != ASK_BACK]
    understood = sum(r.outcome == UNDERSTOOD for r in with_value) / len(with_value)
    assert understood >= 0.95
