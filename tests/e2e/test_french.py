"""The whole service in French, through the authenticated partner channel.

A partner user made with `hrd users add` talks to the production channel; the account has
no language preference yet, so the conversation starts in English and switches to French
because the caseworker writes French (bot.nlu.language_detector).
"""

from __future__ import annotations

import json
import re
import secrets
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from bot.intake.countries import country_name
from bot.store import get_case
from tests.access.cli import new_token
from tests.e2e.referrals import Referral
from tests.e2e.referrals_fr import REFERRALS_FR
from tests.support.servers import Assistant, production_env, reading_store, reply_texts

pytestmark = pytest.mark.e2e

WEBHOOK = "/webhooks/partner/webhook"
REFERENCE = re.compile(r"\bHRD-\d{4}-\d{5}\b")


@dataclass
class Caseworker:
    assistant: Assistant
    token: str

    def say(self, sender: str, message: str) -> list[dict[str, Any]]:
        request = urllib.request.Request(
            self.assistant.base + WEBHOOK,
            json.dumps({"sender": sender, "message": message}).encode(),
            {"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=120) as response:
            assert response.status == 200
            return json.loads(response.read())

    def slots(self, sender: str) -> dict[str, Any]:
        return self.assistant.tracker(sender)["slots"]


@pytest.fixture(scope="module")
def caseworker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Caseworker]:
    workdir = tmp_path_factory.mktemp("french")
    data_dir = workdir / "data"
    env = production_env(data_dir)
    token = new_token("--role", "partner", "--org", "unhcr", "agente@unhcr.org", env=env)
    running = Assistant(workdir=workdir, env=env).start(credentials="credentials.yml")
    try:
        with reading_store(data_dir):  # get_case reads the servers' store
            yield Caseworker(running, token)
    finally:
        running.stop()


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
