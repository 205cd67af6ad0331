"""Exports of the annual report: HTML tables, JSON, DOCX, PDF and XLSX.

Every rendering reads the same two things: the tables as laid out by ``layout`` (labels, order and
spans from ``format``, 国办公开办函〔2021〕30号) and the report's text sections (``sections.SECTIONS``),
put in the six official sections by ``report_blocks``. So the exports cannot disagree with each
other or with the HTML page.

- ``html_tables(figures, cell_url=…)``: the grids for ``reports/includes/tables.html`` (also through
  the ``{% report_tables %}`` and ``{% report_body %}`` tags of ``report_tables``); non-zero cells
  link to ``cell_url(table, row, column)`` when given (staff drill-down).
- ``export_json``: ``format.as_json`` (the tables as arrays of rows, each with its exact label and
  numbers) plus the agency, the year, the title and the text sections.
- ``export_docx`` / ``export_pdf`` / ``export_xlsx``: see ``export_docx.py``, ``export_pdf.py``,
  ``export_xlsx.py``.

Each ``export_*`` takes the ``Figures``, the text sections (section key → text; None or missing keys
are empty) and the agency's name (looked up from ``figures.agency_id`` when not given; the only
Django access here). Documents carry as metadata only the agency, the title and the generation time
(Beijing), through ``gongkai.documents.render``'s helpers.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .format import SECTION_HEADINGS, Figures, as_json
from .layout import Grid, report_grids
from .sections import SECTIONS

__all__ = [
    "Block",
    "ReportContent",
    "export_docx",
    "export_json",
    "export_pdf",
    "export_xlsx",
    "html_tables",
    "report_blocks",
    "report_title",
]

CellUrl = Callable[[str, str, str], str | None]
TABLE_PARTS = {"proactive": "table2", "requests": "table3", "appeals": "table4"}


def report_title(agency_name: str, year: int) -> str:
    """'示范县人力资源和社会保障局2025年政府信息公开工作年度报告' (the published reports' form)."""
    return f"{agency_name}{year}年政府信息公开工作年度报告"


def paragraphs(text: str | None) -> tuple[str, ...]:
    """A text section split into its paragraphs (one per line; blank lines dropped)."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return tuple(line.strip() for line in lines if line.strip())


@dataclass(frozen=True)
class Part:
    key: str  # a sections.SECTIONS key
    heading: str  # '（一）主动公开', or '' for a part that is the whole section (五, 六)
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Block:
    """One of the six sections in order: its heading and either text parts or a table."""

    key: str  # a format.SECTION_HEADINGS key
    heading: str
    parts: tuple[Part, ...] = ()
    grid: Grid | None = None


def report_blocks(
    figures: Figures, text: Mapping[str, str] | None, *, id_prefix: str = "", cell_url: CellUrl | None = None
) -> tuple[Block, ...]:
    """The six sections (一 … 六) with their text parts or tables, in the official order."""
    text = text or {}
    grids = {g.key: g for g in report_grids(figures, id_prefix=id_prefix)}
    blocks = []
    for key, heading in SECTION_HEADINGS:
        if key in TABLE_PARTS:
            grid = grids[TABLE_PARTS[key]]
            blocks.append(Block(key, heading, grid=grid.with_urls(cell_url) if cell_url else grid))
        else:
            parts = tuple(
                Part(s.key, s.heading, paragraphs(text.get(s.key))) for s in SECTIONS if s.part == key
            )
            blocks.append(Block(key, heading, parts=parts))
    return tuple(blocks)


def html_tables(
    figures: Figures, *, cell_url: CellUrl | None = None, id_prefix: str = ""
) -> tuple[Grid, ...]:
    """Tables 二, 三, 四 for the HTML include; with ``cell_url``, non-zero cells link to the cases."""
    grids = report_grids(figures, id_prefix=id_prefix)
    return tuple(g.with_urls(cell_url) for g in grids) if cell_url else grids


@dataclass(frozen=True)
class ReportContent:
    """What every document export renders."""

    agency_name: str
    year: int
    figures: Figures
    blocks: tuple[Block, ...]

    @property
    def title(self) -> str:
        return report_title(self.agency_name, self.year)


def _agency_name(figures: Figures) -> str:
    from gongkai.organisation.models import Agency

    return Agency.objects.only("name").get(pk=figures.agency_id).name


def report_content(
    figures: Figures, text: Mapping[str, str] | None, *, agency_name: str | None = None
) -> ReportContent:
    name = agency_name if agency_name is not None else _agency_name(figures)
    return ReportContent(name, figures.year, figures, report_blocks(figures, text))


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
    from .export_docx import render_docx

    return render_docx(report_content(figures, text, agency_name=agency_name), generated_at=generated_at)


def export_pdf(
    figures: Figures,
    text: Mapping[str, str] | None = None,
    *,
    agency_name: str | None = None,
    generated_at: datetime.datetime | None = None,
) -> bytes:
    """The report as a PDF (A4, the Chinese font embedded, tables with merged cells)."""
    from .export_pdf import render_pdf

    return render_pdf(report_content(figures, text, agency_name=agency_name), generated_at=generated_at)


def export_xlsx(
    figures: Figures,
    text: Mapping[str, str] | None = None,
    *,
    agency_name: str | None = None,
    generated_at: datetime.datetime | None = None,
) -> bytes:
    """The report as an Excel workbook (numbers as numbers, merged cells, no formulas)."""
    from .export_xlsx import render_xlsx

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
