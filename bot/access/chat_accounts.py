"""Chat accounts (Telegram, phone numbers for SMS and WhatsApp, Slack) linked to partner
users: the admin operations behind `hrd users link|unlink|links`, and the lookup the
messaging channels (bot.channels.gateway) make for every message. Identity, so it lives
here and both the CLI and the channels use it. Table created by migration
0003_channel_accounts.

Logs name user ids and link ids, never an account id (a phone number is personal data)."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError

from bot.access.accounts import AccessError, Duplicate, UnknownUser, normalize_email
from bot.access.models import PLATFORMS
from bot.access.repository import ChatAccounts, Users
from bot.store.unit_of_work import unit_of_work

logger = logging.getLogger(__name__)

# E.164: "+", a country code that does not start with 0, at most 15 digits in all.
E164 = re.compile(r"\+[1-9]\d{6,14}")
TELEGRAM_USER_ID = re.compile(r"[1-9]\d{0,15}")
# Slack user ids: U... (workspace) or W... (Enterprise Grid), upper-case letters and digits.
SLACK_USER_ID = re.compile(r"[UW][A-Z0-9]{2,20}")


@dataclass(frozen=True)
class LinkInfo:
    link_id: int
    platform: str
    account_id: str
    user_id: int
    email: str
    created_at: datetime


@dataclass(frozen=True)
class LinkedUser:
    """Who a chat account speaks for, when it may refer (an active partner user)."""

    link_id: int
    user_id: int
    email: str
    role: str
    org_id: str
    language: str | None = None  # the user's stored preference, None if never chosen


def normalize_account(platform: str, account_id: str) -> str:
    """The stored form of an account id, or AccessError with a one-line reason."""
    value = account_id.strip()
    if platform == "telegram":
        if not TELEGRAM_USER_ID.fullmatch(value):
            raise AccessError("--telegram takes the numeric Telegram user id (e.g. 123456789)")
        return value
    if platform == "phone":
        value = re.sub(r"[\s().-]", "", value)
        if not E164.fullmatch(value):
            raise AccessError("--phone takes an E.164 number: +, country code, number "
                              "(e.g. +254712345678)")
        return value
    if platform == "slack":
        if not SLACK_USER_ID.fullmatch(value):
            raise AccessError("--slack takes a Slack member id (e.g. U024BE7LH)")
        return value
    raise AccessError(f"platform must be one of {', '.join(PLATFORMS)}")


def link_account(email: str, platform: str, account_id: str) -> LinkInfo:
    """Link a chat account to an active partner user; one user per account."""
    email = normalize_email(email)
    account_id = normalize_account(platform, account_id)
    try:
        with unit_of_work() as uow:
            user = uow.repository(Users).by_email(email)
            if user is None:
                raise UnknownUser("no user with this e-mail address")
            if user.revoked_at is not None:
                raise AccessError("this user is revoked")
            if user.role != "partner":
                raise AccessError("only partner staff refer, so only they can link a chat account")
            links = uow.repository(ChatAccounts)
            taken = links.owner_of(platform, account_id)
            if taken is not None:
                owner = "this user" if taken == user.id else "another user"
                raise Duplicate(f"this account is already linked to {owner}")
            link = links.add(platform, account_id, user.id)
            info = LinkInfo(link.id, platform, account_id, user.id, email, link.created_at)
    except IntegrityError as error:  # a concurrent link of the same account
        raise Duplicate("this account is already linked") from error
    logger.info("channel link %s added for user %s (%s)", info.link_id, info.user_id, platform)
    return info


def unlink_account(email: str, platform: str, account_id: str) -> int:
    """Remove the link; returns its id. Its conversation ends with it (the channels' sender
    ids name the link, so a later link of the same account starts a new conversation)."""
    email = normalize_email(email)
    account_id = normalize_account(platform, account_id)
    with unit_of_work() as uow:
        links = uow.repository(ChatAccounts)
        link = links.of_user(platform, account_id, email)
        if link is None:
            raise UnknownUser("this account is not linked to this user")
        link_id = link.id
        links.remove(link)
    logger.info("channel link %s removed", link_id)
    return link_id


def list_links(email: str | None = None) -> list[LinkInfo]:
    address = None if email is None else normalize_email(email)
    with unit_of_work() as uow:
        return [LinkInfo(a.id, a.platform, a.account_id, a.user_id, e, a.created_at)
                for a, e in uow.repository(ChatAccounts).with_emails(address)]


def linked_user(platform: str, account_id: str) -> LinkedUser | None:
    """The active partner user linked to this account, else None (unlinked, revoked user,
    or not partner staff: all get the same refusal)."""
    with unit_of_work() as uow:
        row = uow.repository(ChatAccounts).linked(platform, account_id)
        if row is None:
            return None
        link_id, user = row
        if user.revoked_at is not None or user.role != "partner" or not user.org_id:
            return None
        return LinkedUser(link_id, user.id, user.email, user.role, user.org_id, user.language)
