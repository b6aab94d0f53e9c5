"""Issue 12, at rest: a case moved into another organization's view by someone who can
write to the database (partner_org rewritten) does not decrypt there, and the console
refuses it cleanly: 404 as for no case, not a 500, and not in any list."""

from __future__ import annotations

import sqlalchemy as sa

from bot.store.db import session_scope
from bot.store.models import Case
from tests.console.support import Console, console  # the fixture, as tests/console uses it

__all__ = ["console"]


def _move(reference: str, org: str) -> None:
    with session_scope() as session:
        session.execute(sa.update(Case).where(Case.reference == reference)
                        .values(partner_org=org))


def test_case_moved_to_another_organization_is_refused(console: Console) -> None:
    reference = console.cases["unhcr"][0]
    _move(reference, "front_line_defenders")
    try:
        for token in ("fld", "supervisor"):
            reply = console.get(f"/api/cases/{reference}", console.tokens[token])
            assert reply.status == 404, (token, reply.status)
            assert reply.headers["Content-Type"].startswith("application/json")
            assert "answers" not in reply.json
            listed = console.get("/api/cases", console.tokens[token])
            assert listed.status == 200
            assert reference not in [case["reference"] for case in listed.json]
    finally:
        _move(reference, "unhcr")
    assert console.get(f"/api/cases/{reference}", console.tokens["unhcr"]).status == 200
