"""Key problems (issue 18): a wrong HRD_DATA_KEY at start fails loudly before anything is
served, and nothing is written with it; a key rotation interrupted half-way is finished by
running `hrd keys rotate` again (the same new key, no third one)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.store import crypto, db, get_case, rotation, submit_case
from bot.store.associated_data import tracker_label
from bot.store.models import Case, TrackerEvent
from tests.access.cli import hrd
from tests.access.databases import KINDS, temporary_database
from tests.bot.store.conftest import answers, new_id
from tests.support.servers import MODEL, PYTHON, ROOT, free_port

CASES = 7


@pytest.fixture(params=KINDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, str]]:
    with temporary_database(request.param, tmp_path / "data") as env:
        yield env


def _seed(count: int) -> dict[str, str]:
    """Cases and a conversation under the current key: {reference: threat description}."""
    saved = {}
    for n in range(count):
        ref = submit_case(intake_id=new_id(), sender_id=f"s{n}", partner_org="unhcr",
                          answers=answers(threat_description=f"threat {n}")).reference
        saved[ref] = f"threat {n}"
        sender = new_id("conv")
        with db.session_scope() as session:
            session.add(TrackerEvent(
                sender_id=sender, type_name="user", timestamp=float(n),
                data=crypto.encrypt_json({"text": f"t{n}"}, tracker_label(sender))))
    return saved


def _key_ids() -> set[str]:
    with db.engine().connect() as connection:
        ids = {crypto.key_id_of(blob) for (blob,) in connection.execute(sa.select(Case.answers))}
        ids |= {crypto.key_id_of(b) for (b,) in connection.execute(sa.select(TrackerEvent.data))}
    return ids


def _rows() -> tuple[int, int]:
    with db.engine().connect() as connection:
        return (connection.execute(sa.select(sa.func.count(Case.id))).scalar_one(),
                connection.execute(sa.select(sa.func.count(TrackerEvent.id))).scalar_one())


@pytest.mark.e2e
def test_a_wrong_data_key_refuses_to_start_and_writes_nothing(
        store: dict[str, str], tmp_path: Path) -> None:
    _seed(1)
    before = _rows()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("RASA_")},
           "HRD_DATA_KEY": crypto.generate_key_text(),  # "k1", as the right one, another key
           "HRD_ENV": "production", "RASA_TELEMETRY_ENABLED": "false",
           "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONWARNINGS": "ignore"}
    port = str(free_port())
    commands = {
        "preflight": [PYTHON, "-m", "bot.runtime.preflight"],
        "action server": [PYTHON, "-m", "bot.runtime.action_server", "--port", port],
        "rasa server": [PYTHON, "-m", "bot.runtime.rasa_server", "--model", str(MODEL),
                        "--credentials", str(ROOT / "credentials.yml"), "--port", port],
        "console": [PYTHON, "-m", "bot.runtime.console_server"],
    }
    env["HRD_CONSOLE_PORT"] = str(free_port())
    for name, command in commands.items():
        started = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                                 timeout=240)
        assert started.returncode == (1 if name == "console" else 2), (name, started.stderr)
        assert "wrong HRD_DATA_KEY" in started.stderr, (name, started.stderr[-2000:])
        assert "Traceback" not in started.stderr, name
    assert _rows() == before
    # The right key still opens everything: nothing was written under the wrong one.
    assert len(_key_ids()) == 1 and _key_ids() <= set(crypto.current_keyring().keys)


def _interrupt_rotation(monkeypatch: pytest.MonkeyPatch, **kwargs: object) -> None:
    """rotate_keys stopped by a failure after some batches, as a crash would stop it."""
    monkeypatch.setattr(rotation, "_BATCH", 2)
    real, calls = rotation.reencrypted, [0]

    def failing(*args: object) -> bytes | None:
        calls[0] += 1
        if calls[0] > 5:
            raise RuntimeError("power cut")
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(rotation, "reencrypted", failing)
    with pytest.raises(RuntimeError, match="power cut"):
        rotation.rotate_keys(grace_seconds=0, **kwargs)  # type: ignore[arg-type]
    monkeypatch.undo()
    crypto.clear_cache()


def test_an_interrupted_rotation_is_resumed(store: dict[str, str], tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    saved = _seed(CASES)
    first = crypto.current_keyring()
    keyring_out = tmp_path / "new-keyring" if "HRD_DATA_KEY" in store else None
    _interrupt_rotation(monkeypatch, keyring_out=keyring_out)
    assert len(_key_ids()) == 2  # half under the new key, half under the old one

    args = ["keys", "rotate"] + (["--keyring-out", str(keyring_out)] if keyring_out else [])
    rerun = hrd(*args, env=dict(os.environ))
    assert rerun.returncode == 0, rerun.stderr
    assert "resumed the interrupted rotation" in rerun.stdout, rerun.stdout
    if keyring_out is not None:  # the operator now puts the new keyring in HRD_DATA_KEY
        os.environ["HRD_DATA_KEY"] = keyring_out.read_text().strip()
    crypto.clear_cache()
    keyring = crypto.current_keyring()
    assert keyring.current_id not in first.keys
    assert _key_ids() == {keyring.current_id}  # every ciphertext under the one new key
    if keyring_out is None:
        assert set(keyring.keys) == {keyring.current_id}  # the old key retired
        assert not keyring.path.with_name(keyring.path.name + ".rotating").exists()
    for reference, threat in saved.items():
        case = get_case(reference)
        assert case is not None and case.answers["threat_description"] == threat
    again = hrd(*args[:2], *(["--keyring-out", str(tmp_path / "third")] if keyring_out
                             else []), env=dict(os.environ))
    assert again.returncode == 0 and "resumed" not in again.stdout  # a new rotation now
