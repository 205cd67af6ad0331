"""The annual report as a Word document (python-docx).

A4 portrait with the GB/T 9704 type area, like the letters of ``gongkai.documents.render``: the title
in 22pt 方正小标宋简体, the section headings (一、总体情况 …) in 16pt 黑体, the sub-headings
(（一）主动公开 …) in 16pt 楷体_GB2312, the text in 16pt 仿宋_GB2312 with a two-character indent. The
tables are real Word tables in 宋体 with cells merged exactly as ``layout`` spans them (horizontal
merges as w:gridSpan, vertical ones as w:vMerge), header rows repeated after a page break and rows
never split across pages. East Asian font names are written to w:eastAsia so Word picks a Chinese
face. Metadata: only the title, the agency and the generation time (``render.docx_metadata``).
"""

from __future__ import annotations

import datetime
import io

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_PARAGRAPH_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Row
from docx.text.paragraph import Paragraph

from gongkai.documents.render import (
    BODY_SIZE,
    DOCX_BODY_FONT,
    DOCX_LATIN_FONT,
    DOCX_TITLE_FONT,
    LINE,
    TITLE_LINE,
    TITLE_SIZE,
    _docx_spacing,
    _docx_text,
    append_element,
    docx_metadata,
    docx_page_numbers,
    generation_time,
)

from .content import ReportContent
from .layout import Cell, Grid

HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
TABLE_FONT = "宋体"
TABLE_SIZES = {"table2": 10.5, "table3": 9.0, "table4": 9.0}  # 五号; 小五 for the wide tables
TYPE_WIDTH_MM = 156.0


def _set_cell_margins(table: Table, mm: float) -> None:
    """Narrow left/right cell margins (table 四 has 15 value columns on a portrait page)."""
    tbl_pr = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(round(mm * 56.7)))  # twentieths of a point
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    append_element(tbl_pr, margins)


def _row_flags(row: _Row, *, header: bool) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    cant_split = OxmlElement("w:cantSplit")
    append_element(tr_pr, cant_split)
    if header:
        append_element(tr_pr, OxmlElement("w:tblHeader"))


def _alignment(cell: Cell) -> WD_ALIGN_PARAGRAPH:
    if cell.kind == "label" and cell.colspan == 1 and cell.rowspan == 1 and cell.col > 0:
        return WD_ALIGN_PARAGRAPH.LEFT  # the long leaf labels of table 三 read better flush left
    if cell.kind in ("label", "block") and cell.colspan > 1:
        return WD_ALIGN_PARAGRAPH.LEFT
    return WD_ALIGN_PARAGRAPH.CENTER


def _table(doc: DocxDocument, grid: Grid) -> None:
    size = TABLE_SIZES[grid.key]
    table = doc.add_table(rows=grid.n_rows, cols=grid.n_cols)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    total = sum(grid.widths)
    widths = [Mm(TYPE_WIDTH_MM * w / total) for w in grid.widths]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    cells = table._cells  # looked up once: table.cell() and row.cells rescan the whole table
    for index, cell in enumerate(cells):
        cell.width = widths[index % grid.n_cols]
    if grid.key == "table4":
        _set_cell_margins(table, 0.4)
    header_rows = sum(len(s.rows) for s in grid.sections if s.kind == "thead")
    for index, row in enumerate(table.rows):
        _row_flags(row, header=index < header_rows)
    # Keep each block of table 二, and the whole of tables 三 and 四, on one page: every row but a
    # block's last keeps with the next (Word and LibreOffice honour keep-with-next in table rows).
    last_rows, start = set(), 0
    for section in grid.sections:
        start += len(section.rows)
        if grid.key == "table2" or section is grid.sections[-1]:
            last_rows.add(start - 1)
    keep = [index not in last_rows for index in range(grid.n_rows)]
    # The spans never overlap, so merging one leaves the cells of the others valid.
    for spec in grid.cells:
        cell = cells[spec.row * grid.n_cols + spec.col]
        if spec.rowspan > 1 or spec.colspan > 1:
            cell = cell.merge(cells[spec.last_row * grid.n_cols + spec.last_col])
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        paragraph = cell.paragraphs[0]
        paragraph.alignment = _alignment(spec)
        _docx_spacing(paragraph, line=size * 1.35)
        _docx_text(paragraph, spec.text, TABLE_FONT, size, bold=spec.kind == "heading" and spec.row == 0)
    for index, tr in enumerate(table._tbl.tr_lst):
        if keep[index]:
            for p in tr.iter(qn("w:p")):
                Paragraph(p, table).paragraph_format.keep_with_next = True


def render_docx(content: ReportContent, *, generated_at: datetime.datetime | None = None) -> bytes:
    """The report as DOCX bytes; ``generated_at`` (aware) defaults to now (Beijing time)."""
    doc = Document()
    docx_metadata(doc, title=content.title, agency=content.agency_name, when=generation_time(generated_at))

    normal = doc.styles["Normal"]
    normal.font.name = DOCX_LATIN_FONT
    normal.font.size = Pt(BODY_SIZE)
    rpr = normal.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), DOCX_BODY_FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(27), Mm(27)
    docx_page_numbers(section)

    def para(
        text: str,
        font: str,
        *,
        size: float = BODY_SIZE,
        indent: int = 2,
        align: WD_PARAGRAPH_ALIGNMENT | None = None,
        bold: bool = False,
    ) -> Paragraph:
        p = doc.add_paragraph()
        if align is not None:
            p.alignment = align
        _docx_spacing(p, first_line_chars=indent)
        _docx_text(p, text, font, size, bold=bold)
        return p

    title = doc.paragraphs[0] if doc.paragraphs else doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _docx_spacing(title, line=TITLE_LINE)
    _docx_text(title, content.title, DOCX_TITLE_FONT, TITLE_SIZE, bold=True)
    doc.add_paragraph()

    for block in content.blocks:
        heading = para(block.heading, HEADING_FONT)
        heading.paragraph_format.keep_with_next = True
        if block.grid is not None:
            _table(doc, block.grid)
            spacer = doc.add_paragraph()
            _docx_spacing(spacer, line=LINE / 2)
            continue
        for part in block.parts:
            if part.heading:
                sub = para(part.heading, SUBHEADING_FONT)
                sub.paragraph_format.keep_with_next = True
            for text in part.paragraphs:
                para(text, DOCX_BODY_FONT, align=WD_ALIGN_PARAGRAPH.JUSTIFY)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
