"""Drafts flagged for a supervisor (issue 20, bot.store.attention): a caseworker asked for
a person during an intake; the console's needs-attention view lists them.

Revision ID: 0008_attention_flags
Revises: 0007_auth_attempts
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.store.models import UTCDateTime

revision = "0008_attention_flags"
down_revision = "0007_auth_attempts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "attention_flags",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("intake_id", sa.String(64), nullable=False),
        sa.Column("sender_id", sa.String(255), nullable=False),
        sa.Column("partner_org", sa.String(64), nullable=False),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("question", sa.String(64), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("resolved_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attention_flags")),
    )
    op.create_index(op.f("ix_attention_flags_intake_id"), "attention_flags", ["intake_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_attention_flags_intake_id"), table_name="attention_flags")
    op.drop_table("attention_flags")
