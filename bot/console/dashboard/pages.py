"""The supervisors' dashboard page, /review/dashboard (beside the review pages it links):
one year at a time (?year=YYYY, one of the years with cases or this one)."""

from __future__ import annotations

import asyncio
import re

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.access.auth import Principal
from bot.console.auth.guards import supervisor_page
from bot.console.dashboard.charts import bar_chart_svg
from bot.console.dashboard.summary import available_years, build_dashboard, localized_chart
from bot.console.i18n.catalog import N_
from bot.console.i18n.language import request_language
from bot.console.web.audit import audit
from bot.console.web.rendering import render


def dashboard_blueprint() -> Blueprint:
    pages = Blueprint("hrd_console_dashboard", url_prefix="/review")

    @pages.get("/dashboard")
    @supervisor_page
    async def dashboard(request: Request, principal: Principal) -> HTTPResponse:
        years = await asyncio.to_thread(available_years)
        given = (request.args.get("year") or "").strip()
        if given and (not re.fullmatch(r"\d{4}", given) or int(given) not in years):
            return render(request, "error.html", status=400, title=N_("Invalid filter"),
                          message=N_("year must be one of the years listed on the dashboard"),
                          back="/review/dashboard")
        board = await asyncio.to_thread(build_dashboard, None, int(given) if given else None)
        await asyncio.to_thread(audit, principal.actor, "dashboard_viewed")
        language = request_language(request)
        charts = [localized_chart(chart, language) for chart in board.charts]
        charts = [(chart, bar_chart_svg(chart, f"chart{i}", language))
                  for i, chart in enumerate(charts)]
        return render(request, "dashboard.html", board=board, charts=charts, years=years)

    return pages
