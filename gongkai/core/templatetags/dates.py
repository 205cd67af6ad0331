"""The one way staff pages show a date: 2026年11月30日 (and a time as 2026年11月30日 14:05).

Form inputs of type ``date`` keep the ISO value the browser needs (``|date:'Y-m-d'``); every date
shown to a reader goes through ``day`` (a date, or a moment shown as its Beijing date) or
``moment`` (a moment with its Beijing time), so a page never mixes two formats.
"""

import datetime

from django import template
from django.utils import timezone

register = template.Library()


def _local(value: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


@register.filter
def day(value: object) -> str:
    """``2026年11月30日``; "" for nothing."""
    if isinstance(value, datetime.datetime):
        value = _local(value).date()
    if not isinstance(value, datetime.date):
        return "" if value in (None, "") else str(value)
    return f"{value.year}年{value.month}月{value.day}日"


@register.filter
def moment(value: object) -> str:
    """``2026年11月30日 14:05`` (Beijing time); "" for nothing."""
    if not isinstance(value, datetime.datetime):
        return day(value)
    local = _local(value)
    return f"{day(local.date())} {local:%H:%M}"
