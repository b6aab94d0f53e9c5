"""Identity and access: organizations, user accounts with roles, API tokens (stored as
hashes only), passwords and TOTP (passwords.py), browser sessions and sign-in
(sessions.py, signin.py), widget tokens and their key (widget_tokens.py, socket_key.py),
chat accounts linked to users (chat_accounts.py), the ownership of chat sender ids, and the
failed-authentication rate limit (ratelimit.py). Channels, the console and the CLI use it;
it uses only the store. Its tables (models.py) are reached only through repository.py."""

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
