"""Accounts, tokens and sender ownership against real databases (SQLite and PostgreSQL)."""

from __future__ import annotations

import hashlib
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from bot.access import (
    AccessError,
    ApiToken,
    Duplicate,
    UnknownOrg,
    User,
    add_org,
    authenticate,
    claim_sender,
    create_user,
    issue_token,
    list_orgs,
    list_users,
    revoke_user,
    sender_owner,
)
from bot.store.db import session_scope
from bot.store.models import TrackerEvent, utcnow

pytestmark = pytest.mark.usefixtures("database")


def test_token_authenticates_and_only_its_hash_is_stored() -> None:
    issued = create_user("Case.Worker@UNHCR.org", "partner", "unhcr")
    assert len(issued.token) >= 43 + len("hrd_")
    principal = authenticate(issued.token)
    assert principal is not None
    assert (principal.email, principal.role, principal.org_id) == (
        "case.worker@unhcr.org", "partner", "unhcr")
    with session_scope() as session:
        stored = session.execute(sa.select(ApiToken.token_hash)).scalars().all()
    assert stored == [hashlib.sha256(issued.token.encode()).hexdigest()]
    assert issued.token not in stored


def test_tokens_are_unique_and_unguessable() -> None:
    first = create_user("a@example.org", "partner", "unhcr")
    second = create_user("b@example.org", "partner", "unhcr")
    assert first.token != second.token
    assert authenticate(first.token[:-1] + ("A" if first.token[-1] != "A" else "B")) is None


@pytest.mark.parametrize("token", [None, "", "Bearer", "hrd_", "x" * 10_000, "hrd_' OR 1=1 --",
                                   "hrd_\x00\x01", "hrd_é"])
def test_garbage_tokens_do_not_authenticate(token: str | None) -> None:
    create_user("a@example.org", "admin")
    assert authenticate(token) is None


def test_revoked_user_and_every_token_of_theirs_stop_working() -> None:
    issued = create_user("a@example.org", "partner", "unhcr")
    extra = issue_token("a@example.org")
    assert authenticate(extra.token) is not None
    revoke_user("A@example.org")
    assert authenticate(issued.token) is None
    assert authenticate(extra.token) is None
    with pytest.raises(AccessError):
        issue_token("a@example.org")


def test_expired_token_is_refused() -> None:
    issued = create_user("a@example.org", "partner", "unhcr", expires_in_days=1)
    assert authenticate(issued.token) is not None
    with session_scope() as session:
        session.execute(sa.update(ApiToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert authenticate(issued.token) is None
    assert list_users()[0].active_tokens == 0


@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_elevated_users_get_no_token_until_asked_then_an_expiring_read_only_one(
        role: str) -> None:
    """Issue 12: one factor reading every case is only issued on request, with an expiry."""
    added = create_user("a@example.org", role)
    assert added.token is None and added.expires_at is None
    with session_scope() as session:
        assert session.execute(sa.select(sa.func.count(ApiToken.id))).scalar_one() == 0
    assert list_users()[0].active_tokens == 0
    with pytest.raises(AccessError, match="expires-in-days"):
        issue_token("a@example.org")  # no expiry: refused
    with pytest.raises(AccessError, match="between 1 and 365"):
        issue_token("a@example.org", expires_in_days=366)
    with pytest.raises(AccessError, match="gets no API token"):
        create_user("b@example.org", role, expires_in_days=30)
    issued = issue_token("a@example.org", expires_in_days=7)
    assert issued.read_only and issued.expires_at is not None
    principal = authenticate(issued.token)
    assert principal is not None and principal.read_only and principal.sees_all_cases
    partner = create_user("p@example.org", "partner", "unhcr")
    assert not authenticate(partner.token).read_only


def test_elevated_token_without_expiry_from_before_is_refused() -> None:
    """A supervisor's token issued before expiries were required (expires_at NULL)."""
    create_user("a@example.org", "supervisor")
    issued = issue_token("a@example.org", expires_in_days=1)
    with session_scope() as session:
        session.execute(sa.update(ApiToken).values(expires_at=None))
    assert authenticate(issued.token) is None


def test_expired_elevated_token_is_refused() -> None:
    create_user("a@example.org", "admin")
    issued = issue_token("a@example.org", expires_in_days=1)
    assert authenticate(issued.token) is not None
    with session_scope() as session:
        session.execute(sa.update(ApiToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert authenticate(issued.token) is None


@pytest.mark.parametrize(("email", "role", "org", "error"), [
    ("a@example.org", "partner", None, AccessError),
    ("a@example.org", "partner", "no_such_org", UnknownOrg),
    ("a@example.org", "supervisor", "unhcr", AccessError),
    ("a@example.org", "root", None, AccessError),
    ("not-an-email", "admin", None, AccessError),
    ("a b@example.org", "admin", None, AccessError),
    ("a@example.org\n", "admin", None, AccessError),
])
def test_invalid_users_are_refused(email: str, role: str, org: str | None, error: type) -> None:
    if email.endswith("\n"):  # surrounding whitespace is stripped: this one is valid
        create_user(email, role, org)
        return
    with pytest.raises(error):
        create_user(email, role, org)
    assert list_users() == []


def test_duplicate_email_is_refused_case_insensitively() -> None:
    create_user("a@example.org", "admin")
    with pytest.raises(Duplicate):
        create_user("A@Example.org", "supervisor")


def test_database_enforces_partner_org_rule() -> None:
    with pytest.raises(sa.exc.IntegrityError), session_scope() as session:
        session.add(User(email="x@example.org", role="partner", org_id=None, created_at=utcnow()))


def test_orgs_added_are_listed_and_duplicates_refused() -> None:
    add_org("ngo_kampala", "Kampala Defenders Network")
    assert "ngo_kampala" in {org.id for org in list_orgs()}
    with pytest.raises(Duplicate):
        add_org("ngo_kampala", "again")
    for bad in ("NGO", "a", "x; DROP TABLE organizations", "ngo-kampala", "1ngo"):
        with pytest.raises(AccessError):
            add_org(bad, "name")
    assert {"unhcr", "front_line_defenders", "protect_defenders_eu"} <= {
        org.id for org in list_orgs()}


def test_sender_belongs_to_its_first_user() -> None:
    a = create_user("a@example.org", "partner", "unhcr").user_id
    b = create_user("b@example.org", "partner", "unhcr").user_id
    assert claim_sender("conversation-1", a)
    assert claim_sender("conversation-1", a)
    assert not claim_sender("conversation-1", b)
    assert sender_owner("conversation-1") == a


def test_sender_of_another_channel_cannot_be_claimed() -> None:
    a = create_user("a@example.org", "partner", "unhcr").user_id
    with session_scope() as session:
        session.add(TrackerEvent(sender_id="telegram-123", type_name="user", timestamp=1.0,
                                 data=b"x"))
    assert not claim_sender("telegram-123", a)


def test_concurrent_first_use_has_exactly_one_winner() -> None:
    users = [create_user(f"u{i}@example.org", "partner", "unhcr").user_id for i in range(6)]
    results: dict[int, bool] = {}
    barrier = threading.Barrier(len(users))

    def claim(user_id: int) -> None:
        barrier.wait()
        results[user_id] = claim_sender("contested", user_id)

    threads = [threading.Thread(target=claim, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results.values()) == [False] * (len(users) - 1) + [True]
    winner = next(u for u, won in results.items() if won)
    assert sender_owner("contested") == winner
