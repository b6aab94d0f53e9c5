"""The chat as a caseworker meets it, on a phone (390×844) and a desktop (1280×900), in
English and French: it opens with the greeting and the first question; the input stays in
view after every message; a tapped button shows its title (never its payload) in the bubble
and the transcript; a long list of choices is compact and can be filtered; a new referral
asks before leaving a draft, which is listed to resume; no "(Esc)" on a touch screen; and
axe-core finds no serious or critical violation on the chat and the partner's pages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from bot.console.i18n.catalog import translator
from bot.console.partner.widget_texts import WIDGET_TEXTS
from tests.console.browser.conftest import Stack, _totp, _user, sign_in
from tests.console.browser.test_console_in_browser import (
    TURN_TIMEOUT_MS,
    bot_count,
    wait_connected,
    wait_reply,
)
from tests.console.support import seed_case
from tests.support.axe import serious_violations

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@dataclass(frozen=True)
class Words:
    """What the person reads and taps, in one language."""

    language: str
    email: str
    sign_in: str
    first_question: str
    yes: str
    activity: str  # the title of journalism_media's button
    activity_filter: str
    new_referral: str
    confirm_heading: str
    keep_draft: str
    resume: str
    reference: str  # the first answer, before a time stamp that makes it unique
    origin: str
    current: str


ENGLISH = Words("en", "phone@unhcr.org", "Sign in", "What is your organization's own reference",
                "Yes", "Journalism / media", "journ", "Start a new referral",
                "Start a new referral?", "Continue the draft", "Resume",
                "our file number is PHONE-", "Uganda", "Kenya")
FRENCH = Words("fr", "telephone@unhcr.org", "Se connecter", "Quel est le numéro de référence",
               "Oui", "Journalisme / médias", "journ", "Commencer une nouvelle recommandation",
               "Commencer une nouvelle recommandation?", "Poursuivre l'ébauche", "Reprendre",
               "notre numéro interne est TEL-", "elle est de nationalité burundaise",
               "elle habite maintenant à Kigali")


@pytest.fixture(scope="module")
def people(stack: Stack) -> Iterator[Stack]:
    """Two partner users of their own: these tests leave drafts behind."""
    for words in (ENGLISH, FRENCH):
        if words.email not in stack.codes:
            _user(stack.env, "--role", "partner", "--org", "unhcr", "--language",
                  words.language, words.email)
            stack.codes.add(words.email, _totp(stack.env, words.email))
    yield stack


def text_of(words: Words, key: str) -> str:
    return translator(words.language)(WIDGET_TEXTS[key])


def assert_input_in_view(page, viewport: dict[str, int]) -> None:
    """The input and Send are inside the viewport, the page itself does not scroll, and
    the newest message is in view above the input."""
    height = viewport["height"]
    box = page.locator("#message").bounding_box()
    send = page.locator("#send").bounding_box()
    assert box and send, "no input"
    assert box["y"] >= 0 and box["y"] + box["height"] <= height, box
    assert send["y"] + send["height"] <= height, send
    page_height = page.evaluate("() => document.documentElement.scrollHeight")
    assert page_height <= height + 2, page_height  # no ~6000 px of hidden labels
    last = page.locator("#messages > li").last.bounding_box()
    listed = page.locator("#messages").bounding_box()
    assert last and listed and last["y"] + last["height"] <= listed["y"] + listed["height"] + 2


def assert_filled(page) -> None:
    """Every placeholder of the page's texts was filled ("%(when)s", "{num}")."""
    shown = page.locator("main").inner_text()
    assert not re.search(r"%\(\w+\)|\{\w+\}", shown), shown


def send(page, text: str, viewport: dict[str, int]) -> None:
    before = bot_count(page)
    page.fill("#message", text)
    page.press("#message", "Enter")
    wait_reply(page, before)
    assert_input_in_view(page, viewport)


def tap(page, title: str, viewport: dict[str, int]) -> None:
    before = bot_count(page)
    page.locator(".quick-replies button", has_text=title).first.click()
    wait_reply(page, before)
    assert_input_in_view(page, viewport)


def user_bubbles(page) -> list[str]:
    return page.locator("#messages .msg-user .msg-text").all_inner_texts()


def open_chat(browser, stack: Stack, words: Words, viewport: dict[str, int], touch: bool):
    context = browser.new_context(viewport=viewport, has_touch=touch, is_mobile=touch,
                                  locale="fr-CA" if words.language == "fr" else "en-CA")
    page = context.new_page()
    sign_in(page, stack.console, words.email, stack.codes, button=words.sign_in)
    assert page.url.endswith("/chat")
    return context, page


def check_axe(page, where: str) -> None:
    found = serious_violations(page)
    assert found == [], f"{where}: {found}"


@pytest.mark.parametrize(("words", "viewport", "touch"), [
    (ENGLISH, PHONE, True), (FRENCH, DESKTOP, False)], ids=["en-phone", "fr-desktop"])
def test_the_chat_opens_guides_and_keeps_the_input_in_view(
        people: Stack, browser, words: Words, viewport: dict[str, int], touch: bool) -> None:
    context, page = open_chat(browser, people, words, viewport, touch)
    # It opens with the greeting and the first question, not an empty box.
    wait_connected(page)
    wait_reply(page, 1)
    bot_texts = page.locator("#messages .msg-bot .msg-text").all_inner_texts()
    assert bot_texts[0].startswith(("Hello.", "Bonjour.")), bot_texts
    assert any(words.first_question in t for t in bot_texts), bot_texts
    progress = page.locator("#progress")
    assert progress.is_visible() and progress.inner_text() == text_of(
        words, "progress").format(number=1, total=16)
    assert_input_in_view(page, viewport)
    # Keyboard hints only where there is a keyboard.
    # (The header's "(Esc)" also gives way at mid widths so the menu keeps one row; the
    # hint under the input still names Esc there.)
    if touch:
        assert not page.locator("#quick-exit .kbd").is_visible()
    assert page.locator(".keys-hint").is_visible() is (not touch)
    # Live messages carry their time, as reloaded ones do.
    assert page.locator("#messages .msg-bot time.when").count() >= 2

    send(page, f"{words.reference}{datetime.now(UTC):%H%M%S}", viewport)
    # A reply that did not understand looks unlike the others.
    send(page, "zzqx vbnw", viewport)
    assert page.locator("#messages .msg-not_understood").count() == 1, (
        page.locator("#messages").inner_text()[-300:])
    tap(page, words.yes, viewport)
    # The bubble shows the title the person tapped.
    assert user_bubbles(page)[-1] == words.yes
    assert progress.inner_text() == text_of(words, "progress").format(number=3, total=16)
    send(page, words.origin, viewport)
    send(page, words.current, viewport)
    # 13 kinds of work: a compact list with a filter, not 13 buttons across the chat.
    choices = page.locator(".quick-replies.long")
    choices.wait_for(timeout=TURN_TIMEOUT_MS)
    listed = choices.locator(".choices").bounding_box()
    assert listed and listed["height"] <= 11 * 16 + 4, listed
    assert choices.locator("button").count() == 13
    people.screenshot(page, f"chat-{words.language}-{viewport['width']}-choices")
    check_axe(page, "chat with a long list")
    choices.get_by_role("searchbox").fill(words.activity_filter)
    assert choices.locator("button:visible").all_inner_texts() == [words.activity]
    tap(page, words.activity, viewport)
    assert user_bubbles(page)[-1] == words.activity
    assert "journalism_media" not in page.locator("#messages").inner_text()

    # The transcript, reloaded from the store, shows the titles too.
    page.reload()
    wait_connected(page)
    users = user_bubbles(page)
    assert words.yes in users and words.activity in users
    assert not {"yes", "journalism_media", "/start_referral"} & set(users)
    assert page.locator("#messages .msg-not_understood").count() >= 1
    assert_input_in_view(page, viewport)
    check_axe(page, "chat after a reload")

    # Starting a new referral asks first, and keeping the draft changes nothing.
    answered = len(users)
    page.get_by_role("button", name=words.new_referral, exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name=words.confirm_heading).is_visible()
    assert_filled(page)
    check_axe(page, "new referral confirmation")
    people.screenshot(page, f"chat-{words.language}-{viewport['width']}-new-referral")
    page.get_by_role("link", name=words.keep_draft).click()
    page.wait_for_load_state()
    wait_connected(page)
    assert len(user_bubbles(page)) == answered

    # Confirmed: a fresh conversation opens, and the draft is listed to resume.
    page.get_by_role("button", name=words.new_referral, exact=True).click()
    page.wait_for_load_state()
    page.get_by_role("button", name=words.new_referral, exact=True).click()
    page.wait_for_load_state()
    wait_connected(page)
    wait_reply(page, 1)
    assert words.activity not in user_bubbles(page)
    drafts = page.locator("#drafts")
    assert drafts.is_visible()
    assert drafts.locator("summary").inner_text().endswith("(1)")
    drafts.locator("summary").click()
    assert_filled(page)
    people.screenshot(page, f"chat-{words.language}-{viewport['width']}-drafts")
    check_axe(page, "chat with drafts")
    drafts.get_by_role("button", name=words.resume).first.click()
    page.wait_for_load_state()
    wait_connected(page)
    assert words.activity in user_bubbles(page)
    assert_input_in_view(page, viewport)
    context.close()


def test_offline_controls_look_disabled(people: Stack, browser) -> None:
    """Send and the answer buttons are disabled, and look it, while the assistant is away."""
    context, page = open_chat(browser, people, ENGLISH, PHONE, True)
    wait_connected(page)
    wait_reply(page, 1)
    context.set_offline(True)
    page.locator("#send[disabled]").wait_for(timeout=TURN_TIMEOUT_MS)
    colours = page.evaluate("""() => {
      const s = getComputedStyle(document.getElementById('send'));
      return [s.backgroundColor, s.cursor];
    }""")
    assert colours[1] == "not-allowed" and colours[0] != "rgb(11, 92, 173)", colours
    assert page.locator(".quick-replies button:not([disabled])").count() == 0
    context.set_offline(False)
    wait_connected(page)
    context.close()


@pytest.mark.parametrize(("words", "viewport"), [
    (ENGLISH, PHONE), (ENGLISH, DESKTOP), (FRENCH, PHONE), (FRENCH, DESKTOP)],
    ids=["en-phone", "en-desktop", "fr-phone", "fr-desktop"])
def test_partner_pages_have_no_serious_accessibility_violation(
        people: Stack, browser, words: Words, viewport: dict[str, int]) -> None:
    reference = people.shared.get("axe_reference") or seed_case("unhcr", 1, datetime.now(UTC))
    people.shared["axe_reference"] = reference
    context, page = open_chat(browser, people, words, viewport, False)
    wait_connected(page)
    check_axe(page, "chat")
    for path in ("/cases", f"/cases/{reference}"):
        page.goto(people.console + path)
        page.wait_for_load_state()
        check_axe(page, path)
    context.close()
