"""Access tables, on the case database's `Base` (created by migrations 0002_access,
0003_channel_accounts, 0007_auth_attempts and the console's); read and written only through
bot.access.repository."""

from __future__ import annotations

import sqlalchemy as sa

from bot.store.models import Base, UTCDateTime, utcnow

ROLES = ("partner", "supervisor", "admin")
# Roles that see every organization's cases: API tokens only on request, expiring, read-only.
ELEVATED_ROLES = ("supervisor", "admin")
# The languages of the service (issue #8). NULL in `users.language` means the user never
# chose: the console then follows the browser, a channel its locale, else DEFAULT_LANGUAGE.
LANGUAGES = ("en", "fr")
DEFAULT_LANGUAGE = "en"
# The chat platforms an account can be linked on (phone: SMS and WhatsApp).
PLATFORMS = ("telegram", "phone", "slack")


class User(Base):
    """A person: partner staff belong to an organization, supervisors and admins do not."""

    __tablename__ = "users"
    __table_args__ = (
        sa.CheckConstraint(f"role IN {ROLES!r}", name="role"),
        sa.CheckConstraint(
            "(role = 'partner' AND org_id IS NOT NULL) OR (role <> 'partner' AND org_id IS NULL)",
            name="org_matches_role",
        ),
        sa.CheckConstraint(f"language IN {LANGUAGES!r}", name="language"),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    email = sa.Column(sa.String(254), nullable=False, unique=True)  # stored lower-case
    role = sa.Column(sa.String(16), nullable=False)
    org_id = sa.Column(sa.String(64), sa.ForeignKey("organizations.id"), nullable=True, index=True)
    created_at = sa.Column(UTCDateTime(), nullable=False, default=utcnow)
    revoked_at = sa.Column(UTCDateTime(), nullable=True)
    # For the sign-in (bot.access.signin): an argon2 hash, and the TOTP secret encrypted
    # with bot.store.crypto (hence bytes), never in clear.
    password_hash = sa.Column(sa.String(255), nullable=True)
    totp_secret = sa.Column(sa.LargeBinary, nullable=True)
    # "en" | "fr", or NULL: not chosen (migration 0005_user_language).
    language = sa.Column(sa.String(2), nullable=True)


class ApiToken(Base):
    """An API token, kept only as the SHA-256 of the token: the token itself is shown once."""

    __tablename__ = "api_tokens"

    id = sa.Column(sa.Integer, primary_key=True)
    user_id = sa.Column(sa.Integer, sa.ForeignKey("users.id"), nullable=False, index=True)
    token_hash = sa.Column(sa.String(64), nullable=False, unique=True)
    created_at = sa.Column(UTCDateTime(), nullable=False, default=utcnow)
    expires_at = sa.Column(UTCDateTime(), nullable=True)
    revoked_at = sa.Column(UTCDateTime(), nullable=True)


class SenderOwner(Base):
    """The user who first used a chat sender id; the primary key makes the first one win."""

    __tablename__ = "sender_owners"

    sender_id = sa.Column(sa.String(255), primary_key=True)
    user_id = sa.Column(sa.Integer, sa.ForeignKey("users.id"), nullable=False, index=True)
    claimed_at = sa.Column(UTCDateTime(), nullable=False, default=utcnow)


class AuthAttempt(Base):
    """Authentication attempts in a fixed window, per hashed key (a client address or an
    account): the limiter's shared store when Redis is not configured (migration
    0007_auth_attempts). Keys are SHA-256 prefixes, never an address or an e-mail."""

    __tablename__ = "auth_attempts"

    key = sa.Column(sa.String(64), primary_key=True)
    window_end = sa.Column(sa.Float, nullable=False)  # epoch seconds (all processes agree)
    attempts = sa.Column(sa.Integer, nullable=False)


class ConsoleSession(Base):
    """A signed-in browser. The cookie holds a random id; only its SHA-256 is stored, so a
    copy of the database does not let anyone take over a session."""

    __tablename__ = "console_sessions"

    id_hash = sa.Column(sa.String(64), primary_key=True)
    user_id = sa.Column(sa.Integer, sa.ForeignKey("users.id"), nullable=False, index=True)
    csrf_token = sa.Column(sa.String(64), nullable=False)
    created_at = sa.Column(UTCDateTime(), nullable=False, default=utcnow)
    last_seen_at = sa.Column(UTCDateTime(), nullable=False, default=utcnow)


class TotpLastStep(Base):
    """The last TOTP time step accepted per user: a code is good once (no replay)."""

    __tablename__ = "console_totp_steps"

    user_id = sa.Column(sa.Integer, sa.ForeignKey("users.id"), primary_key=True,
                        autoincrement=False)
    last_step = sa.Column(sa.BigInteger, nullable=False)


class ChannelAccount(Base):
    """A chat account (Telegram user id, E.164 phone number, Slack member id) that speaks
    for a partner user; one user per account."""

    __tablename__ = "channel_accounts"
    __table_args__ = (
        sa.CheckConstraint(f"platform IN {PLATFORMS!r}", name="platform"),
        sa.UniqueConstraint("platform", "account_id", name="uq_channel_accounts_platform"),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    platform = sa.Column(sa.String(16), nullable=False)
    account_id = sa.Column(sa.String(64), nullable=False)
    user_id = sa.Column(sa.Integer, sa.ForeignKey("users.id"), nullable=False, index=True)
    created_at = sa.Column(UTCDateTime(), nullable=False, default=utcnow)
