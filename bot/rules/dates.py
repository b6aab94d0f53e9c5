"""Ottawa dates (stream-policy.md, "Capacity"): a decision's date, the policy version in
force and the calendar year of a reference and of the cap are all taken in America/Toronto,
everywhere in the product, whatever the server's or the sender's time zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

# The system's tz database (or the tzdata package) provides it; failing at import is
# better than silently counting in UTC.
OTTAWA = ZoneInfo("America/Toronto")


def ottawa_date(moment: dt.date | dt.datetime) -> dt.date:
    """The Ottawa calendar date of an aware datetime; a date is taken as already Ottawa's.
    A naive datetime is refused: its zone (server's? UTC?) would be a guess."""
    if isinstance(moment, dt.datetime):
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError("naive datetime: pass an aware datetime (or an Ottawa date)")
        return moment.astimezone(OTTAWA).date()
    if isinstance(moment, dt.date):
        return moment
    raise TypeError(f"expected a date or datetime, got {type(moment).__name__}")


def ottawa_year(moment: dt.date | dt.datetime) -> int:
    return ottawa_date(moment).year
