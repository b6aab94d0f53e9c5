"""Issue 13's failure classes, end to end through the partner channel and the case store.

Each conversation is typed as a new caseworker would; the stored case (the case API's
object, `to_api_dict()`) must hold exactly what was meant, and the replies must say exactly
what changed.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest

from bot.store import get_case
from tests.e2e.conftest import Caseworker
from tests.support.servers import reply_texts

pytestmark = pytest.mark.e2e

REFERENCE = re.compile(r"\bHRD-\d{4}-\d{5}\b")

# Plain answers up to (not including) the activity question, and after the flight question.
OPENING = ("start a referral", "IV-{n}", "yes she consented", "Uganda", "she lives in Nairobi")
AFTER_FLIGHT = (
    "recognized refugee",
    "no, she is followed in Nairobi",
    "no",
    "4",
    "she is a woman",
    "no medical needs",
    "no charges",
    "yes she wants to go to Canada",
)


class Talk:
    def __init__(self, caseworker: Caseworker) -> None:
        self.caseworker = caseworker
        self.sender = f"iv-{uuid.uuid4().hex}"
        self.turns = 0

    def say(self, message: str) -> str:
        self.turns += 1
        return reply_texts(self.caseworker.say(self.sender, message))

    def requested(self) -> str | None:
        return self.caseworker.slots(self.sender).get("requested_slot")

    def slots(self) -> dict[str, Any]:
        return self.caseworker.slots(self.sender)

    def submit(self) -> dict[str, Any]:
        assert self.requested() == "summary_confirmed"
        reply = self.say("yes, that's all correct")
        match = REFERENCE.search(reply)
        assert match, reply
        case = get_case(match.group(0))
        assert case is not None
        return case.to_api_dict()


def _through(talk: Talk, answers: tuple[str, ...]) -> None:
    for answer in answers:
        talk.say(answer)


def _to_flight(caseworker: Caseworker, n: int) -> Talk:
    """A new referral answered up to the flight question."""
    talk = Talk(caseworker)
    _through(talk, (*(a.format(n=n) for a in OPENING), "journalist", "the police"))
    assert talk.requested() == "fled_persecution"
    return talk


def test_greeting_leads_and_an_acceptance_starts_the_form(caseworker: Caseworker) -> None:
    for hello, accept in (("hello", "sure, let's do it"), ("bonjour", "oui, allons-y")):
        talk = Talk(caseworker)
        reply = talk.say(hello)
        assert reply.rstrip().endswith("?"), reply
        reply = talk.say(accept)
        assert "didn't understand" not in reply and "pas compris" not in reply, reply
        assert talk.requested() == "partner_case_reference"


def test_a_no_with_a_reason_is_stored_as_no_and_the_decision_sees_it(
    caseworker: Caseworker,
) -> None:
    talk = _to_flight(caseworker, 1)
    talk.say("no, he left for economic reasons, his work had nothing to do with it")
    assert talk.slots()["fled_persecution"] is False
    assert talk.requested() == "refugee_status"  # no read-back, no re-ask
    _through(talk, AFTER_FLIGHT)
    case = talk.submit()
    assert case["answers"]["fled_persecution"] is False
    assert "E2" in case["decision"]["reasons"]


@pytest.mark.parametrize(
    ("answer", "lang"),
    [("he is still stuck there", "en"), ("she never got out", "en"),
     ("toujours bloquée là-bas", "fr")],
)
def test_natural_negatives_are_understood_at_once(
    caseworker: Caseworker, answer: str, lang: str
) -> None:
    talk = _to_flight(caseworker, 2)
    talk.say(answer)
    assert talk.slots()["fled_persecution"] is False
    assert talk.requested() == "refugee_status"


def test_a_correction_says_exactly_what_changed_and_is_stored(caseworker: Caseworker) -> None:
    talk = _to_flight(caseworker, 3)
    _through(talk, ("yes she fled", "recognized refugee", "no", "no", "four"))
    assert talk.requested() == "risk_factors"
    reply = talk.say("wait, I said four before, it is five people with her")
    assert "Family members: 5 (was 4)" in reply
    assert talk.requested() == "risk_factors"  # the question asked comes again
    reply = talk.say("sorry, the family is 5")
    assert "Nothing changed" in reply and "(was" not in reply
    _through(talk, ("she is a woman", "no medical needs", "no charges", "yes"))
    # At the summary: an exact change report, and the summary shows the new value.
    reply = talk.say("actually the family is 2")
    assert "Family members: 2 (was 5)" in reply
    assert "Family members coming: 2" in reply
    case = talk.submit()
    assert case["answers"]["family_members"] == 2


def test_activity_by_cause_and_a_pick_when_two_fit(caseworker: Caseworker) -> None:
    talk = Talk(caseworker)
    _through(talk, tuple(a.format(n=4) for a in OPENING))
    reply = talk.say("a journalist who investigates land grabs")
    assert talk.requested() == "confirm_hrd_activity"
    assert "1. Journalism" in reply and "2. Environmental" in reply
    talk.say("2")
    assert talk.requested() == "persecution_agent"
    _through(talk, ("the police", "yes she fled", *AFTER_FLIGHT))
    case = talk.submit()
    assert case["answers"]["hrd_activity"] == "environmental_land_rights"
    # The caseworker's own words are kept for the officer, outside the contract's answers.
    assert "hrd_activity_description" not in case["answers"]
    stored = get_case(case["reference"])
    assert stored is not None
    assert stored.answers["hrd_activity_description"] == "a journalist who investigates land grabs"

    for words, value in (("she campaigns against child marriage laws", "women_rights"),
                         ("il mobilise les villageois contre un barrage",
                          "environmental_land_rights")):
        talk = Talk(caseworker)
        _through(talk, tuple(a.format(n=5) for a in OPENING))
        talk.say(words)
        assert talk.slots()["hrd_activity"] == value
        assert talk.requested() == "persecution_agent"


def test_an_answer_mentioning_an_earlier_topic_is_not_a_correction(
    caseworker: Caseworker,
) -> None:
    talk = Talk(caseworker)
    _through(talk, tuple(a.format(n=6) for a in OPENING))
    talk.say("journalist")
    reply = talk.say("the ruling party's youth militia threatened him before he left the country")
    assert "changed" not in reply.lower()
    assert talk.requested() == "confirm_persecution_agent"  # which kind of agent?
    talk.say("both")
    assert talk.slots()["persecution_agent"] == "both"
    assert talk.slots()["fled_persecution"] is None
    assert talk.requested() == "fled_persecution"


def test_an_unsure_answer_is_read_back_and_a_no_asks_again(caseworker: Caseworker) -> None:
    talk = _to_flight(caseworker, 7)
    reply = talk.say("he left")
    assert talk.requested() == "confirm_fled_persecution"
    assert "I understood" in reply
    talk.say("no")
    assert talk.requested() == "fled_persecution"
    talk.say("no, he left for economic reasons")
    assert talk.slots()["fled_persecution"] is False
