"""The console in French in headless Chromium: the language switch, kept on the account
(reload, sign out and in, another browser), French labels and Babel dates, and the chat
widget's own texts in French.

Only the console runs (no Rasa server, so no trained model): the page's Rasa URL is a
closed port, which also makes the widget show its "cannot be reached" text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from babel.dates import format_date

from bot.access import create_user
from bot.access.models import User
from bot.access.passwords import enrol_totp, set_password
from bot.console.i18n.catalog import translator
from bot.console.partner.widget_texts import WIDGET_TEXTS
from bot.store.db import session_scope
from tests.access.databases import temporary_database
from tests.console.browser.conftest import PASSWORD, sign_in
from tests.console.support import TotpCodes, running_console, seed_case
from tests.support.servers import free_port

FIXED_DAY = datetime(2026, 11, 28, 15, 30, tzinfo=UTC)
TIMEOUT_MS = 30_000


@dataclass
class FrenchSite:
    base: str
    codes: TotpCodes
    references: list[str]


@pytest.fixture(scope="module")
def french_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FrenchSite]:
    workdir = tmp_path_factory.mktemp("console_french")
    with temporary_database("sqlite", workdir / "data") as db_env:
        create_user("lectrice@irc.gc.ca", "supervisor")
        create_user("intervenante@unhcr.org", "partner", "unhcr")
        for email in ("lectrice@irc.gc.ca", "intervenante@unhcr.org"):
            set_password(email, PASSWORD)
        codes = TotpCodes({email: enrol_totp(email)[1]
                           for email in ("lectrice@irc.gc.ca", "intervenante@unhcr.org")})
        references = [seed_case("unhcr", i, FIXED_DAY) for i in range(2)]
        closed = f"http://127.0.0.1:{free_port()}"  # nothing listens: the widget cannot connect
        env = {**db_env, "HRD_COOKIE_SECURE": "0", "HRD_RASA_PUBLIC_URL": closed}
        with running_console(env, workdir) as base:
            yield FrenchSite(base, codes, references)


def _stored_language(email: str) -> str | None:
    with session_scope() as session:
        return session.execute(sa.select(User.language).where(User.email == email)).scalar_one()


def _lang(page) -> str:
    return page.locator("html").get_attribute("lang")


def test_supervisor_switches_to_french_and_it_stays(french_site: FrenchSite, browser) -> None:
    email = "lectrice@irc.gc.ca"
    context = browser.new_context(locale="en-CA", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, french_site.base, email, french_site.codes)
    assert page.url.endswith("/review/cases"), page.url
    assert _lang(page) == "en"
    english_day = format_date(FIXED_DAY.date(), "medium", locale="en_CA")
    assert english_day == "Nov 28, 2026"
    assert english_day in page.locator("#case-list").inner_text()

    page.get_by_role("button", name="Français").click()
    page.wait_for_load_state()
    assert page.url.endswith("/review/cases") and _lang(page) == "fr"
    assert _stored_language(email) == "fr"
    assert page.get_by_role("heading", name="Dossiers").is_visible()
    listing = page.locator("#case-list").inner_text()
    assert format_date(FIXED_DAY.date(), "medium", locale="fr_CA") in listing
    assert "28 nov. 2026" in listing and "Soumis" in listing
    assert page.get_by_role("button", name="Français").get_attribute("aria-pressed") == "true"

    page.goto(french_site.base + "/review/dashboard")
    assert page.get_by_role("heading", name=re.compile(r"^Tableau de bord \d{4}$")).is_visible()
    assert page.get_by_text("Dossiers par résultat").first.is_visible()

    page.reload()
    assert _lang(page) == "fr" and "Places en " in page.content()

    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url("**/signin")
    assert _lang(page) == "fr" and page.get_by_role("heading", name="Se connecter").is_visible()
    sign_in(page, french_site.base, email, french_site.codes, button="Se connecter")
    assert page.url.endswith("/review/cases") and _lang(page) == "fr"
    assert "28 nov. 2026" in page.locator("#case-list").inner_text()
    context.close()


def test_partner_sees_french_pages_and_a_french_widget(french_site: FrenchSite,
                                                       browser) -> None:
    email = "intervenante@unhcr.org"
    # A browser in French: the pages before sign-in are in French at once.
    context = browser.new_context(locale="fr-CA")
    page = context.new_page()
    csp_reports: list[str] = []
    page.on("console", lambda message: csp_reports.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.goto(french_site.base + "/signin")
    assert _lang(page) == "fr" and page.get_by_label("Courriel").is_visible()
    sign_in(page, french_site.base, email, french_site.codes, button="Se connecter")
    assert page.url.endswith("/chat") and _lang(page) == "fr"
    assert _stored_language(email) is None  # nothing chosen yet: the browser's language

    # The widget's own texts, from the page's JSON block, in French.
    assert page.get_by_placeholder("Tapez votre réponse…").is_visible()
    status = page.locator("#chat-status")
    unreachable = translator("fr")(WIDGET_TEXTS["unreachable"])
    status.filter(has_text=unreachable).wait_for(timeout=TIMEOUT_MS)
    assert page.get_by_role("button", name="Envoyer").is_disabled()
    assert page.get_by_role("button", name=re.compile("^Sortie rapide")).is_visible()
    assert csp_reports == []  # the texts block is data: the CSP needs no inline script

    page.get_by_role("link", name="Nos dossiers").click()
    page.wait_for_load_state()
    rows = page.locator("#case-list").inner_text()
    assert all(ref in rows for ref in french_site.references)
    assert "28 nov. 2026" in rows

    # Choosing English is kept; then French again, explicitly this time.
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert _lang(page) == "en" and _stored_language(email) == "en"
    assert "Nov 28, 2026" in page.locator("#case-list").inner_text()
    page.get_by_role("button", name="Français").click()
    page.wait_for_load_state()
    assert _lang(page) == "fr" and _stored_language(email) == "fr"
    page.keyboard.press("Escape")  # the quick exit lands on a neutral page, in French too
    page.wait_for_url("**/weather")
    assert page.title() == "Météo" and "recommandation" not in page.content().lower()
    context.close()

    # Another browser, in English: the account's choice wins.
    other = browser.new_context(locale="en-CA")
    page = other.new_page()
    sign_in(page, french_site.base, email, french_site.codes)
    assert page.url.endswith("/chat") and _lang(page) == "fr"
    assert page.get_by_role("heading", name="Recommander un défenseur").is_visible()
    page.locator("#chat-status").filter(has_text=unreachable).wait_for(timeout=TIMEOUT_MS)
    other.close()



def test_the_switch_works_before_sign_in(french_site: FrenchSite, browser) -> None:
    context = browser.new_context(locale="en-CA")
    page = context.new_page()
    page.goto(french_site.base + "/signin")
    assert _lang(page) == "en"
    page.get_by_role("button", name="Français").click()  # Chromium's own same-origin POST
    page.wait_for_load_state()
    assert page.url.endswith("/signin") and _lang(page) == "fr"
    assert page.get_by_label("Mot de passe").is_visible()
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert _lang(page) == "en" and page.get_by_label("Password").is_visible()
    context.close()
