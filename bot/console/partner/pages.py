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
from bot.access.drafts import open_drafts, resume_draft
from bot.access.web import json_error, json_response
from bot.access.widget_tokens import (
    current_sender,
    issue_token,
    new_sender,
    owns_sender,
    sender_prefix,
)
from bot.config import console_settings
from bot.console.api.cases import REFERENCE
from bot.console.auth.guards import SUPERVISOR_ROLES, not_found, requires
from bot.console.i18n.language import request_language
from bot.console.partner.case_list import own_cases
from bot.console.partner.chat_view import chat_view
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


def partner_blueprint() -> Blueprint:
    pages = Blueprint("hrd_console_partner")

    @pages.get("/chat")
    @requires(*PARTNER)
    async def chat(request: Request, principal: Principal) -> HTTPResponse:
        sender = await asyncio.to_thread(current_sender, principal.user_id)
        # History comes from the encrypted tracker store, rendered (escaped) on the server.
        events = await asyncio.to_thread(sender_events, sender)
        view = chat_view(events, chat_messages(events))
        drafts = [d for d in await asyncio.to_thread(
            open_drafts, principal.user_id, sender_prefix(principal.user_id))
            if d.sender_id != sender]
        return render(request, "chat.html", history=view.messages, progress=view.progress,
                      sender=sender, drafts=drafts, rasa_url=console_settings().rasa_public_url)

    @pages.post("/chat/new")
    @requires(*PARTNER)
    async def new_chat(request: Request, principal: Principal) -> HTTPResponse:
        """A new conversation; when the current one is a draft in progress, only after the
        user has said so (confirm=yes), and the draft stays listed to resume."""
        confirmed = (request.form or {}).get("confirm") == "yes"
        if not confirmed:
            sender = await asyncio.to_thread(current_sender, principal.user_id)
            drafts = await asyncio.to_thread(open_drafts, principal.user_id,
                                             sender_prefix(principal.user_id))
            draft = next((d for d in drafts if d.sender_id == sender), None)
            if draft is not None:
                return render(request, "chat_new.html", draft=draft)
        await asyncio.to_thread(new_sender, principal.user_id)
        return redirect("/chat")

    @pages.post("/chat/resume")
    @requires(*PARTNER)
    async def resume_chat(request: Request, principal: Principal) -> HTTPResponse:
        """Back to one of the user's own drafts in progress (any other sender is a 404)."""
        sender = str((request.form or {}).get("draft") or "")[:64]
        if not await asyncio.to_thread(resume_draft, principal.user_id,
                                       sender_prefix(principal.user_id), sender):
            return not_found(request)
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
        return render(request, "partner_cases.html", **await asyncio.to_thread(
            own_cases, principal, request.get_args(keep_blank_values=True)))

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
