"""Associated data for each kind of ciphertext: binds it to its row and purpose, so a
ciphertext copied into another row or column does not decrypt (crypto.py).

A case's ciphertexts are bound to its reference AND its partner organization: a row moved
into another organization's view (partner_org rewritten by someone who can write to the
database) no longer decrypts, and the store refuses to read it.
"""

from __future__ import annotations


def answers_label(reference: str, partner_org: str) -> str:
    return f"case:{reference}:org:{partner_org}:answers"


def decision_label(reference: str, partner_org: str) -> str:
    return f"case:{reference}:org:{partner_org}:decision"


def tracker_label(sender_id: str) -> str:
    return f"tracker:{sender_id}"


def spool_label(spool_name: str) -> str:
    """An outbox file, by its name (a hash of the intake id)."""
    return f"outbox:{spool_name}"


def note_label(reference: str, note_uid: str) -> str:
    """A supervisor's note on a case (bot.store.annotations.CaseNote)."""
    return f"case:{reference}:note:{note_uid}"


def turn_replies_label(key_hash: str) -> str:
    """A partner-channel turn's replies kept under its Idempotency-Key (turn_replies.py)."""
    return f"turn-replies:{key_hash}"
