"""Issue 12, purge really erases: after `hrd purge`, a byte search of the SQLite database
file and its -wal/-shm finds nothing of the purged transcripts: not the answer, not the
conversation id (in clear in its rows), not the ciphertext of any purged row."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.cli import main as hrd
from bot.store import crypto, db
from bot.store.associated_data import tracker_label
from bot.store.models import TrackerEvent

ANSWER = "they burned the radio station in Gulu on 3 May"


@pytest.fixture
def sqlite_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("HRD_DATA_DIR", str(tmp_path / "data"))
    for name in ("DATABASE_URL", "HRD_DATA_KEY", "HRD_KEY_DIR"):
        monkeypatch.delenv(name, raising=False)
    db.dispose_engines()
    crypto.clear_cache()
    db.upgrade()
    yield Path(db.database_url().removeprefix("sqlite:///"))
    db.dispose_engines()
    crypto.clear_cache()


def write_transcript(sender: str, at: datetime, text: str) -> list[bytes]:
    """A conversation's events as the tracker store writes them; returns the ciphertexts."""
    blobs = [crypto.encrypt_json({"event": "user", "text": f"{text} ({i})"},
                                 tracker_label(sender)) for i in range(40)]
    with db.session_scope() as session:
        session.add_all(TrackerEvent(sender_id=sender, type_name="user",
                                     timestamp=at.timestamp() + i, data=blob)
                        for i, blob in enumerate(blobs))
    return blobs


def raw_files(database: Path) -> bytes:
    return b"".join(p.read_bytes() for p in database.parent.glob(database.name + "*"))


def test_purged_transcripts_leave_no_bytes_in_the_sqlite_files(
    sqlite_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = datetime.now(UTC) - timedelta(days=90)
    purged_sender = "conv-purged-" + secrets.token_hex(8)
    kept_sender = "conv-kept-" + secrets.token_hex(8)
    purged_blobs = write_transcript(purged_sender, old, ANSWER)
    write_transcript(kept_sender, datetime.now(UTC), "still talking")
    # As on a live system: another connection (a server) has the database open.
    with db.engine().connect() as reader:
        reader.execute(sa.select(sa.func.count()).select_from(TrackerEvent)).scalar_one()
    before = raw_files(sqlite_store)
    assert purged_sender.encode() in before  # the search finds what is there

    assert hrd(["purge", "--older-than", "30"]) == 0
    assert "purged and erased 40 events of 1 conversations" in capsys.readouterr().out

    after = raw_files(sqlite_store)
    assert kept_sender.encode() in after  # the kept conversation is still found
    assert purged_sender.encode() not in after
    for blob in purged_blobs:
        # The ciphertext after the header and nonce: unique to the row.
        assert blob[-32:] not in after
    assert ANSWER.encode() not in after
    assert sqlite_store.with_name(sqlite_store.name + "-wal").stat().st_size == 0
