"""Typed reading of query-string and form parameters: a malformed value is None, never a 500."""

import datetime

# Years a publication date can have on this platform (filters, archives); outside them a year
# filter is ignored: Python dates end at 9999, and a year-1 boundary in Beijing time overflows.
YEAR_MIN = 1900
YEAR_MAX = 2100
ID_MAX = 2**63 - 1  # the largest primary key either database can hold (BigAutoField)


def int_param(value: str | None, *, low: int = 1, high: int = ID_MAX) -> int | None:
    """``value`` as an int within [low, high], else None (not a number, empty, out of range)."""
    try:
        number = int(value) if value is not None and str(value).strip() else None
    except (TypeError, ValueError):
        return None
    return number if number is not None and low <= number <= high else None


def year_param(value: str | None) -> int | None:
    return int_param(value, low=YEAR_MIN, high=YEAR_MAX)


def date_param(value: str | None) -> datetime.date | None:
    """An ISO date (YYYY-MM-DD) within the platform's years, else None."""
    try:
        day = datetime.date.fromisoformat(value.strip()) if value and value.strip() else None
    except (TypeError, ValueError):
        return None
    return day if day is not None and YEAR_MIN <= day.year <= YEAR_MAX else None
