"""API tokens: 32 random bytes, shown once, stored as SHA-256. A fast hash is right here
(unlike passwords): the token has 256 bits of entropy, so there is nothing to brute-force."""

from __future__ import annotations

import hashlib
import secrets

TOKEN_PREFIX = "hrd_"  # makes a leaked token recognizable to secret scanners
TOKEN_BYTES = 32
MAX_TOKEN_LENGTH = 200


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def plausible(token: str) -> bool:
    """Cheap shape check before any database work (garbage never reaches a query)."""
    return (
        0 < len(token) <= MAX_TOKEN_LENGTH
        and token.startswith(TOKEN_PREFIX)
        and token.isascii()
        and token[len(TOKEN_PREFIX):].replace("-", "").replace("_", "").isalnum()
    )
