"""Signed-in browser sessions (the console's): a random id in the cookie, its SHA-256 in
the database, an idle and an absolute timeout, and one CSRF (synchronizer) token per
session. The timeouts and the cookie's Secure flag are console settings (bot.config)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from bot.access.auth import Principal
from bot.access.repository import Sessions
from bot.config import console_settings
from bot.store.models import utcnow
from bot.store.unit_of_work import unit_of_work

# Writing last_seen_at on every request would make each page view a write transaction
# (SQLite: the database lock); a minute's precision is enough for a 30-minute idle timeout.
_TOUCH_AFTER = timedelta(seconds=60)


@dataclass(frozen=True)
class SignedIn:
    principal: Principal
    csrf_token: str
    id_hash: str


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


def cookie_name() -> str:
    # The __Host- prefix makes the browser refuse the cookie unless Secure, Path=/ and no
    # Domain: a sibling subdomain cannot plant or overwrite it.
    return "__Host-hrd_session" if console_settings().cookie_secure else "hrd_session"


def start_session(user_id: int) -> str:
    """A new session (never a reused one: fixation); returns the id for the cookie."""
    session_id = secrets.token_urlsafe(32)
    now = utcnow()
    with unit_of_work() as uow:
        uow.repository(Sessions).add(_hash(session_id), user_id, secrets.token_urlsafe(32), now)
    return session_id


def load_session(session_id: str | None) -> SignedIn | None:
    """The signed-in user of a live session of an active user; expired ones are deleted."""
    if not session_id or len(session_id) > 100:
        return None
    conf = console_settings()
    now = utcnow()
    id_hash = _hash(session_id)
    with unit_of_work() as uow:
        sessions = uow.repository(Sessions)
        row = sessions.with_user(id_hash)
        if row is None:
            return None
        console_session, user = row
        expired = (
            now - console_session.last_seen_at > timedelta(seconds=conf.session_idle_seconds)
            or now - console_session.created_at > timedelta(
                seconds=conf.session_absolute_seconds)
        )
        if expired or user.revoked_at is not None:
            sessions.remove(console_session)
            return None
        if now - console_session.last_seen_at > _TOUCH_AFTER:
            console_session.last_seen_at = now
        return SignedIn(
            principal=Principal(user_id=user.id, email=user.email, role=user.role,
                                org_id=user.org_id, language=user.language),
            csrf_token=console_session.csrf_token,
            id_hash=id_hash,
        )


def end_session(session_id: str | None) -> None:
    if not session_id or len(session_id) > 100:
        return
    with unit_of_work() as uow:
        uow.repository(Sessions).end(_hash(session_id))


def end_user_sessions(user_id: int) -> None:
    with unit_of_work() as uow:
        uow.repository(Sessions).end_all_of(user_id)


def csrf_matches(expected: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(expected.encode(), (given or "").encode())
