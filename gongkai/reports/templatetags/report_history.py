"""``{% load report_history %}``: ``{{ item.title|report_year }}`` — the year a report covers, or ""."""

from django import template

from gongkai.reports.history import report_year as year_of

register = template.Library()


@register.filter
def report_year(title: str) -> int | str:
    return year_of(title) or ""
