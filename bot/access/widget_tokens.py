"""Short-lived widget tokens (JWT, HS256): the console signs one for a signed-in partner
user and one chat sender id; the Rasa server's widget channel (bot.channels.widget)
verifies it and takes the sender, user and organization from it, never from the client.
Also the widget conversations a user owns, and whether a token's holder may still chat."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Any

import jwt

from bot.access.auth import Principal
from bot.access.models import DEFAULT_LANGUAGE, LANGUAGES
from bot.access.repository import SenderOwners, Users
from bot.access.senders import claim_sender
from bot.access.socket_key import socket_jwt_key
from bot.config import console_settings
from bot.store.unit_of_work import unit_of_work

ALGORITHM = "HS256"
AUDIENCE = "hrd-widget"
ISSUER = "hrd-console"


@dataclass(frozen=True)
class WidgetClaims:
    sender_id: str
    user_id: int
    partner_org: str
    role: str
    language: str


def sender_prefix(user_id: int) -> str:
    return f"web-{user_id}-"


def new_sender(user_id: int) -> str:
    sender = sender_prefix(user_id) + secrets.token_hex(8)
    if not claim_sender(sender, user_id):  # 64 random bits: only a bug gets here
        raise RuntimeError("a fresh sender id was already taken")
    return sender


def current_sender(user_id: int) -> str:
    """The user's latest widget conversation while it has no case yet (a reload or a
    sign-in later continues the draft); after its case is saved, a new one."""
    with unit_of_work() as uow:
        owners = uow.repository(SenderOwners)
        latest = owners.latest_with_prefix(user_id, sender_prefix(user_id))
        if latest is not None and not owners.has_case(latest):
            return latest
    return new_sender(user_id)


def owns_sender(user_id: int, sender_id: str) -> bool:
    if not sender_id.startswith(sender_prefix(user_id)) or len(sender_id) > 64:
        return False
    with unit_of_work() as uow:
        owner = uow.repository(SenderOwners).owner(sender_id)
    return owner == user_id


def holder_may_chat(claims: WidgetClaims) -> bool:
    """The token's user is still an active partner of the token's organization, and owns
    its sender (claimed on first use): checked on connect and again for every message."""
    with unit_of_work() as uow:
        row = uow.repository(Users).standing(claims.user_id)
    if not (row is not None and row.revoked_at is None and row.role == "partner"
            and row.org_id == claims.partner_org):
        return False
    return claim_sender(claims.sender_id, claims.user_id)


def issue_token(principal: Principal, sender_id: str, language: str = DEFAULT_LANGUAGE
                ) -> tuple[str, int]:
    """(token, lifetime in seconds). The caller has checked that the user owns the sender.
    `language`: the console's current one for this user, which the assistant starts in."""
    if language not in LANGUAGES:
        raise ValueError("unknown language")
    if principal.role != "partner" or not principal.org_id:
        raise PermissionError("only partner staff chat in the widget")
    lifetime = console_settings().socket_token_seconds
    now = int(time.time())
    payload: dict[str, Any] = {
        "iss": ISSUER, "aud": AUDIENCE, "iat": now, "nbf": now - 5, "exp": now + lifetime,
        "sub": sender_id, "uid": principal.user_id, "org": principal.org_id,
        "role": principal.role, "lang": language, "jti": secrets.token_hex(8),
    }
    return jwt.encode(payload, socket_jwt_key(), algorithm=ALGORITHM), lifetime


def verify_token(token: object, key: str | None = None) -> WidgetClaims | None:
    """The claims of a valid, unexpired token; None for anything else."""
    if not isinstance(token, str) or not token or len(token) > 2048:
        return None
    try:
        payload = jwt.decode(token, key or socket_jwt_key(), algorithms=[ALGORITHM],
                             audience=AUDIENCE, issuer=ISSUER,
                             options={"require": ["exp", "iat", "sub", "aud", "iss"]})
    except jwt.PyJWTError:
        return None
    sender, uid, org = payload.get("sub"), payload.get("uid"), payload.get("org")
    if not (isinstance(sender, str) and isinstance(uid, int) and isinstance(org, str)
            and payload.get("role") == "partner" and sender.startswith(sender_prefix(uid))):
        return None
    language = payload.get("lang") if payload.get("lang") in LANGUAGES else DEFAULT_LANGUAGE
    return WidgetClaims(sender_id=sender, user_id=uid, partner_org=org, role="partner",
                        language=language)
