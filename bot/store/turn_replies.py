"""The replies of partner-channel turns sent with an `Idempotency-Key` header, kept for a day so
that a client's retry (its connection dropped before the answer came back) gets the same
answer instead of a second turn. Without it, a resent "yes" would be taken as the answer to
the next question: a fact the caseworker never gave, recorded in silence.

A row is keyed by a hash of (user, conversation, key): no key, sender or user in the clear.
What it holds (the message's digest, then the replies, which read answers back) is encrypted
like the tracker, bound to its row, and re-encrypted by `hrd keys rotate`. A row is "pending"
while its turn runs; a turn that fails releases it, so the retry runs the turn again, and a
pending row older than PENDING_SECONDS (its process died mid-turn) may be taken over.
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal

import sqlalchemy as sa

from bot.store import crypto
from bot.store.associated_data import turn_replies_label
from bot.store.models import Base, UTCDateTime, utcnow
from bot.store.unit_of_work import Repository, unit_of_work

TTL_SECONDS = 24 * 3600
# Longer than any turn (Rasa's lock store gives a conversation's turn at most 60 s).
PENDING_SECONDS = 120
_PRUNE_PROBABILITY = 0.01


class TurnReply(Base):
    __tablename__ = "turn_replies"

    id = sa.Column(sa.Integer, primary_key=True)
    key_hash = sa.Column(sa.String(64), nullable=False, unique=True)
    created_at = sa.Column(UTCDateTime(), nullable=False, default=utcnow, index=True)
    done = sa.Column(sa.Boolean, nullable=False, default=False)
    data = sa.Column(sa.LargeBinary, nullable=False)


def reply_key(user_id: int, sender_id: str, idempotency_key: str) -> str:
    return hashlib.sha256(
        json.dumps([user_id, sender_id, idempotency_key]).encode("utf-8")).hexdigest()


def _digest(key_hash: str, message: str) -> str:
    return hashlib.sha256(f"{key_hash}:{message}".encode()).hexdigest()


@dataclass(frozen=True)
class Claim:
    """What a request with this key may do: "run" the turn (it now holds the key), "replay"
    the stored `replies`, wait while the first is "pending", or refuse a key "reused" for
    another message."""

    outcome: Literal["run", "replay", "pending", "reused"]
    replies: list[dict[str, Any]] | None = None


class TurnReplies(Repository):
    def _seal(self, key_hash: str, value: dict[str, Any]) -> bytes:
        return crypto.encrypt_json(value, turn_replies_label(key_hash))

    def claim(self, key_hash: str, message: str) -> Claim:
        now = utcnow()
        if random.random() < _PRUNE_PROBABILITY:
            self.session.execute(sa.delete(TurnReply).where(
                TurnReply.created_at < now - timedelta(seconds=TTL_SECONDS)))
        digest = _digest(key_hash, message)
        sealed = self._seal(key_hash, {"digest": digest})
        inserted = self.session.execute(
            self._insert()(TurnReply).values(key_hash=key_hash, created_at=now, done=False,
                                             data=sealed)
            .on_conflict_do_nothing()).rowcount
        if inserted:
            return Claim("run")
        row = self.session.execute(
            sa.select(TurnReply).where(TurnReply.key_hash == key_hash).with_for_update()
        ).scalar_one()
        held = crypto.decrypt_json(bytes(row.data), turn_replies_label(key_hash))
        expired = row.created_at < now - timedelta(seconds=TTL_SECONDS)
        stale = not row.done and row.created_at < now - timedelta(seconds=PENDING_SECONDS)
        if expired or stale:  # a new request under an old key, or a turn that died
            row.created_at, row.done, row.data = now, False, sealed
            return Claim("run")
        if held.get("digest") != digest:
            return Claim("reused")
        if not row.done:
            return Claim("pending")
        return Claim("replay", list(held.get("replies") or []))

    def complete(self, key_hash: str, message: str, replies: list[dict[str, Any]]) -> None:
        sealed = self._seal(key_hash, {"digest": _digest(key_hash, message), "replies": replies})
        self.session.execute(sa.update(TurnReply).where(TurnReply.key_hash == key_hash)
                             .values(done=True, data=sealed))

    def release(self, key_hash: str) -> None:
        self.session.execute(sa.delete(TurnReply).where(TurnReply.key_hash == key_hash,
                                                        TurnReply.done.is_(False)))


def claim_turn(key_hash: str, message: str) -> Claim:
    with unit_of_work() as uow:
        return uow.repository(TurnReplies).claim(key_hash, message)


def complete_turn(key_hash: str, message: str, replies: list[dict[str, Any]]) -> None:
    with unit_of_work() as uow:
        uow.repository(TurnReplies).complete(key_hash, message, replies)


def release_turn(key_hash: str) -> None:
    with unit_of_work() as uow:
        uow.repository(TurnReplies).release(key_hash)
