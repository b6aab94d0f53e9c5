"""The needs-attention view (issue 20): drafts flagged when a caseworker asked for a person,
listed for supervisors with the reason, the question and a link to the conversation; partner
staff may not see it."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from bot.access import create_user
from bot.access.passwords import enrol_totp, set_password
from bot.store import crypto
from bot.store.associated_data import tracker_label
from bot.store.attention import HUMAN_HANDOFF, flag_draft, open_flags
from bot.store.db import session_scope
from bot.store.models import TrackerEvent
from tests.access.databases import temporary_database
from tests.console.pages_client import PageClient
from tests.console.support import TotpCodes, running_console

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, TotpCodes, str]]:
    workdir = tmp_path_factory.mktemp("attention")
    with temporary_database("sqlite", workdir / "data") as db_env:
        for name, role, org in (("partner", "partner", "unhcr"),
                                ("supervisor", "supervisor", None)):
            create_user(f"{name}@example.org", role, org)
            set_password(f"{name}@example.org", PASSWORD)
        codes = TotpCodes({f"{n}@example.org": enrol_totp(f"{n}@example.org")[1]
                           for n in ("partner", "supervisor")})
        sender = f"partner-{secrets.token_hex(4)}"
        data = {"event": "user", "timestamp": datetime.now(UTC).timestamp(), "text": "hi"}
        with session_scope() as session:
            session.add(TrackerEvent(sender_id=sender, type_name="user",
                                     timestamp=data["timestamp"],
                                     data=crypto.encrypt_json(data, tracker_label(sender))))
        flag_draft(intake_id="a" * 32, sender_id=sender, partner_org="unhcr",
                   reason=HUMAN_HANDOFF, question="country_of_origin")
        env = {**db_env, "HRD_COOKIE_SECURE": "0",
               "HRD_RASA_PUBLIC_URL": "http://rasa.example.org:5005"}
        with running_console(env, workdir) as base:
            yield base, codes, sender


def _signed_in(base: str, codes: TotpCodes, who: str) -> PageClient:
    client = PageClient(base)
    email = f"{who}@example.org"
    assert client.sign_in(email, PASSWORD, codes.code(email)).status == 303
    return client


def test_supervisors_see_flagged_drafts(console: tuple[str, TotpCodes, str]) -> None:
    base, codes, _sender = console
    assert [f.reason for f in open_flags()] == [HUMAN_HANDOFF]
    page = _signed_in(base, codes, "supervisor").get("/review/attention")
    assert page.status == 200
    html = page.raw.decode()
    assert "Needs attention" in html and "Asked for a person" in html
    assert "Country of origin" in html
    assert ">unhcr<" not in html  # organizations by name (issue 16), never by code
    assert 'href="/review/conversations/' in html


def test_partner_staff_may_not(console: tuple[str, TotpCodes, str]) -> None:
    base, codes, _sender = console
    partner = _signed_in(base, codes, "partner")
    assert partner.get("/review/attention").status == 403
    flag = open_flags()[0]
    assert partner.post(f"/review/attention/{flag.id}/resolved", {}).status == 403
    assert [f.id for f in open_flags()] == [flag.id]


def test_a_handled_request_leaves_the_list(console: tuple[str, TotpCodes, str]) -> None:
    base, codes, _sender = console
    supervisor = _signed_in(base, codes, "supervisor")
    flag = open_flags()[0]
    reply = supervisor.post(f"/review/attention/{flag.id}/resolved", {})
    assert reply.status == 303 and reply.headers["Location"] == "/review/attention"
    assert open_flags() == []
    assert 'id="flagged-drafts"' not in supervisor.get("/review/attention").raw.decode()
    assert supervisor.post(f"/review/attention/{flag.id}/resolved", {}).status == 404
