"""Chat sender ids belong to the user who first used them, so that nobody can read or
continue another user's conversation by sending its id."""

from __future__ import annotations

from bot.access.repository import SenderOwners
from bot.store.unit_of_work import unit_of_work


def claim_sender(sender_id: str, user_id: int) -> bool:
    """True if `user_id` owns `sender_id` now (first use claims it); False if another does.

    Atomic: the primary key decides between concurrent first uses (INSERT ... ON CONFLICT
    DO NOTHING, then read the winner in the same transaction). A sender id that already has
    a conversation but no owner came from another channel and is not claimable."""
    owner = sender_owner(sender_id)  # every turn but the first: a read beside the writer
    if owner is not None:
        return owner == user_id
    with unit_of_work() as uow:
        owners = uow.repository(SenderOwners)
        owner = owners.owner(sender_id)
        if owner is not None:
            return owner == user_id
        if owners.has_conversation(sender_id):
            return False
        return owners.claim_if_free(sender_id, user_id) == user_id


def sender_owner(sender_id: str) -> int | None:
    with unit_of_work(read_only=True) as uow:
        return uow.repository(SenderOwners).owner(sender_id)
