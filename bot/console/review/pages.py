"""Supervisors and admins: cases and conversations with filters, the case page with its
transcript and review actions, exports and the audit trail. Every view and every change is
audited before the response leaves."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.access.auth import Principal
from bot.console.api.cases import REFERENCE
from bot.console.api.query import PRIORITIES, REVIEW, CaseQuery, InvalidFilter
from bot.console.auth.guards import not_found, supervisor_page
from bot.console.i18n.catalog import N_
from bot.console.review.csv_export import cases_csv
from bot.console.review.queries import find_cases, partners
from bot.console.review.reviews import InvalidInput, add_note, add_tag, mark_reviewed, review_state
from bot.console.review.story_export import story_yaml
from bot.console.review.transcripts import (
    chat_messages,
    conversation_of_sender,
    conversation_sender,
    list_conversations,
    references_of_sender,
    sender_events,
)
from bot.console.review.transitions import TransitionNotAllowed, move_case, next_statuses
from bot.console.web.audit import audit, audit_case, audit_entries, conversation_key
from bot.console.web.rendering import page_headers, redirect, render
from bot.intake.questions import ACTIVITY_DESCRIPTION, FORM_SLOTS
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
                  message=error.message)


def _view_case(principal: Principal, reference: str) -> dict[str, Any] | None:
    record = get_case(reference)
    if record is None:
        return None
    audit_case(reference, principal.actor, "viewed")
    return {"case": record, "review": review_state(reference),
            "answers": [(s, record.answers.get(s)) for s in (*FORM_SLOTS, ACTIVITY_DESCRIPTION)
                        if s in record.answers],
            "next_statuses": next_statuses(record.status),
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


def _export(principal: Principal, filters: CaseQuery, include_threat: bool) -> str:
    rows = find_cases(filters)
    for row in rows:
        audit_case(row.reference, principal.actor, "exported",
                   {"format": "csv", "threat_description": include_threat})
    audit(principal.actor, "cases_exported", None,
          {"format": "csv", "count": len(rows), "threat_description": include_threat})
    return cases_csv(rows, include_threat)


def review_blueprint() -> Blueprint:
    pages = Blueprint("hrd_console_review", url_prefix="/review")

    @pages.get("/cases")
    @supervisor_page
    @filtered()
    async def cases(request: Request, principal: Principal, filters: CaseQuery
                    ) -> HTTPResponse:
        rows = await asyncio.to_thread(find_cases, filters)
        return render(request, "review_cases.html", rows=rows, filters=REVIEW.form(filters),
                      partners=await asyncio.to_thread(partners), outcomes=ELIGIBILITIES,
                      priorities=PRIORITIES, statuses=CASE_STATUSES)

    @pages.post("/cases/export.csv")
    @supervisor_page
    @filtered(_form_fields)
    async def export_csv(request: Request, principal: Principal, filters: CaseQuery
                         ) -> HTTPResponse:
        include_threat = _form(request).get("include_threat") == "yes"
        body = await asyncio.to_thread(_export, principal, filters, include_threat)
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
        return render(request, "review_case.html", error=request.args.get("error"), **view)

    @pages.post("/cases/<reference:str>/<action:str>")
    @supervisor_page
    async def act(request: Request, principal: Principal, reference: str, action: str
                  ) -> HTTPResponse:
        if not REFERENCE.fullmatch(reference):
            return not_found(request)
        form = _form(request)
        back = f"/review/cases/{reference}"
        try:
            if action == "reviewed":
                await asyncio.to_thread(mark_reviewed, reference, principal.user_id)
            elif action == "tag":
                await asyncio.to_thread(add_tag, reference, principal.user_id,
                                        form.get("tag", ""))
            elif action == "note":
                await asyncio.to_thread(add_note, reference, principal.user_id,
                                        form.get("note", ""))
            elif action == "status":
                await asyncio.to_thread(move_case, reference, form.get("status", ""),
                                        actor=principal.actor)
            elif action == "admit":
                await asyncio.to_thread(admit_from_waitlist, reference, actor=principal.actor)
            else:
                return not_found(request)
        except CaseNotFound:
            return not_found(request)
        except DoesNotFit:
            return redirect(back + "?error=nofit")
        except NotWaitlisted:
            return redirect(back + "?error=notwaitlisted")
        except TransitionNotAllowed:
            return redirect(back + "?error=transition")
        except InvalidInput:
            return redirect(back + "?error=input")
        return redirect(back)

    @pages.get("/conversations")
    @supervisor_page
    @filtered()
    async def conversations(request: Request, principal: Principal, filters: CaseQuery
                            ) -> HTTPResponse:
        rows = await asyncio.to_thread(list_conversations, filters.partner, filters.date_from,
                                       filters.date_to)
        return render(request, "review_conversations.html", rows=rows,
                      filters=REVIEW.form(filters), partners=await asyncio.to_thread(partners))

    @pages.get("/conversations/<conversation_id:int>")
    @supervisor_page
    async def transcript(request: Request, principal: Principal, conversation_id: int
                         ) -> HTTPResponse:
        view = await asyncio.to_thread(_transcript, principal, conversation_id)
        if view is None:
            return not_found(request)
        return render(request, "review_transcript.html", **view)

    @pages.post("/conversations/<conversation_id:int>/story.yml")
    @supervisor_page
    async def story(request: Request, principal: Principal, conversation_id: int) -> HTTPResponse:
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
    async def audit_page(request: Request, principal: Principal) -> HTTPResponse:
        reference = request.args.get("reference") or None
        if reference and not REFERENCE.fullmatch(reference):
            return _bad_filter(request, InvalidFilter(N_("reference must be HRD-YYYY-NNNNN")))
        entries = await asyncio.to_thread(audit_entries, reference)
        return render(request, "review_audit.html", entries=entries, reference=reference or "")

    return pages
