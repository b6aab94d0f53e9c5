"""The tracker store fails closed (issue 18).

Rasa wraps every tracker store in a FailSafeTrackerStore: when the database cannot be read,
retrieve() answers None and Rasa starts a new, empty conversation for the sender; when it
cannot be written, save() keeps the conversation in this process's memory. Either way the
caseworker is answered as if all were well, from a conversation that is not theirs or that
no other Rasa process sees and the next restart loses.

Here its methods call the real store and let its errors through: the turn fails, nothing is
kept half-way, and the channel answers "temporarily unavailable, send it again" (the partner
channel's 503, bot/channels/partner.py; a failed turn's reply on the other channels). The
conversation in the database is untouched, so the same message goes on from there once the
database is back.

install() is called by the Rasa server's entrypoint (bot/runtime/rasa_server.py).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from rasa.core.tracker_store import FailSafeTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)


async def _retrieve(self: FailSafeTrackerStore, sender_id: str) -> DialogueStateTracker | None:
    try:
        return await self._tracker_store.retrieve(sender_id)
    except Exception as error:
        logger.error("tracker store unavailable: conversation not read (%s)",
                     type(error).__name__)
        raise


async def _retrieve_full_tracker(self: FailSafeTrackerStore,
                                 sender_id: str) -> DialogueStateTracker | None:
    try:
        return await self._tracker_store.retrieve_full_tracker(sender_id)
    except Exception as error:
        logger.error("tracker store unavailable: conversation not read (%s)",
                     type(error).__name__)
        raise


async def _save(self: FailSafeTrackerStore, tracker: DialogueStateTracker) -> None:
    try:
        await self._tracker_store.save(tracker)
    except Exception as error:
        logger.error("tracker store unavailable: turn not saved (%s)", type(error).__name__)
        raise


async def _keys(self: FailSafeTrackerStore) -> Iterable[str]:
    return await self._tracker_store.keys()


def install() -> None:
    patched: dict[str, Any] = {"retrieve": _retrieve,
                               "retrieve_full_tracker": _retrieve_full_tracker,
                               "save": _save, "keys": _keys}
    for name, function in patched.items():
        setattr(FailSafeTrackerStore, name, function)
