"""The one refusal an unlinked chat account gets. Its text is the domain response
`utter_channel_not_linked` (so translations live with the other responses); until the
loaded model has it, domain.yml is read, and failing that an English default is used.

Nothing about the sender is stored: the throttle that keeps it to one refusal (not one per
message, which would also cost an SMS each) holds salted hashes in this process only."""

from __future__ import annotations

import hashlib
import logging
import secrets
import threading
import time
from typing import Any

from bot.config import current

logger = logging.getLogger(__name__)

RESPONSE = "utter_channel_not_linked"
DEFAULT_TEXT = (
    "This assistant is only for caseworkers of partner organizations, and this account is "
    "not linked to one. To get access, ask your organization's administrator for the "
    "referral assistant to link this account to your partner account. Nothing you sent "
    "has been kept."
)
REFUSAL_INTERVAL_SECONDS = 3600
_MAX_TRACKED = 50_000


def _first_text(variants: Any) -> str | None:
    for variant in variants or []:
        if isinstance(variant, dict) and not variant.get("condition") and variant.get("text"):
            return str(variant["text"])
    return None


def refusal_text(domain: Any = None) -> str:
    """From the running model's domain if it has the response, else domain.yml, else the
    English default."""
    text = _first_text(getattr(domain, "responses", {}).get(RESPONSE)) if domain else None
    return text or _domain_file_text() or DEFAULT_TEXT


_file_text: list[str | None] = []


def _domain_file_text() -> str | None:
    if not _file_text:  # read once per process
        text = None
        path = current().domain_path  # HRD_DOMAIN_PATH
        try:
            from rasa.shared.core.domain import Domain

            text = _first_text(Domain.load(path).responses.get(RESPONSE))
        except Exception as error:
            logger.info("refusal text: %s not readable (%s)", path, type(error).__name__)
        _file_text.append(text)
    return _file_text[0]


class RefusalThrottle:
    """At most one refusal per account per interval, remembered only in memory."""

    def __init__(self, interval: float = REFUSAL_INTERVAL_SECONDS) -> None:
        self.interval = interval
        self._salt = secrets.token_bytes(16)  # per process: the hashes mean nothing elsewhere
        self._until: dict[str, float] = {}
        self._lock = threading.Lock()

    def should_refuse(self, channel: str, account_id: str) -> bool:
        key = hashlib.sha256(self._salt + f"{channel}:{account_id}".encode()).hexdigest()
        now = time.monotonic()
        with self._lock:
            if self._until.get(key, 0.0) > now:
                return False
            if len(self._until) >= _MAX_TRACKED:
                self._until = {k: t for k, t in self._until.items() if t > now}
            self._until[key] = now + self.interval
            return True
