"""The web console: sessions, TOTP replay guard, case reviews, tags, encrypted notes and
the console audit log.

Revision ID: 0004_console
Revises: 0003_channel_accounts
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.store.models import UTCDateTime

revision = "0004_console"
down_revision = "0003_channel_accounts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "console_sessions",
        sa.Column("id_hash", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_console_sessions_user_id_users")),
        sa.PrimaryKeyConstraint("id_hash", name=op.f("pk_console_sessions")),
    )
    op.create_index("ix_console_sessions_user_id", "console_sessions", ["user_id"])

    op.create_table(
        "console_totp_steps",
        sa.Column("user_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_step", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_console_totp_steps_user_id_users")),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_console_totp_steps")),
    )

    op.create_table(
        "case_reviews",
        sa.Column("case_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("reviewed_by", sa.Integer(), nullable=False),
        sa.Column("reviewed_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"],
                                name=op.f("fk_case_reviews_case_id_cases")),
        sa.ForeignKeyConstraint(["reviewed_by"], ["users.id"],
                                name=op.f("fk_case_reviews_reviewed_by_users")),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_case_reviews")),
    )

    op.create_table(
        "case_tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(40), nullable=False),
        sa.Column("added_by", sa.Integer(), nullable=False),
        sa.Column("added_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"],
                                name=op.f("fk_case_tags_case_id_cases")),
        sa.ForeignKeyConstraint(["added_by"], ["users.id"],
                                name=op.f("fk_case_tags_added_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_tags")),
        sa.UniqueConstraint("case_id", "tag", name="uq_case_tags_case_id"),
    )
    op.create_index("ix_case_tags_case_id", "case_tags", ["case_id"])
    op.create_index("ix_case_tags_tag", "case_tags", ["tag"])

    op.create_table(
        "case_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("note_uid", sa.String(32), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("author", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"],
                                name=op.f("fk_case_notes_case_id_cases")),
        sa.ForeignKeyConstraint(["author"], ["users.id"],
                                name=op.f("fk_case_notes_author_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_notes")),
        sa.UniqueConstraint("note_uid", name=op.f("uq_case_notes_note_uid")),
    )
    op.create_index("ix_case_notes_case_id", "case_notes", ["case_id"])

    op.create_table(
        "console_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(255), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("target", sa.String(255), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_console_audit")),
    )
    op.create_index("ix_console_audit_at", "console_audit", ["at"])


def downgrade() -> None:
    op.drop_table("console_audit")
    op.drop_table("case_notes")
    op.drop_table("case_tags")
    op.drop_table("case_reviews")
    op.drop_table("console_totp_steps")
    op.drop_table("console_sessions")
