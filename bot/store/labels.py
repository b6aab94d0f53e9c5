"""Associated data for each kind of ciphertext: binds it to its row and purpose, so a
ciphertext copied into another row or column does not decrypt (crypto.py)."""

from __future__ import annotations


def answers_label(reference: str) -> str:
    return f"case:{reference}:answers"


def decision_label(reference: str) -> str:
    return f"case:{reference}:decision"


def tracker_label(sender_id: str) -> str:
    return f"tracker:{sender_id}"


def spool_label(spool_name: str) -> str:
    """An outbox file, by its name (a hash of the intake id)."""
    return f"outbox:{spool_name}"
