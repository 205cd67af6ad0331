"""Changing the working-day calendar. Every change is audited, and the records that follow the
calendar (open requests' deadlines) are told of it in the same transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from django.db import models, transaction

from gongkai.audit.services import audit_record
from gongkai.workdays.bundled import parse_notice_csv
from gongkai.workdays.calendar import WorkCalendar
from gongkai.workdays.models import CalendarDay, ConfirmedYear
from gongkai.workdays.selectors import calendar_from_table, forget_calendar

if TYPE_CHECKING:  # the user model sits in a higher layer (docs/architecture.md, "Layers")
    from gongkai.organisation.models import User


class CalendarListener(Protocol):
    """Told of every calendar change. Higher apps register in their AppConfig.ready() (this lower
    app never imports them); a listener runs inside the changing transaction, so its records and
    the change commit or fail together. ``actor`` is None for a change made by a command. What it
    returns is ignored."""

    def __call__(
        self, *, actor: User | None, before: WorkCalendar, after: WorkCalendar, reason: str
    ) -> object: ...


_listeners: list[CalendarListener] = []


def on_calendar_change(listener: CalendarListener) -> CalendarListener:
    """Register ``listener`` to run after every calendar change, in its transaction."""
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def _tell_listeners(*, actor: User | None, before: WorkCalendar, reason: str) -> None:
    forget_calendar()
    after = calendar_from_table()
    for listener in _listeners:
        listener(actor=actor, before=before, after=after, reason=reason)


class CalendarImportError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _calendar_changed(*, actor: User | None, years: list[int], target: models.Model, summary: str) -> None:
    """Deadlines are computed from the calendar on every read, so open cases follow the new
    calendar at once; the change is recorded with the years it affects."""
    audit_record(
        actor=actor,
        action="calendar_changed",
        target=target,
        comment=summary,
        data={"years": years, "recomputed": "deadlines are derived on read"},
    )


@transaction.atomic
def calendar_import_notice(*, actor: User | None, text: str, source: str = "") -> tuple[int, int]:
    """Replace one year's holidays and adjusted working days with the State Council notice's.
    ``actor`` is None when an operator imports from the command line. Returns (year, days)."""
    try:
        year, rules = parse_notice_csv(text)
    except ValueError as exc:
        raise CalendarImportError(str(exc)) from exc
    before = calendar_from_table()
    deleted, _ = CalendarDay.objects.filter(day__year=year).delete()
    CalendarDay.objects.bulk_create(
        CalendarDay(
            day=rule.day,
            kind=CalendarDay.Kind.WORKDAY if rule.is_workday else CalendarDay.Kind.HOLIDAY,
            name=rule.name,
            source=source,
            updated_by=actor,
        )
        for rule in rules
    )
    confirmed, _ = ConfirmedYear.objects.update_or_create(
        year=year, defaults={"source": source, "confirmed_by": actor}
    )
    summary = f"导入{year}年节假日安排：{len(rules)}天（替换原有{deleted}天）。{source}".strip()
    _calendar_changed(actor=actor, years=[year], target=confirmed, summary=summary)
    _tell_listeners(actor=actor, before=before, reason=f"导入{year}年节假日安排")
    return year, len(rules)


@transaction.atomic
def calendar_day_save(*, actor: User, day: CalendarDay) -> CalendarDay:
    """An administrator adds or corrects one day; its year becomes confirmed."""
    before = calendar_from_table()
    day.updated_by = actor
    day.save()
    ConfirmedYear.objects.get_or_create(
        year=day.day.year, defaults={"source": day.source, "confirmed_by": day.updated_by}
    )
    _calendar_changed(actor=actor, years=[day.day.year], target=day, summary=f"设置 {day}")
    _tell_listeners(actor=actor, before=before, reason=f"设置 {day}")
    return day


@transaction.atomic
def calendar_day_delete(*, actor: User, day: CalendarDay) -> None:
    label, year = str(day), day.day.year
    before = calendar_from_table()
    _calendar_changed(actor=actor, years=[year], target=day, summary=f"删除 {label}")
    day.delete()
    _tell_listeners(actor=actor, before=before, reason=f"删除 {label}")
