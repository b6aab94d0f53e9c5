"""Who is calling: an API token to a Principal, or None. Synchronous (database);
async callers run it in a thread.

Supervisors' and admins' tokens read every case with one factor, so they are only issued on
request (`hrd users token --expires-in-days N`), always expire, and only read: their
Principal is `read_only`. One without an expiry (issued before this rule) is refused."""

from __future__ import annotations

from dataclasses import dataclass

from bot.access.api_tokens import plausible, token_hash
from bot.access.models import ELEVATED_ROLES
from bot.access.repository import ApiTokens
from bot.store.models import utcnow
from bot.store.unit_of_work import unit_of_work


@dataclass(frozen=True)
class Principal:
    user_id: int
    email: str
    role: str
    org_id: str | None
    language: str | None = None  # the stored preference; None: never chosen
    read_only: bool = False  # an elevated role's API token: GET only (bot.access.web)

    @property
    def actor(self) -> str:
        """How the audit trail names this user (an id, not the e-mail address)."""
        return f"user:{self.user_id}"

    @property
    def sees_all_cases(self) -> bool:
        return self.role in ELEVATED_ROLES


def authenticate(token: str | None) -> Principal | None:
    """The active user behind a valid, unrevoked, unexpired token; None otherwise."""
    if not token or not plausible(token):
        return None
    with unit_of_work(read_only=True) as uow:
        found = uow.repository(ApiTokens).holder(token_hash(token), utcnow())
        if found is None:
            return None
        row, expires_at = found
        elevated = row.role in ELEVATED_ROLES
        if elevated and expires_at is None:
            return None
        return Principal(user_id=row.id, email=row.email, role=row.role, org_id=row.org_id,
                         language=row.language, read_only=elevated)


def bearer_token(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, else None."""
    if not authorization:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None
