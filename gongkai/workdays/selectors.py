"""The platform's working-day calendar: bundled data plus the administrators' table."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max
from django.utils import timezone

from gongkai.workdays.bundled import BUNDLED_SOURCE, bundled_calendar
from gongkai.workdays.calendar import DayRule, WorkCalendar
from gongkai.workdays.models import CalendarDay, ConfirmedYear

_memo: dict[tuple, WorkCalendar] = {}


def _version() -> tuple:
    days = CalendarDay.objects.aggregate(n=Count("pk"), latest=Max("updated_at"))
    years = ConfirmedYear.objects.aggregate(n=Count("pk"), latest=Max("confirmed_at"))
    return (days["n"], days["latest"], years["n"], years["latest"])


def calendar_from_table() -> WorkCalendar:
    """The bundled data with the administrators' table as it is now (not memoised)."""
    rules = [
        DayRule(day=row.day, is_workday=row.kind == CalendarDay.Kind.WORKDAY, name=row.name)
        for row in CalendarDay.objects.all()
    ]
    years = ConfirmedYear.objects.values_list("year", flat=True)
    return bundled_calendar().with_rules(rules, confirmed_years=years)


def current_calendar() -> WorkCalendar:
    """Built once per change of the table (two cheap aggregate queries to know)."""
    version = _version()
    calendar = _memo.get(version)
    if calendar is None:
        calendar = calendar_from_table()
        _memo.clear()
        _memo[version] = calendar
    return calendar


def forget_calendar() -> None:
    """Drop the memoised calendar (after a change whose version could look unchanged)."""
    _memo.clear()


@dataclass(frozen=True)
class YearStatus:
    year: int
    confirmed: bool
    source: str
    holidays: int
    adjusted_workdays: int


def year_statuses(*, around: int | None = None) -> list[YearStatus]:
    """Confirmed years, newest first, plus next year when it is not yet confirmed."""
    calendar = current_calendar()
    this_year = around or timezone.localdate().year
    entered = {row.year: row.source for row in ConfirmedYear.objects.all()}
    years = sorted(set(calendar.confirmed_years()) | {this_year, this_year + 1}, reverse=True)
    result = []
    for year in years:
        rules = calendar.day_rules(year)
        result.append(
            YearStatus(
                year=year,
                confirmed=calendar.is_confirmed(year),
                source=entered.get(year) or (BUNDLED_SOURCE if calendar.is_confirmed(year) else ""),
                holidays=sum(1 for r in rules if not r.is_workday),
                adjusted_workdays=sum(1 for r in rules if r.is_workday),
            )
        )
    return result


def next_year_reminder(today: datetime.date | None = None) -> str | None:
    """From 1 November, remind administrators when next year's holidays are still unconfirmed."""
    today = today or timezone.localdate()
    if today.month < 11 or current_calendar().is_confirmed(today.year + 1):
        return None
    return (
        f"{today.year + 1}年节假日安排尚未录入。国务院办公厅发布通知后，请及时导入，"
        f"否则跨入{today.year + 1}年的期限只能按周一至周五推算。"
    )
