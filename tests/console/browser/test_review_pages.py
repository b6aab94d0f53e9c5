"""Issue 16 in headless Chromium: the supervisor's review pages at a phone's 390×844 and a
desktop's 1280×900, in English and in French. Each size and language: the lists fit the
width, count and page, urgent rows come first, the header keeps one row on a desktop; the
workflow (once per language, on the phone): a final status confirmed then undone, a tag
added and removed, a note edited with its history, each with its message; the tag field's
pattern really checks; an inverted date range says so; the dashboard's labels are
readable and its bars open the filtered list; the audit trail filters and exports.

Only the console runs (no Rasa server). Every page goes through `checked()`, where an
axe-core check can be added with one call when tests/support/axe.py is merged."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.access import create_user
from bot.access.models import SenderOwner
from bot.access.passwords import enrol_totp, set_password
from bot.store import crypto, get_case, submit_case
from bot.store.associated_data import tracker_label
from bot.store.db import session_scope
from bot.store.models import TrackerEvent
from tests.access.databases import temporary_database
from tests.console.browser.conftest import PASSWORD, SCREENSHOTS, sign_in
from tests.console.support import TotpCodes, running_console
from tests.e2e.referrals import REFERRALS
from tests.support.axe import serious_violations
from tests.support.servers import free_port

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SIZES = {"phone": PHONE, "desktop": DESKTOP}
SUPERVISORS = {"en": "officer@irc.gc.ca", "fr": "agente@irc.gc.ca"}
PARTNERS = {"en": "worker@unhcr.org", "fr": "intervenante@unhcr.org"}
WORDS = {
    "en": {"sign_in": "Sign in", "of": "of", "confirm": "final status", "undone":
           "Status change undone.", "tag_added": "Tag added.", "tag_removed": "Tag removed.",
           "note_edited": "Note updated", "inverted": "is after the end date",
           "history": "1 earlier version", "attention": "Cases that need attention",
           "viewed": "Case viewed"},
    "fr": {"sign_in": "Se connecter", "of": "sur", "confirm": "statut définitif", "undone":
           "Changement de statut annulé.", "tag_added": "Étiquette ajoutée.",
           "tag_removed": "Étiquette retirée.", "note_edited": "Note mise à jour",
           "inverted": "est postérieure à la date de fin", "history": "1 version antérieure",
           "attention": "Dossiers qui demandent de l’attention", "viewed": "Dossier consulté"},
}


def seed(org: str, index: int, when: datetime, *, urgent: bool = False,
         partner_ref: str | None = None, created_by: int | None = None) -> str:
    answers = dict(REFERRALS[index % len(REFERRALS)].expected, summary_confirmed=True,
                   immediate_threat=urgent)
    if partner_ref:
        answers["partner_case_reference"] = partner_ref
    if urgent:
        answers["threat_description"] = "threatened"
    return submit_case(intake_id=secrets.token_hex(8), sender_id=f"seed-{secrets.token_hex(4)}",
                       partner_org=org, answers=answers, submitted_at=when,
                       created_by=created_by).reference


@dataclass
class ReviewSite:
    base: str
    codes: TotpCodes
    refs: dict[str, str]
    conversation: int


def review_site(workdir) -> Iterator[ReviewSite]:
    """A console over SQLite: two supervisors (English, French), two UNHCR caseworkers,
    60 cases of which one urgent, one conversation of a caseworker's."""
    with temporary_database("sqlite", workdir / "data") as db_env:
        ids = {}
        for language in ("en", "fr"):
            ids[SUPERVISORS[language]] = create_user(SUPERVISORS[language], "supervisor",
                                                     language=language).user_id
            ids[PARTNERS[language]] = create_user(PARTNERS[language], "partner", "unhcr",
                                                  language=language).user_id
        for email in ids:
            set_password(email, PASSWORD)
        codes = TotpCodes({email: enrol_totp(email)[1] for email in ids})
        now = datetime.now(UTC)
        refs = {"urgent": seed("front_line_defenders", 1, now - timedelta(days=1), urgent=True,
                               partner_ref="FLD/ZW/0412"),
                "en": seed("unhcr", 0, now - timedelta(days=30), partner_ref="UNHCR-NBO-2291",
                           created_by=ids[PARTNERS["en"]]),
                "fr": seed("unhcr", 2, now - timedelta(days=2), partner_ref="PDEU-RU-88",
                           created_by=ids[PARTNERS["fr"]])}
        for i in range(57):
            seed("unhcr", 3, now - timedelta(days=3, hours=i), partner_ref=f"BULK-{i:03d}")
        sender = f"web-{ids[PARTNERS['en']]}-{secrets.token_hex(4)}"
        with session_scope() as session:
            session.add(SenderOwner(sender_id=sender, user_id=ids[PARTNERS["en"]]))
            data = {"event": "user", "timestamp": now.timestamp(), "text": "hello"}
            event = TrackerEvent(sender_id=sender, type_name="user", timestamp=now.timestamp(),
                                 data=crypto.encrypt_json(data, tracker_label(sender)))
            session.add(event)
            session.flush()
            conversation = int(event.id)
        closed = f"http://127.0.0.1:{free_port()}"
        env = {**db_env, "HRD_COOKIE_SECURE": "0", "HRD_RASA_PUBLIC_URL": closed}
        with running_console(env, workdir) as base:
            yield ReviewSite(base, codes, refs, conversation)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReviewSite]:
    yield from review_site(tmp_path_factory.mktemp("review_browser"))


@pytest.fixture(scope="module")
def sessions(site: ReviewSite, browser) -> dict[str, dict]:
    """One sign-in per supervisor (their storage state reused at every size)."""
    states = {}
    for language, email in SUPERVISORS.items():
        context = browser.new_context()
        page = context.new_page()
        sign_in(page, site.base, email, site.codes, button="Sign in")
        assert page.url.endswith("/review/cases"), page.url
        states[language] = context.storage_state()
        context.close()
    return states


def checked(page) -> None:
    """What every review page must pass: no sideways scrolling, and no serious or critical
    accessibility violation (axe-core)."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{page.url}: the page is {overflow}px wider than the screen"
    assert serious_violations(page) == [], page.url


# The documentation's screenshots (docs/screenshots): each page once, both sizes and languages.
DOCUMENTED = {"review-cases-en-desktop", "review-cases-fr-phone", "review-confirm-en-phone",
              "review-attention-en-desktop", "review-dashboard-en-phone",
              "review-dashboard-fr-desktop", "review-conversations-en-desktop",
              "partner-case-fr-phone"}


def screenshot(page, name: str) -> None:
    """HRD_SCREENSHOTS_DIR=docs/screenshots saves the documentation's screenshots."""
    if SCREENSHOTS and name in DOCUMENTED:
        target = Path(__file__).resolve().parents[3] / SCREENSHOTS
        target.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(target / f"{name}.png"), full_page=name.endswith("phone"))


def open_page(context, url: str):
    page = context.new_page()
    page.goto(url)
    page.wait_for_load_state()
    checked(page)
    return page


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_lists_dashboard_and_audit(site: ReviewSite, browser, sessions, size: str,
                                   language: str) -> None:
    words = WORDS[language]
    context = browser.new_context(viewport=SIZES[size], storage_state=sessions[language])
    page = open_page(context, site.base + "/review/cases")
    assert page.locator("html").get_attribute("lang") == language
    count = page.locator("#list-count").inner_text()
    assert re.fullmatch(rf"1–50 {words['of']} 60 \w+", count), count
    first = page.locator("#case-list tbody tr").first
    assert site.refs["urgent"] in first.inner_text()
    assert "urgent-row" in (first.get_attribute("class") or "")
    assert page.locator("#page-next").is_visible()
    screenshot(page, f"review-cases-{language}-{size}")
    # The quick exit keeps one line, and on a desktop the header keeps one row.
    exit_button = page.locator("#quick-exit")
    assert exit_button.bounding_box()["height"] < 50
    if size == "desktop":  # the quick exit on the menu's row, to its right
        menu = page.locator("header.top nav").bounding_box()
        box = exit_button.bounding_box()
        assert box["x"] > menu["x"] + menu["width"] and box["y"] < menu["y"] + menu["height"]
    page.locator("#page-next").click()
    page.wait_for_load_state()
    assert page.locator("#list-count").inner_text().startswith("51–60")

    # Search by the partner's reference; an inverted date range is an error, not 0 cases.
    page.goto(site.base + "/review/cases")
    page.fill("#f-partner_ref", "nbo-2291")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#case-list tbody tr").count() == 1
    page.goto(site.base + "/review/cases?date_from=2026-05-01&date_to=2026-01-01")
    assert words["inverted"] in page.locator("main").inner_text()
    page.goto(site.base + "/review/cases?partner_ref=nothing-at-all")
    assert page.locator("#empty-state").is_visible()
    assert page.locator("form.export").count() == 0

    # Needs attention: the urgent case first.
    page = open_page(context, site.base + "/review/attention")
    assert page.get_by_role("heading", name=words["attention"]).is_visible()
    assert site.refs["urgent"] in page.locator("#attention-list tbody tr").first.inner_text()
    screenshot(page, f"review-attention-{language}-{size}")

    # The dashboard: labels at least the page's small text, bars that open the list.
    page = open_page(context, site.base + "/review/dashboard")
    label = page.locator("svg.chart .chart-label").first
    assert label.bounding_box()["height"] >= 11, label.bounding_box()
    assert page.locator("#f-year").is_visible()
    screenshot(page, f"review-dashboard-{language}-{size}")
    page.locator("svg.chart a.chart-link").first.click()
    page.wait_for_load_state()
    assert "/review/cases?" in page.url and "date_from=" in page.url
    assert page.locator("#case-list").is_visible()

    # The audit trail: filtered by action, and exported.
    page = open_page(context, site.base + "/review/audit?action=viewed")
    assert page.locator("#audit tbody tr").count() >= 1 or page.locator(
        "#empty-state").is_visible()
    page.goto(site.base + "/review/audit")
    with page.expect_download() as download:
        page.locator("#export-audit").click()
    assert download.value.suggested_filename.startswith("hrd-audit-")

    # Conversations: the caseworker and the state of the draft.
    page = open_page(context, site.base + "/review/conversations")
    row = page.locator("#conversation-list tbody tr").first.inner_text()
    assert PARTNERS["en"] in row
    screenshot(page, f"review-conversations-{language}-{size}")
    context.close()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_review_workflow_on_a_phone(site: ReviewSite, browser, sessions,
                                        language: str) -> None:
    words = WORDS[language]
    reference = site.refs[language]
    context = browser.new_context(viewport=PHONE, storage_state=sessions[language])
    page = open_page(context, f"{site.base}/review/cases/{reference}")
    # The tag field's pattern compiles (Chromium's v flag) and so really checks.
    page.fill("#tag", "bad!tag")
    assert page.evaluate("document.querySelector('#tag').validity.patternMismatch")
    page.fill("#tag", "docs checked")
    page.click("#add-tag")
    page.wait_for_load_state()
    assert words["tag_added"] in page.locator("#done-message").inner_text()
    page.locator("#tags .remove-tag").first.click()
    page.wait_for_load_state()
    assert words["tag_removed"] in page.locator("#done-message").inner_text()
    assert "docs-checked" not in page.locator("main").inner_text()
    # A note, edited: the new text and its history.
    page.fill("#note", "First words")
    page.click("#add-note")
    page.wait_for_load_state()
    page.locator("#notes details.edit-note summary").first.click()
    page.locator("#notes textarea").first.fill("Better words")
    page.locator("#notes .save-edit").first.click()
    page.wait_for_load_state()
    assert words["note_edited"] in page.locator("#done-message").inner_text()
    assert "Better words" in page.locator("#notes").inner_text()
    assert words["history"] in page.locator("#notes").inner_text()
    # Status: forward, a final one confirmed, then undone within the minute.
    page.select_option("#status", "under_review")
    page.click("#move-status")
    page.wait_for_load_state()
    page.select_option("#status", "declined")
    page.click("#move-status")
    page.wait_for_load_state()
    assert words["confirm"] in page.locator("#confirm-status").inner_text()
    screenshot(page, f"review-confirm-{language}-phone")
    assert get_case(reference).status == "under_review"
    page.click("#confirm-move")
    page.wait_for_load_state()
    assert get_case(reference).status == "declined"
    checked(page)
    page.click("#undo-status")
    page.wait_for_load_state()
    assert words["undone"] in page.locator("#done-message").inner_text()
    assert get_case(reference).status == "under_review"
    context.close()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_sign_in_keeps_the_email_and_partners_see_their_cases(site: ReviewSite, browser,
                                                              language: str) -> None:
    context = browser.new_context(viewport=PHONE, locale="fr-CA" if language == "fr"
                                  else "en-CA")
    page = context.new_page()
    page.goto(site.base + "/signin")
    page.fill("#email", PARTNERS[language])
    page.fill("#password", "not the password")
    page.fill("#code", "123456")
    page.get_by_role("button", name=WORDS[language]["sign_in"]).click()
    page.wait_for_load_state()
    assert page.locator("#signin-error").is_visible()
    assert page.input_value("#email") == PARTNERS[language]
    assert page.input_value("#password") == ""
    sign_in(page, site.base, PARTNERS[language], site.codes,
            button=WORDS[language]["sign_in"])
    page = open_page(context, site.base + "/cases")
    table = page.locator("#case-list").inner_text()
    assert "PDEU-RU-88" in table and PARTNERS["fr"] in table and "Russi" in table
    page.fill("#f-q", "PDEU")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#case-list tbody tr").count() == 1
    page.locator("#case-list a").first.click()
    page.wait_for_load_state()
    checked(page)
    assert page.locator("#next-steps li").count() >= 1
    screenshot(page, f"partner-case-{language}-phone")
    page.emulate_media(media="print")
    assert not page.locator("header.top").is_visible()
    context.close()
