"""Issue 12, exports: the "Export as Rasa test story" of a real conversation is
pseudonymized (no reference, name, place or threat text of the caseworker's answers in it),
says it may still hold personal data, normalizes to the same stored values, and still
passes `rasa test core` against the model."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from bot.console.story_export import story_steps, story_yaml
from bot.console.transcripts import sender_events
from bot.intake.normalize import parse_answer
from bot.store import get_case
from bot.store.db import session_scope
from bot.store.models import Case
from tests.support.servers import (
    MODEL,
    ROOT,
    VENV_BIN,
    Assistant,
    assistant_env,
    reading_store,
)

pytestmark = pytest.mark.e2e

THREAT = ("men from the Bindura mine found Tendai Moyo's address, beat her brother and "
          "said she is next")
TURNS = (
    "hi, I need to submit a referral",
    "our file number is FLD-ZW-0412",
    "she agreed",
    "she is Zimbabwean",
    "she is hiding in Johannesburg now",
    "she organises villagers against a mining company taking their land",
    "private security guards working for the mine",
    "yes",
    "she lodged an asylum claim in March, still pending",
    "not safe",
    "yes",
    THREAT,
    "she's on her own",
    "none of these",
    "she has a heart condition that needs treatment",
    "no",
    "absolutely",
    "yes",  # the summary is right
)
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
