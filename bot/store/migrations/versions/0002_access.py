"""Access control: users, API tokens (hashes only) and the owners of chat sender ids.

Revision ID: 0002_access
Revises: 0001_case_database
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.store.models import UTCDateTime

revision = "0002_access"
down_revision = "0001_case_database"
branch_labels = None
depends_on = None

ROLES = ("partner", "supervisor", "admin")  # frozen here: bot.access.models may change later


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("org_id", sa.String(64), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        sa.Column("password_hash", sa.String(255), nullable=True),
        sa.Column("totp_secret", sa.LargeBinary(), nullable=True),
        sa.CheckConstraint(f"role IN {ROLES!r}", name=op.f("ck_users_role")),
        sa.CheckConstraint(
            "(role = 'partner' AND org_id IS NOT NULL) OR (role <> 'partner' AND org_id IS NULL)",
            name=op.f("ck_users_org_matches_role"),
        ),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organizations.id"], name=op.f("fk_users_org_id_organizations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    op.create_index("ix_users_org_id", "users", ["org_id"])

    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=True),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_api_tokens_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    op.create_index("ix_api_tokens_user_id", "api_tokens", ["user_id"])

    op.create_table(
        "sender_owners",
        sa.Column("sender_id", sa.String(255), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("claimed_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_sender_owners_user_id_users")
        ),
        sa.PrimaryKeyConstraint("sender_id", name=op.f("pk_sender_owners")),
    )
    op.create_index("ix_sender_owners_user_id", "sender_owners", ["user_id"])


def downgrade() -> None:
    op.drop_table("sender_owners")
    op.drop_table("api_tokens")
    op.drop_table("users")
