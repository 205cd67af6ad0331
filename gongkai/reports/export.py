"""Exports of the annual report: HTML tables, JSON, DOCX, PDF and XLSX.

Every rendering reads the same two things: the tables as laid out by ``layout`` (labels, order and
spans from ``format``, 国办公开办函〔2021〕30号) and the report's text sections (``sections.SECTIONS``),
put in the six official sections by ``content.report_blocks``. So the exports cannot disagree with each
other or with the HTML page.

- ``html_tables(figures, cell_url=…)``: the grids for ``reports/includes/tables.html`` (also through
  the ``{% report_tables %}`` and ``{% report_body %}`` tags of ``report_tables``); non-zero cells
  link to ``cell_url(table, row, column)`` when given (staff drill-down).
- ``export_json``: ``format.as_json`` (the tables as arrays of rows, each with its exact label and
  numbers) plus the agency, the year, the title and the text sections.
- ``export_docx`` / ``export_pdf`` / ``export_xlsx``: see ``export_docx.py``, ``export_pdf.py``,
  ``export_xlsx.py``.

Each ``export_*`` takes the ``Figures``, the text sections (section key → text; None or missing keys
are empty) and the agency's name (looked up from ``figures.agency_id`` when not given, by
``content.report_content``). Documents carry as metadata only the agency, the title and the generation time
(Beijing), through ``gongkai.documents.render``'s helpers.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Mapping
from typing import Any

from .content import CellUrl, report_content
from .export_docx import render_docx
from .export_pdf import render_pdf
from .export_xlsx import render_xlsx
from .format import Figures, as_json
from .layout import Grid, report_grids

__all__ = [
    "CONTENT_TYPES",
    "EXPORTERS",
    "export_docx",
    "export_json",
    "export_pdf",
    "export_xlsx",
    "html_tables",
]


def html_tables(
    figures: Figures, *, cell_url: CellUrl | None = None, id_prefix: str = ""
) -> tuple[Grid, ...]:
    """Tables 二, 三, 四 for the HTML include; with ``cell_url``, non-zero cells link to the cases."""
    grids = report_grids(figures, id_prefix=id_prefix)
    return tuple(g.with_urls(cell_url) for g in grids) if cell_url else grids


def export_json(
    figures: Figures,
    text: Mapping[str, str] | None = None,
    *,
    agency_name: str | None = None,
    generated_at: datetime.datetime | None = None,
) -> bytes:
    """UTF-8 JSON: ``as_json(figures)`` plus ``agency`` (name), ``title`` and ``sections``: the six
    sections in order, each ``{"key", "heading"}`` with either ``"table"`` (table2/3/4, the key of
    the table in this document) or ``"parts": [{"key", "heading", "text"}]``. ``generated_at`` is
    accepted for a uniform signature; JSON carries no generation time, so the same report always
    gives the same bytes."""
    del generated_at
    content = report_content(figures, text, agency_name=agency_name)
    sections = []
    for block in content.blocks:
        entry: dict[str, Any] = {"key": block.key, "heading": block.heading}
        if block.grid is not None:
            entry["table"] = block.grid.key
        else:
            entry["parts"] = [
                {"key": p.key, "heading": p.heading, "text": "\n".join(p.paragraphs)} for p in block.parts
            ]
        sections.append(entry)
    data = {"agency": content.agency_name, "title": content.title, **as_json(figures), "sections": sections}
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def export_docx(
    figures: Figures,
    text: Mapping[str, str] | None = None,
    *,
    agency_name: str | None = None,
    generated_at: datetime.datetime | None = None,
) -> bytes:
    """The report as a Word document (A4, tables with merged cells as published)."""
    return render_docx(report_content(figures, text, agency_name=agency_name), generated_at=generated_at)


def export_pdf(
    figures: Figures,
    text: Mapping[str, str] | None = None,
    *,
    agency_name: str | None = None,
    generated_at: datetime.datetime | None = None,
) -> bytes:
    """The report as a PDF (A4, the Chinese font embedded, tables with merged cells)."""
    return render_pdf(report_content(figures, text, agency_name=agency_name), generated_at=generated_at)


def export_xlsx(
    figures: Figures,
    text: Mapping[str, str] | None = None,
    *,
    agency_name: str | None = None,
    generated_at: datetime.datetime | None = None,
) -> bytes:
    """The report as an Excel workbook (numbers as numbers, merged cells, no formulas)."""
    return render_xlsx(report_content(figures, text, agency_name=agency_name), generated_at=generated_at)


EXPORTERS: dict[str, Callable[..., bytes]] = {
    "json": export_json,
    "docx": export_docx,
    "pdf": export_pdf,
    "xlsx": export_xlsx,
}
CONTENT_TYPES = {
    "json": "application/json; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
