"""Replies kept under a partner-channel Idempotency-Key (bot.store.turn_replies), on SQLite
and PostgreSQL: one turn per key, the same answer to a retry, a key never reused for another
message, a failed or abandoned turn runs again, nothing readable in the database."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from bot.store import db
from bot.store.models import utcnow
from bot.store.turn_replies import (
    PENDING_SECONDS,
    TTL_SECONDS,
    TurnReply,
    claim_turn,
    complete_turn,
    release_turn,
    reply_key,
)

from .conftest import StoreEnv

REPLIES = [{"recipient_id": "conv-1", "text": "You said Uganda. Is that right?"}]


def _age(key: str, seconds: float) -> None:
    with db.session_scope() as session:
        session.execute(sa.update(TurnReply).where(TurnReply.key_hash == key)
                        .values(created_at=utcnow() - timedelta(seconds=seconds)))


def test_one_turn_per_key_and_the_same_answer_to_a_retry(store: StoreEnv) -> None:
    key = reply_key(7, "conv-1", "k-1")
    assert claim_turn(key, "Uganda").outcome == "run"
    assert claim_turn(key, "Uganda").outcome == "pending"  # the first still running
    complete_turn(key, "Uganda", REPLIES)
    again = claim_turn(key, "Uganda")
    assert again.outcome == "replay" and again.replies == REPLIES
    assert claim_turn(key, "Kenya").outcome == "reused"  # never a second meaning
    # The key is the user's and the conversation's own.
    assert claim_turn(reply_key(8, "conv-1", "k-1"), "Uganda").outcome == "run"
    assert claim_turn(reply_key(7, "conv-2", "k-1"), "Uganda").outcome == "run"


def test_a_failed_or_abandoned_turn_runs_again(store: StoreEnv) -> None:
    key = reply_key(7, "conv-1", "k-2")
    assert claim_turn(key, "yes").outcome == "run"
    release_turn(key)  # the turn failed: nothing was taken
    assert claim_turn(key, "yes").outcome == "run"
    _age(key, PENDING_SECONDS + 1)  # its process died mid-turn
    assert claim_turn(key, "yes").outcome == "run"
    complete_turn(key, "yes", REPLIES)
    release_turn(key)  # a completed turn is kept
    assert claim_turn(key, "yes").outcome == "replay"
    _age(key, TTL_SECONDS + 1)  # a day later the key is free again
    assert claim_turn(key, "no").outcome == "run"


def test_nothing_readable_is_stored(store: StoreEnv) -> None:
    key = reply_key(7, "conv-secret", "k-3")
    claim_turn(key, "Kampala")
    complete_turn(key, "Kampala", [{"recipient_id": "conv-secret", "text": "Kampala noted"}])
    stored = store.stored_bytes()
    assert b"Kampala" not in stored and b"conv-secret" not in stored and b"k-3" not in stored
