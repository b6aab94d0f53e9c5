"""No raw code on any page a person reads (issue 16): a walker signs in as a partner and as
a supervisor, in English and in French, follows every console page (lists, each kind of
case page, the queue, conversations and a transcript, the audit trail, the dashboard of
each year, the partner's pages, sign-in, the neutral page, a missing page) and fails on
any snake_case id or rule id (E1..E8, U1) standing alone in the visible text. A rule id is
allowed where it is named as such ("rule E7", "règle E7"), in small print beside its
title.

Left out on purpose: the 400 pages of hand-made query strings (their messages name the
parameter and the allowed codes, as the case API's do)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.console.browser.conftest import sign_in
from tests.console.browser.test_review_pages import (
    PARTNERS,
    SUPERVISORS,
    ReviewSite,
    checked,
    review_site,
)

pytestmark = pytest.mark.e2e

SNAKE = re.compile(r"(?<![\w/.@-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/@-])")
RULE = re.compile(r"(?<![\w-])(?<!rule )(?<!règle )(?<!Rule )(?<!Règle )(?:E[1-8]|U1)(?![\w-])")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReviewSite]:
    yield from review_site(tmp_path_factory.mktemp("walker"))


def raw_codes(text: str) -> list[str]:
    return SNAKE.findall(text) + RULE.findall(text)


def test_the_pattern_finds_codes_standing_alone() -> None:
    assert raw_codes("Partner: front_line_defenders") == ["front_line_defenders"]
    assert raw_codes("Reasons: E7") == ["E7"]
    assert raw_codes("No disqualifying charges (rule E7)") == []
    assert raw_codes("HRD-2026-00001 · worker@unhcr.org · UNHCR-NBO-2291") == []


def _visit(page, url: str, seen: dict[str, list[str]]) -> None:
    response = page.goto(url)
    assert response is not None and response.status < 500, url
    page.wait_for_load_state()
    checked(page)
    found = raw_codes(page.locator("body").inner_text())
    if found:
        seen[url] = sorted(set(found))


def _links(page, prefix: str) -> list[str]:
    hrefs = page.eval_on_selector_all("main a[href]", "els => els.map(e => e.getAttribute('href'))")
    return sorted({h for h in hrefs if h.startswith(prefix)})


@pytest.mark.parametrize("language", ["en", "fr"])
def test_no_raw_code_on_any_page(site: ReviewSite, browser, language: str) -> None:
    seen: dict[str, list[str]] = {}
    base = site.base
    # Before sign-in.
    context = browser.new_context(locale="fr-CA" if language == "fr" else "en-CA")
    page = context.new_page()
    for path in ("/signin", "/weather"):
        _visit(page, base + path, seen)
    # A supervisor: every list, every kind of case page, the queue, the dashboards.
    button = "Se connecter" if language == "fr" else "Sign in"
    sign_in(page, base, SUPERVISORS[language], site.codes, button=button)
    pages = ["/review/cases", "/review/cases?page=2", "/review/cases?sort=status",
             "/review/attention", "/review/conversations",
             f"/review/conversations/{site.conversation}", "/review/audit",
             "/review/audit?page=2", "/review/dashboard", "/review/cases/HRD-1999-00001",
             "/review/cases?partner_ref=nothing"]
    for path in pages:
        _visit(page, base + path, seen)
    page.goto(base + "/review/dashboard")
    for link in _links(page, "/review/dashboard?year="):
        _visit(page, base + link, seen)
    page.goto(base + "/review/attention")
    cases = _links(page, "/review/cases/")[:6] + [f"/review/cases/{r}" for r in site.refs.values()]
    for link in sorted(set(cases)):
        _visit(page, base + link, seen)
    # A status changed and a note edited leave their own words on the case and the audit.
    reference = site.refs["urgent"]
    page.goto(f"{base}/review/cases/{reference}")
    page.fill("#tag", "walker")
    page.click("#add-tag")
    page.wait_for_load_state()
    page.select_option("#status", index=1)  # the next status, whatever the case's is
    page.click("#move-status")
    page.wait_for_load_state()
    if page.locator("#confirm-move").count():
        page.click("#confirm-move")
        page.wait_for_load_state()
    _visit(page, f"{base}/review/cases/{reference}", seen)
    _visit(page, f"{base}/review/audit?reference={reference}", seen)
    context.close()

    # A partner: the chat page, their list, search and case pages.
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, base, PARTNERS[language], site.codes)
    for path in ("/chat", "/cases", "/cases?page=2", "/cases?q=PDEU", "/cases?q=nothing",
                 "/cases/HRD-1999-00001", f"/cases/{site.refs['urgent']}"):
        _visit(page, base + path, seen)
    page.goto(base + "/cases")
    for link in _links(page, "/cases/")[:5]:
        _visit(page, base + link, seen)
    context.close()
    assert seen == {}, seen
