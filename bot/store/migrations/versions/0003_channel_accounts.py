"""Messaging channels: the chat accounts linked to partner users, and the platform update
ids already handled (so a platform's retry or edit never makes a second turn).

Revision ID: 0003_channel_accounts
Revises: 0002_access
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.store.models import UTCDateTime

revision = "0003_channel_accounts"
down_revision = "0002_access"
branch_labels = None
depends_on = None

PLATFORMS = ("telegram", "phone", "slack")  # frozen here: bot.channels.accounts may change later


def upgrade() -> None:
    op.create_table(
        "channel_accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        # "telegram": numeric Telegram user id; "phone": E.164 (SMS and WhatsApp);
        # "slack": "<team id>:<user id>" or a bare Slack user id.
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(f"platform IN {PLATFORMS!r}", name=op.f("ck_channel_accounts_platform")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_channel_accounts_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channel_accounts")),
        sa.UniqueConstraint(
            "platform", "account_id", name=op.f("uq_channel_accounts_platform")
        ),
    )
    op.create_index("ix_channel_accounts_user_id", "channel_accounts", ["user_id"])

    # Only a hash of "<platform>:<update id>" is kept, never message content.
    op.create_table(
        "channel_updates_seen",
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("seen_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key_hash", name=op.f("pk_channel_updates_seen")),
    )
    op.create_index("ix_channel_updates_seen_seen_at", "channel_updates_seen", ["seen_at"])


def downgrade() -> None:
    op.drop_table("channel_updates_seen")
    op.drop_table("channel_accounts")
