"""The console in headless Chromium against the real Rasa server, action server and store:
a partner refers a defender in the widget, a supervisor reviews it, roles hold, and text
typed into the chat never runs as script."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from bot.rules import ottawa_date
from bot.store import case_events, get_case, spaces_used
from tests.console.browser.conftest import Stack, sign_in
from tests.e2e.referrals import REFERRALS
from tests.e2e.referrals_fr import REFERRALS_FR

pytestmark = pytest.mark.e2e

REFERENCE = re.compile(r"\bHRD-\d{4}-\d{5}\b")
TURN_TIMEOUT_MS = 120_000
XSS = "<img src=x onerror=\"alert('xss')\"><script>alert('xss2')</script> & \"quotes\""


def wait_connected(page) -> None:
    # Locators, not wait_for_function: the page's CSP (rightly) forbids evaluating strings.
    page.locator("#message:not([disabled])").wait_for(timeout=TURN_TIMEOUT_MS)


def bot_count(page) -> int:
    return page.locator("#messages .msg-bot").count()


def wait_reply(page, before: int) -> None:
    page.locator("#messages .msg-bot").nth(before).wait_for(timeout=TURN_TIMEOUT_MS)
    # The rest of the turn follows within moments: wait until it is quiet.
    count = bot_count(page)
    while True:
        page.wait_for_timeout(900)
        if bot_count(page) == count:
            return
        count = bot_count(page)


def say(page, text: str) -> None:
    before = bot_count(page)
    page.fill("#message", text)
    page.press("#message", "Enter")
    wait_reply(page, before)


def click_reply(page, title: str) -> None:
    before = bot_count(page)
    page.locator(".quick-replies button", has_text=title).first.click()
    wait_reply(page, before)


def wait_opening(page) -> None:
    """A new conversation opens by itself: the greeting, then the first question."""
    wait_connected(page)
    wait_reply(page, 1)


def chat_text(page) -> str:
    return page.locator("#messages").inner_text()


def test_partner_completes_a_referral_in_the_widget(stack: Stack, browser) -> None:
    referral = REFERRALS[0]
    context = browser.new_context(viewport={"width": 412, "height": 915})  # a phone
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(stack.console + "/signin")
    stack.screenshot(page, "sign-in")
    sign_in(page, stack.console, "caseworker@unhcr.org", stack.codes)
    assert page.url.endswith("/chat")
    wait_opening(page)
    for index, answer in enumerate(referral.answers):
        if index == 1:  # consent: the Yes button, as a caseworker on a phone would
            click_reply(page, "Yes")
            # The bubble shows the button's title; the server maps it to the payload.
            assert page.locator("#messages .msg-user .msg-text").last.inner_text() == "Yes"
        else:
            say(page, answer)
        if index == 4:
            stack.screenshot(page, "widget-mid-conversation")
            # History survives a reload: it comes back from the encrypted tracker store.
            typed = page.locator("#messages .msg-user").count()
            page.reload()
            wait_connected(page)
            assert page.locator("#messages .msg-user").count() == typed
            assert referral.answers[0] in chat_text(page)
            # The transcript too shows a press by its title, not its payload.
            users = page.locator("#messages .msg-user .msg-text").all_inner_texts()
            assert "Yes" in users and "yes" not in users and "/start_referral" not in users
    assert "Here is the referral" in chat_text(page)
    say(page, "yes, that's all correct")
    found = REFERENCE.findall(chat_text(page))
    assert found, chat_text(page)[-800:]
    reference = found[-1]
    # The outcome ends with a link to the case and a way to the next referral.
    assert page.get_by_role("link", name=f"View case {reference}").is_visible()
    assert page.get_by_role("button", name="Start another referral").is_visible()
    case = get_case(reference)
    assert case is not None and case.partner_org == "unhcr"
    assert case.sender_id.startswith("web-")
    assert {k: case.answers.get(k) for k in referral.expected} == referral.expected
    assert dialogs == []
    stack.shared["reference"] = reference
    context.close()


def test_french_partner_completes_a_referral_in_the_widget(stack: Stack, browser) -> None:
    """Issue 8's acceptance in the widget: an account set to French, a referral typed only
    in French, the outcome and next steps read in French, every value stored."""
    referral = REFERRALS_FR[1]
    context = browser.new_context(locale="fr-CA", viewport={"width": 412, "height": 915})
    page = context.new_page()
    sign_in(page, stack.console, "intervenant@unhcr.org", stack.codes, button="Se connecter")
    assert page.url.endswith("/chat") and page.locator("html").get_attribute("lang") == "fr"
    wait_opening(page)
    assert "Quel est le numéro de référence" in chat_text(page)
    for index, answer in enumerate(referral.answers):
        if index == 1:  # consent: the French button
            click_reply(page, "Oui")
        else:
            say(page, answer)
    assert "Voici la recommandation" in chat_text(page), chat_text(page)[-800:]
    click_reply(page, "Oui, soumettre")
    text = chat_text(page)
    found = REFERENCE.findall(text)
    assert found, text[-800:]
    outcome = text[text.rindex("Référence :"):]
    assert "Résultat :" in outcome and "Outcome" not in outcome and "Next" not in outcome
    case = get_case(found[-1])
    assert case is not None and case.partner_org == "unhcr"
    assert case.answers.get("language", "fr") == "fr"
    assert {k: case.answers.get(k) for k in referral.expected} == referral.expected
    context.close()


def test_supervisor_reviews_the_referral(stack: Stack, browser) -> None:
    reference = stack.shared.get("reference")
    if reference is None:
        pytest.skip("needs the referral of the previous test")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, stack.console, "officer@irc.gc.ca", stack.codes)
    assert page.url.endswith("/review/cases"), page.url
    stack.screenshot(page, "supervisor-case-list")
    page.fill("#f-reference", reference)
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name=reference).click()
    page.click("#transcript-link")
    transcript = page.locator("#transcript").inner_text()
    assert REFERRALS[0].answers[0] in transcript and reference in transcript
    stack.screenshot(page, "transcript")
    page.go_back()
    page.fill("#tag", "docs-checked")
    page.click("#add-tag")
    assert "docs-checked" in page.locator("#tags").inner_text()
    page.click("#mark-reviewed")
    assert page.locator("#reviewed-state").is_visible()
    page.select_option("#status", "under_review")
    page.click("#move-status")
    page.select_option("#status", "referred_to_ircc")
    page.click("#move-status")
    page.click("#confirm-move")  # a final status is confirmed first (issue 16)
    assert get_case(reference).status == "referred_to_ircc"
    assert "This case is closed." in page.content()
    actions = [e["action"] for e in case_events(reference)]
    for expected in ("viewed", "transcript_viewed", "tagged", "marked_reviewed",
                     "status_changed"):
        assert expected in actions, actions
    page.goto(stack.console + "/review/dashboard")
    this_year = ottawa_date(datetime.now(UTC)).year
    assert page.locator("#spaces-used").inner_text() == str(spaces_used(this_year))
    assert page.locator("svg.chart").count() == 5
    stack.screenshot(page, "dashboard")
    page.goto(stack.console + f"/review/audit?reference={reference}")
    assert "Status changed" in page.locator("#audit").inner_text()
    context.close()


def test_partner_cannot_open_supervisor_pages_or_other_organizations_cases(
        stack: Stack, browser) -> None:
    reference = stack.shared.get("reference")
    if reference is None:
        pytest.skip("needs the referral of the first test")
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, stack.console, "staff@fld.org", stack.codes)
    for path in ("/review/cases", "/review/dashboard", "/review/audit",
                 "/review/conversations"):
        response = page.goto(stack.console + path)
        assert response.status == 403, path
    response = page.goto(stack.console + f"/cases/{reference}")  # UNHCR's case
    assert response.status == 404
    assert reference not in page.content() or "Not found" in page.content()
    assert REFERRALS[0].answers[0] not in page.content()
    context.close()


def test_script_typed_into_the_chat_stays_text(stack: Stack, browser) -> None:
    context = browser.new_context()
    dialogs: list[str] = []
    page = context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, stack.console, "caseworker@unhcr.org", stack.codes)
    page.get_by_role("button", name="Start a new referral").click()
    page.wait_for_load_state()
    if page.url.endswith("/chat/new"):  # a draft was in progress: confirm
        page.get_by_role("button", name="Start a new referral").click()
        page.wait_for_load_state()
    wait_opening(page)
    say(page, XSS)
    assert page.locator("#messages .msg-user .msg-text").last.inner_text() == XSS
    assert page.locator("#messages img").count() == 0

    supervisor = context.browser.new_context().new_page()
    supervisor.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(supervisor, stack.console, "officer@irc.gc.ca", stack.codes)
    supervisor.goto(stack.console + "/review/conversations")
    supervisor.locator("table.list tbody tr a").first.click()
    transcript = supervisor.locator("#transcript")
    assert XSS in transcript.inner_text()
    assert transcript.locator("img, script").count() == 0
    supervisor.wait_for_timeout(500)
    assert dialogs == []
    context.close()


def test_quick_exit_leaves_at_once_and_back_does_not_return(stack: Stack, browser) -> None:
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, stack.console, "staff@fld.org", stack.codes)
    page.goto(stack.console + "/chat")
    wait_connected(page)
    page.keyboard.press("Escape")
    page.wait_for_url("**/weather")
    assert "Weather" in page.content() and "referral" not in page.content().lower()
    page.go_back()
    assert not page.url.endswith("/chat")
    page.wait_for_timeout(500)
    response = page.goto(stack.console + "/chat")
    assert page.url.endswith("/signin") or response.status != 200  # the session ended
    context.close()
