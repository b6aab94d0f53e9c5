"""Issue 20, conversation repair, end to end through the authenticated partner channel, in
English and French: one test per row of the issue's table and per bullet. Each asserts the
reply and that the draft (every answer, the pending question) is unchanged unless the
message should change it.
"""

from __future__ import annotations

import re
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.intake.questions import FORM_SLOTS
from bot.store import get_case
from bot.store.attention import open_flags
from tests.access.cli import new_token
from tests.e2e.conftest import Caseworker
from tests.e2e.referrals_fr import REFERRALS_FR
from tests.support.servers import Assistant, production_env, reading_store, reply_texts

pytestmark = pytest.mark.e2e

REFERENCE = re.compile(r"\bHRD-\d{4}-\d{5}\b")
CONTACT = "hrd-partners@example.org"
RETENTION_DAYS = "30"

# Up to the country question, in each language (the French opener switches the language).
OPENING = {
    "en": ("start a referral", "REP-{n}", "yes she consented"),
    "fr": ("je voudrais recommander une défenseure au programme", "REP-{n}",
           "oui, elle a donné son accord"),
}
COUNTRY_QUESTION = {"en": "What is the defender's country of origin",
                    "fr": "Quel est le pays d'origine"}
# The rest of a referral from the country question, in each language.
REST = {
    "en": ("Uganda", "she lives in Nairobi", "journalist", "the police", "yes she fled",
           "recognized refugee", "no, she is followed in Nairobi", "no", "4",
           "she is a woman", "no medical needs", "no charges", "yes she wants to go to Canada"),
    "fr": REFERRALS_FR[0].answers[2:],
}
CONFIRM = {"en": "yes, that's all correct", "fr": "oui c'est exact, vous pouvez l'envoyer"}


@pytest.fixture(scope="module")
def caseworker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Caseworker]:
    """A partner caseworker on a deployment with a contact route and a retention set."""
    workdir = tmp_path_factory.mktemp("repair")
    data_dir = workdir / "data"
    env = production_env(data_dir, HRD_HANDOFF_CONTACT=CONTACT,
                         HRD_RETENTION_DAYS=RETENTION_DAYS)
    token = new_token("--role", "partner", "--org", "unhcr", "agente@unhcr.org", env=env)
    running = Assistant(workdir=workdir, env=env).start(credentials="credentials.yml")
    try:
        with reading_store(data_dir):
            yield Caseworker(running, token)
    finally:
        running.stop()


class Talk:
    def __init__(self, caseworker: Caseworker, lang: str) -> None:
        self.caseworker = caseworker
        self.lang = lang
        self.sender = f"repair-{uuid.uuid4().hex}"
        self.transcript: list[str] = []

    def replies(self, message: str) -> list[dict[str, Any]]:
        replies = self.caseworker.say(self.sender, message)
        self.transcript += [f"> {message}", reply_texts(replies)]
        return replies

    def say(self, message: str) -> str:
        return reply_texts(self.replies(message))

    def slots(self) -> dict[str, Any]:
        return self.caseworker.slots(self.sender)

    def draft(self) -> dict[str, Any]:
        """What the message must not change: every answer, the read-back, the question."""
        slots = self.slots()
        return {name: slots.get(name) for name in
                (*FORM_SLOTS, "requested_slot", "readback", "stateless", "intake_id")}

    def log(self) -> str:
        return "\n".join(self.transcript)


def at_country(caseworker: Caseworker, lang: str) -> Talk:
    talk = Talk(caseworker, lang)
    opener, reference, consent = OPENING[lang]
    first = talk.say(opener)
    if "?" in first and "référence" not in first.lower() and "reference" not in first.lower():
        talk.say("oui, on commence une recommandation" if lang == "fr" else "yes, let's start")
    talk.say(reference.format(n=uuid.uuid4().hex[:6]))
    talk.say(consent)
    slots = talk.slots()
    assert slots["requested_slot"] == "country_of_origin", talk.log()
    assert slots["language"] == lang, talk.log()
    return talk


def submitted(caseworker: Caseworker, lang: str) -> tuple[Talk, str]:
    talk = at_country(caseworker, lang)
    for answer in REST[lang]:
        talk.say(answer)
    assert talk.slots()["requested_slot"] == "summary_confirmed", talk.log()
    match = REFERENCE.search(talk.say(CONFIRM[lang]))
    assert match, talk.log()
    return talk, match.group(0)


LANGS = pytest.mark.parametrize("lang", ["en", "fr"])


# --- The table --------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "message"), [
    ("en", "can you repeat that?"), ("en", "say that again"),
    ("fr", "vous pouvez répéter ?"), ("fr", "pardon ?"),
])
def test_repeat_says_the_question_again_and_changes_nothing(
    caseworker: Caseworker, lang: str, message: str
) -> None:
    talk = at_country(caseworker, lang)
    before = talk.draft()
    reply = talk.say(message)
    lead = {"en": "Here is the question again", "fr": "Voici de nouveau la question"}[lang]
    assert lead in reply and COUNTRY_QUESTION[lang] in reply, talk.log()
    assert "only help with referrals" not in reply and "seulement" not in reply
    assert talk.draft() == before


@LANGS
def test_repeat_gives_the_options_again(caseworker: Caseworker, lang: str) -> None:
    talk = at_country(caseworker, lang)
    for answer in REST[lang][:5]:
        talk.say(answer)
    assert talk.slots()["requested_slot"] == "refugee_status", talk.log()
    before = talk.draft()
    replies = talk.replies({"en": "repeat", "fr": "répétez la question svp"}[lang])
    assert [b["payload"] for r in replies for b in r.get("buttons") or []] == [
        "recognized", "asylum_seeker", "none", "unknown"], talk.log()
    assert talk.draft() == before


@pytest.mark.parametrize(("lang", "message"), [
    ("en", "skip this question"), ("en", "I don't know"),
    ("fr", "passer"), ("fr", "je ne sais pas"),
])
def test_a_required_question_cannot_be_skipped(
    caseworker: Caseworker, lang: str, message: str
) -> None:
    talk = at_country(caseworker, lang)
    before = talk.draft()
    reply = talk.say(message)
    why = {"en": ("can't be skipped", 'say "pause"'),
           "fr": ("On ne peut pas passer cette question", "dites « pause »")}[lang]
    assert all(part in reply for part in why), talk.log()
    assert "could not recognise" not in reply.lower(), talk.log()
    assert COUNTRY_QUESTION[lang] in reply  # asked again
    assert talk.draft() == before


@pytest.mark.parametrize(("lang", "message"), [
    ("en", "I don't know"), ("en", "skip"), ("fr", "je ne sais pas"), ("fr", "passer"),
])
def test_unknown_where_the_contract_has_it(caseworker: Caseworker, lang: str,
                                           message: str) -> None:
    talk = at_country(caseworker, lang)
    for answer in REST[lang][:5]:
        talk.say(answer)
    before = talk.draft()
    reply = talk.say(message)
    said = {"en": "refugee status unknown", "fr": "statut de réfugié inconnu"}[lang]
    assert said in reply, talk.log()
    after = talk.draft()
    assert after.pop("refugee_status") == "unknown"  # the one change the message makes
    assert after.pop("requested_slot") == "safe_in_current_country"
    before.pop("refugee_status"), before.pop("requested_slot")
    assert after == before


@pytest.mark.parametrize(("lang", "message"), [
    ("en", "I'd like to talk to a person"), ("en", "I need help from a human"),
    ("fr", "parler à une personne"),
])
def test_handoff_gives_the_contact_and_flags_the_draft(
    caseworker: Caseworker, lang: str, message: str
) -> None:
    talk = at_country(caseworker, lang)
    before = talk.draft()
    reply = talk.say(message)
    assert CONTACT in reply, talk.log()
    assert {"en": "flagged this referral for a supervisor",
            "fr": "signalé cette recommandation à un superviseur"}[lang] in reply
    assert {"en": 'say "pause"', "fr": "dire « pause »"}[lang] in reply
    assert COUNTRY_QUESTION[lang] in reply  # the caseworker can keep going
    assert "automated assistant" not in reply
    assert talk.draft() == before
    flags = [f for f in open_flags() if f.intake_id == before["intake_id"]]
    assert [(f.reason, f.question, f.partner_org) for f in flags] == [
        ("human_handoff", "country_of_origin", "unhcr")]
    # Keep going: the next answer is taken as usual.
    talk.say({"en": "Uganda", "fr": "Ouganda"}[lang])
    assert talk.slots()["country_of_origin"] == "UG"


@pytest.mark.parametrize(("lang", "message"), [
    ("en", "what happens with this data?"), ("fr", "que deviennent ces données ?"),
])
def test_privacy_answers_from_the_settings(caseworker: Caseworker, lang: str,
                                           message: str) -> None:
    talk = at_country(caseworker, lang)
    before = talk.draft()
    reply = talk.say(message)
    expected = {
        "en": ["UNHCR", "supervisors", "IRCC", "SQLite", "encrypted (AES-GCM)",
               f"after {RETENTION_DAYS} days", 'say "cancel"', CONTACT],
        "fr": ["HCR", "superviseurs", "IRCC", "SQLite", "chiffrées (AES-GCM)",
               f"après {RETENTION_DAYS} jours", "dites « annuler »", CONTACT],
    }[lang]
    missing = [part for part in expected if part not in reply]
    assert not missing, talk.log()
    assert str(caseworker.assistant.env["HRD_DATA_DIR"]) in reply  # where, really
    assert "only help with referrals" not in reply
    assert COUNTRY_QUESTION[lang] in reply
    assert talk.draft() == before


# --- The bullets --------------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "message", "topic", "other"), [
    ("en", "who will see this?", "Who sees the referral", "How long"),
    ("en", "how long do you keep it?", f"after {RETENTION_DAYS} days", "Who sees"),
    ("en", "how do I withdraw it?", "How to withdraw", "Who sees"),
    ("en", "privacy", "Who sees the referral", None),
    ("fr", "qui verra ces informations ?", "Qui voit la recommandation", "Combien de temps"),
    ("fr", "combien de temps conservez-vous les données ?", f"après {RETENTION_DAYS} jours",
     "Qui voit"),
    ("fr", "comment retirer son consentement ?", "Comment la retirer", "Qui voit"),
    ("fr", "confidentialité", "Qui voit la recommandation", None),
])
def test_each_privacy_question(caseworker: Caseworker, lang: str, message: str, topic: str,
                               other: str | None) -> None:
    talk = at_country(caseworker, lang)
    before = talk.draft()
    reply = talk.say(message)
    assert topic in reply, talk.log()
    if other:
        assert other not in reply  # only what was asked
    assert talk.draft() == before


@LANGS
def test_why_at_the_consent_question_includes_the_privacy_answers(
    caseworker: Caseworker, lang: str
) -> None:
    talk = Talk(caseworker, lang)
    opener, reference, _ = OPENING[lang]
    talk.say(opener)
    talk.say(reference.format(n=uuid.uuid4().hex[:6]))
    assert talk.slots()["requested_slot"] == "consent_to_share", talk.log()
    before = talk.draft()
    reply = talk.say({"en": "why do you need this?", "fr": "pourquoi ?"}[lang])
    for part in {"en": ["only be shared with Canada", "Who sees the referral", "SQLite",
                        f"after {RETENTION_DAYS} days", "How to withdraw"],
                 "fr": ["Qui voit la recommandation", "SQLite", f"après {RETENTION_DAYS} jours",
                        "Comment la retirer"]}[lang]:
        assert part in reply, talk.log()
    assert talk.draft() == before


@pytest.mark.parametrize(("lang", "message"), [
    ("en", "Rohingya, no nationality"), ("en", "stateless"), ("en", "Bidoon"),
    ("fr", "apatride"),
])
def test_a_stateless_defender_is_asked_the_former_residence(
    caseworker: Caseworker, lang: str, message: str
) -> None:
    talk = at_country(caseworker, lang)
    before = talk.draft()
    reply = talk.say(message)
    assert {"en": "the defender is stateless", "fr": "la personne est apatride"}[lang] in reply
    assert {"en": "former habitual residence",
            "fr": "résidence habituelle antérieure"}[lang] in reply, talk.log()
    after = talk.draft()
    assert after.pop("stateless") is True  # the one change: no country is guessed
    before.pop("stateless")
    assert after == before


def test_statelessness_is_saved_for_the_officer_not_in_the_contract_answers(
    caseworker: Caseworker,
) -> None:
    talk = at_country(caseworker, "en")
    talk.say("Rohingya, no nationality")
    talk.say("Myanmar")
    assert talk.slots()["country_of_origin"] == "MM", talk.log()
    for answer in REST["en"][1:]:
        talk.say(answer)
    match = REFERENCE.search(talk.say(CONFIRM["en"]))
    assert match, talk.log()
    case = get_case(match.group(0))
    assert case is not None
    assert case.answers["stateless"] is True  # encrypted with the answers
    api = case.to_api_dict()
    assert "stateless" not in api["answers"]
    assert api["answers"]["country_of_origin"] == "MM"


@LANGS
def test_handoff_outside_the_form_still_gives_the_contact(caseworker: Caseworker,
                                                        lang: str) -> None:
    talk = Talk(caseworker, lang)
    talk.say({"en": "hello", "fr": "bonjour, je travaille au HCR"}[lang])
    reply = talk.say({"en": "can I speak to someone?",
                      "fr": "je voudrais parler à quelqu'un"}[lang])
    assert CONTACT in reply, talk.log()


@LANGS
def test_completion_replies(caseworker: Caseworker, lang: str) -> None:
    talk, reference = submitted(caseworker, lang)
    before = talk.draft()
    steps = talk.say({"en": "what happens now?", "fr": "et maintenant ?"}[lang])
    assert {"en": f"Next steps for {reference}",
            "fr": f"Prochaines étapes pour {reference}"}[lang] in steps, talk.log()
    timeline = talk.say({"en": "how long will it take?",
                         "fr": "combien de temps ça va prendre ?"}[lang])
    # Not urgent, within the cap: the stream sets no fixed time (no invented date).
    assert {"en": "no fixed processing time",
            "fr": "ne fixe pas de délai de traitement"}[lang] in timeline, talk.log()
    thanks = talk.say({"en": "thank you", "fr": "merci"}[lang])
    assert {"en": f"Keep the reference {reference}",
            "fr": f"Gardez la référence {reference}"}[lang] in thanks, talk.log()
    assert talk.draft() == before


@LANGS
def test_the_urgent_timeline_is_the_upp(caseworker: Caseworker, lang: str) -> None:
    talk = at_country(caseworker, lang)
    answers = list(REST[lang])
    # immediate threat: yes, then a description
    threat = {"en": ("yes, she was attacked last week", "armed men came to her home"),
              "fr": ("oui, elle a été attaquée la semaine dernière",
                     "des hommes armés sont venus chez elle")}[lang]
    answers[7:8] = list(threat)  # the immediate-threat answer, in both languages
    for answer in answers:
        talk.say(answer)
    assert talk.slots()["requested_slot"] == "summary_confirmed", talk.log()
    assert REFERENCE.search(talk.say(CONFIRM[lang])), talk.log()
    reply = talk.say({"en": "how long will it take?",
                      "fr": "combien de temps ça va prendre ?"}[lang])
    assert {"en": "Urgent Protection Program",
            "fr": "Programme de protection d'urgence"}[lang] in reply
    assert {"en": "within days", "fr": "en quelques jours"}[lang] in reply, talk.log()


@LANGS
def test_when_the_action_server_is_unreachable_the_user_is_told(
    caseworker: Caseworker, lang: str
) -> None:
    talk = at_country(caseworker, lang)
    before = talk.draft()
    assistant = caseworker.assistant
    assistant.processes[0].terminate()
    assistant.processes[0].wait(timeout=30)
    try:
        reply = talk.say({"en": "Uganda", "fr": "Ouganda"}[lang])
        assert {"en": "Your intake is kept", "fr": "Votre demande est conservée"}[lang] in reply
        assert {"en": "try again in a minute", "fr": "réessayer dans une minute"}[lang] in reply
        assert talk.draft() == before, talk.log()  # no unchecked text kept as an answer
    finally:
        assistant.restart_action_server()
    talk.say({"en": "Uganda", "fr": "Ouganda"}[lang])
    assert talk.slots()["country_of_origin"] == "UG", talk.log()



@LANGS
def test_when_the_database_fails_the_user_is_told(caseworker: Caseworker, lang: str) -> None:
    """The database refuses the case at confirmation: the caseworker is told, in their
    language, that the draft is kept and to try again; every answer is still there.
    (A tracker store fault is absorbed by Rasa's fail-safe store, which keeps answering.)"""
    talk = at_country(caseworker, lang)
    for answer in REST[lang]:
        talk.say(answer)
    assert talk.slots()["requested_slot"] == "summary_confirmed", talk.log()
    answers = {k: v for k, v in talk.draft().items()
               if k in FORM_SLOTS and k != "summary_confirmed"}
    database = Path(caseworker.assistant.env["HRD_DATA_DIR"]) / "db" / "hrd.db"
    trigger = f"hrd_repair_test_{lang}"
    with sqlite3.connect(database) as db:
        db.execute(f"CREATE TRIGGER {trigger} BEFORE INSERT ON cases "
                   "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END")
    try:
        reply = talk.say(CONFIRM[lang])
    finally:
        with sqlite3.connect(database) as db:
            db.execute(f"DROP TRIGGER {trigger}")
    assert {"en": "Your intake is kept", "fr": "Votre demande est conservée"}[lang] in reply
    assert {"en": "try again in a minute", "fr": "réessayer dans une minute"}[lang] in reply
    assert not REFERENCE.search(reply), talk.log()
    after = talk.draft()
    assert {k: after[k] for k in answers} == answers, talk.log()
