"""Editable supervisor notes with their history (issue 16): editing a note adds a new
encrypted row that names the row it replaces (`case_notes.replaces_id`); the case page
shows the notes nobody replaced, and each note's earlier texts on request. Nothing is
overwritten, so the history is the table itself (and `hrd keys rotate` re-encrypts it
with the other notes). Tags stay removable rows (removal audited in the case's trail).

Revision ID: 0009_review
Revises: 0008_attention_flags
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_review"
down_revision = "0008_attention_flags"
branch_labels = None
depends_on = None

INDEX = "ix_case_notes_replaces_id"


def upgrade() -> None:
    # A plain column (no foreign key): SQLite cannot add one without copying the table;
    # the store only ever writes ids of the same case's notes.
    op.add_column("case_notes", sa.Column("replaces_id", sa.Integer, nullable=True))
    op.create_index(INDEX, "case_notes", ["replaces_id"], unique=True)


def downgrade() -> None:
    op.drop_index(INDEX, table_name="case_notes")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE case_notes DROP COLUMN replaces_id")  # SQLite >= 3.35
        return
    op.drop_column("case_notes", "replaces_id")
