"""Before a server serves: the data keyring opens what is already stored (issue 18).

A wrong HRD_DATA_KEY (another keyring, e.g. one made again by `hrd keys generate`) parses
and loads like the right one; key ids ("k1") can even be the same. A server started with it
would fail on every stored conversation and case, and worse, write new ones under a key the
others do not have. So each server opens the newest tracker event and the newest case with
the keyring before it serves, and refuses to start if either does not open.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from bot.store import crypto
from bot.store.associated_data import answers_label, tracker_label
from bot.store.db import session_scope
from bot.store.models import Case, TrackerEvent

logger = logging.getLogger(__name__)


class WrongDataKey(crypto.KeyringError):
    pass


def check_keys_open_stored_data() -> None:
    """Raise WrongDataKey if the keyring does not open the newest stored ciphertexts. A
    store that cannot be reached is not checked here (the servers' own start fails then)."""
    keyring = crypto.require_keys_at_start()
    try:
        with session_scope() as session:
            event = session.execute(
                sa.select(TrackerEvent.sender_id, TrackerEvent.data)
                .order_by(TrackerEvent.id.desc()).limit(1)).first()
            case = session.execute(
                sa.select(Case.reference, Case.partner_org, Case.answers)
                .order_by(Case.id.desc()).limit(1)).first()
    except SQLAlchemyError as error:
        logger.warning("data key not checked: store unavailable (%s)", type(error).__name__)
        return
    samples = []
    if event is not None:
        samples.append(("a stored conversation", bytes(event.data),
                        tracker_label(event.sender_id)))
    if case is not None:
        samples.append(("a stored case", bytes(case.answers),
                        answers_label(case.reference, case.partner_org)))
    for what, blob, label in samples:
        try:
            keyring.decrypt(blob, label)
        except crypto.KeyringError as error:
            raise WrongDataKey(
                f"the data keyring does not open {what} ({error}): wrong HRD_DATA_KEY or key "
                "file? Nothing was written with it") from None
