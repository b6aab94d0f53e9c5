"""Saves intakes spooled while the case database was down, once it is back, even if no
caseworker submits again: a background thread of the action server, started by its
entrypoint (not at import: a test process importing the actions must not drain whatever
outbox its settings point at)."""

from __future__ import annotations

import logging
import threading

from bot.config import current
from bot.store.outbox import drain_outbox, queued_count

logger = logging.getLogger(__name__)

_started = threading.Event()


def _drain_forever(interval: float) -> None:
    while True:
        try:
            if queued_count():
                saved = drain_outbox()
                if saved:
                    logger.info("outbox: %d queued intake(s) saved", len(saved))
        except Exception as error:  # keep the thread alive; the next round retries
            logger.warning("outbox drain failed: %s", type(error).__name__)
        threading.Event().wait(interval)


def start(interval: float | None = None) -> None:
    """Start the drainer once per process."""
    if _started.is_set():
        return
    _started.set()
    seconds = interval or current().outbox_drain_seconds
    threading.Thread(target=_drain_forever, args=(seconds,), daemon=True, name="outbox").start()
