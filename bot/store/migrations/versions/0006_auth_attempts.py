"""The failed-authentication limiter's shared counts when Redis is not configured
(bot.access.ratelimit): one row per hashed key, counted atomically with an upsert before
a password, code or token is verified.

Revision ID: 0006_auth_attempts
Revises: 0005_user_language
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_auth_attempts"
down_revision = "0005_user_language"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "auth_attempts",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("window_end", sa.Float, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_auth_attempts")),
    )


def downgrade() -> None:
    op.drop_table("auth_attempts")
