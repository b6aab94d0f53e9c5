"""The case database: organizations (with the designated partners), reference counters,
cases, case events and the encrypted tracker events.

Revision ID: 0001_case_database
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from bot.store.models import CASE_STATUSES, DESIGNATED_PARTNERS, ELIGIBILITIES, UTCDateTime

revision = "0001_case_database"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    organizations = op.create_table(
        "organizations",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organizations")),
    )
    now = datetime.now(UTC)
    op.bulk_insert(
        organizations,
        [{"id": i, "display_name": name, "created_at": now} for i, name in DESIGNATED_PARTNERS],
    )

    op.create_table(
        "reference_counters",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_reference_counters")),
    )

    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("partner_org", sa.String(64), nullable=False),
        sa.Column("intake_id", sa.String(255), nullable=False),
        sa.Column("sender_id", sa.String(255), nullable=False),
        sa.Column("submitted_at", UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("status_changed_at", UTCDateTime(), nullable=False),
        sa.Column("eligibility", sa.String(16), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("pathway", sa.String(32), nullable=False),
        sa.Column("priority", sa.String(16), nullable=False),
        sa.Column("capacity", sa.String(16), nullable=False),
        sa.Column("case_size", sa.Integer(), nullable=False),
        sa.Column("counts_against_cap", sa.Boolean(), nullable=False),
        sa.Column("policy_version", sa.String(64), nullable=False),
        sa.Column("in_country", sa.Boolean(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("answers", sa.LargeBinary(), nullable=False),
        sa.Column("decision", sa.LargeBinary(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.CheckConstraint(f"status IN {CASE_STATUSES!r}", name=op.f("ck_cases_status")),
        sa.CheckConstraint(
            f"eligibility IN {ELIGIBILITIES!r}", name=op.f("ck_cases_eligibility")
        ),
        sa.ForeignKeyConstraint(
            ["partner_org"], ["organizations.id"],
            name=op.f("fk_cases_partner_org_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("intake_id", name=op.f("uq_cases_intake_id")),
        sa.UniqueConstraint("reference", name=op.f("uq_cases_reference")),
        sa.UniqueConstraint("year", "seq", name="uq_cases_year_seq"),
    )
    op.create_index("ix_cases_partner_org", "cases", ["partner_org"])
    op.create_index("ix_cases_sender_id", "cases", ["sender_id"])
    op.create_index("ix_cases_year_eligibility", "cases", ["year", "eligibility"])

    op.create_table(
        "case_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(255), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_events_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_events")),
    )
    op.create_index("ix_case_events_case_id", "case_events", ["case_id"])

    op.create_table(
        "tracker_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.String(255), nullable=False),
        sa.Column("type_name", sa.String(255), nullable=False),
        sa.Column("timestamp", sa.Float(), nullable=True),
        sa.Column("intent_name", sa.String(255), nullable=True),
        sa.Column("action_name", sa.String(255), nullable=True),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tracker_events")),
    )
    op.create_index("ix_tracker_events_sender_id", "tracker_events", ["sender_id"])
    op.create_index(
        "ix_tracker_events_sender_timestamp", "tracker_events", ["sender_id", "timestamp"]
    )


def downgrade() -> None:
    op.drop_table("tracker_events")
    op.drop_table("case_events")
    op.drop_table("cases")
    op.drop_table("reference_counters")
    op.drop_table("organizations")
