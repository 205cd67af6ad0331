"""The request ledger (依申请公开台账) as an Excel workbook: the rows of a queue as staff see them.

The rows come from ``selectors.queue`` (the viewer's agency, the queue, its department filter and
search), so the workbook holds exactly what the queue page lists. Free text typed by applicants is
masked as on the page (``core.personal_data.mask_personal_data``), and every text cell goes through
``documents.spreadsheet.put_text``: "=HYPERLINK(…)" typed by an applicant stays text.
"""

import datetime

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from gongkai.applications.selectors import CaseRow
from gongkai.applications.workflow import Status
from gongkai.core.personal_data import mask_personal_data
from gongkai.documents.render import generation_time
from gongkai.documents.spreadsheet import put_text
from gongkai.documents.workbooks import workbook_bytes

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FONT = "宋体"
URGENCY_LABELS = {"overdue": "已超期", "due_soon": "3个工作日内到期", "": ""}
# (heading, width in Excel character units)
COLUMNS = (
    ("查询码", 16),
    ("申请人", 16),
    ("申请内容", 48),
    ("状态", 18),
    ("承办股室", 14),
    ("收到日期", 12),
    ("答复期限", 12),
    ("剩余工作日", 10),
    ("期限提示", 30),
    ("答复日期", 12),
)


def urgency_note(row: CaseRow) -> str:
    """'已超期：股室答复期限（2025-10-27）' and the like; '' for a case nothing presses."""
    level = row.urgency.level
    if not level:
        return ""
    milestones = row.urgency.missed or row.urgency.due_soon
    return URGENCY_LABELS[level] + "：" + "、".join(f"{m.label}（{m.due:%Y-%m-%d}）" for m in milestones)


Value = str | int | datetime.date | None


def _cell(sheet: Worksheet, row: int, column: int) -> Cell:
    cell = sheet.cell(row=row, column=column)
    assert isinstance(cell, Cell)  # the ledger merges no cells
    return cell


def _values(row: CaseRow) -> list[Value]:
    a, clock = row.application, row.clock
    awaiting = a.status == Status.AWAITING_CORRECTION
    return [
        a.query_code,
        mask_personal_data(a.name),
        mask_personal_data(a.description),
        a.status_label,
        a.department.name if a.department else "",
        a.received_on,
        None if a.replied_on or awaiting else clock.due,
        None if a.replied_on or awaiting else clock.working_days_left,
        urgency_note(row),
        a.replied_on,
    ]


def ledger_xlsx(rows: list[CaseRow], *, title: str, agency_name: str) -> bytes:
    """The rows as XLSX bytes: a title line, a heading row, one row per case; dates as dates,
    numbers as numbers, text never a formula."""
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)  # a new workbook starts with one worksheet
    sheet.title = "依申请公开台账"
    title_cell = _cell(sheet, 1, 1)
    put_text(title_cell, title)
    title_cell.font = Font(name=FONT, size=14, bold=True)
    for index, (heading, width) in enumerate(COLUMNS, start=1):
        cell = _cell(sheet, 2, index)
        put_text(cell, heading)
        cell.font = Font(name=FONT, bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = width
    for number, row in enumerate(rows, start=3):
        for index, value in enumerate(_values(row), start=1):
            cell = _cell(sheet, number, index)
            if isinstance(value, str):
                put_text(cell, value)
            elif isinstance(value, datetime.date):
                cell.value = value
                cell.number_format = "yyyy-mm-dd"
            else:
                cell.value = value
            cell.alignment = Alignment(vertical="top", wrap_text=index == 3)
    sheet.freeze_panes = "A3"
    return workbook_bytes(book, title=title, agency=agency_name, when=generation_time(None))
