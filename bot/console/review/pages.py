"""Supervisors and admins: cases (urgent first, sorted and paged on the server), the "needs
attention" queue, conversations, the case page with its transcript and review actions,
exports and the audit trail. Every view and every change is audited before the response
leaves; every change comes back to the page with a message saying it was done."""

from __future__ import annotations

import asyncio
import functools
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.access.auth import Principal
from bot.config import current
from bot.console.api.cases import REFERENCE
from bot.console.api.query import (
    INVERTED_RANGE,
    PAGE_SIZE,
    PRIORITIES,
    REVIEW,
    SORTS,
    CaseQuery,
    InvalidFilter,
)
from bot.console.auth.guards import not_found, supervisor_page
from bot.console.i18n.catalog import N_, translator
from bot.console.i18n.language import request_language
from bot.console.review.attention import flag_rows
from bot.console.review.audit_log import (
    AuditQuery,
    action_label,
    audit_csv,
    audit_page,
    detail_text,
    known_actions,
    target_text,
)
from bot.console.review.csv_export import cases_csv
from bot.console.review.names import conversation_numbers, organizations, people
from bot.console.review.needs_attention import REASONS, needs_attention, stale_days
from bot.console.review.paging import list_link
from bot.console.review.queries import ListPage, case_page, partners
from bot.console.review.reviews import (
    InvalidInput,
    add_note,
    add_tag,
    edit_note,
    mark_reviewed,
    remove_tag,
    review_state,
)
from bot.console.review.story_export import story_yaml
from bot.console.review.transcripts import (
    chat_messages,
    conversation_of_sender,
    conversation_sender,
    list_conversations,
    references_of_sender,
    sender_events,
)
from bot.console.review.transitions import (
    FINAL,
    TransitionNotAllowed,
    move_case,
    next_statuses,
    undo_available,
    undo_move,
)
from bot.console.web.audit import audit, audit_case, conversation_key
from bot.console.web.rendering import page_headers, redirect, render
from bot.intake.questions import ACTIVITY_DESCRIPTION, FORM_SLOTS, STATELESS
from bot.rules import explain_case
from bot.store import (
    CaseNotFound,
    DoesNotFit,
    NotWaitlisted,
    admit_from_waitlist,
    get_case,
    waitlisted,
)
from bot.store.models import CASE_STATUSES, ELIGIBILITIES

# What a change says when it is done (?done=...), and the errors (?error=...).
DONE = ("reviewed", "tagged", "untagged", "noted", "note_edited", "status", "undone",
        "admitted")
ACTION_NAME = re.compile(r"[a-z_]{1,64}")
CONVERSATION_SORTS = ("recent", "oldest")
# A row id the databases can hold (a larger one in the URL raised OverflowError: a 500).
MAX_ROW_ID = 2**63 - 1


def _form(request: Request) -> dict[str, str]:
    return {k: v[0] for k, v in (request.form or {}).items() if v}


Handler = Callable[..., Awaitable[HTTPResponse]]


def _query_string(request: Request) -> Mapping[str, Sequence[str]]:
    return request.get_args(keep_blank_values=True)


def _form_fields(request: Request) -> Mapping[str, Sequence[str]]:
    return request.form or {}


def filtered(source: Callable[[Request], Mapping[str, Sequence[str]]] = _query_string
             ) -> Callable[[Handler], Handler]:
    """A supervisor page that lists by the review filters (from `source`, the query string
    unless said): the handler gets them after the principal; a bad one gets the 400 page."""

    def decorate(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def parsed(request: Request, principal: Principal, *args: Any, **kwargs: Any
                         ) -> HTTPResponse:
            try:
                filters = REVIEW.parse(source(request))
            except InvalidFilter as error:
                return _bad_filter(request, error)
            return await handler(request, principal, filters, *args, **kwargs)

        return parsed

    return decorate


def _bad_filter(request: Request, error: InvalidFilter) -> HTTPResponse:
    return render(request, "error.html", status=400, title=N_("Invalid filter"),
                  message=error.message, back=request.path)


def _view_case(principal: Principal, reference: str) -> dict[str, Any] | None:
    record = get_case(reference)
    if record is None:
        return None
    audit_case(reference, principal.actor, "viewed")
    return {"case": record, "review": review_state(reference),
            "answers": [(s, record.answers.get(s))
                        for s in (*FORM_SLOTS, ACTIVITY_DESCRIPTION, STATELESS)
                        if s in record.answers],
            "next_statuses": next_statuses(record.status),
            "final_statuses": FINAL,
            "undo_to": undo_available(reference, actor=principal.actor),
            "conversation": conversation_of_sender(record.sender_id),
            "explanation": explain_case(record.answers, record.decision),
            "waitlisted": waitlisted(record.decision["capacity"],
                                     record.decision["eligibility"], record.status)}


def _transcript(principal: Principal, conversation_id: int) -> dict[str, Any] | None:
    sender = conversation_sender(conversation_id)
    if sender is None:
        return None
    record_refs = references_of_sender(sender)
    events = sender_events(sender)
    if record_refs:
        for reference in record_refs:
            audit_case(reference, principal.actor, "transcript_viewed")
    else:
        audit(principal.actor, "transcript_viewed", conversation_key(sender))
    return {"messages": chat_messages(events), "references": record_refs,
            "conversation_id": conversation_id}


def _story(principal: Principal, conversation_id: int) -> tuple[str, str] | None:
    sender = conversation_sender(conversation_id)
    if sender is None:
        return None
    name = f"conversation {conversation_id}"
    detail = {"format": "rasa_test_story", "pseudonymized": True}
    for reference in references_of_sender(sender):
        audit_case(reference, principal.actor, "story_exported", detail)
    audit(principal.actor, "story_exported", conversation_key(sender), detail)
    return name, story_yaml(name, sender_events(sender))


def _export(principal: Principal, filters: CaseQuery, include_threat: bool,
            language: str) -> str:
    rows = case_page(filters.copy(update={"page": 1}), size=100_000).rows
    for row in rows:
        audit_case(row.reference, principal.actor, "exported",
                   {"format": "csv", "threat_description": include_threat})
    audit(principal.actor, "cases_exported", None,
          {"format": "csv", "count": len(rows), "threat_description": include_threat})
    return cases_csv(rows, include_threat, language)


def _day(value: str, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidFilter(N_("{name} must be a date (YYYY-MM-DD)"), name=name) from None


def _audit_query(args: Mapping[str, Sequence[str]]) -> AuditQuery:
    """The audit trail's filters: user (an id), action (a code), dates, reference, page."""
    lists = dict(args)  # Sanic's own .get() gives the first value, not the list

    def one(name: str) -> str:
        given = lists.get(name) or [""]
        return given[0].strip()

    user, action, reference, page = one("user"), one("action"), one("reference"), one("page")
    if user and not user.isdigit():
        raise InvalidFilter(N_("user must be one of the listed people"))
    if action and not ACTION_NAME.fullmatch(action):
        raise InvalidFilter(N_("action must be one of the listed actions"))
    if reference and not REFERENCE.fullmatch(reference.upper()):
        raise InvalidFilter(N_("reference must be HRD-YYYY-NNNNN"))
    if page and (not page.isdigit() or not 1 <= int(page) <= 100_000):
        raise InvalidFilter(N_("page must be a whole number from 1"))
    date_from, date_to = _day(one("date_from"), "date_from"), _day(one("date_to"), "date_to")
    if date_from and date_to and date_from > date_to:
        raise InvalidFilter(INVERTED_RANGE, date_from=date_from.isoformat(),
                            date_to=date_to.isoformat())
    return AuditQuery(actor=f"user:{user}" if user else None, action=action or None,
                      date_from=date_from, date_to=date_to,
                      reference=reference.upper() or None, page=int(page or 1))


def _people() -> list[tuple[str, str]]:
    return sorted(((str(i), email) for i, email in people().items()), key=lambda p: p[1])


def _sort_links(request: Request, path: str, sorts: Sequence[str]) -> dict[str, str]:
    args = request.get_args(keep_blank_values=True)
    return {s: list_link(path, args, sort=s) for s in sorts}


def _pager(request: Request, path: str, listing: ListPage) -> dict[str, Any]:
    args = request.get_args(keep_blank_values=True)
    return {"listing": listing,
            "previous_link": list_link(path, args, page=listing.page - 1)
            if listing.has_previous else None,
            "next_link": list_link(path, args, page=listing.page + 1)
            if listing.has_next else None}


def _done(request: Request) -> str | None:
    done = request.args.get("done")
    return done if done in DONE else None


def review_blueprint() -> Blueprint:
    pages = Blueprint("hrd_console_review", url_prefix="/review")

    @pages.get("/cases")
    @supervisor_page
    @filtered()
    async def cases(request: Request, principal: Principal, filters: CaseQuery
                    ) -> HTTPResponse:
        listing = await asyncio.to_thread(case_page, filters)
        return render(request, "review_cases.html", rows=listing.rows,
                      filters=REVIEW.form(filters), partners=await asyncio.to_thread(partners),
                      org_names=await asyncio.to_thread(organizations),
                      outcomes=ELIGIBILITIES, priorities=PRIORITIES, statuses=CASE_STATUSES,
                      sorts=SORTS, sort=filters.sort or "urgent",
                      sort_links=_sort_links(request, "/review/cases", SORTS),
                      **_pager(request, "/review/cases", listing))

    @pages.get("/attention")
    @supervisor_page
    async def attention(request: Request, principal: Principal) -> HTTPResponse:
        rows = await asyncio.to_thread(needs_attention)
        gettext, days = translator(request_language(request)), stale_days()
        return render(request, "review_attention.html", days=days,
                      flags=await asyncio.to_thread(flag_rows), rows=[
            (row, [gettext(REASONS[key], days=days) for key in row.reasons]) for row in rows])

    @pages.post("/cases/export.csv")
    @supervisor_page
    @filtered(_form_fields)
    async def export_csv(request: Request, principal: Principal, filters: CaseQuery
                         ) -> HTTPResponse:
        include_threat = _form(request).get("include_threat") == "yes"
        body = await asyncio.to_thread(_export, principal, filters, include_threat,
                                       request_language(request))
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        return response.text(body, content_type="text/csv; charset=utf-8", headers={
            **page_headers(),
            "Content-Disposition": f'attachment; filename="hrd-cases-{stamp}.csv"'})

    @pages.get("/cases/<reference:str>")
    @supervisor_page
    async def case(request: Request, principal: Principal, reference: str) -> HTTPResponse:
        if not REFERENCE.fullmatch(reference):
            return not_found(request)
        view = await asyncio.to_thread(_view_case, principal, reference)
        if view is None:
            return not_found(request)
        confirm = request.args.get("confirm")
        return render(request, "review_case.html", error=request.args.get("error"),
                      done=_done(request),
                      confirm=confirm if confirm in view["next_statuses"] else None,
                      **view)

    @pages.post("/cases/<reference:str>/<action:str>")
    @supervisor_page
    async def act(request: Request, principal: Principal, reference: str, action: str
                  ) -> HTTPResponse:
        if not REFERENCE.fullmatch(reference):
            return not_found(request)
        form = _form(request)
        back = f"/review/cases/{reference}"
        done = action
        try:
            if action == "reviewed":
                await asyncio.to_thread(mark_reviewed, reference, principal.user_id)
            elif action == "tag":
                await asyncio.to_thread(add_tag, reference, principal.user_id,
                                        form.get("tag", ""))
                done = "tagged"
            elif action == "untag":
                await asyncio.to_thread(remove_tag, reference, principal.user_id,
                                        form.get("tag", ""))
                done = "untagged"
            elif action == "note":
                await asyncio.to_thread(add_note, reference, principal.user_id,
                                        form.get("note", ""))
                done = "noted"
            elif action == "note_edit":
                await asyncio.to_thread(edit_note, reference, principal.user_id,
                                        form.get("note_uid", ""), form.get("note", ""))
                done = "note_edited"
            elif action == "status":
                to = form.get("status", "")
                if to in FINAL and form.get("confirm") != "yes":
                    # A final status is confirmed on the next page before anything moves.
                    if to not in next_statuses(await asyncio.to_thread(_status, reference)):
                        raise TransitionNotAllowed(to)
                    return redirect(f"{back}?confirm={to}#status-title")
                await asyncio.to_thread(move_case, reference, to, actor=principal.actor)
            elif action == "undo":
                await asyncio.to_thread(undo_move, reference, actor=principal.actor)
                done = "undone"
            elif action == "admit":
                await asyncio.to_thread(admit_from_waitlist, reference, actor=principal.actor)
                done = "admitted"
            else:
                return not_found(request)
        except CaseNotFound:
            return not_found(request)
        except DoesNotFit:
            return redirect(back + "?error=nofit")
        except NotWaitlisted:
            return redirect(back + "?error=notwaitlisted")
        except TransitionNotAllowed:
            return redirect(back + ("?error=undo" if action == "undo" else "?error=transition"))
        except InvalidInput:
            return redirect(back + "?error=input")
        return redirect(f"{back}?done={done}")

    @pages.get("/conversations")
    @supervisor_page
    @filtered()
    async def conversations(request: Request, principal: Principal, filters: CaseQuery
                            ) -> HTTPResponse:
        sort = request.args.get("sort") or "recent"
        if sort not in CONVERSATION_SORTS:
            return _bad_filter(request, InvalidFilter(
                N_("{name} must be one of {allowed}"), name="sort",
                allowed=", ".join(CONVERSATION_SORTS)))
        rows, total = await asyncio.to_thread(
            functools.partial(list_conversations, filters.partner, filters.date_from,
                              filters.date_to, limit=PAGE_SIZE,
                              offset=(filters.page - 1) * PAGE_SIZE,
                              oldest_first=sort == "oldest"))
        listing = ListPage(rows, total, filters.page, PAGE_SIZE)
        now = datetime.now(UTC)
        abandoned = timedelta(days=current().review_stale_days)
        return render(request, "review_conversations.html",
                      rows=[(c, c.draft_state(now, abandoned)) for c in rows],
                      filters=REVIEW.form(filters), partners=await asyncio.to_thread(partners),
                      sort=sort, days=current().review_stale_days,
                      sort_links=_sort_links(request, "/review/conversations",
                                             CONVERSATION_SORTS),
                      **_pager(request, "/review/conversations", listing))

    @pages.get("/conversations/<conversation_id:int>")
    @supervisor_page
    async def transcript(request: Request, principal: Principal, conversation_id: int
                         ) -> HTTPResponse:
        if not 0 < conversation_id <= MAX_ROW_ID:
            return not_found(request)
        view = await asyncio.to_thread(_transcript, principal, conversation_id)
        if view is None:
            return not_found(request)
        return render(request, "review_transcript.html", **view)

    @pages.post("/conversations/<conversation_id:int>/story.yml")
    @supervisor_page
    async def story(request: Request, principal: Principal, conversation_id: int) -> HTTPResponse:
        if not 0 < conversation_id <= MAX_ROW_ID:
            return not_found(request)
        exported = await asyncio.to_thread(_story, principal, conversation_id)
        if exported is None:
            return not_found(request)
        _, text = exported
        return response.text(text, content_type="application/x-yaml; charset=utf-8", headers={
            **page_headers(),
            "Content-Disposition":
                f'attachment; filename="conversation-{conversation_id}-story.yml"'})

    @pages.get("/audit")
    @supervisor_page
    async def audit_trail(request: Request, principal: Principal) -> HTTPResponse:
        args = request.get_args(keep_blank_values=True)
        try:
            query = _audit_query(args)
        except InvalidFilter as error:
            return _bad_filter(request, error)
        listing = await asyncio.to_thread(audit_page, query)
        language = request_language(request)
        numbers = await asyncio.to_thread(conversation_numbers)
        entries = [(e, action_label(e.action, language), target_text(e.target, numbers,
                                                                       language),
                    detail_text(e.detail, language)) for e in listing.rows]
        actions = await asyncio.to_thread(known_actions)
        form = {name: (args[name][0] if args.get(name) else "") for name in
                ("user", "action", "date_from", "date_to", "reference")}
        return render(request, "review_audit.html", entries=entries, filters=form,
                      people=await asyncio.to_thread(_people),
                      actions=[(a, action_label(a, language)) for a in actions],
                      **_pager(request, "/review/audit", listing))

    @pages.post("/audit/export.csv")
    @supervisor_page
    async def audit_export(request: Request, principal: Principal) -> HTTPResponse:
        try:
            query = _audit_query(request.form or {})
        except InvalidFilter as error:
            return _bad_filter(request, error)
        body, count = await asyncio.to_thread(audit_csv, query, request_language(request))
        await asyncio.to_thread(audit, principal.actor, "audit_exported", None,
                                {"format": "csv", "count": count})
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        return response.text(body, content_type="text/csv; charset=utf-8", headers={
            **page_headers(),
            "Content-Disposition": f'attachment; filename="hrd-audit-{stamp}.csv"'})

    return pages


def _status(reference: str) -> str:
    record = get_case(reference)
    if record is None:
        raise CaseNotFound(reference)
    return record.status
