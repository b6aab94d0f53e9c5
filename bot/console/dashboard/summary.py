"""The supervisors' dashboard: per year, spaces used and left against the cap that governs
it and the waitlist (stream-policy.md, "Capacity"), and this year's cases by outcome,
urgency, priority factor and partner, and Urgent Protection Program cases by month.
"This year" is Ottawa's (America/Toronto), as everywhere in the product."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime

from bot.console.api.query import CaseQuery
from bot.console.dashboard.charts import Chart
from bot.console.i18n.catalog import N_, translator
from bot.console.i18n.formats import month_abbreviation
from bot.console.i18n.labels import code_label
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


def build_dashboard(today: date | None = None) -> Dashboard:
    today = today or ottawa_date(datetime.now(UTC))
    years = capacity_by_year(today=today)
    this_year = next(y for y in years if y.year == today.year)
    rows = find_cases(CaseQuery(date_from=date(today.year, 1, 1),
                                    date_to=date(today.year, 12, 31)), limit=100_000)
    outcome = Counter(r.eligibility for r in rows)
    urgency = Counter("urgent" if r.urgent else "not_urgent" for r in rows)
    factors = Counter(f for r in rows for f in r.priority_factors)
    partner = Counter(r.partner_org for r in rows)
    upp = Counter(ottawa_date(r.submitted_at).month for r in rows
                  if r.pathway == "urgent_protection")
    charts = [
        Chart(N_("Cases by outcome"), sorted(outcome.items()), "eligibility"),
        Chart(N_("Cases by urgency"), sorted(urgency.items()), "urgency"),
        Chart(N_("Cases by priority factor"), sorted(factors.items()), "priority_factor"),
        Chart(N_("Cases by partner"), sorted(partner.items()), "partner"),
        Chart(N_("Urgent Protection Program cases by month"),
              [(m, upp.get(m, 0)) for m in range(1, 13)], "month"),
    ]
    return Dashboard(year=today.year, cap=this_year.cap,
                     policy_version=this_year.policy_version,
                     used=this_year.used, charts=charts, years=years)


def localized_chart(chart: Chart, language: str) -> Chart:
    """The chart with its title and bar labels in the page's language."""
    gettext = translator(language)
    if chart.kind == "month":
        bars = [(month_abbreviation(int(m), language), v) for m, v in chart.bars]
    else:
        bars = [(code_label(chart.kind, code, language), v) for code, v in chart.bars]
    return Chart(gettext(chart.title), bars, chart.kind)

