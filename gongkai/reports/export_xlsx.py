"""The annual report as an Excel workbook (openpyxl).

Sheets: 报告 (title, agency, year and the text sections 一、五、六 paragraph by paragraph), then one
sheet per table (二、三、四) laid out as published: cells merged exactly as ``layout`` spans them,
numbers stored as numbers (the fee amount in 万元 with its decimals), labels and text as strings.

No cell ever holds a formula: every text goes through ``documents.spreadsheet.put_text`` (string
type, quotePrefix for text that starts like a formula, control characters dropped). A paragraph
longer than one cell holds (32,767 characters) continues in the next row.
"""

from __future__ import annotations

import datetime
import math

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from gongkai.documents.render import _clean, generation_time
from gongkai.documents.spreadsheet import EXCEL_CELL_LIMIT, put_text
from gongkai.documents.workbooks import workbook_bytes

from .content import ReportContent
from .layout import Grid

FONT = "宋体"
SHEET_NAMES = {
    "table2": "二、主动公开政府信息情况",
    "table3": "三、收到和处理政府信息公开申请情况",
    "table4": "四、复议诉讼情况",
}
_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CHAR_WIDTH = {"table2": 60, "table3": 118, "table4": 120}  # total width in Excel character units


def _table_sheet(wb: Workbook, grid: Grid) -> None:
    ws = wb.create_sheet(SHEET_NAMES[grid.key])
    ws.sheet_view.showGridLines = False
    title = ws.cell(row=1, column=1)
    put_text(title, grid.caption)
    title.font = Font(name=FONT, size=14, bold=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=grid.n_cols)
    top = 2  # grid row 0 is sheet row 2
    total = sum(grid.widths)
    for index, width in enumerate(grid.widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = max(5.0, _CHAR_WIDTH[grid.key] * width / total)
    for r in range(grid.n_rows):
        for c in range(grid.n_cols):
            ws.cell(row=top + r, column=1 + c).border = _BOX  # merged cells keep their borders
    for spec in grid.cells:
        cell = ws.cell(row=top + spec.row, column=1 + spec.col)
        if spec.kind == "value":
            cell.value = spec.value  # int, or Decimal for 万元: a number either way (None stays empty)
            if spec.value is not None and not isinstance(spec.value, int):
                cell.number_format = "0.00##"
        else:
            put_text(cell, spec.text)
        left = spec.kind == "label" and spec.col > 0 and spec.colspan == 1 and spec.rowspan == 1
        cell.alignment = Alignment(horizontal="left" if left else "center", vertical="center", wrap_text=True)
        cell.font = Font(name=FONT, size=10, bold=spec.kind == "heading" and spec.row == 0)
        if spec.rowspan > 1 or spec.colspan > 1:
            ws.merge_cells(
                start_row=top + spec.row,
                start_column=1 + spec.col,
                end_row=top + spec.last_row,
                end_column=1 + spec.last_col,
            )
    # Row heights for wrapped labels (neither Excel nor LibreOffice sizes rows with merged cells).
    widths = [ws.column_dimensions[get_column_letter(i + 1)].width for i in range(grid.n_cols)]
    lines = [1] * grid.n_rows
    for spec in grid.cells:
        if spec.rowspan == 1:
            units = sum(widths[spec.col : spec.last_col + 1]) - 1
            need = sum(2 if ord(ch) > 0x2E7F else 1 for ch in spec.text)  # a CJK character ≈ two units
            lines[spec.row] = max(lines[spec.row], math.ceil(need / max(units, 1)))
    for r, n in enumerate(lines):
        ws.row_dimensions[top + r].height = 15 * n + 3
    ws.print_options.horizontalCentered = True
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _text_sheet(wb: Workbook, content: ReportContent) -> None:
    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new Workbook starts with one worksheet
    ws.title = "报告"
    ws.column_dimensions["A"].width = 100
    row = 1

    def line(text: str, *, size: float = 11, bold: bool = False) -> None:
        nonlocal row
        text = _clean(text)
        for start in range(0, max(len(text), 1), EXCEL_CELL_LIMIT):
            cell = ws.cell(row=row, column=1)
            assert isinstance(cell, Cell)  # the text sheet merges no cells
            put_text(cell, text[start : start + EXCEL_CELL_LIMIT])
            cell.font = Font(name=FONT, size=size, bold=bold)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            row += 1

    line(content.title, size=16, bold=True)
    line(f"机关：{content.agency_name}")
    line(f"年度：{content.year}")
    for block in content.blocks:
        row += 1
        line(block.heading, size=13, bold=True)
        if block.grid is not None:
            line(f"见工作表“{SHEET_NAMES[block.grid.key]}”。")
        for part in block.parts:
            if part.heading:
                line(part.heading, bold=True)
            for text in part.paragraphs:
                line(text)


def render_xlsx(content: ReportContent, *, generated_at: datetime.datetime | None = None) -> bytes:
    """The report as XLSX bytes. Document properties: the title, the agency (creator) and the
    generation time (Beijing) only, the agency also as last modified by; openpyxl's own 'openpyxl'
    creator is replaced."""
    when = generation_time(generated_at)
    wb = Workbook()
    _text_sheet(wb, content)
    for block in content.blocks:
        if block.grid is not None:
            _table_sheet(wb, block.grid)
    return workbook_bytes(wb, title=content.title, agency=content.agency_name, when=when)
