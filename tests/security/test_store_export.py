"""Issue 12, exports: the "Export as Rasa test story" of a real conversation is
pseudonymized (no reference, name, place or threat text of the caseworker's answers in it),
says it may still hold personal data, normalizes to the same stored values, and still
passes `rasa test core` against the model."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.console.review.story_export import story_steps, story_yaml
from bot.console.review.story_pseudonyms import THREAT_STANDIN
from bot.console.review.transcripts import sender_events
from bot.intake.normalize import parse_answer
from bot.store import get_case
from bot.store.db import session_scope
from bot.store.models import Case, TrackerEvent
from tests.e2e.referrals import REFERRALS
from tests.support.servers import (
    MODEL,
    ROOT,
    VENV_BIN,
    Assistant,
    assistant_env,
    reading_store,
)

THREAT = ("men from the Bindura mine found Tendai Moyo's address, beat her brother and "
          "said she is next")
# The land defender of the e2e referrals, with a reference, a demonym, a city and names
# of her own in the threat.
_ANSWERS = {0: "our file number is FLD-ZW-0412", 2: "she is Zimbabwean",
            3: "she is hiding in Johannesburg now", 10: THREAT}
TURNS = ("hi, I need to submit a referral",
         *(_ANSWERS.get(i, a) for i, a in enumerate(REFERRALS[1].answers)),
         "yes")  # the summary is right
ORIGINALS = ("FLD-ZW-0412", "0412", "Tendai", "Moyo", "Bindura", "Johannesburg",
             "beat her brother", THREAT)


@pytest.fixture(scope="module")
def conversation(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    workdir = tmp_path_factory.mktemp("export")
    data_dir = workdir / "data"
    env = assistant_env(data_dir)
    subprocess.run([str(VENV_BIN / "hrd"), "db", "upgrade"], cwd=ROOT, env=env, check=True)
    running = Assistant(workdir=workdir, env=env).start()
    sender = "export-story-test"
    try:
        for text in TURNS:
            running.say(sender, text)
    finally:
        running.stop()
    with reading_store(data_dir):
        yield sender, workdir


@pytest.mark.e2e
def test_exported_story_is_pseudonymized_and_passes_rasa_test_core(
    conversation: tuple[str, Path]
) -> None:
    sender, workdir = conversation
    events = sender_events(sender)
    with session_scope() as session:
        reference = session.query(Case.reference).filter(Case.sender_id == sender).scalar()
    case = get_case(reference)
    assert case.answers["partner_case_reference"] == "FLD-ZW-0412"  # the intake went through
    assert case.answers["threat_description"] == THREAT
    with session_scope() as session:  # what the real Rasa server stored in clear
        clear = session.query(TrackerEvent.intent_name, TrackerEvent.action_name).filter(
            TrackerEvent.sender_id == sender).all()
    assert len(clear) > 50 and set(clear) == {(None, None)}

    exported = story_yaml("pseudonymized conversation", events)
    for original in ORIGINALS:
        assert original.lower() not in exported.lower(), original
    assert "may still contain personal data" in exported.splitlines()[2]

    # The stand-ins normalize to the same stored codes, turn by turn.
    original_turns = [s["user"] for s in story_steps(events, pseudonymize=False) if "user" in s]
    new_turns = [s["user"] for s in yaml.safe_load(exported)["stories"][0]["steps"] if "user" in s]
    assert len(new_turns) == len(original_turns) == len(TURNS)
    for slot, turn in (("country_of_origin", 3), ("current_country", 4)):
        assert parse_answer(slot, new_turns[turn]).value == case.answers[slot]
    assert new_turns[1] != original_turns[1] and "REF-" in new_turns[1]

    story = workdir / "story.yml"
    story.write_text(exported, encoding="utf-8")
    result = subprocess.run(
        [str(VENV_BIN / "rasa"), "test", "core", "--model", str(MODEL), "--stories", str(story),
         "--fail-on-prediction-errors", "--out", str(workdir / "results")],
        cwd=ROOT, env=assistant_env(workdir / "unused"), capture_output=True, text=True,
        timeout=600)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]


def _user(text: str, intent: str = "inform") -> dict[str, Any]:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}}


def _slot(name: str, value: Any) -> dict[str, Any]:
    return {"event": "slot", "name": name, "value": value}


def test_french_conversation_stand_ins() -> None:
    events = [
        _slot("language", "fr"),
        _user("bonjour je veux référer une défenseure", "start_referral"),
        _slot("requested_slot", "partner_case_reference"),
        _user("notre référence est PDEU/UG/77"), _slot("partner_case_reference", "PDEU/UG/77"),
        _slot("requested_slot", "current_country"),
        _user("elle vit à Nairobi chez Wanjiru Kamau (wanjiru@mail.ke, +254 712 345678)"),
        _slot("current_country", "KE"),
        _slot("requested_slot", "threat_description"),
        _user("des soldats l'ont battue à Gulu"), _slot("threat_description", "des soldats"),
        _slot("requested_slot", "family_members"),
        _user("la référence PDEU/UG/77 est juste, 2 enfants"), _slot("family_members", 2),
    ]
    exported = story_yaml("fr", events)
    for original in ("PDEU", "Nairobi", "Wanjiru", "Kamau", "wanjiru@", "712", "soldats", "Gulu"):
        assert original not in exported, original
    users = [s["user"] for s in yaml.safe_load(exported)["stories"][0]["steps"] if "user" in s]
    assert users[0] == "bonjour je veux référer une défenseure"  # nothing to hide: as typed
    assert users[1] == "notre référence est REF-0001" and "REF-0001" in users[4]
    assert parse_answer("current_country", users[2]).value == "KE"
    assert users[3] == THREAT_STANDIN["fr"]
    assert parse_answer("family_members", users[4]).value == 2
    assert story_steps(events, pseudonymize=False)[1]["user"] == "notre référence est PDEU/UG/77"
