"""Access control: organizations, user accounts with roles, API tokens (stored as hashes
only), the ownership of chat sender ids, and the failed-authentication rate limit shared by
the partner channel (bot.channels.partner) and the case API (bot.console)."""

from bot.access.accounts import (
    AccessError,
    Duplicate,
    IssuedToken,
    NewUser,
    OrgInfo,
    UnknownOrg,
    UnknownUser,
    UserInfo,
    add_org,
    create_user,
    issue_token,
    list_orgs,
    list_users,
    normalize_language,
    revoke_user,
    set_language,
)
from bot.access.auth import Principal, authenticate
from bot.access.models import (
    DEFAULT_LANGUAGE,
    ELEVATED_ROLES,
    LANGUAGES,
    ROLES,
    ApiToken,
    SenderOwner,
    User,
)
from bot.access.senders import claim_sender, sender_owner

__all__ = [
    "DEFAULT_LANGUAGE",
    "ELEVATED_ROLES",
    "LANGUAGES",
    "ROLES",
    "AccessError",
    "ApiToken",
    "Duplicate",
    "IssuedToken",
    "NewUser",
    "OrgInfo",
    "Principal",
    "SenderOwner",
    "UnknownOrg",
    "UnknownUser",
    "User",
    "UserInfo",
    "add_org",
    "authenticate",
    "claim_sender",
    "create_user",
    "issue_token",
    "list_orgs",
    "list_users",
    "normalize_language",
    "revoke_user",
    "sender_owner",
    "set_language",
]
