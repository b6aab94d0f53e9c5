"""Data at rest (issue 12): tracker events keep only type_name in clear, and a case's
ciphertexts are bound to its partner organization as well as its reference.

- tracker_events.intent_name / action_name are blanked (NULL): "threat_description" in a
  clear column says a threat exists. The encrypted event JSON holds them.
- cases.answers / cases.decision are re-encrypted from the label "case:<ref>:<kind>" to
  "case:<ref>:org:<org>:<kind>" (bot.store.associated_data), so a row moved to another organization
  does not decrypt. This needs the data keys (HRD_DATA_KEY or the key file) when there are
  cases; a database without cases migrates without them.

Revision ID: 0006_store_at_rest
Revises: 0005_user_language
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

revision = "0006_store_at_rest"
down_revision = "0005_user_language"
branch_labels = None
depends_on = None

_BATCH = 500
_KINDS = ("answers", "decision")

_cases = sa.table(
    "cases",
    sa.column("id", sa.Integer),
    sa.column("reference", sa.String),
    sa.column("partner_org", sa.String),
    sa.column("answers", sa.LargeBinary),
    sa.column("decision", sa.LargeBinary),
)


# Labels frozen here: bot.store.associated_data may change again, this migration must not.
def _old_label(reference: str, org: str, kind: str) -> str:
    return f"case:{reference}:{kind}"


def _new_label(reference: str, org: str, kind: str) -> str:
    return f"case:{reference}:org:{org}:{kind}"


Label = Callable[[str, str, str], str]


def _relabel(source: Label, target: Label) -> None:
    from bot.store import crypto

    bind = op.get_bind()
    keyring = None
    last_id = 0
    while True:
        rows = bind.execute(
            sa.select(_cases).where(_cases.c.id > last_id).order_by(_cases.c.id).limit(_BATCH)
        ).all()
        if not rows:
            return
        keyring = keyring or crypto.current_keyring()
        for row in rows:
            values = {}
            for kind in _KINDS:
                blob = bytes(getattr(row, kind))
                try:
                    plain = keyring.decrypt(blob, source(row.reference, row.partner_org, kind))
                except crypto.DecryptionError:
                    # Already under the target label (opens there) or damaged: left as is,
                    # the store refuses to read a row that does not open.
                    continue
                values[kind] = keyring.encrypt(plain, target(row.reference, row.partner_org,
                                                             kind))
            if values:
                bind.execute(sa.update(_cases).where(_cases.c.id == row.id).values(**values))
        last_id = rows[-1].id


def upgrade() -> None:
    op.execute("UPDATE tracker_events SET intent_name = NULL, action_name = NULL "
               "WHERE intent_name IS NOT NULL OR action_name IS NOT NULL")
    _relabel(_old_label, _new_label)


def downgrade() -> None:
    # The blanked names are not restored (they were never needed: Rasa reads the JSON).
    _relabel(_new_label, _old_label)
