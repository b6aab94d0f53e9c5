"""The whole service in French, through the authenticated partner channel.

A partner user made with `hrd users add` talks to the production channel; the account has
no language preference yet, so the conversation starts in English and switches to French
because the caseworker writes French (bot.nlu.language_detector).
"""

from __future__ import annotations

import re
import secrets

import pytest

from bot.intake.countries import country_name
from bot.store import get_case
from tests.e2e.conftest import Caseworker
from tests.e2e.referrals import Referral
from tests.e2e.referrals_fr import REFERRALS_FR
from tests.support.servers import reply_texts

pytestmark = pytest.mark.e2e

REFERENCE = re.compile(r"\bHRD-\d{4}-\d{5}\b")


@pytest.mark.parametrize("referral", REFERRALS_FR, ids=lambda r: r.name)
def test_complete_french_referral(caseworker: Caseworker, referral: Referral) -> None:
    sender = f"fr-{secrets.token_hex(8)}"
    transcript: list[str] = []

    def say(text: str) -> str:
        reply = reply_texts(caseworker.say(sender, text))
        transcript.extend([f"> {text}", reply])
        return reply

    first = say(referral.opener)
    if "J'aide les organisations partenaires" in first:  # the French greeting: start
        first = say("oui, on commence une recommandation")
    assert "Commençons la recommandation" in first, "\n".join(transcript)
    assert "Quel est le numéro de référence" in first
    for answer in referral.answers:
        last = say(answer)
    slots = caseworker.slots(sender)
    assert slots["language"] == "fr"
    assert {slot: slots[slot] for slot in referral.expected} == referral.expected, (
        "\n".join(transcript))
    assert slots["requested_slot"] == "summary_confirmed"
    # The summary is French, countries included ("Ouganda", not "Uganda").
    assert "Voici la recommandation" in last, "\n".join(transcript)
    assert country_name(referral.expected["current_country"], "fr") in last
    assert "Tout est-il exact?" in last

    outcome = say("oui c'est exact, vous pouvez l'envoyer")
    match = REFERENCE.search(outcome)
    assert match, "\n".join(transcript)
    assert f"Référence : {match.group(0)}" in outcome
    assert "Résultat :" in outcome and "Outcome" not in outcome
    case = get_case(match.group(0))
    assert case is not None
    assert {slot: case.answers.get(slot) for slot in referral.expected} == referral.expected


def test_language_follows_the_caseworker(caseworker: Caseworker) -> None:
    sender = f"fr-{secrets.token_hex(8)}"
    reply = reply_texts(caseworker.say(sender, "I want to refer a defender to the HRD stream"))
    assert "What is your organization's own reference" in reply
    reply = reply_texts(caseworker.say(sender, "en français s'il vous plaît"))
    assert "Quel est le numéro de référence" in reply
    assert caseworker.slots(sender)["partner_case_reference"] is None  # not taken as an answer
    # Short answers never switch back.
    reply = reply_texts(caseworker.say(sender, "KE-2024-881"))
    assert "La personne a-t-elle consenti" in reply
    reply = reply_texts(caseworker.say(sender, "ok"))
    assert "pays d'origine" in reply
    reply = reply_texts(caseworker.say(sender, "Kenya"))
    assert "Dans quel pays" in reply
    assert caseworker.slots(sender)["language"] == "fr"
    # Writing English (or asking for it) switches back.
    reply = reply_texts(caseworker.say(sender, "in English please"))
    assert "In which country is the defender now?" in reply
    reply = reply_texts(caseworker.say(sender, "elle vit en Ouganda depuis deux ans"))
    assert "Quel travail de défense des droits" in reply
    reply = reply_texts(caseworker.say(sender, "she is a radio journalist"))
    assert "Who is persecuting the defender" in reply
    slots = caseworker.slots(sender)
    assert (slots["country_of_origin"], slots["current_country"]) == ("KE", "UG")
    assert slots["hrd_activity"] == "journalism_media"
    assert slots["language"] == "en"
