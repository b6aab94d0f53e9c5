"""The failed-authentication limiter's shared counts when Redis is not configured
(bot.access.ratelimit): one row per hashed key, counted atomically with an upsert before
a password, code or token is verified.

And issue 12's two new rules take effect for existing accounts: supervisors' and admins'
tokens without an expiry are revoked (they now need one, and only read), and console
sessions of users without one-time codes end (every role now signs in with a code).
Downgrading keeps both (a revoked token stays revoked).

Revision ID: 0007_auth_attempts
Revises: 0006_store_at_rest
Create Date: 2026-12-01
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from bot.store.models import UTCDateTime

revision = "0007_auth_attempts"
down_revision = "0006_store_at_rest"
branch_labels = None
depends_on = None

ELEVATED_ROLES = ("supervisor", "admin")  # frozen here, as bot.access.models has them


def upgrade() -> None:
    op.create_table(
        "auth_attempts",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("window_end", sa.Float, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_auth_attempts")),
    )
    users = sa.table("users", sa.column("id", sa.Integer), sa.column("role", sa.String),
                     sa.column("totp_secret", sa.LargeBinary))
    tokens = sa.table("api_tokens", sa.column("user_id", sa.Integer),
                      sa.column("expires_at", UTCDateTime()),
                      sa.column("revoked_at", UTCDateTime()))
    sessions = sa.table("console_sessions", sa.column("user_id", sa.Integer))
    elevated = sa.select(users.c.id).where(users.c.role.in_(ELEVATED_ROLES))
    op.execute(tokens.update()
               .where(tokens.c.expires_at.is_(None), tokens.c.revoked_at.is_(None),
                      tokens.c.user_id.in_(elevated))
               .values(revoked_at=datetime.now(UTC)))
    op.execute(sessions.delete().where(sessions.c.user_id.in_(
        sa.select(users.c.id).where(users.c.totp_secret.is_(None)))))


def downgrade() -> None:
    op.drop_table("auth_attempts")
