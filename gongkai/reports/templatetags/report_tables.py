"""Template tags for the annual report's tables.

``{% load report_tables %}`` then

- ``{% report_tables figures %}`` — tables 二, 三, 四 under their headings;
- ``{% report_tables figures cell_url=url_for_cell id_prefix="r1-" level=3 %}`` — with drill-down
  links on non-zero cells (``url_for_cell(table, row, column) -> str | None``), unique ids when one
  page shows several reports, and the heading level;
- ``{% report_body figures text cell_url=… %}`` — the whole report: the six sections with the text
  sections (section key → text) and the tables.
"""

from __future__ import annotations

from django import template

from gongkai.reports.export import html_tables, report_blocks

register = template.Library()


@register.inclusion_tag("reports/includes/tables.html")
def report_tables(figures, cell_url=None, id_prefix: str = "", level: int = 2) -> dict:
    return {"tables": html_tables(figures, cell_url=cell_url, id_prefix=id_prefix), "level": level}


@register.inclusion_tag("reports/includes/report_body.html")
def report_body(figures, text=None, cell_url=None, id_prefix: str = "") -> dict:
    return {"blocks": report_blocks(figures, text, id_prefix=id_prefix, cell_url=cell_url)}
