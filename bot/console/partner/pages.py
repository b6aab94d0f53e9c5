"""Partner staff: the chat widget page, their organization's cases, and a case page.
Another organization's case is a 404, exactly like a missing one (and the attempt is
kept in that case's audit trail)."""

from __future__ import annotations

import asyncio
from typing import Any

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.access.auth import Principal
from bot.access.web import json_error, json_response
from bot.access.widget_tokens import current_sender, issue_token, new_sender, owns_sender
from bot.config import console_settings
from bot.console.api.cases import REFERENCE
from bot.console.api.query import CaseQuery
from bot.console.auth.guards import SUPERVISOR_ROLES, not_found, requires
from bot.console.i18n.language import request_language
from bot.console.review.queries import find_cases
from bot.console.review.transcripts import chat_messages, sender_events
from bot.console.web.audit import audit_case
from bot.console.web.rendering import redirect, render
from bot.intake.questions import FORM_SLOTS
from bot.store import get_case

PARTNER = ("partner",)


def _no_chat(request: Request) -> HTTPResponse:
    return json_error(403, "forbidden", "Sign in as partner staff to chat.")


def _case_for(principal: Principal, reference: str) -> Any:
    case = get_case(reference)
    if case is None:
        return None
    if case.partner_org != principal.org_id:
        audit_case(reference, principal.actor, "view_denied")
        return None
    audit_case(reference, principal.actor, "viewed")
    return case


def _own_cases(principal: Principal) -> list[Any]:
    rows = find_cases(CaseQuery(), partner=principal.org_id)
    for row in rows:
        audit_case(row.reference, principal.actor, "listed")
    return rows


def partner_blueprint() -> Blueprint:
    pages = Blueprint("hrd_console_partner")

    @pages.get("/chat")
    @requires(*PARTNER)
    async def chat(request: Request, principal: Principal) -> HTTPResponse:
        sender = await asyncio.to_thread(current_sender, principal.user_id)
        # History comes from the encrypted tracker store, rendered (escaped) on the server.
        history = chat_messages(await asyncio.to_thread(sender_events, sender))
        return render(request, "chat.html", history=history, sender=sender,
                      rasa_url=console_settings().rasa_public_url)

    @pages.post("/chat/new")
    @requires(*PARTNER)
    async def new_chat(request: Request, principal: Principal) -> HTTPResponse:
        await asyncio.to_thread(new_sender, principal.user_id)
        return redirect("/chat")

    @pages.post("/chat/token")
    @requires(*PARTNER, refusal=_no_chat)
    async def chat_token(request: Request, principal: Principal) -> HTTPResponse:
        """A fresh widget token for the page's conversation (the socket asks on every
        (re)connection; CSRF header checked by the middleware)."""
        sender = (request.form or {}).get("sender") or ""
        if not await asyncio.to_thread(owns_sender, principal.user_id, sender):
            return json_error(403, "forbidden", "This conversation is not yours.")
        # The assistant starts in the console's current language (the user's preference,
        # else the browser's); it may switch later if the user writes in the other one.
        token, lifetime = issue_token(principal, sender, request_language(request))
        return json_response({"token": token, "sender": sender, "expires_in": lifetime})

    @pages.get("/cases")
    @requires()
    async def cases(request: Request, principal: Principal) -> HTTPResponse:
        if principal.role in SUPERVISOR_ROLES:
            return redirect("/review/cases")
        rows = await asyncio.to_thread(_own_cases, principal)
        return render(request, "partner_cases.html", rows=rows)

    @pages.get("/cases/<reference:str>")
    @requires()
    async def case(request: Request, principal: Principal, reference: str) -> HTTPResponse:
        if principal.role in SUPERVISOR_ROLES:
            return redirect(f"/review/cases/{reference}" if REFERENCE.fullmatch(reference)
                            else "/review/cases")
        if not REFERENCE.fullmatch(reference):
            return not_found(request)
        record = await asyncio.to_thread(_case_for, principal, reference)
        if record is None:
            return not_found(request)
        return render(request, "partner_case.html", case=record,
                      answers=[(s, record.answers.get(s)) for s in FORM_SLOTS
                               if s in record.answers])

    return pages
