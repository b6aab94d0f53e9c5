"""Drafts a caseworker flagged by asking for a person (issue 20), newest first, with the
reason and the question they were at, linked to the conversation. They head the needs-
attention page (review/pages.py), where a supervisor marks them handled."""

from __future__ import annotations

import asyncio
from typing import Any

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.access.auth import Principal
from bot.console.auth.guards import not_found, supervisor_page
from bot.console.review.transcripts import conversation_of_sender
from bot.console.web.audit import audit
from bot.console.web.rendering import redirect
from bot.store.attention import open_flags, resolve_flag

ATTENTION_PATH = "/review/attention"


def flag_rows() -> list[dict[str, Any]]:
    return [{"flag": flag, "conversation": conversation_of_sender(flag.sender_id)}
            for flag in open_flags()]


def attention_blueprint() -> Blueprint:
    pages = Blueprint("hrd_console_attention")

    @pages.post(ATTENTION_PATH + "/<flag_id:int>/resolved")
    @supervisor_page
    async def resolved(request: Request, principal: Principal, flag_id: int) -> HTTPResponse:
        if not await asyncio.to_thread(resolve_flag, flag_id):
            return not_found(request)
        await asyncio.to_thread(audit, principal.actor, "attention_resolved", str(flag_id))
        return redirect(ATTENTION_PATH)

    return pages
