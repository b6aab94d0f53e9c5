"""Dates and numbers as the page's language writes them (Babel, en_CA / fr_CA, from the
locale data bundled with Babel): "Nov 28, 2026" / "28 nov. 2026", "1,250" / "1 250".
Times are shown in UTC, as the pages say.

The Jinja filters read the page's language from the template context (`language`, set by
bot.console.web.rendering.render), so templates write `{{ case.submitted_at|format_date }}`."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from babel.dates import format_date as babel_date
from babel.dates import format_time as babel_time
from babel.dates import get_datetime_format, get_month_names
from babel.numbers import format_decimal, format_percent
from jinja2 import Environment, pass_context
from jinja2.runtime import Context

from bot.console.i18n.catalog import BABEL_LOCALES, DEFAULT_LANGUAGE


def babel_locale(language: str) -> str:
    return BABEL_LOCALES.get(language, BABEL_LOCALES[DEFAULT_LANGUAGE])


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def local_date(value: date | datetime, language: str, width: str = "medium") -> str:
    if isinstance(value, datetime):
        value = _utc(value).date()
    return babel_date(value, width, locale=babel_locale(language))


def local_datetime(value: datetime, language: str, seconds: bool = False) -> str:
    """The date (medium) and the time in UTC: "Nov 28, 2026, 11:09 p.m." /
    "28 nov. 2026, 23 h 09"."""
    locale = babel_locale(language)
    value = _utc(value)
    time_text = babel_time(value, "medium" if seconds else "short", tzinfo=UTC, locale=locale)
    return get_datetime_format("medium", locale=locale).format(
        time_text, babel_date(value.date(), "medium", locale=locale))


def local_number(value: int | float, language: str) -> str:
    return format_decimal(value, locale=babel_locale(language))


def local_percent(fraction: float, language: str) -> str:
    """0.42 -> "42%" / "42 %"."""
    return format_percent(fraction, locale=babel_locale(language))


def month_abbreviation(month: int, language: str) -> str:
    return str(get_month_names("abbreviated", locale=babel_locale(language))[month])


def _language(context: Context) -> str:
    return str(context.get("language") or DEFAULT_LANGUAGE)


@pass_context
def format_date_filter(context: Context, value: Any) -> str:
    return local_date(value, _language(context)) if value else "–"


@pass_context
def format_datetime_filter(context: Context, value: Any, seconds: bool = False) -> str:
    return local_datetime(value, _language(context), seconds) if value else "–"


@pass_context
def format_number_filter(context: Context, value: Any) -> str:
    return local_number(value, _language(context))


@pass_context
def format_percent_filter(context: Context, value: Any) -> str:
    return local_percent(value, _language(context))


def install_filters(env: Environment) -> None:
    env.filters.update(format_date=format_date_filter, format_datetime=format_datetime_filter,
                       format_number=format_number_filter, format_percent=format_percent_filter)
