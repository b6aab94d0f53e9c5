"""Issue 12, authentication: attacks on the real console (`python -m bot.runtime.console_server`, as
`make run` starts it) and on the `hrd` command, over SQLite and PostgreSQL.

- a parallel brute force of the one-time code with the right password: the attempts are
  counted before anything is verified, so at most the limit are verified and none succeeds;
- a correct password without enrolled codes is answered exactly like a wrong one;
- supervisors and admins get no API token from `hrd users add`; theirs expire and only read;
- the console's headers (HSTS only over TLS as a trusted proxy reports it, Permissions-Policy,
  COOP), and the operator's warning behind an undeclared proxy."""

from __future__ import annotations

import re
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.access import create_user, issue_token
from bot.access.models import ApiToken
from bot.access.passwords import enrol_totp, set_password
from bot.store.db import session_scope
from bot.store.models import utcnow
from tests.access.cli import hrd
from tests.access.databases import KINDS, temporary_database
from tests.console.pages_client import SIGNIN_TOKEN, PageClient
from tests.console.support import (
    Reply,
    TotpCodes,
    elevated_user,
    random_client,
    running_console,
    seed_case,
)

PASSWORD = "correct horse battery staple"
SIGNIN_LIMIT = 5  # HRD_SIGNIN_MAX_FAILURES below
PARALLEL = 200
WRONG = "The e-mail, password or code is not right."
WRITES = ("POST", "PUT", "PATCH", "DELETE")


@dataclass
class Site:
    base: str
    workdir: Path
    codes: TotpCodes
    reference: str
    tokens: dict[str, str]

    def client(self) -> PageClient:
        return PageClient(self.base)


@pytest.fixture(scope="module", params=KINDS)
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
         ) -> Iterator[Site]:
    workdir = tmp_path_factory.mktemp("security_auth")
    with temporary_database(request.param, workdir / "data") as db_env:
        tokens = {"partner": create_user("target@unhcr.org", "partner", "unhcr").token or ""}
        for email in ("bystander@unhcr.org", "unenrolled@unhcr.org"):
            create_user(email, "partner", "unhcr")
        create_user("unenrolled@irc.gc.ca", "supervisor")
        tokens["supervisor"] = elevated_user("reader@irc.gc.ca", "supervisor").token
        tokens["admin"] = elevated_user("admin@irc.gc.ca", "admin").token
        codes = TotpCodes()
        for email in ("target@unhcr.org", "bystander@unhcr.org", "unenrolled@unhcr.org",
                      "unenrolled@irc.gc.ca"):
            set_password(email, PASSWORD)
        for email in ("target@unhcr.org", "bystander@unhcr.org"):
            codes.add(email, enrol_totp(email)[1])
        reference = seed_case("unhcr", 0, utcnow())
        env = {**db_env, "HRD_COOKIE_SECURE": "0", "HRD_SIGNIN_MAX_FAILURES": str(SIGNIN_LIMIT)}
        with running_console(env, workdir) as base:
            yield Site(base, workdir, codes, reference, tokens)


def _error(reply: Reply) -> str:
    found = re.search(r'id="signin-error">([^<]*)<', reply.raw.decode())
    return found.group(1) if found else ""


def test_parallel_brute_force_of_the_code_verifies_at_most_the_limit(site: Site) -> None:
    """200 simultaneous sign-ins with the right password and wrong codes, each from its
    own address (so only the account's limit applies): at most SIGNIN_LIMIT are verified
    (401), the rest are refused before verification (429), none signs in, and afterwards
    even the right code waits for the window to end."""
    form = site.client()
    token = SIGNIN_TOKEN.search(form.get("/signin").raw.decode())
    assert token
    body = urllib.parse.urlencode({
        "csrf_token": token.group(1), "email": "target@unhcr.org", "password": PASSWORD,
        "code": "000000"}).encode()
    cookie = f"hrd_signin={token.group(1)}"
    barrier = threading.Barrier(PARALLEL)
    statuses: list[int] = []

    def guess(index: int) -> None:
        client = PageClient(site.base)
        barrier.wait()
        try:
            reply = client.request("/signin", body, "POST", {
                "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie,
                "X-Forwarded-For": f"10.1.{index // 250}.{index % 250 + 1}"})
            statuses.append(reply.status)
        except OSError:  # no answer in time: a queue of verifications (the old code's)
            statuses.append(0)

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    verified = statuses.count(401)
    assert 303 not in statuses
    assert verified <= SIGNIN_LIMIT, f"{verified} guesses were verified"
    assert len(statuses) == PARALLEL and statuses.count(429) == PARALLEL - verified
    right = site.client()
    reply = right.sign_in("target@unhcr.org", PASSWORD, site.codes.code("target@unhcr.org"))
    assert reply.status == 429
    # Another account is not affected.
    other = site.client()
    assert other.sign_in("bystander@unhcr.org", PASSWORD,
                         site.codes.code("bystander@unhcr.org")).status == 303


@pytest.mark.parametrize("email", ["unenrolled@unhcr.org", "unenrolled@irc.gc.ca"])
def test_missing_enrolment_is_answered_like_a_wrong_password(site: Site, email: str) -> None:
    """Partner staff and supervisors alike; a distinct answer used to confirm the password."""
    client = random_client()
    missing = PageClient(site.base, client).sign_in(email, PASSWORD, "123456")
    wrong = PageClient(site.base, client).sign_in(email, "not the password", "123456")
    assert missing.status == wrong.status == 401
    assert _error(missing) == _error(wrong) == WRONG
    assert len(missing.raw) == len(wrong.raw)  # the same page but for its form token
    assert "Set-Cookie" in missing.headers and "hrd_session" not in str(missing.headers)


def test_partner_without_codes_cannot_sign_in_with_the_password_alone(site: Site) -> None:
    """Partner staff read their organization's threat descriptions: a code for them too."""
    reply = site.client().sign_in("unenrolled@unhcr.org", PASSWORD)
    assert reply.status == 401 and _error(reply) == WRONG
    assert site.client().sign_in("bystander@unhcr.org", PASSWORD).status == 401


def _api(site: Site, path: str, token: str, method: str = "GET") -> Reply:
    return site.client().request(path, b"{}" if method in WRITES else None, method,
                                 {"Authorization": f"Bearer {token}"})


@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_supervisor_and_admin_tokens_only_read(site: Site, role: str) -> None:
    token = site.tokens[role]
    for path in ("/api/cases", f"/api/cases/{site.reference}"):
        assert _api(site, path, token).status == 200, path
        for method in WRITES:
            reply = _api(site, path, token, method)
            assert reply.status == 403, (method, path, reply.raw[:200])
            assert reply.json == {"error": "forbidden",
                                  "message": "This API token can only read (GET)."}
    # A partner's token is not read-only: the API simply has no write route (405).
    assert _api(site, "/api/cases", site.tokens["partner"], "POST").status == 405


def test_expired_and_unlimited_supervisor_tokens_are_refused(site: Site) -> None:
    expired = elevated_user("expired@irc.gc.ca", "supervisor", days=1)
    legacy = issue_token("expired@irc.gc.ca", expires_in_days=1)
    assert _api(site, "/api/cases", expired.token).status == 200
    with session_scope() as session:
        session.execute(sa.update(ApiToken).where(ApiToken.id == _token_id(session, expired))
                        .values(expires_at=utcnow() - timedelta(seconds=1)))
        # A token issued before expiries were required has none.
        session.execute(sa.update(ApiToken).where(ApiToken.id == _token_id(session, legacy))
                        .values(expires_at=None))
    assert _api(site, "/api/cases", expired.token).status == 401
    assert _api(site, "/api/cases", legacy.token).status == 401


def _token_id(session, issued) -> int:
    from bot.access.api_tokens import token_hash

    return session.execute(sa.select(ApiToken.id).where(
        ApiToken.token_hash == token_hash(issued.token))).scalar_one()


@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_users_add_gives_supervisors_and_admins_no_token(site: Site, role: str) -> None:
    email = f"new-{role}@irc.gc.ca"
    added = hrd("users", "add", "--role", role, email)
    assert added.returncode == 0, added.stderr
    assert "hrd_" not in added.stdout
    with session_scope() as session:
        user_id = session.execute(sa.text("SELECT id FROM users WHERE email = :e"),
                                  {"e": email}).scalar_one()
        assert session.execute(sa.select(sa.func.count(ApiToken.id))
                               .where(ApiToken.user_id == user_id)).scalar_one() == 0
    assert hrd("users", "token", email).returncode == 2  # no expiry: refused
    issued = hrd("users", "token", email, "--expires-in-days", "7")
    assert issued.returncode == 0, issued.stderr
    token = issued.stdout.strip().splitlines()[-1]
    assert _api(site, "/api/cases", token).status == 200
    assert _api(site, "/api/cases", token, "DELETE").status == 403
    partner = hrd("users", "add", "--role", "partner", "--org", "unhcr", f"p-{role}@unhcr.org")
    assert partner.stdout.strip().splitlines()[-1].startswith("hrd_")


@pytest.mark.parametrize("path", ["/signin", "/api/openapi.json"])
def test_security_headers_and_hsts_only_over_tls(site: Site, path: str) -> None:
    plain = site.client().request(path)
    assert plain.status == 200
    assert "camera=()" in plain.headers["Permissions-Policy"]
    assert "geolocation=()" in plain.headers["Permissions-Policy"]
    assert plain.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert plain.headers["Content-Security-Policy"]
    assert plain.headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in plain.headers
    # The console trusts one proxy here (HRD_TRUSTED_PROXIES=1): its scheme counts.
    tls = site.client().request(path, headers={"X-Forwarded-Proto": "https"})
    assert tls.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_undeclared_proxy_gets_no_hsts_and_a_warning(tmp_path: Path) -> None:
    """HRD_TRUSTED_PROXIES=0 (the default): a forwarded scheme is the client's word, and the
    operator is told that every client now shares the proxy's address."""
    with temporary_database("sqlite", tmp_path / "data") as db_env, \
            running_console({**db_env, "HRD_TRUSTED_PROXIES": "0"}, tmp_path) as base:
        reply = PageClient(base).request("/signin", headers={"X-Forwarded-Proto": "https"})
        assert reply.status == 200 and "Strict-Transport-Security" not in reply.headers
        log = (tmp_path / "console.log").read_text()
    assert "X-Forwarded-For" in log and "HRD_TRUSTED_PROXIES=1" in log
