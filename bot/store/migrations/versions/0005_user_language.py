"""Each user's language for the console, the widget and the assistant ("en" or "fr").

NULL means the user never chose one: the console then follows the browser and a channel
its own locale, with English as the default (bot.access.models.DEFAULT_LANGUAGE).

Revision ID: 0005_user_language
Revises: 0004_console
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_user_language"
down_revision = "0004_console"
branch_labels = None
depends_on = None

LANGUAGES = ("en", "fr")  # frozen here: bot.access.models may add languages later
CHECK_NAME = "ck_users_language"
CHECK = f"language IN {LANGUAGES!r}"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # SQLite cannot add a table constraint without copying `users`, which every other
        # table references; a column constraint comes with ADD COLUMN (and goes with DROP).
        op.execute(f"ALTER TABLE users ADD COLUMN language VARCHAR(2) "
                   f"CONSTRAINT {CHECK_NAME} CHECK ({CHECK})")
        return
    op.add_column("users", sa.Column("language", sa.String(2), nullable=True))
    op.create_check_constraint(op.f(CHECK_NAME), "users", CHECK)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE users DROP COLUMN language")  # SQLite >= 3.35
        return
    op.drop_constraint(op.f(CHECK_NAME), "users", type_="check")
    op.drop_column("users", "language")
