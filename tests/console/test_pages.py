"""The console pages without a browser, against the real console process: sessions,
CSRF, lockout, CSP, TOTP, roles, review actions, exports and their audit."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from bot.access import create_user
from bot.access.models import ConsoleSession
from bot.access.passwords import enrol_totp, set_password
from bot.console.i18n.labels import ENGLISH_LABELS
from bot.console.web.audit import audit_entries
from bot.store import case_events, crypto, get_case
from bot.store.annotations import CaseNote
from bot.store.associated_data import tracker_label
from bot.store.db import session_scope
from bot.store.models import TrackerEvent
from tests.access.databases import KINDS, temporary_database
from tests.console.pages_client import PageClient
from tests.console.support import Reply, TotpCodes, running_console, seed_case

PASSWORD = "correct horse battery staple"
RASA = "http://rasa.example.org:5005"
XSS = "<script>alert('x')</script><img src=x onerror=alert(1)>"


@dataclass
class Site:
    base: str
    codes: TotpCodes
    cases: dict[str, list[str]]
    conversation_sender: str
    user_ids: dict[str, int]

    def client(self) -> PageClient:
        return PageClient(self.base)

    def signed_in(self, who: str, *, fresh: bool = False) -> PageClient:
        """A signed-in client, shared by the module's tests unless `fresh` (a test that
        ends its session): every role enters a one-time code, each good once."""
        if who in self._clients and not fresh:
            return self._clients[who]
        client = self.client()
        reply = self.sign_in(client, who)
        assert reply.status == 303, reply.raw[:400]
        if not fresh:
            self._clients[who] = client
        return client

    def sign_in(self, client: PageClient, who: str, password: str = PASSWORD) -> Reply:
        """`who`: a fixture user's name, or an e-mail address with codes in `codes`."""
        email = who if "@" in who else f"{who}@example.org"
        code = self.codes.code(email) if email in self.codes else ""
        return client.sign_in(email, password, code)

    def __post_init__(self) -> None:
        self._clients: dict[str, PageClient] = {}


def _tracker_event(sender: str, data: dict) -> None:
    with session_scope() as session:
        session.add(TrackerEvent(sender_id=sender, type_name=data["event"],
                                 timestamp=data["timestamp"],
                                 data=crypto.encrypt_json(data, tracker_label(sender))))


@pytest.fixture(scope="module", params=KINDS)
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
         ) -> Iterator[Site]:
    workdir = tmp_path_factory.mktemp("pages")
    with temporary_database(request.param, workdir / "data") as db_env:
        users = {
            "partner": create_user("partner@example.org", "partner", "unhcr"),
            "fld": create_user("fld@example.org", "partner", "front_line_defenders"),
            "locked": create_user("locked@example.org", "partner", "unhcr"),
            "supervisor": create_user("supervisor@example.org", "supervisor"),
            "admin": create_user("admin@example.org", "admin"),
            "nototp": create_user("nototp@example.org", "supervisor"),
            "totpcheck": create_user("totpcheck@example.org", "supervisor"),
            "partnercheck": create_user("partnercheck@example.org", "partner", "unhcr"),
        }
        for name in users:
            set_password(f"{name}@example.org", PASSWORD)
        codes = TotpCodes({f"{name}@example.org": enrol_totp(f"{name}@example.org")[1]
                           for name in users if name != "nototp"})
        now = datetime.now(UTC)
        cases = {"unhcr": [seed_case("unhcr", i, now - timedelta(days=i)) for i in range(3)],
                 "front_line_defenders": [seed_case("front_line_defenders", 1, now)]}
        sender = f"web-{users['partner'].user_id}-{secrets.token_hex(4)}"
        stamp = now.timestamp()
        _tracker_event(sender, {"event": "user", "timestamp": stamp, "text": XSS,
                                "parse_data": {"intent": {"name": "inform"}}})
        _tracker_event(sender, {"event": "action", "timestamp": stamp + 1,
                                "name": "utter_ask_country_of_origin"})
        _tracker_event(sender, {"event": "bot", "timestamp": stamp + 1,
                                "text": "What is the defender's country of origin?",
                                "data": {"buttons": []}})
        env = {**db_env, "HRD_COOKIE_SECURE": "0", "HRD_RASA_PUBLIC_URL": RASA,
               "HRD_SIGNIN_MAX_FAILURES": "3", "HRD_SESSION_IDLE_MINUTES": "30"}
        with running_console(env, workdir) as base:
            yield Site(base, codes, cases, sender,
                       {name: issued.user_id for name, issued in users.items()})


def test_csp_allows_only_self_and_the_rasa_origin(site: Site) -> None:
    reply = site.client().get("/signin")
    assert reply.status == 200
    csp = reply.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["connect-src"] == f"'self' {RASA}"
    assert directives["script-src"] == "'self'" and directives["frame-ancestors"] == "'none'"
    hosts = {token for value in directives.values() for token in value.split()
             if "://" in token}
    assert hosts == {RASA}
    assert reply.headers["Cache-Control"] == "no-store"
    assert "cdn" not in reply.raw.decode().lower() and "https://" not in reply.raw.decode()


def test_session_cookie_and_hashed_session_id(site: Site) -> None:
    client = site.client()
    reply = site.sign_in(client, "partner")
    assert reply.status == 303 and reply.headers["Location"] == "/chat"
    cookie = reply.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    session_id = client.cookie("hrd_session")
    assert session_id and len(session_id) >= 40
    with session_scope() as session:
        stored = session.execute(sa.select(ConsoleSession.id_hash)).scalars().all()
    assert session_id not in stored
    assert hashlib.sha256(session_id.encode()).hexdigest() in stored


def test_secure_cookie_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    from sanic.response import HTTPResponse

    from bot.access.sessions import cookie_name
    from bot.console.auth.pages import _set_cookie

    monkeypatch.delenv("HRD_COOKIE_SECURE", raising=False)
    response = HTTPResponse()
    _set_cookie(response, cookie_name(), "x")
    header = response.cookies[cookie_name()].encode("utf-8").decode()
    assert cookie_name() == "__Host-hrd_session"
    assert "Secure" in header and "HttpOnly" in header and "SameSite=Strict" in header


def test_sign_out_and_timeouts_end_the_session(site: Site) -> None:
    client = site.signed_in("partner", fresh=True)
    assert client.get("/cases").status == 200
    assert client.post("/signout").status == 303
    reply = client.get("/cases")
    assert reply.status == 303 and reply.headers["Location"] == "/signin"

    for column, age in (("last_seen_at", timedelta(minutes=31)),
                        ("created_at", timedelta(hours=13))):
        client = site.signed_in("partner", fresh=True)
        id_hash = hashlib.sha256(client.cookie("hrd_session").encode()).hexdigest()
        with session_scope() as session:
            session.execute(sa.update(ConsoleSession).where(ConsoleSession.id_hash == id_hash)
                            .values({column: datetime.now(UTC) - age}))
        reply = client.get("/cases")
        assert reply.status == 303 and reply.headers["Location"] == "/signin", column


def test_every_post_needs_the_sessions_csrf_token(site: Site) -> None:
    reference = site.cases["unhcr"][0]
    client = site.signed_in("supervisor")
    path = f"/review/cases/{reference}/tag"
    assert client.post(path, {"tag": "x1"}, csrf="").status == 403
    assert client.post(path, {"tag": "x1"}, csrf="not-the-token").status == 403
    other = site.signed_in("admin")  # another session's token does not count either
    assert client.post(path, {"tag": "x1"}, csrf=other.csrf).status == 403
    assert "x1" not in client.get(f"/review/cases/{reference}").raw.decode()
    assert client.post(path, {"tag": "x1"}).status == 303
    # Anonymous POSTs and a sign-in without its form token are refused too.
    assert site.client().post("/chat/new", {}, csrf="").status == 403
    assert site.client().post("/signin", {"email": "partner@example.org",
                                          "password": PASSWORD}, csrf="").status == 403


def test_lockout_per_account_and_per_client(site: Site) -> None:
    for _ in range(3):  # HRD_SIGNIN_MAX_FAILURES=3, each attempt from another address
        assert site.sign_in(site.client(), "locked", "wrong password!").status == 401
    assert site.sign_in(site.client(), "locked").status == 429
    # One client guessing across accounts is stopped too, and only that client.
    guesser = site.client()
    for n in range(3):
        assert guesser.sign_in(f"nobody{n}@example.org", "wrong password!").status == 401
    assert site.sign_in(guesser, "fld").status == 429
    assert site.sign_in(site.client(), "fld").status == 303


def test_totp_is_required_for_every_role_and_used_once(site: Site) -> None:
    # A correct password without enrolled codes: the answer of a wrong password (issue 12).
    missing = site.client().sign_in("nototp@example.org", PASSWORD)
    wrong = site.client().sign_in("nototp@example.org", "wrong password!")
    assert missing.status == wrong.status == 401 and "hrd_session" not in str(missing.headers)
    assert _signin_error(missing) == _signin_error(wrong) == (
        "The e-mail, password or code is not right.")
    # (Its own account: these failures count towards that account's lockout.)
    assert site.client().sign_in("totpcheck@example.org", PASSWORD).status == 401
    assert site.client().sign_in("totpcheck@example.org", PASSWORD, "000000").status == 401
    # Partner staff too: the password alone does not sign them in.
    assert site.client().sign_in("partnercheck@example.org", PASSWORD).status == 401
    assert site.sign_in(site.client(), "partnercheck").status == 303
    code = site.codes.code("totpcheck@example.org")
    assert site.client().sign_in("totpcheck@example.org", PASSWORD, code).status == 303
    assert site.client().sign_in("totpcheck@example.org", PASSWORD, code).status == 401


def _signin_error(reply: Reply) -> str:
    found = re.search(r'id="signin-error">([^<]*)<', reply.raw.decode())
    return found.group(1) if found else ""


def test_role_checks(site: Site) -> None:
    partner = site.signed_in("partner")
    for path in ("/review/cases", "/review/dashboard", "/review/audit",
                 "/review/conversations", f"/review/conversations/{1}"):
        assert partner.get(path).status == 403, path
    assert partner.post("/review/cases/export.csv", {}).status == 403
    supervisor = site.signed_in("supervisor")
    assert supervisor.get("/chat").status == 403
    assert supervisor.post("/chat/token", {"sender": site.conversation_sender}).status == 403
    anonymous = site.client()
    for path in ("/chat", "/cases", "/review/cases"):
        reply = anonymous.get(path)
        assert reply.status == 303 and reply.headers["Location"] == "/signin"


def test_partner_sees_own_cases_only(site: Site) -> None:
    partner = site.signed_in("partner")
    listing = partner.get("/cases").raw.decode()
    assert all(ref in listing for ref in site.cases["unhcr"])
    assert site.cases["front_line_defenders"][0] not in listing
    own = partner.get(f"/cases/{site.cases['unhcr'][0]}")
    assert own.status == 200 and "Country of origin" in own.raw.decode()
    other = site.cases["front_line_defenders"][0]
    assert partner.get(f"/cases/{other}").status == 404
    assert partner.get("/cases/HRD-2099-99999").status == 404
    events = case_events(other)
    assert events[-1]["action"] == "view_denied"


def test_widget_token_only_for_the_users_own_conversation(site: Site) -> None:
    from bot.access.widget_tokens import verify_token

    partner = site.signed_in("partner")
    page = partner.get("/chat").raw.decode()
    import re

    sender = re.search(r'data-sender="([^"]+)"', page).group(1)
    headers = {"X-CSRF-Token": partner.csrf}
    reply = partner.post("/chat/token", {"sender": sender}, csrf="", headers=headers)
    assert reply.status == 200
    claims = verify_token(reply.json["token"])
    assert claims and claims.sender_id == sender and claims.partner_org == "unhcr"
    fld = site.signed_in("fld")
    stolen = fld.post("/chat/token", {"sender": sender}, csrf="",
                      headers={"X-CSRF-Token": fld.csrf})
    assert stolen.status == 403
    assert verify_token(reply.json["token"] + "x") is None


def test_review_actions_transitions_and_audit(site: Site) -> None:
    reference = site.cases["unhcr"][1]
    client = site.signed_in("supervisor")
    path = f"/review/cases/{reference}"
    assert client.get(path).status == 200
    assert client.post(path + "/status", {"status": "referred_to_ircc"}).headers[
        "Location"].endswith("error=transition")
    assert get_case(reference).status == "submitted"
    client.post(path + "/status", {"status": "under_review"})
    client.post(path + "/status", {"status": "declined"})  # a final status: asked first
    assert get_case(reference).status == "under_review"
    client.post(path + "/status", {"status": "declined", "confirm": "yes"})
    assert get_case(reference).status == "declined"
    assert client.post(path + "/status", {"status": "under_review"}).headers[
        "Location"].endswith("error=transition")
    client.post(path + "/reviewed")
    client.post(path + "/tag", {"tag": "Needs Docs"})
    client.post(path + "/note", {"note": "Called the partner: <b>visa</b> pending"})
    page = client.get(path).raw.decode()
    assert "needs-docs" in page and "&lt;b&gt;visa&lt;/b&gt;" in page and "<b>visa" not in page
    with session_scope() as session:
        body = session.execute(sa.select(CaseNote.body)).scalars().all()
    assert body and all(b"visa" not in bytes(b) for b in body)
    actions = [e["action"] for e in case_events(reference)]
    for action in ("viewed", "status_changed", "marked_reviewed", "tagged", "note_added"):
        assert action in actions
    assert "visa" not in repr(case_events(reference))
    listed = client.get("/review/cases?reviewed=yes&tag=needs-docs&status=declined").raw.decode()
    assert reference in listed and site.cases["unhcr"][0] not in listed
    assert client.get("/review/cases?status=open").status == 400
    audit_page = client.get(f"/review/audit?reference={reference}").raw.decode()
    assert "note_added" in audit_page


def test_csv_export_content_and_audit(site: Site) -> None:
    client = site.signed_in("supervisor")
    reply = client.post("/review/cases/export.csv", {"partner": "unhcr"})
    assert reply.status == 200 and reply.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in reply.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(reply.raw.decode())))
    assert sorted(r["reference"] for r in rows) == sorted(site.cases["unhcr"])
    assert "threat_description" not in rows[0] and "country_of_origin" in rows[0]
    assert all(r["partner_org"] == "unhcr" for r in rows)
    with_threat = client.post("/review/cases/export.csv",
                              {"partner": "unhcr", "include_threat": "yes"}).raw.decode()
    assert "threat_description" in with_threat.splitlines()[0]
    exported = [e for e in case_events(site.cases["unhcr"][0]) if e["action"] == "exported"]
    assert [e["detail"]["threat_description"] for e in exported][-2:] == [False, True]
    summary = [e for e in audit_entries() if e.action == "cases_exported"]
    assert summary and summary[0].detail["count"] == len(rows)
    assert client.post("/review/cases/export.csv", {"partner": "unhcr"}, csrf="").status == 403


def test_transcript_is_escaped_audited_and_exports_a_story(site: Site) -> None:
    client = site.signed_in("supervisor")
    listing = client.get("/review/conversations").raw.decode()
    import re

    conversation = re.search(r'href="/review/conversations/(\d+)"', listing).group(1)
    page = client.get(f"/review/conversations/{conversation}").raw.decode()
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert "<script>alert" not in page and "<img src=x" not in page
    assert site.conversation_sender not in page  # never shown: on SMS it is a phone number
    story = client.post(f"/review/conversations/{conversation}/story.yml")
    assert story.status == 200 and "attachment" in story.headers["Content-Disposition"]
    import yaml

    document = yaml.safe_load(story.raw)
    steps = document["stories"][0]["steps"]
    assert steps[0] == {"user": XSS, "intent": "inform"}
    assert {"action": "utter_ask_country_of_origin"} in steps
    actions = [e.action for e in audit_entries()]
    assert "transcript_viewed" in actions and "story_exported" in actions
    assert all(site.conversation_sender not in repr(e) for e in audit_entries())


def test_dashboard_shows_capacity_and_charts(site: Site) -> None:
    from babel.numbers import format_decimal

    from bot.rules import ottawa_date, policy_on
    from bot.store import spaces_used

    client = site.signed_in("admin")
    page = client.get("/review/dashboard").raw.decode()
    today = ottawa_date(datetime.now(UTC))
    used, cap = spaces_used(today.year), policy_on(today).annual_cap
    assert f'<span id="spaces-used">{format_decimal(used, locale="en_CA")}</span>' in page
    assert f'<span id="spaces-cap">{format_decimal(cap, locale="en_CA")}</span>' in page
    # "group" where the bars are links
    assert len(re.findall(r'<svg class="chart" role="(img|group)"', page)) == 5
    assert "<desc" in page and "Urgent Protection Program cases by month" in page


def test_quick_exit_page_is_neutral(site: Site) -> None:
    page = site.client().get("/weather")
    assert page.status == 200
    text = page.raw.decode().lower()
    assert "weather" in text and "referral" not in text and "hrd" not in text


def _fill_year(year: int, people: int) -> list[str]:
    from bot.store import submit_case
    from tests.bot.store.conftest import answers

    references = []
    while people:
        size = min(21, people)
        references.append(submit_case(
            intake_id=secrets.token_hex(8), sender_id="seed", partner_org="unhcr",
            answers=answers(family_members=size - 1, immediate_threat=False),
            submitted_at=datetime(year, 6, 1, 12, tzinfo=UTC)).reference)
        people -= size
    return references


def _waitlisted(year: int, people: int, **changes: object) -> str:
    from bot.store import submit_case
    from tests.bot.store.conftest import answers

    result = submit_case(
        intake_id=secrets.token_hex(8), sender_id="seed", partner_org="unhcr",
        answers=answers(family_members=people - 1, **changes),
        submitted_at=datetime(year, 7, 1, 12, tzinfo=UTC))
    assert result.decision["capacity"] == "over_cap"
    return result.reference


def test_dashboard_shows_spaces_and_the_waitlist_per_year(site: Site) -> None:
    year = 2070
    _fill_year(year, 498)
    first = _waitlisted(year, 3, immediate_threat=True)
    second = _waitlisted(year, 4, immediate_threat=False)
    page = site.signed_in("admin").get("/review/dashboard").raw.decode()
    row = page[page.index(f'<tr id="year-{year}">'):]
    row = row[:row.index("</tr>")]
    assert '<td class="used">498</td>' in row and '<td class="left">2</td>' in row
    assert '<td class="cap">500</td>' in row
    assert '<td class="waitlist-cases">2</td>' in row
    assert '<td class="waitlist-people">7</td>' in row
    assert row.index(first) < row.index(second)  # submission order
    assert "Spaces and waitlist by year" in page


def test_case_page_explains_each_rule_with_its_source(site: Site) -> None:
    from bot.rules import RULES, policy_by_id

    reference = site.cases["unhcr"][0]
    case = get_case(reference)
    policy = policy_by_id(case.decision["policy_version"])
    page = site.signed_in("admin").get(f"/review/cases/{reference}").raw.decode()
    table = page[page.index('<table class="list" id="explanation">'):]
    table = table[:table.index("</table>")]
    for rule_id in RULES:
        row = table[table.index(f'<tr id="rule-{rule_id}">'):]
        row = row[:row.index("</tr>")]
        source = policy.rule_source(rule_id).replace('"', "&#34;")
        assert f'<td class="source">{source}</td>' in row, rule_id
        assert '<td class="held">' in row
    e1 = table[table.index('<tr id="rule-E1">'):]
    e1 = e1[:e1.index("</tr>")]
    for slot in RULES["E1"].reads:  # the answers the rule read, by their labels
        assert ENGLISH_LABELS["slot"][slot] in e1
    assert '<td class="held">yes</td>' in e1 or '<td class="held">no' in e1


def test_supervisor_moves_a_waitlisted_case_when_it_fits(site: Site) -> None:
    from bot.store import update_status

    year = 2071
    fillers = _fill_year(year, 500)
    waiting = _waitlisted(year, 2)
    client = site.signed_in("admin")
    path = f"/review/cases/{waiting}"
    page = client.get(path).raw.decode()
    assert 'id="admit"' in page
    reply = client.post(path + "/admit")
    assert reply.status == 303 and reply.headers["Location"].endswith("error=nofit")
    assert get_case(waiting).decision["capacity"] == "over_cap"
    update_status(fillers[0], "withdrawn", actor="user:1")  # 21 spaces freed
    reply = client.post(path + "/admit")
    assert reply.status == 303 and reply.headers["Location"] == path + "?done=admitted"
    assert get_case(waiting).decision["capacity"] == "within_cap"
    event = case_events(waiting)[-1]
    assert event["action"] == "admitted_from_waitlist"
    assert event["actor"] == f"user:{site.user_ids['admin']}"
    assert 'id="admit"' not in client.get(path).raw.decode()
    assert client.post(path + "/admit").headers["Location"].endswith("error=notwaitlisted")
