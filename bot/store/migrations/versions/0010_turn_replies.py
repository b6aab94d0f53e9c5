"""The replies of partner-channel turns sent with an Idempotency-Key, kept a day so that a
client's retry gets the same answer instead of a second turn (bot.store.turn_replies).

Revision ID: 0010_turn_replies
Revises: 0009_review
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.store.models import UTCDateTime

revision = "0010_turn_replies"
down_revision = "0009_review"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "turn_replies",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("done", sa.Boolean, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_turn_replies")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_turn_replies_key_hash")),
    )
    op.create_index(op.f("ix_turn_replies_created_at"), "turn_replies", ["created_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_turn_replies_created_at"), table_name="turn_replies")
    op.drop_table("turn_replies")
