"""The console's forms with a valid session and its CSRF token, fuzzed fields (and path
segments): a page, a redirect, a download, or a 4xx; never a 500 or a trace. The sign-in
form is fuzzed with the sign-in page's token."""

from __future__ import annotations

import urllib.parse

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.console.pages_client import PageClient
from tests.console.support import Reply
from tests.fuzz.conftest import Site
from tests.fuzz.support import FUZZ, assert_clean, hostile_text

pytestmark = pytest.mark.e2e

no_surrogates = hostile_text.filter(lambda t: not any("\ud800" <= c <= "\udfff" for c in t))
FILTER_FIELDS = ["partner", "date_from", "date_to", "eligibility", "priority", "status",
                 "urgent", "year", "limit", "offset", "reference", "reviewed", "include_threat",
                 "tag", "note", "language", "next", "sender", "email", "password", "code"]
fields = st.dictionaries(st.sampled_from(FILTER_FIELDS) | no_surrogates, no_surrogates,
                         max_size=5).map(lambda d: {k: v for k, v in d.items()
                                                    if k != "csrf_token"})
ACTIONS = ["reviewed", "tag", "note", "status", "admit"]


def segment(text: str) -> str:
    return urllib.parse.quote(text, safe="") or "x"


def _clean(reply: Reply, *, json_errors: bool = False) -> None:
    assert_clean(reply.status, reply.raw, json_errors=json_errors)


def test_review_actions(site: Site) -> None:
    @FUZZ
    @given(st.sampled_from(site.cases) | no_surrogates, st.sampled_from(ACTIONS) | no_surrogates,
           fields)
    def run(reference: str, action: str, form: dict[str, str]) -> None:
        _clean(site.supervisor.post(f"/review/cases/{segment(reference)}/{segment(action)}",
                                    form))

    run()


def test_export_and_language_and_story(site: Site) -> None:
    @FUZZ
    @given(fields, st.sampled_from(["/review/cases/export.csv", "/language",
                                    "/review/conversations/1/story.yml",
                                    "/review/conversations/99999999999999999999/story.yml"]))
    def run(form: dict[str, str], path: str) -> None:
        _clean(site.supervisor.post(path, form))

    run()


def test_partner_chat_forms(site: Site) -> None:
    @FUZZ
    @given(fields, st.sampled_from(["/chat/token", "/chat/new", "/language"]))
    def run(form: dict[str, str], path: str) -> None:
        reply = site.partner.post(path, form, headers={"X-CSRF-Token": site.partner.csrf})
        _clean(reply, json_errors=path == "/chat/token")

    run()


def test_signin_form(site: Site) -> None:
    client = PageClient(site.base)

    @FUZZ

    @given(fields)
    def run(form: dict[str, str]) -> None:
        page = client.get("/signin").raw.decode()
        token = page.split('name="csrf_token" value="', 1)[-1].split('"', 1)[0]
        _clean(client.post("/signin", form, csrf=token))

    run()


def test_a_conversation_id_too_large_for_the_database_is_not_found(site: Site) -> None:
    """Found by the fuzzing: an id over 2**63 - 1 raised OverflowError (a 500)."""
    for huge in ("9223372036854775808", "99999999999999999999"):
        assert site.supervisor.get(f"/review/conversations/{huge}").status == 404
        assert site.supervisor.post(f"/review/conversations/{huge}/story.yml").status == 404
    assert site.supervisor.get("/review/conversations/9223372036854775807").status == 404
