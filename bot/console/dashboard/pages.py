"""The supervisors' dashboard page, /review/dashboard (beside the review pages it links)."""

from __future__ import annotations

import asyncio

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.access.auth import Principal
from bot.console.auth.guards import supervisor_page
from bot.console.dashboard.charts import bar_chart_svg
from bot.console.dashboard.summary import build_dashboard, localized_chart
from bot.console.i18n.language import request_language
from bot.console.web.audit import audit
from bot.console.web.rendering import render


def dashboard_blueprint() -> Blueprint:
    pages = Blueprint("hrd_console_dashboard", url_prefix="/review")

    @pages.get("/dashboard")
    @supervisor_page
    async def dashboard(request: Request, principal: Principal) -> HTTPResponse:
        board = await asyncio.to_thread(build_dashboard)
        await asyncio.to_thread(audit, principal.actor, "dashboard_viewed")
        language = request_language(request)
        charts = [localized_chart(chart, language) for chart in board.charts]
        charts = [(chart, bar_chart_svg(chart, f"chart{i}", language))
                  for i, chart in enumerate(charts)]
        return render(request, "dashboard.html", board=board, charts=charts)

    return pages
