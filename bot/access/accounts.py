"""Organizations and user accounts: the admin operations behind `hrd orgs` and `hrd users`.

Logs name user ids, never e-mail addresses."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError

from bot.access.api_tokens import new_token, token_hash
from bot.access.models import ELEVATED_ROLES, LANGUAGES, ROLES, User
from bot.access.repository import ApiTokens, Organizations, Users
from bot.store.models import utcnow
from bot.store.unit_of_work import UnitOfWork, unit_of_work

logger = logging.getLogger(__name__)

ORG_ID = re.compile(r"[a-z][a-z0-9_]{1,63}")
# Deliberately plain: one @, a dot in the domain, no spaces or control characters.
EMAIL = re.compile(r"[^@\s\x00-\x1f\x7f]{1,64}@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+")
MAX_EMAIL = 254
MAX_DISPLAY_NAME = 200
MAX_EXPIRY_DAYS = 3650
# A supervisor's or admin's token reads every case: at most a year, then issue a new one.
MAX_ELEVATED_EXPIRY_DAYS = 365


class AccessError(ValueError):
    """A user error in an admin operation; the message is one line, safe to print."""


class UnknownOrg(AccessError):
    pass


class UnknownUser(AccessError):
    pass


class Duplicate(AccessError):
    pass


@dataclass(frozen=True)
class OrgInfo:
    id: str
    display_name: str
    created_at: datetime


@dataclass(frozen=True)
class UserInfo:
    id: int
    email: str
    role: str
    org_id: str | None
    created_at: datetime
    revoked_at: datetime | None
    active_tokens: int
    language: str | None = None  # None: never chosen (English by default)
    totp_enrolled: bool = False  # the console's sign-in needs it, for every role


@dataclass(frozen=True)
class NewUser:
    """A new account. Partner staff get a first API token (`token`, shown once); supervisors
    and admins get none (`token` is None) until `issue_token` is asked for one."""

    user_id: int
    email: str
    role: str
    token: str | None
    expires_at: datetime | None


@dataclass(frozen=True)
class IssuedToken:
    """A new token: `token` exists only here, the database keeps its hash."""

    user_id: int
    email: str
    token: str
    expires_at: datetime | None
    read_only: bool = False  # a supervisor's or admin's: GET only


def valid_org_id(org_id: str) -> bool:
    return bool(ORG_ID.fullmatch(org_id))


def normalize_email(email: str) -> str:
    email = email.strip().lower()
    if len(email) > MAX_EMAIL or not EMAIL.fullmatch(email):
        raise AccessError("not a valid e-mail address")
    return email


def normalize_language(language: str) -> str:
    """"en" or "fr" (any case, surrounding spaces ignored), else AccessError."""
    code = language.strip().lower() if isinstance(language, str) else ""
    if code not in LANGUAGES:
        raise AccessError(f"language must be one of {', '.join(LANGUAGES)}")
    return code


def add_org(org_id: str, display_name: str) -> OrgInfo:
    """A new partner organization. Whether it may refer is the policy's business, not ours."""
    if not valid_org_id(org_id):
        raise AccessError(
            "organization id must be 2-64 characters: lower-case letters, digits and _,"
            " starting with a letter"
        )
    display_name = display_name.strip()
    if not display_name or len(display_name) > MAX_DISPLAY_NAME or not display_name.isprintable():
        raise AccessError(f"display name must be 1-{MAX_DISPLAY_NAME} printable characters")
    try:
        with unit_of_work() as uow:
            orgs = uow.repository(Organizations)
            if orgs.get(org_id) is not None:
                raise Duplicate(f"organization {org_id!r} already exists")
            org = orgs.add(org_id, display_name)
    except IntegrityError as error:  # a concurrent add of the same id
        raise Duplicate(f"organization {org_id!r} already exists") from error
    logger.info("organization %s added", org_id)
    return OrgInfo(org.id, org.display_name, org.created_at)


def list_orgs() -> list[OrgInfo]:
    with unit_of_work() as uow:
        return [OrgInfo(o.id, o.display_name, o.created_at)
                for o in uow.repository(Organizations).all()]


def _expiry(expires_in_days: int | None, role: str = "partner") -> datetime | None:
    if role in ELEVATED_ROLES:
        if expires_in_days is None:
            raise AccessError(f"a {role}'s token needs --expires-in-days N (1-"
                              f"{MAX_ELEVATED_EXPIRY_DAYS}); it will only read")
        if not 1 <= expires_in_days <= MAX_ELEVATED_EXPIRY_DAYS:
            raise AccessError("--expires-in-days must be between 1 and "
                              f"{MAX_ELEVATED_EXPIRY_DAYS} for a {role}")
    if expires_in_days is None:
        return None
    if not 1 <= expires_in_days <= MAX_EXPIRY_DAYS:
        raise AccessError(f"--expires-in-days must be between 1 and {MAX_EXPIRY_DAYS}")
    return utcnow() + timedelta(days=expires_in_days)


def create_user(
    email: str, role: str, org_id: str | None = None, *, expires_in_days: int | None = None,
    language: str | None = None,
) -> NewUser:
    """A new user. Partner staff get a first API token (returned once); supervisors and
    admins none (see `issue_token`). Without `language` the user has no preference yet
    (English, unless the browser or chat platform says French)."""
    email = normalize_email(email)
    if language is not None:
        language = normalize_language(language)
    if role not in ROLES:
        raise AccessError(f"role must be one of {', '.join(ROLES)}")
    if role == "partner" and not org_id:
        raise AccessError("a partner user needs --org <organization id>")
    if role != "partner" and org_id:
        raise AccessError(f"a {role} does not belong to an organization: leave out --org")
    if role != "partner" and expires_in_days is not None:
        raise AccessError(f"a new {role} gets no API token: leave out --expires-in-days and "
                          "issue one with `hrd users token <email> --expires-in-days N`")
    expires_at = _expiry(expires_in_days)
    token = new_token() if role == "partner" else None
    try:
        with unit_of_work() as uow:
            if org_id is not None and uow.repository(Organizations).get(org_id) is None:
                raise UnknownOrg(f"unknown organization {org_id!r} (see `hrd orgs list`)")
            users = uow.repository(Users)
            if users.email_taken(email):
                raise Duplicate("a user with this e-mail address already exists")
            user = users.add(email, role, org_id, language)
            if token is not None:
                uow.repository(ApiTokens).add(user.id, token_hash(token), expires_at)
    except IntegrityError as error:  # a concurrent add of the same e-mail address
        raise Duplicate("a user with this e-mail address already exists") from error
    logger.info("user %s added (%s)", user.id, role)
    return NewUser(user.id, email, role, token, expires_at)


def issue_token(email: str, *, expires_in_days: int | None = None) -> IssuedToken:
    """A token for an active user (rotation: issue, switch, then revoke the old). A
    supervisor's or admin's needs an expiry (at most MAX_ELEVATED_EXPIRY_DAYS) and only
    reads (bot.access.auth)."""
    email = normalize_email(email)
    token = new_token()
    with unit_of_work() as uow:
        user = _active_user(uow, email)
        expires_at = _expiry(expires_in_days, user.role)
        uow.repository(ApiTokens).add(user.id, token_hash(token), expires_at)
        read_only = user.role in ELEVATED_ROLES
    logger.info("user %s: token issued", user.id)
    return IssuedToken(user.id, email, token, expires_at, read_only)


def revoke_user(email: str) -> int:
    """Disable the user and every token of theirs at once; returns the user id."""
    email = normalize_email(email)
    now = utcnow()
    with unit_of_work() as uow:
        user = _active_user(uow, email)
        user.revoked_at = now
        uow.repository(ApiTokens).revoke_all_of(user.id, now)
    logger.info("user %s revoked", user.id)
    return user.id


def set_language(email: str, language: str) -> int:
    """Store an active user's language ("en" or "fr"); returns the user id."""
    email = normalize_email(email)
    language = normalize_language(language)
    with unit_of_work() as uow:
        user = _active_user(uow, email)
        user.language = language
    logger.info("user %s: language set to %s", user.id, language)
    return user.id


def set_language_by_id(user_id: int, language: str) -> None:
    """The console's language switch: the signed-in user's own choice."""
    language = normalize_language(language)
    with unit_of_work() as uow:
        uow.repository(Users).set_language(user_id, language)


def list_users() -> list[UserInfo]:
    with unit_of_work() as uow:
        rows = uow.repository(Users).with_active_token_counts(utcnow())
        return [
            UserInfo(u.id, u.email, u.role, u.org_id, u.created_at, u.revoked_at, count,
                     u.language, u.totp_secret is not None)
            for u, count in rows
        ]


def _active_user(uow: UnitOfWork, email: str) -> User:
    user = uow.repository(Users).by_email(email)
    if user is None:
        raise UnknownUser("no user with this e-mail address")
    if user.revoked_at is not None:
        raise AccessError("this user is already revoked")
    return user
