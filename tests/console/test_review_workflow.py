"""Issue 16, server side: the supervisor's workflow on the real console (pages_client with
a session). Status only forward, a confirmation for the final ones and undo within a
minute; success messages; removable tags and editable notes with history (audited);
search by the partner's reference; validated date ranges; empty states without CSV;
pages, sorting and counts; urgent first; the needs-attention queue; the dashboard's year
picker and chart links; the audit trail's filters and export; conversations with their
caseworker and draft state; labels instead of codes; the sign-in form keeping the e-mail;
the partners' list, search and next steps."""

from __future__ import annotations

import csv
import io
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from bot.access import create_user
from bot.access.passwords import enrol_totp, set_password
from bot.console.review.names import conversation_key as names_key
from bot.console.web.audit import audit_entries, conversation_key
from bot.store import case_events, crypto, get_case, submit_case
from bot.store.annotations import CaseNote
from bot.store.associated_data import tracker_label
from bot.store.db import session_scope
from bot.store.models import Case, TrackerEvent
from tests.access.databases import KINDS, temporary_database
from tests.console.pages_client import PageClient
from tests.console.support import TotpCodes, running_console
from tests.e2e.referrals import REFERRALS

PASSWORD = "correct horse battery staple"
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")


def seed(org: str, index: int, when: datetime, *, partner_ref: str | None = None,
         created_by: int | None = None, urgent: bool | None = None) -> str:
    answers = dict(REFERRALS[index % len(REFERRALS)].expected, summary_confirmed=True)
    if partner_ref:
        answers["partner_case_reference"] = partner_ref
    if urgent is not None:
        answers["immediate_threat"] = urgent
    if answers.get("immediate_threat"):
        answers.setdefault("threat_description", "threatened")
    return submit_case(intake_id=secrets.token_hex(8), sender_id=f"seed-{secrets.token_hex(4)}",
                       partner_org=org, answers=answers, submitted_at=when,
                       created_by=created_by).reference


def tracker(sender: str, data: dict) -> None:
    with session_scope() as session:
        session.add(TrackerEvent(sender_id=sender, type_name=data["event"],
                                 timestamp=data["timestamp"],
                                 data=crypto.encrypt_json(data, tracker_label(sender))))


@dataclass
class Site:
    base: str
    codes: TotpCodes
    user_ids: dict[str, int]
    refs: dict[str, str]
    _clients: dict[str, PageClient] = field(default_factory=dict)

    def client(self, who: str) -> PageClient:
        if who not in self._clients:
            client = PageClient(self.base)
            email = f"{who}@example.org"
            reply = client.sign_in(email, PASSWORD, self.codes.code(email))
            assert reply.status == 303, reply.raw[:300]
            self._clients[who] = client
        return self._clients[who]


@pytest.fixture(scope="module", params=KINDS)
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
         ) -> Iterator[Site]:
    workdir = tmp_path_factory.mktemp("review")
    with temporary_database(request.param, workdir / "data") as db_env:
        users = {"boss": create_user("boss@example.org", "supervisor"),
                 "other": create_user("other@example.org", "supervisor"),
                 "worker": create_user("worker@example.org", "partner", "unhcr"),
                 "fld": create_user("fld@example.org", "partner", "front_line_defenders")}
        for name in users:
            set_password(f"{name}@example.org", PASSWORD)
        codes = TotpCodes({f"{n}@example.org": enrol_totp(f"{n}@example.org")[1]
                           for n in users})
        ids = {name: issued.user_id for name, issued in users.items()}
        now = datetime.now(UTC)
        refs = {
            "old": seed("unhcr", 0, now - timedelta(days=40), partner_ref="UNHCR-NBO-2291",
                        created_by=ids["worker"], urgent=False),
            "urgent": seed("front_line_defenders", 1, now - timedelta(days=2),
                           partner_ref="FLD/ZW/0412", urgent=True),
            "fresh": seed("unhcr", 2, now - timedelta(days=1), partner_ref="PDEU-RU-88",
                          created_by=ids["worker"], urgent=False),
        }
        # 55 more: two pages of 50 in 2023.
        for i in range(55):
            seed("unhcr", 3, datetime(2023, 5, 1, tzinfo=UTC) + timedelta(hours=i),
                 partner_ref=f"BULK-{i:03d}", urgent=False)
        worker_sender = f"web-{ids['worker']}-{secrets.token_hex(4)}"
        with session_scope() as session:
            from bot.access.models import SenderOwner
            session.add(SenderOwner(sender_id=worker_sender, user_id=ids["worker"]))
        for sender, when in ((worker_sender, now - timedelta(minutes=2)),
                             (f"tg-{secrets.token_hex(3)}", now - timedelta(days=30))):
            tracker(sender, {"event": "user", "timestamp": when.timestamp(), "text": "hello",
                             "parse_data": {"intent": {"name": "greet"}}})
        env = {**db_env, "HRD_COOKIE_SECURE": "0", "HRD_RASA_PUBLIC_URL": "http://rasa.test",
               "HRD_REVIEW_STALE_DAYS": "14"}
        with running_console(env, workdir) as base:
            yield Site(base, codes, ids, refs)


def text_of(reply) -> str:
    return reply.raw.decode()


def test_status_moves_forward_confirms_final_ones_and_undoes_within_a_minute(site: Site
                                                                             ) -> None:
    boss = site.client("boss")
    ref = site.refs["fresh"]
    path = f"/review/cases/{ref}"
    page = text_of(boss.get(path))
    # No status is preselected: the first option is a prompt, and only forward moves.
    assert '<option value="">Choose the next status…</option>' in page
    assert 'value="referred_to_ircc"' not in page
    assert boss.post(path + "/status", {"status": "under_review"}).headers[
        "Location"] == path + "?done=status"
    assert "Status changed." in text_of(boss.get(path + "?done=status"))
    # A final status asks first, and nothing moves until it is confirmed.
    reply = boss.post(path + "/status", {"status": "declined"})
    assert reply.headers["Location"].startswith(path + "?confirm=declined")
    assert get_case(ref).status == "under_review"
    confirm = text_of(boss.get(path + "?confirm=declined"))
    assert 'id="confirm-move"' in confirm and "final status" in confirm
    boss.post(path + "/status", {"status": "declined", "confirm": "yes"})
    assert get_case(ref).status == "declined"
    # Backwards is refused; the same person may undo within a minute, nobody else.
    assert boss.post(path + "/status", {"status": "under_review", "confirm": "yes"}).headers[
        "Location"].endswith("error=transition")
    assert 'id="undo-status"' not in text_of(site.client("other").get(path))
    assert site.client("other").post(path + "/undo").headers["Location"].endswith("error=undo")
    assert 'id="undo-status"' in text_of(boss.get(path))
    assert boss.post(path + "/undo").headers["Location"] == path + "?done=undone"
    assert get_case(ref).status == "under_review"
    assert [e["action"] for e in case_events(ref)][-1] == "status_undone"
    # After a minute the change stays.
    boss.post(path + "/status", {"status": "withdrawn", "confirm": "yes"})
    with session_scope() as session:
        case_id = session.execute(sa.select(Case.id).where(Case.reference == ref)).scalar_one()
        session.execute(sa.text("UPDATE case_events SET at = :at WHERE case_id = :id AND "
                                "action = 'status_changed'"),
                        {"at": datetime.now(UTC) - timedelta(minutes=2), "id": case_id})
    assert boss.post(path + "/undo").headers["Location"].endswith("error=undo")
    assert get_case(ref).status == "withdrawn"


def test_tags_are_removable_and_notes_editable_with_history_audited(site: Site) -> None:
    boss = site.client("boss")
    ref = site.refs["old"]
    path = f"/review/cases/{ref}"
    assert boss.post(path + "/tag", {"tag": "Needs Docs"}).headers[
        "Location"] == path + "?done=tagged"
    page = text_of(boss.get(path + "?done=tagged"))
    assert "Tag added." in page and "needs-docs" in page and "Remove the tag needs-docs" in page
    assert boss.post(path + "/untag", {"tag": "needs-docs"}).headers[
        "Location"] == path + "?done=untagged"
    assert "needs-docs" not in text_of(boss.get(path))
    boss.post(path + "/note", {"note": "First text"})
    assert "Note saved." in text_of(boss.get(path + "?done=noted"))
    with session_scope() as session:
        uid = session.execute(sa.select(CaseNote.note_uid)).scalars().all()[-1]
    assert boss.post(path + "/note_edit", {"note_uid": uid, "note": "Second text"}).headers[
        "Location"] == path + "?done=note_edited"
    page = text_of(boss.get(path))
    current = page[page.index('id="notes"'):page.index('id="add-note"')]
    assert "Second text" in current and "1 earlier version" in current
    assert current.index("Second text") < current.index("First text")  # history below
    assert "boss@example.org" in current  # the author by e-mail, not "user 5"
    # An edited version cannot be edited again (only the current one), nor another case's.
    assert boss.post(path + "/note_edit", {"note_uid": uid, "note": "x"}).headers[
        "Location"].endswith("error=input")
    actions = [e["action"] for e in case_events(ref)]
    assert {"tagged", "untagged", "note_added", "note_edited"} <= set(actions)
    assert "Second text" not in repr(case_events(ref))


def test_search_by_partner_reference_and_validated_dates(site: Site) -> None:
    boss = site.client("boss")
    page = text_of(boss.get("/review/cases?partner_ref=fld%2Fzw"))
    assert site.refs["urgent"] in page and site.refs["old"] not in page
    assert "1–1 of 1 case" in page
    inverted = boss.get("/review/cases?date_from=2024-05-01&date_to=2024-01-01")
    assert inverted.status == 400
    assert "is after the end date" in text_of(inverted) and "0 cases" not in text_of(inverted)
    assert boss.get("/review/cases?date_from=2024-13-01").status == 400
    # The same check on the audit trail and the conversations.
    assert boss.get("/review/audit?date_from=2024-05-01&date_to=2024-01-01").status == 400
    assert boss.get("/review/conversations?date_from=2024-05-01&date_to=2024-01-01"
                    ).status == 400


def test_empty_state_says_so_and_offers_no_csv(site: Site) -> None:
    page = text_of(site.client("boss").get("/review/cases?partner_ref=nothing-like-this"))
    assert 'id="empty-state"' in page and "No cases match these filters." in page
    assert "export.csv" not in page and 'id="case-list"' not in page
    audit = text_of(site.client("boss").get("/review/audit?reference=HRD-1999-00001"))
    assert "No audit entries match these filters." in audit and "export.csv" not in audit


def test_pages_sorting_counts_and_urgent_first(site: Site) -> None:
    boss = site.client("boss")
    first = text_of(boss.get("/review/cases"))
    assert "1–50 of 58 cases" in first and 'id="page-next"' in first
    rows = re.findall(r'<tr( class="urgent-row")?>\s*<td><a href="/review/cases/([^"]+)"',
                      first)
    assert rows[0] == (' class="urgent-row"', site.refs["urgent"])  # urgent first
    second = text_of(boss.get("/review/cases?page=2"))
    assert "51–58 of 58 cases" in second and 'id="page-previous"' in second
    oldest = text_of(boss.get("/review/cases?sort=oldest"))
    listed = re.findall(r'<td><a href="/review/cases/([^"]+)"', oldest)
    assert listed[0] not in (site.refs["urgent"], site.refs["fresh"])
    assert text_of(boss.get("/review/cases?sort=oldest&page=2")).count("/review/cases/HRD") == 8
    assert boss.get("/review/cases?sort=sideways").status == 400
    assert boss.get("/review/cases?page=0").status == 400
    # French number formats and words.
    boss.post("/language", {"language": "fr", "next": "/review/cases"})
    try:
        assert "1–50 sur 58 dossiers" in text_of(boss.get("/review/cases"))
    finally:
        boss.post("/language", {"language": "en", "next": "/review/cases"})
    conversations = text_of(boss.get("/review/conversations"))
    assert "1–2 of 2 conversations" in conversations
    audit = text_of(boss.get("/review/audit"))
    assert re.search(r"1–50 of [\d,]+ entries", audit)


def test_needs_attention_lists_urgent_waitlisted_and_stale(site: Site) -> None:
    page = text_of(site.client("boss").get("/review/attention"))
    assert site.refs["urgent"] in page and "Urgent and not yet reviewed" in page
    assert "Submitted more than 14 days ago" in page
    table = page[page.index('id="attention-list"'):]
    assert table.index(site.refs["urgent"]) < table.index("Submitted more than")
    assert 'href="/review/attention"' in page  # in the menu


def test_dashboard_year_picker_and_charts_link_to_the_list(site: Site) -> None:
    boss = site.client("boss")
    page = text_of(boss.get("/review/dashboard?year=2023"))
    assert "Dashboard 2023" in page and '<option value="2023" selected>' in page
    assert "/review/cases?date_from=2023-01-01&amp;date_to=2023-12-31&amp;outcome=" in page
    assert 'class="chart-link"' in page and "UNHCR" in page  # partners by name
    link = re.search(r'href="(/review/cases\?date_from=2023-01-01[^"]*partner=unhcr)"', page)
    assert link
    listed = text_of(boss.get(link.group(1).replace("&amp;", "&")))
    assert "1–50 of 55 cases" in listed
    assert boss.get("/review/dashboard?year=1999").status == 400
    assert boss.get("/review/dashboard?year=abcd").status == 400


def test_audit_filters_and_export(site: Site) -> None:
    boss = site.client("boss")
    ref = site.refs["fresh"]
    boss.get(f"/review/cases/{ref}")
    boss_id = site.user_ids["boss"]
    page = text_of(boss.get(f"/review/audit?user={boss_id}&action=viewed"))
    assert "Case viewed" in page and "boss@example.org" in page
    assert "Signed in" not in page.split('id="audit"')[1]
    today = datetime.now(UTC).date().isoformat()
    assert "No audit entries" in text_of(boss.get(
        "/review/audit?date_from=2001-01-01&date_to=2001-01-02"))
    assert "Case viewed" in text_of(boss.get(
        f"/review/audit?action=viewed&date_from={today}&date_to={today}"))
    assert boss.get("/review/audit?user=me").status == 400
    assert boss.get("/review/audit?action=DROP%20TABLE").status == 400
    reply = boss.post("/review/audit/export.csv", {"user": str(boss_id), "action": "viewed"})
    assert reply.status == 200 and "attachment" in reply.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(text_of(reply))))
    assert rows and {r["action"] for r in rows} == {"viewed"}
    assert rows[0]["action_label"] == "Case viewed" and rows[0]["actor_name"] == (
        "boss@example.org")
    exported = [e for e in audit_entries() if e.action == "audit_exported"]
    assert exported and exported[0].detail["count"] == len(rows)
    assert boss.post("/review/audit/export.csv", {}, csrf="").status == 403


def test_conversations_show_the_caseworker_and_the_draft_state(site: Site) -> None:
    page = text_of(site.client("boss").get("/review/conversations"))
    assert "worker@example.org" in page and "In progress" in page and "Abandoned" in page
    assert "Events" not in page and "no case (yet)" not in page
    assert "Conversation #" in page


def test_labels_instead_of_codes(site: Site) -> None:
    boss = site.client("boss")
    ref = site.refs["urgent"]
    page = text_of(boss.get(f"/review/cases/{ref}"))
    assert "Front Line Defenders" in page and ">front_line_defenders<" not in page
    policy = get_case(ref).decision["policy_version"]
    assert f">{policy}<" not in page and "in force from" in page
    assert '<small class="rule-id"' in page and "Immediate threat" in page
    # The audit trail names conversations as the screens do.
    with session_scope() as session:
        sender, first = session.execute(
            sa.select(TrackerEvent.sender_id, sa.func.min(TrackerEvent.id))
            .group_by(TrackerEvent.sender_id)).first()
    assert names_key(sender) == conversation_key(sender)
    boss.get(f"/review/conversations/{first}")
    audit = text_of(boss.get("/review/audit?action=transcript_viewed"))
    assert f"Conversation #{first}" in audit and "conversation:" not in audit.split(
        'id="audit"')[1]
    # CSV: the codes, and labels beside them.
    rows = list(csv.DictReader(io.StringIO(text_of(boss.post(
        "/review/cases/export.csv", {"partner_ref": "FLD/ZW"})))))
    assert [r["reference"] for r in rows] == [ref]
    assert rows[0]["partner_org"] == "front_line_defenders"
    assert rows[0]["partner_name"] == "Front Line Defenders"
    assert rows[0]["status_label"] == "Submitted" and rows[0]["country_of_origin"] == "ZW"
    assert rows[0]["country_of_origin_label"].startswith("Zimbabwe")


def test_sign_in_keeps_the_email_after_a_failure(site: Site) -> None:
    client = PageClient(site.base)
    reply = client.sign_in("boss@example.org", "wrong password", "000000")
    assert reply.status == 401
    page = text_of(reply)
    assert 'value="boss@example.org"' in page and PASSWORD not in page
    assert 'id="password" name="password" type="password"' in page


def test_tag_field_pattern_is_a_valid_unicode_set_regex(site: Site) -> None:
    page = text_of(site.client("boss").get(f"/review/cases/{site.refs['old']}"))
    pattern = re.search(r'id="tag" name="tag"[^>]*pattern="([^"]+)"', page).group(1)
    # Chromium compiles `pattern` with the v flag, where a bare "-" in a class is invalid.
    assert re.search(r"(?<!\\)-\]", pattern) is None
    assert re.fullmatch(pattern.replace("\\-", "-"), "Needs Docs")


def test_partner_list_search_and_next_steps(site: Site) -> None:
    worker = site.client("worker")
    page = text_of(worker.get("/cases"))
    assert "UNHCR-NBO-2291" in page and "Uganda" in page and "worker@example.org" in page
    assert site.refs["urgent"] not in page  # another organization's
    assert "1–50 of 57 cases" in page
    found = text_of(worker.get("/cases?q=nbo-22"))
    assert site.refs["old"] in found and "1–1 of 1 case" in found
    assert text_of(worker.get(f"/cases?q={site.refs['fresh']}")).count("/cases/HRD-") == 1
    other = text_of(worker.get("/cases?q=FLD%2FZW"))  # another organization's reference
    assert site.refs["urgent"] not in other and "No case matches" in other
    case = text_of(worker.get(f"/cases/{site.refs['fresh']}"))
    assert "What happens next" in case and 'id="next-steps"' in case
    assert "Print command" in case


def test_no_snake_case_on_review_pages(site: Site) -> None:
    """A quick server-side pass of the walker's check (the browser test reads visible
    text; this one strips tags): no snake_case id in the text of the main pages."""
    boss = site.client("boss")
    for path in ("/review/cases", "/review/attention", "/review/conversations",
                 "/review/audit", "/review/dashboard", f"/review/cases/{site.refs['urgent']}"):
        html = text_of(boss.get(path))
        body = html[html.index("<main"):]
        body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.S)
        visible = re.sub(r"<[^>]+>", " ", body)
        found = SNAKE.findall(visible)
        assert not found, (path, found[:5])


def test_attention_reasons_for_each_kind_of_case() -> None:
    from bot.console.review.needs_attention import reasons_of
    from bot.console.review.queries import CaseRow

    now = datetime.now(UTC)

    def row(**changes: object) -> CaseRow:
        values: dict = dict(reference="HRD-2026-00001", partner_org="unhcr",
                            submitted_at=now - timedelta(days=1), status="submitted",
                            eligibility="eligible", urgent=False, pathway="hrd_stream",
                            priority="standard", case_size=1, capacity="within_cap",
                            policy_version="2023-doubled", reviewed=False)
        return CaseRow(**{**values, **changes})

    stale = timedelta(days=14)
    assert reasons_of(row(), now, stale) == ()
    assert reasons_of(row(urgent=True), now, stale) == ("urgent_unreviewed",)
    assert reasons_of(row(urgent=True, reviewed=True), now, stale) == ()
    assert reasons_of(row(capacity="over_cap"), now, stale) == ("waitlisted",)
    assert reasons_of(row(submitted_at=now - timedelta(days=15)), now, stale) == ("stale",)
    assert reasons_of(row(urgent=True, status="declined"), now, stale) == ()  # closed
