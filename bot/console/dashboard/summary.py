"""The supervisors' dashboard: per year, spaces used and left against the cap that governs
it and the waitlist (stream-policy.md, "Capacity"), and this year's cases by outcome,
urgency, priority factor and partner, and Urgent Protection Program cases by month.
"This year" is Ottawa's (America/Toronto), as everywhere in the product."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import urlencode

from bot.console.api.query import CaseQuery
from bot.console.dashboard.charts import Chart
from bot.console.i18n.catalog import N_, translator
from bot.console.i18n.formats import month_abbreviation
from bot.console.i18n.labels import code_label
from bot.console.review.names import organization_name
from bot.console.review.queries import find_cases
from bot.rules import ottawa_date
from bot.store import YearCapacity, capacity_by_year


@dataclass(frozen=True)
class Dashboard:
    year: int
    cap: int
    policy_version: str
    used: int
    charts: list[Chart]
    # This year first, then every year with cases, newest first.
    years: list[YearCapacity]

    @property
    def left(self) -> int:
        return max(self.cap - self.used, 0)

    @property
    def used_percent(self) -> int:
        return min(100, round(100 * self.used / self.cap)) if self.cap else 100


def _case_link(year: int, **filters: str) -> str:
    """The review list filtered to one bar of a chart, within the chart's year."""
    values = {"date_from": f"{year:04d}-01-01", "date_to": f"{year:04d}-12-31", **filters}
    return "/review/cases?" + urlencode(values)


def available_years(today: date | None = None) -> list[int]:
    return [y.year for y in capacity_by_year(today=today or ottawa_date(datetime.now(UTC)))]


def build_dashboard(today: date | None = None, year: int | None = None) -> Dashboard:
    """The dashboard of `year` (this Ottawa year unless given; the caller checks it is one
    of available_years)."""
    today = today or ottawa_date(datetime.now(UTC))
    years = capacity_by_year(today=today)
    year = year or today.year
    this_year = next((y for y in years if y.year == year), None) or next(
        y for y in years if y.year == today.year)
    year = this_year.year
    rows = find_cases(CaseQuery(date_from=date(year, 1, 1), date_to=date(year, 12, 31)),
                      limit=100_000)
    outcome = Counter(r.eligibility for r in rows)
    urgency = Counter("urgent" if r.urgent else "not_urgent" for r in rows)
    factors = Counter(f for r in rows for f in r.priority_factors)
    partner = Counter(r.partner_org for r in rows)
    upp = Counter(ottawa_date(r.submitted_at).month for r in rows
                  if r.pathway == "urgent_protection")
    outcomes = sorted(outcome.items())
    urgencies = sorted(urgency.items())
    partners = sorted(partner.items())
    charts = [
        Chart(N_("Cases by outcome"), outcomes, "eligibility",
              [_case_link(year, outcome=code) for code, _ in outcomes]),
        Chart(N_("Cases by urgency"), urgencies, "urgency",
              [_case_link(year, urgent="yes" if code == "urgent" else "no")
               for code, _ in urgencies]),
        Chart(N_("Cases by priority factor"), sorted(factors.items()), "priority_factor"),
        Chart(N_("Cases by partner"), partners, "partner",
              [_case_link(year, partner=code) for code, _ in partners]),
        Chart(N_("Urgent Protection Program cases by month"),
              [(m, upp.get(m, 0)) for m in range(1, 13)], "month"),
    ]
    return Dashboard(year=year, cap=this_year.cap,
                     policy_version=this_year.policy_version,
                     used=this_year.used, charts=charts, years=years)


def localized_chart(chart: Chart, language: str) -> Chart:
    """The chart with its title and bar labels in the page's language."""
    gettext = translator(language)
    if chart.kind == "month":
        bars = [(month_abbreviation(int(m), language), v) for m, v in chart.bars]
    elif chart.kind == "partner":
        bars = [(organization_name(code), v) for code, v in chart.bars]
    else:
        bars = [(code_label(chart.kind, code, language), v) for code, v in chart.bars]
    return Chart(gettext(chart.title), bars, chart.kind, chart.links)

