"""Template tags for the annual report's tables.

``{% load report_tables %}`` then

- ``{% report_tables figures %}`` — tables 二, 三, 四 under their headings;
- ``{% report_tables figures cell_url="drill_url" id_prefix="r1-" level=3 %}`` — with drill-down
  links on non-zero cells: ``cell_url`` names the context variable holding a function
  ``(table, row, column) -> str | None`` (by name, because the template engine would call a
  function passed as a value with no arguments); unique ids when one page shows several reports;
  the heading level;
- ``{% report_body figures text cell_url="drill_url" %}`` — the whole report: the six sections with
  the text sections (section key → text) and the tables.

A view may instead pass ``tables = export.html_tables(figures, cell_url=…)`` and
``{% include "reports/includes/tables.html" %}``.
"""

from __future__ import annotations

from django import template

from gongkai.reports.content import report_blocks
from gongkai.reports.export import html_tables

register = template.Library()


def _url_function(context, name):
    if not name:
        return None
    function = context.get(name) if isinstance(name, str) else name
    if function is not None and not callable(function):
        raise template.TemplateSyntaxError(f"report_tables: {name!r} is not a function")
    return function


@register.inclusion_tag("reports/includes/tables.html", takes_context=True)
def report_tables(context, figures, cell_url: str = "", id_prefix: str = "", level: int = 2) -> dict:
    url = _url_function(context, cell_url)
    return {"tables": html_tables(figures, cell_url=url, id_prefix=id_prefix), "level": level}


@register.inclusion_tag("reports/includes/report_body.html", takes_context=True)
def report_body(context, figures, text=None, cell_url: str = "", id_prefix: str = "") -> dict:
    url = _url_function(context, cell_url)
    return {"blocks": report_blocks(figures, text, id_prefix=id_prefix, cell_url=url)}
