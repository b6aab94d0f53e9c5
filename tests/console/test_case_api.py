"""The case API against the real console and real databases."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from bot.store import case_events
from bot.store.db import session_scope
from bot.store.models import Case
from tests.console.support import MAX_FAILURES, Console, elevated_user, random_client

CASE_KEYS = {"reference", "partner_org", "submitted_at", "status", "answers", "decision"}
DECISION_KEYS = {"eligibility", "urgent", "pathway", "priority", "priority_factors",
                 "case_size", "capacity", "reasons", "alternatives", "policy_version"}
SECURITY = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


def _is_json_error(reply, status: int) -> None:
    assert reply.status == status, (reply.status, reply.raw[:300])
    assert reply.headers["Content-Type"].startswith("application/json")
    body = reply.json
    assert set(body) == {"error", "message"}
    assert "Traceback" not in reply.raw.decode()
    for header, value in SECURITY.items():
        assert reply.headers[header] == value


def test_partner_reads_own_case_exactly(console: Console) -> None:
    reference = console.cases["unhcr"][0]
    reply = console.get(f"/api/cases/{reference}", console.tokens["unhcr"])
    assert reply.status == 200
    case = reply.json
    assert set(case) == CASE_KEYS
    assert set(case["decision"]) >= DECISION_KEYS
    assert case["reference"] == reference and case["partner_org"] == "unhcr"
    assert case["status"] == "submitted"
    assert case["answers"]["country_of_origin"]
    for header, value in SECURITY.items():
        assert reply.headers[header] == value


def test_other_organizations_case_is_404_like_a_missing_one(console: Console) -> None:
    other = console.get(f"/api/cases/{console.cases['front_line_defenders'][0]}",
                        console.tokens["unhcr"])
    missing = console.get("/api/cases/HRD-2024-99999", console.tokens["unhcr"])
    _is_json_error(other, 404)
    assert other.raw == missing.raw


@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_supervisor_and_admin_see_every_case(console: Console, role: str) -> None:
    everything = sorted(console.cases["unhcr"] + console.cases["front_line_defenders"])
    listed = console.get("/api/cases", console.tokens[role])
    assert listed.status == 200
    assert sorted(case["reference"] for case in listed.json) == everything
    assert all(set(case) == CASE_KEYS - {"answers"} for case in listed.json)
    for reference in everything:
        assert console.get(f"/api/cases/{reference}", console.tokens[role]).status == 200


def test_partner_lists_only_own_cases(console: Console) -> None:
    token = console.tokens["fld"]
    own = sorted(console.cases["front_line_defenders"])
    assert sorted(c["reference"] for c in console.get("/api/cases", token).json) == own
    assert console.get("/api/cases?partner=unhcr", token).json == []
    assert sorted(c["reference"] for c in console.get(
        "/api/cases?partner=front_line_defenders", token).json) == own


def test_filters(console: Console) -> None:
    token = console.tokens["supervisor"]
    by_year = console.get("/api/cases?year=2025", token).json
    assert sorted(c["reference"] for c in by_year) == sorted(console.cases["front_line_defenders"])
    assert console.get("/api/cases?status=withdrawn", token).json == []
    everything = console.get("/api/cases", token).json
    for eligibility in ("eligible", "ineligible", "needs_review"):
        found = console.get(f"/api/cases?eligibility={eligibility}", token).json
        assert found == [c for c in everything if c["decision"]["eligibility"] == eligibility]
    urgent = console.get("/api/cases?urgent=true", token).json
    assert urgent == [c for c in everything if c["decision"]["urgent"]]
    # The contract's literal form, every filter blank, means no filter.
    assert console.get("/api/cases?status=&eligibility=&urgent=&partner=&year=",
                       token).json == everything
    assert len(console.get("/api/cases?limit=2&offset=1", token).json) == 2


@pytest.mark.parametrize("query", [
    "status=open", "eligibility=maybe", "urgent=yes", "urgent=1", "year=abc", "year=2024.0",
    "year=99999", "partner=UNHCR", "colour=red", "status=submitted&status=declined",
    "limit=0", "offset=-1",
])
def test_invalid_filters_are_400(console: Console, query: str) -> None:
    _is_json_error(console.get(f"/api/cases?{query}", console.tokens["supervisor"]), 400)


INJECTIONS = ["' OR '1'='1", "1; DROP TABLE cases; --", "submitted' --", "1 OR 1=1",
              "unhcr' UNION SELECT * FROM users --", "%27%20OR%201%3D1", "\\x00", "😀",
              "' OR 1=1) --"]


@pytest.mark.parametrize("name", ["status", "eligibility", "urgent", "partner", "year",
                                  "limit", "offset"])
def test_sql_injection_in_every_filter(console: Console, name: str) -> None:
    import urllib.parse

    for attack in INJECTIONS:
        query = urllib.parse.urlencode({name: attack})
        reply = console.get(f"/api/cases?{query}", console.tokens["supervisor"])
        assert reply.status in (200, 400), reply.raw[:200]
        if reply.status == 200:
            assert reply.json == []
    with session_scope() as session:
        assert session.execute(sa.select(sa.func.count(Case.id))).scalar_one() == 5


def test_injection_in_reference_and_token(console: Console) -> None:
    import urllib.parse

    for attack in INJECTIONS:
        reply = console.get("/api/cases/" + urllib.parse.quote(attack, safe=""),
                            console.tokens["supervisor"])
        assert reply.status == 404
        client = random_client()
        assert console.get("/api/cases", "hrd_" + urllib.parse.quote(attack),
                           client=client).status == 401


@pytest.mark.parametrize("authorization", [
    None, "", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer not-a-token",
    "Bearer hrd_" + "A" * 43, "Token abc", "Bearer " + "x" * 5000,
])
def test_missing_malformed_or_wrong_token_is_401(console: Console,
                                                 authorization: str | None) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    for path in ("/api/cases", f"/api/cases/{console.cases['unhcr'][0]}"):
        reply = console.get(path, headers=headers)
        _is_json_error(reply, 401)
        assert reply.headers.get("WWW-Authenticate", "").startswith("Bearer")


def test_revoked_and_expired_tokens_are_401(console: Console) -> None:
    from datetime import timedelta

    from bot.access import create_user, revoke_user
    from bot.access.models import ApiToken
    from bot.store.models import utcnow

    revoked = create_user("revoked@unhcr.org", "partner", "unhcr")
    expired = elevated_user("expired@irc.gc.ca", "supervisor", days=1)
    reference = console.cases["unhcr"][0]
    assert console.get(f"/api/cases/{reference}", revoked.token).status == 200
    assert console.get(f"/api/cases/{reference}", expired.token).status == 200
    revoke_user("revoked@unhcr.org")
    with session_scope() as session:
        session.execute(sa.update(ApiToken).where(ApiToken.user_id == expired.user_id)
                        .values(expires_at=utcnow() - timedelta(seconds=1)))
    _is_json_error(console.get(f"/api/cases/{reference}", revoked.token), 401)
    _is_json_error(console.get("/api/cases", expired.token), 401)


def test_repeated_failures_are_429_for_that_client_only(console: Console) -> None:
    client = random_client()
    for _ in range(MAX_FAILURES):
        assert console.get("/api/cases", "hrd_wrong", client=client).status == 401
    blocked = console.get("/api/cases", "hrd_wrong", client=client)
    _is_json_error(blocked, 429)
    assert int(blocked.headers["Retry-After"]) > 0
    # Even a good token from that client waits; other clients are not affected.
    assert console.get("/api/cases", console.tokens["supervisor"], client=client).status == 429
    assert console.get("/api/cases", console.tokens["supervisor"]).status == 200


def test_reads_are_audited_without_personal_data(console: Console) -> None:
    reference = console.cases["unhcr"][1]
    user_id = console.user_ids["unhcr"]
    before = len(case_events(reference))
    assert console.get(f"/api/cases/{reference}", console.tokens["unhcr"]).status == 200
    assert console.get("/api/cases?year=2024", console.tokens["unhcr"]).status == 200
    assert console.get(f"/api/cases/{reference}", console.tokens["fld"]).status == 404
    events = case_events(reference)[before:]
    assert [(e["actor"], e["action"]) for e in events] == [
        (f"user:{user_id}", "viewed"), (f"user:{user_id}", "listed"),
        (f"user:{console.user_ids['fld']}", "view_denied")]
    assert all(e["at"] is not None and e["detail"] == {"via": "case_api"} for e in events)
    assert "@" not in repr(events)


@pytest.mark.parametrize(("method", "path", "status"), [
    ("POST", "/api/cases", 405), ("DELETE", "/api/cases/HRD-2024-00001", 405),
    ("GET", "/api/nothing", 404), ("GET", "/api/cases/" + "A" * 9000, 413),
])
def test_other_errors_are_json(console: Console, method: str, path: str, status: int) -> None:
    _is_json_error(console.get(path, console.tokens["unhcr"], method=method,
                               body=b"{}" if method == "POST" else None), status)


def test_openapi_document(console: Console) -> None:
    reply = console.get("/api/openapi.json")
    assert reply.status == 200
    document = reply.json
    assert document["openapi"].startswith("3.")
    assert {"/api/cases", "/api/cases/{reference}"} <= set(document["paths"])
