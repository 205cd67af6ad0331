"""The XLSX reader of gongkai.search.extract: cells of visible sheets, rows and columns as text;
hidden sheets, rows, columns, cells formatted ;;; and comments as hidden parts. No Django."""

from __future__ import annotations

import datetime
import posixpath

from lxml import etree

from gongkai.search.extract_collect import Collector
from gongkai.search.extract_ooxml import Package, R, embedded_files

S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
TC = "{http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments}"


def _xlsx_strings(pkg: Package, name: str) -> list[str]:
    strings: list[str] = []
    for event, element in pkg.events(name, keep=lambda tag: tag == S + "si"):
        if event == "end" and element.tag == S + "si":
            # Phonetic runs (rPh) are reading aids, not shown in the cell.
            shown = (t for t in element.iter(S + "t") if getattr(t.getparent(), "tag", None) != S + "rPh")
            strings.append("".join(t.text or "" for t in shown))
    return strings


def _xlsx_styles(pkg: Package, name: str) -> tuple[list[bool], list[bool]]:
    """Per cell style index: is it a date format; does its format hide the value (;;;)."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

    formats: dict[int, str] = dict(BUILTIN_FORMATS)
    dates: list[bool] = []
    hides: list[bool] = []
    in_xfs = False
    for event, element in pkg.events(name, keep=lambda tag: tag == S + "numFmt"):
        if element.tag == S + "cellXfs":
            in_xfs = event == "start"
        elif event == "end" and element.tag == S + "numFmt":
            try:
                formats[int(element.get("numFmtId", "-1"))] = element.get("formatCode", "")
            except ValueError:
                continue
        elif event == "start" and in_xfs and element.tag == S + "xf":
            try:
                code = formats.get(int(element.get("numFmtId", "0")), "")
            except ValueError:
                code = ""
            dates.append(bool(code) and is_date_format(code))
            hides.append(bool(code) and set(code) == {";"})
    return dates, hides


def _column_index(ref: str) -> int:
    from openpyxl.utils import column_index_from_string

    letters = "".join(ch for ch in ref if ch.isalpha())
    try:
        return column_index_from_string(letters) if letters else 0
    except ValueError:
        return 0


class _Sheet:
    """One worksheet: visible cells to the collector, hidden rows, columns and cells as parts."""

    def __init__(
        self,
        name: str,
        state: str,
        out: Collector,
        strings: list[str],
        dates: list[bool],
        hides: list[bool],
        epoch: datetime.datetime,
    ) -> None:
        self.name, self.out = name, out
        self.hidden_state = {"hidden": "隐藏工作表", "veryHidden": "深度隐藏工作表"}.get(state)
        self.strings, self.dates, self.hides, self.epoch = strings, dates, hides, epoch
        self.hidden_columns: set[int] = set()
        self.zero_height = False
        self.row_number = 0
        self.row_hidden = False
        self.cells: list[tuple[int, str]] = []
        self.column_text: dict[int, list[str]] = {}
        self.sheet_text: list[str] = []
        self.row_group: tuple[int, int, list[str]] | None = None
        self.format_hidden: list[str] = []

    def value(self, cell: etree._Element) -> str:
        kind = cell.get("t", "n")
        v = cell.find(S + "v")
        raw = v.text if v is not None and v.text is not None else ""
        if kind == "s":
            try:
                return self.strings[int(raw)]
            except (ValueError, IndexError):
                return ""
        if kind == "inlineStr":
            return "".join(t.text or "" for t in cell.iter(S + "t"))
        if kind == "b":
            return "TRUE" if raw == "1" else "FALSE"
        if kind == "n" and raw:
            style = int(cell.get("s", "0") or 0) if (cell.get("s") or "0").isdigit() else 0
            if style < len(self.dates) and self.dates[style]:
                from openpyxl.utils.datetime import from_excel

                try:
                    when: datetime.datetime | datetime.time = from_excel(float(raw), self.epoch)
                    return when.isoformat().replace("T00:00:00", "")
                except (ValueError, OverflowError, TypeError):
                    return raw
        return raw

    def start(self, element: etree._Element) -> None:
        tag = element.tag
        if tag == S + "row":
            try:
                self.row_number = int(element.get("r", "")) if element.get("r") else self.row_number + 1
            except ValueError:
                self.row_number += 1
            height = element.get("ht")
            self.row_hidden = element.get("hidden", "0").lower() in ("1", "true") or height in ("0", "0.0")
            if self.zero_height and not (height and height not in ("0", "0.0")):
                self.row_hidden = True
            self.cells = []
        elif tag == S + "sheetFormatPr":
            self.zero_height = element.get("zeroHeight", "0").lower() in ("1", "true")
        elif tag == S + "col":
            self.hide_columns(element)

    def hide_columns(self, col: etree._Element) -> None:
        if col.get("hidden", "0").lower() in ("1", "true") or col.get("width") in ("0", "0.0"):
            try:
                low, high = int(col.get("min", "0")), int(col.get("max", "0"))
            except ValueError:
                return
            self.hidden_columns.update(range(max(low, 1), min(high, 16384) + 1))

    def end(self, element: etree._Element) -> None:
        tag = element.tag
        if tag == S + "c":
            text = self.value(element).strip()
            column = _column_index(element.get("r", "")) or (self.cells[-1][0] + 1 if self.cells else 1)
            if not text:
                self.cells.append((column, ""))
                return
            style = element.get("s", "0")
            if style.isdigit() and int(style) < len(self.hides) and self.hides[int(style)]:
                self.format_hidden.append(f"{element.get('r', '')}：{text}")
                self.cells.append((column, ""))
                return
            self.cells.append((column, text))
        elif tag == S + "row":
            self.finish_row()

    def finish_row(self) -> None:
        cells = [(column, text) for column, text in self.cells if text]
        self.cells = []
        if self.hidden_state:
            if cells:
                self.sheet_text.append(" ".join(text for _, text in cells))
            return
        if self.row_hidden:
            line = " ".join(text for _, text in cells)
            group = self.row_group
            if group and group[1] == self.row_number - 1:
                self.row_group = (group[0], self.row_number, [*group[2], line] if line else group[2])
            else:
                self.flush_rows()
                self.row_group = (self.row_number, self.row_number, [line] if line else [])
            return
        self.flush_rows()
        shown = [text for column, text in cells if column not in self.hidden_columns]
        for column, text in cells:
            if column in self.hidden_columns:
                self.column_text.setdefault(column, []).append(text)
        if shown:
            self.out.add_visible(" ".join(shown) + "\n")

    def flush_rows(self) -> None:
        if self.row_group and self.row_group[2]:
            first, last, lines = self.row_group
            rows = f"第{first}行" if first == last else f"第{first}–{last}行"
            self.out.add_hidden("hidden_row", f"工作表“{self.name}”{rows}（隐藏行）", "\n".join(lines))
        self.row_group = None

    def finish(self) -> None:
        from openpyxl.utils import get_column_letter

        self.flush_rows()
        if self.hidden_state and self.sheet_text:
            self.out.add_hidden(
                "hidden_sheet", f"工作表“{self.name}”（{self.hidden_state}）", "\n".join(self.sheet_text)
            )
        for column in sorted(self.column_text):
            self.out.add_hidden(
                "hidden_column",
                f"工作表“{self.name}”第{get_column_letter(column)}列（隐藏列）",
                "\n".join(self.column_text[column]),
            )
        if self.format_hidden:
            self.out.add_hidden(
                "hidden_text", f"工作表“{self.name}”中格式设为不显示的单元格", "\n".join(self.format_hidden)
            )


def _xlsx_comments(pkg: Package, name: str, sheet: str, out: Collector, *, threaded: bool) -> None:
    tag = TC + "threadedComment" if threaded else S + "comment"
    for event, element in pkg.events(name, keep=lambda t: t == tag):
        if event == "end" and element.tag == tag:
            text = "".join(element.itertext()).strip()
            if not threaded and text.startswith("[Threaded comment]"):
                continue  # Excel's legacy copy of a threaded comment, reported from the threaded part
            out.add_hidden("comment", f"工作表“{sheet}”单元格{element.get('ref', '')}的批注", text)


def xlsx(data: bytes, out: Collector, *, depth: int) -> None:
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

    pkg = Package(data, out)
    book = pkg.main_part("xl/workbook.xml")
    folder = posixpath.dirname(book) or "xl"
    sheets: list[tuple[str, str, str]] = []  # name, state, rId
    epoch = CALENDAR_WINDOWS_1900
    for event, element in pkg.events(book):
        if event != "start":
            continue
        if element.tag == S + "sheet":
            state = element.get("state", "visible")
            sheets.append((element.get("name", ""), state, element.get(R + "id", "")))
        elif element.tag == S + "workbookPr" and element.get("date1904", "0").lower() in ("1", "true"):
            epoch = CALENDAR_MAC_1904
    rels = pkg.relationships(book)
    targets = {kind.rsplit("/", 1)[-1]: target for kind, target in rels.values()}
    embedded_files(pkg, folder, out, depth=depth)
    # Comments before cells: if a limit stops the cells, the review still learns of them.
    for name, _state, rid in sheets:
        part = rels.get(rid, ("", ""))[1]
        for kind, target in pkg.relationships(part).values():
            if kind.endswith("/comments"):
                _xlsx_comments(pkg, target, name, out, threaded=False)
            elif kind.endswith("/threadedComment"):
                _xlsx_comments(pkg, target, name, out, threaded=True)
    strings = _xlsx_strings(pkg, targets.get("sharedStrings", folder + "/sharedStrings.xml"))
    dates, hides = _xlsx_styles(pkg, targets.get("styles", folder + "/styles.xml"))
    for name, state, rid in sheets:
        part = rels.get(rid, ("", ""))[1]
        sheet = _Sheet(name, state, out, strings, dates, hides, epoch)
        if not sheet.hidden_state:
            out.add_visible(name + "\n")
        try:
            for event, element in pkg.events(part, keep=lambda tag: tag == S + "c"):
                if event == "start":
                    sheet.start(element)
                else:
                    sheet.end(element)
        finally:
            sheet.finish()
