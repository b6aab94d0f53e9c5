""""How many questions are left?" (issue 16), end to end through the authenticated partner
channel, in English and French: the position of the pending question, then that question
again, the draft unchanged; outside a referral, that none is in progress. A question that
only sounds like it ("how many people are in the family?") stays an answer.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Caseworker
from tests.e2e.test_repair import COUNTRY_QUESTION, REST, Talk, at_country

pytestmark = pytest.mark.e2e

FAMILY_QUESTION = {"en": "How many family members", "fr": "Combien de membres de la famille"}


@pytest.mark.parametrize(("lang", "message", "said"), [
    ("en", "how many questions are left?", "This is question 3 of 16: 13 more after this one"),
    ("en", "is this almost done?", "This is question 3 of 16: 13 more after this one"),
    ("fr", "combien de questions reste-t-il ?",
     "C'est la question 3 sur 16 : il en reste 13 après celle-ci"),
    ("fr", "c'est bientôt fini ?", "C'est la question 3 sur 16 : il en reste 13 après celle-ci"),
])
def test_the_position_then_the_same_question(
    caseworker: Caseworker, lang: str, message: str, said: str
) -> None:
    talk = at_country(caseworker, lang)
    before = talk.draft()
    reply = talk.say(message)
    assert said in reply, talk.log()
    assert COUNTRY_QUESTION[lang] in reply, talk.log()  # asked again
    assert reply.index(said) < reply.index(COUNTRY_QUESTION[lang])
    assert talk.draft() == before


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_later_in_the_form_and_the_next_answer_still_counts(caseworker: Caseworker,
                                                            lang: str) -> None:
    talk = at_country(caseworker, lang)
    for answer in REST[lang][:8]:
        talk.say(answer)
    assert talk.slots()["requested_slot"] == "family_members", talk.log()
    before = talk.draft()
    reply = talk.say({"en": "how many more questions?",
                      "fr": "il reste combien de questions ?"}[lang])
    assert {"en": "This is question 12 of 16: 4 more after this one",
            "fr": "C'est la question 12 sur 16 : il en reste 4 après celle-ci"}[lang] in reply, \
        talk.log()
    assert talk.draft() == before
    # Sounds like a progress question, but is about the family: never the progress reply.
    reply = talk.say({"en": "how many people are in the family?",
                      "fr": "combien de personnes dans la famille ?"}[lang])
    assert "16" not in reply, talk.log()
    assert talk.draft()["family_members"] is None
    talk.say(REST[lang][8])  # the answer, taken as usual
    after = talk.draft()
    assert after["family_members"] is not None, talk.log()
    assert after["requested_slot"] == "risk_factors", talk.log()


@pytest.mark.parametrize(("lang", "opener", "message", "said"), [
    ("en", "hello", "how many questions are left?", "No referral is in progress"),
    ("fr", "bonjour, je travaille au HCR", "c'est bientôt fini ?",
     "Aucune recommandation n'est en cours"),
])
def test_outside_a_referral(caseworker: Caseworker, lang: str, opener: str, message: str,
                            said: str) -> None:
    talk = Talk(caseworker, lang)
    talk.say(opener)
    reply = talk.say(message)
    assert said in reply, talk.log()
    assert talk.draft()["requested_slot"] is None
    assert talk.slots()["intake_id"] is None


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_at_the_summary_no_question_is_left(caseworker: Caseworker, lang: str) -> None:
    talk = at_country(caseworker, lang)
    for answer in REST[lang]:
        talk.say(answer)
    assert talk.slots()["requested_slot"] == "summary_confirmed", talk.log()
    before = talk.draft()
    reply = talk.say({"en": "is this almost done?", "fr": "c'est bientôt fini ?"}[lang])
    said = {"en": "All 16 questions are answered", "fr": "Les 16 questions ont toutes une réponse"}
    summary = {"en": "Here is the referral", "fr": "Voici la recommandation"}
    assert said[lang] in reply and summary[lang] in reply, talk.log()  # the summary again
    assert talk.draft() == before
