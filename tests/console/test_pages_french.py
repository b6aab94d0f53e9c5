"""The console in French, against the real console process (SQLite and PostgreSQL): the
language of a page (stored preference, cookie, Accept-Language), the switch and where it
is kept, French labels, dates and numbers formatted by Babel for fr_CA, and the widget's
texts and token."""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from babel.dates import format_date
from babel.numbers import format_decimal

from bot.access import create_user
from bot.access.models import User
from bot.access.passwords import enrol_totp, set_password
from bot.access.widget_tokens import verify_token
from bot.console.i18n.labels import code_label
from bot.rules import policy_on
from bot.store import get_case
from bot.store.db import session_scope
from tests.console.pages_client import PageClient
from tests.console.support import Reply, seed_case
from tests.console.test_pages import PASSWORD, Site, site

__all__ = ["site"]  # the fixture, shared with test_pages.py

FIXED_DAY = datetime(2026, 11, 28, 15, 30, tzinfo=UTC)
FRENCH_BROWSER = {"Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5"}
ENGLISH_BROWSER = {"Accept-Language": "en-CA,en;q=0.9"}
WIDGET_TEXTS = re.compile(
    r'<script type="application/json" id="widget-texts">(.*?)</script>', re.S)


def _html(reply: Reply) -> str:
    """The page with its character references resolved ("d&#39;origine" -> "d'origine")."""
    return html.unescape(reply.raw.decode("utf-8"))


def _lang(page: str) -> str:
    return re.search(r'<html lang="(\w+)">', page).group(1)


def _stored_language(email: str) -> str | None:
    with session_scope() as session:
        return session.execute(sa.select(User.language).where(User.email == email)).scalar_one()


def _new_partner(site: Site, name: str, language: str | None = None) -> str:
    email = f"{name}@example.org"
    create_user(email, "partner", "unhcr", language=language)
    set_password(email, PASSWORD)
    site.codes.add(email, enrol_totp(email)[1])
    return email


def _switch(client: PageClient, language: str, back: str, **kwargs: Any) -> Reply:
    return client.post("/language", {"language": language, "next": back}, **kwargs)


def test_signed_out_pages_follow_the_browser_then_the_cookie(site: Site) -> None:
    client = site.client()
    french = _html(client.request("/signin", headers=FRENCH_BROWSER))
    assert _lang(french) == "fr"
    assert "Se connecter" in french and "Courriel" in french and "Mot de passe" in french
    assert 'action="/language"' in french and "Français" in french
    english = _html(client.request("/signin", headers=ENGLISH_BROWSER))
    assert _lang(english) == "en" and "Se connecter" not in english

    # The switch works signed out (no session, so no CSRF token): a cookie only.
    reply = _switch(client, "fr", "/signin", csrf="")
    assert reply.status == 303 and reply.headers["Location"] == "/signin"
    assert "hrd_lang=fr" in reply.headers["Set-Cookie"]
    assert client.cookie("hrd_lang") == "fr"
    page = _html(client.request("/signin", headers=ENGLISH_BROWSER))  # the cookie wins
    assert _lang(page) == "fr" and "Se connecter" in page
    # The neutral quick-exit page follows too, and stays neutral.
    weather = _html(client.get("/weather")).lower()
    assert "météo" in weather
    assert not any(word in weather for word in ("referral", "recommandation", "hrd", "ddp"))


def test_the_switch_refuses_bad_input_and_other_sites(site: Site) -> None:
    client = site.client()
    for bad in ("de", "", "fr<script>", "FR" * 100):
        reply = _switch(client, bad, "/signin", csrf="")
        assert reply.status == 400, bad
        assert client.cookie("hrd_lang") is None
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example", "x"):
        reply = _switch(client, "fr", target, csrf="")
        assert reply.status == 303 and reply.headers["Location"] == "/", target
    cross_site = _switch(site.client(), "fr", "/signin", csrf="",
                         headers={"Sec-Fetch-Site": "cross-site"})
    assert cross_site.status == 403


def test_the_choice_is_kept_on_the_user_across_sessions_and_devices(site: Site) -> None:
    email = _new_partner(site, "francophone")
    laptop = site.client()
    assert site.sign_in(laptop, email).status == 303
    assert _lang(_html(laptop.get("/cases"))) == "en"
    assert _stored_language(email) is None

    # Signed in, the switch needs the session's CSRF token.
    assert _switch(laptop, "fr", "/cases", csrf="").status == 403
    assert _stored_language(email) is None
    reply = _switch(laptop, "fr", "/cases?x=1")
    assert reply.status == 303 and reply.headers["Location"] == "/cases?x=1"
    assert _stored_language(email) == "fr"
    page = _html(laptop.get("/cases"))
    assert _lang(page) == "fr" and "Nos dossiers" in page and "Se déconnecter" in page

    # Another device, a browser in English, no cookie: the account's language still wins.
    phone = site.client()
    assert site.sign_in(phone, email).status == 303
    page = _html(phone.request("/chat", headers=ENGLISH_BROWSER))
    assert _lang(page) == "fr" and "Recommander un défenseur" in page
    # Signing out and in again on the first one: still French.
    assert laptop.post("/signout").status == 303
    assert _lang(_html(laptop.get("/signin"))) == "fr"  # the cookie, before sign-in
    assert site.sign_in(laptop, email).status == 303
    assert _lang(_html(laptop.get("/cases"))) == "fr"

    assert _switch(phone, "en", "/chat").status == 303
    assert _stored_language(email) == "en"
    assert _lang(_html(laptop.get("/cases"))) == "en"  # the account's choice, not the cookie


def test_partner_pages_in_french_with_french_dates(site: Site) -> None:
    email = _new_partner(site, "datesfr", language="fr")
    reference = seed_case("unhcr", 0, FIXED_DAY)
    client = site.client()
    assert site.sign_in(client, email).status == 303
    listing = _html(client.get("/cases"))
    row = re.search(rf"<tr[^>]*><td><a href=\"/cases/{reference}\">.*?</tr>", listing,
                    re.S).group(0)
    assert format_date(FIXED_DAY.date(), "medium", locale="fr_CA") in row
    assert "28 nov. 2026" in row
    assert "Soumis" in row and "submitted" not in row.replace("status-submitted", "")

    case = _html(client.get(f"/cases/{reference}"))
    assert "Pays d'origine" in case and "Ouganda (UG)" in case and "Kenya (KE)" in case
    assert "Journalisme / médias" in case and "Femme" in case  # the chat's own labels
    assert "Soumis le" in case and "28 nov. 2026, 15 h 30" in case
    decision = get_case(reference).decision
    assert code_label("pathway", decision["pathway"], "fr") in case
    assert code_label("eligibility", decision["eligibility"], "fr") in case

    chat = _html(client.get("/chat"))
    texts = json.loads(WIDGET_TEXTS.search(chat).group(1))
    assert texts["connecting"] == "Connexion à l'assistant…"
    assert texts["exitTitle"] == "Météo"
    assert texts["you"] == "Vous\u00a0:"
    assert 'placeholder="Tapez votre réponse…"' in chat and ">Envoyer<" in chat
    sender = re.search(r'data-sender="([^"]+)"', chat).group(1)
    token = client.post("/chat/token", {"sender": sender}, csrf="",
                        headers={"X-CSRF-Token": client.csrf})
    assert token.status == 200
    assert verify_token(token.json["token"]).language == "fr"


def test_partner_pages_in_english_with_english_dates(site: Site) -> None:
    email = _new_partner(site, "datesen", language="en")
    reference = seed_case("unhcr", 1, FIXED_DAY)
    client = site.client()
    assert site.sign_in(client, email).status == 303
    listing = _html(client.request("/cases", headers=FRENCH_BROWSER))  # the account wins
    row = re.search(rf"<tr[^>]*><td><a href=\"/cases/{reference}\">.*?</tr>", listing,
                    re.S).group(0)
    assert format_date(FIXED_DAY.date(), "medium", locale="en_CA") in row
    assert "Nov 28, 2026" in row and "Submitted" in row
    chat = _html(client.get("/chat"))
    assert json.loads(WIDGET_TEXTS.search(chat).group(1))["connecting"] == \
        "Connecting to the assistant…"
    sender = re.search(r'data-sender="([^"]+)"', chat).group(1)
    token = client.post("/chat/token", {"sender": sender}, csrf="",
                        headers={"X-CSRF-Token": client.csrf})
    assert verify_token(token.json["token"]).language == "en"


@pytest.fixture(scope="module")
def supervisor_in_french(site: Site) -> PageClient:
    client = site.signed_in("supervisor")
    assert _switch(client, "fr", "/review/cases").status == 303
    return client


def test_supervisor_pages_in_french(site: Site, supervisor_in_french: PageClient) -> None:
    client = supervisor_in_french
    reference = seed_case("front_line_defenders", 0, FIXED_DAY)
    listing = _html(client.get(f"/review/cases?reference={reference}"))
    assert _lang(listing) == "fr" and "Filtrer les dossiers" in listing
    assert "Tous les statuts" in listing
    assert re.search(r"<option value=\"under_review\"\s*>En cours d'examen</option>",
                     listing)
    row = re.search(r'<table class="list" id="case-list">.*?</table>', listing, re.S).group(0)
    assert "28 nov. 2026" in row and "Soumis" in row and "1–1 sur 1 dossier" in listing

    case = _html(client.get(f"/review/cases/{reference}"))
    assert "Marquer comme examiné" in case and "Passer à" in case
    assert "<option value=\"under_review\">En cours d'examen</option>" in case
    client.post(f"/review/cases/{reference}/reviewed")
    case = _html(client.get(f"/review/cases/{reference}"))
    assert re.search(r"Examiné le \d{1,2} [a-zéû.]+ \d{4}, \d{1,2} h \d{2} UTC", case)

    audit = _html(client.get(f"/review/audit?reference={reference}"))
    assert "Piste de vérification" in audit
    assert re.search(r"\d{1,2} [a-zéû.]+ \d{4}, \d{1,2} h \d{2} min \d{2} s", audit)
    assert "Marqué comme examiné" in audit  # actions by their labels (issue 16)

    bad = client.get("/review/cases?status=open")
    assert bad.status == 400
    assert "Filtre invalide" in _html(bad)
    assert "status doit être l'une des valeurs suivantes\u00a0: submitted, " in _html(bad)

    conversations = _html(client.get("/review/conversations"))
    assert "Dernière activité" in conversations
    conversation = re.search(r'href="/review/conversations/(\d+)"', conversations).group(1)
    transcript = _html(client.get(f"/review/conversations/{conversation}"))
    assert "Transcription de la conversation" in transcript
    stamp = re.search(r'<time class="when" datetime="([^"]+)">([^<]+)</time>', transcript)
    when = datetime.fromisoformat(stamp.group(1))
    assert stamp.group(2).startswith(format_date(when.date(), "medium", locale="fr_CA"))


def test_dashboard_in_french(site: Site, supervisor_in_french: PageClient) -> None:
    from bot.rules import ottawa_date
    from bot.store import spaces_used

    page = _html(supervisor_in_french.get("/review/dashboard"))
    today = ottawa_date(datetime.now(UTC))
    assert "Tableau de bord" in page and f"Places en {today.year}" in page
    cap = format_decimal(policy_on(today).annual_cap, locale="fr_CA")
    assert f'<span id="spaces-cap">{cap}</span>' in page
    count = spaces_used(today.year)
    used = format_decimal(count, locale="fr_CA")
    agreed = "utilisée" if count <= 1 else "utilisées"  # French plural: 0 and 1 are singular
    assert f'<span id="spaces-used">{used}</span> {agreed}' in page
    assert "Places et liste d'attente par année" in page or "Places et liste d&#39;attente" in page
    for title in ("Dossiers par résultat", "Dossiers par urgence",
                  "Dossiers du Programme de protection urgente par mois"):
        assert title in page
    assert ">mars<" in page and ">déc.<" in page  # months in French
    assert not re.search(r">(eligible|ineligible|needs_review|urgent|not_urgent)<", page)
    # "group" where the bars are links
    assert len(re.findall(r'<svg class="chart" role="(img|group)"', page)) == 5
    assert "Cases by outcome" not in page
