"""Partner staff's own cases: their list (their own reference, the country, who submitted
it), a search over the console's and their own reference, pages of 50, and the case
page's next steps in plain words. Only the organization's own cases, whatever is asked."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from bot.access.auth import Principal
from bot.console.api.query import PAGE_SIZE, CaseQuery
from bot.console.i18n.catalog import N_, translator
from bot.console.review.queries import CaseRow, ListPage, case_page
from bot.console.web.audit import audit_case
from bot.store import waitlisted

MAX_SEARCH = 64
MAX_OWN = 100_000


def _search(args: Mapping[str, Sequence[str]]) -> str:
    given = args["q"][0] if args.get("q") else ""
    return "".join(ch for ch in given if ch.isprintable()).strip()[:MAX_SEARCH]


def _page_number(args: Mapping[str, Sequence[str]]) -> int:
    given = (args["page"][0] if args.get("page") else "1").strip()
    return int(given) if given.isdigit() and 1 <= int(given) <= 100_000 else 1


def _matches(row: CaseRow, wanted: str) -> bool:
    return wanted in row.reference.casefold() or wanted in row.partner_reference.casefold()


def own_cases(principal: Principal, args: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """The template's context: `listing` (this page), `search`, and the links. Each case
    shown is audited as listed."""
    search = _search(args)
    page = _page_number(args)
    if search:
        everything = case_page(CaseQuery(sort="newest"), partner=principal.org_id,
                               size=MAX_OWN).rows
        wanted = search.casefold()
        found = [row for row in everything if _matches(row, wanted)]
        start = (page - 1) * PAGE_SIZE
        listing = ListPage(found[start:start + PAGE_SIZE], len(found), page, PAGE_SIZE)
    else:
        listing = case_page(CaseQuery(sort="newest", page=page), partner=principal.org_id)
    for row in listing.rows:
        audit_case(row.reference, principal.actor, "listed")
    base = "/cases?" + (f"q={_quote(search)}&" if search else "")
    return {"rows": listing.rows, "listing": listing, "search": search,
            "previous_link": f"{base}page={page - 1}" if listing.has_previous else None,
            "next_link": f"{base}page={page + 1}" if listing.has_next else None}


def _quote(text: str) -> str:
    return quote(text, safe="")


# What happens next, by where the case is (plain words for the caseworker and the person).
NEXT_STEPS: dict[str, tuple[str, ...]] = {
    "waitlisted": (
        N_("This year's spaces are full, so the case is on the waitlist. It keeps its place "
           "in the order it was submitted."),
        N_("When a space opens, a program officer moves the case forward and contacts you."),
        N_("You do not need to submit it again."),
    ),
    "submitted": (
        N_("A program officer will read the referral. You do not need to do anything now."),
        N_("If the officer needs more information, they will contact your organization."),
        N_("If the person's situation changes or becomes more dangerous, contact the "
           "program: do not wait."),
    ),
    "under_review": (
        N_("A program officer is reviewing the case now."),
        N_("They will contact your organization if they need anything, and when they "
           "decide."),
    ),
    "referred_to_ircc": (
        N_("The case has been referred to Immigration, Refugees and Citizenship Canada "
           "(IRCC)."),
        N_("IRCC will contact the person directly about the next steps of resettlement."),
    ),
    "declined": (
        N_("The program has decided not to refer this case to Canada."),
        N_("You may contact the program to ask why, or to discuss other options for the "
           "person."),
    ),
    "withdrawn": (
        N_("The case was withdrawn. Nothing more will happen with it."),
        N_("If the person needs protection again, start a new referral."),
    ),
}


def next_steps(case: Any, language: str) -> list[str]:
    """The case's next steps, translated (a CaseRecord from bot.store.get_case)."""
    decision = case.decision
    key = ("waitlisted" if waitlisted(decision.get("capacity", ""),
                                      decision.get("eligibility", ""), case.status)
           else case.status)
    gettext = translator(language)
    return [gettext(text) for text in NEXT_STEPS.get(key, ())]
