"""DOCX and XLSX readers of gongkai.search.extract: visible text and hidden parts. No Django.

Both formats are ZIP packages of XML parts. Each part is streamed through a pull parser in
64 KiB chunks, counting decompressed bytes against the limit (zipfile never yields more than a
member's declared size, so the sizes in the directory are checked before anything is read), and
every finished element is dropped, so memory stays flat however large a part inflates.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Callable, Iterator

from lxml import etree

from gongkai.search.extract import Collector, LimitReached, embedded_text

CHUNK = 64 * 1024
MAX_MEMBERS = 10_000

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
TC = "{http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments}"
_OFF = {"0", "false", "off"}


class Package:
    """A ZIP package read within the collector's byte and time limits."""

    def __init__(self, data: bytes, out: Collector) -> None:
        import io

        self.out = out
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        infos = self.zip.infolist()
        if len(infos) > MAX_MEMBERS:
            raise ValueError(f"{len(infos)} members in the package")
        self.members = {info.filename: info for info in infos}

    def names(self, pattern: str) -> list[str]:
        compiled = re.compile(pattern)

        def natural(name: str) -> list[object]:
            return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", name)]

        return sorted((n for n in self.members if compiled.fullmatch(n)), key=natural)

    def read(self, name: str) -> bytes:
        """A whole (small) member, e.g. an embedded file, within the byte limit."""
        info = self.members[name]
        if info.file_size > self.out.bytes_left():
            raise LimitReached("bytes")
        with self.zip.open(info) as handle:
            data = handle.read(info.file_size)
        self.out.count_bytes(len(data))
        return data

    def events(
        self, name: str, keep: Callable[[str], bool] = lambda tag: False
    ) -> Iterator[tuple[str, etree._Element]]:
        """(event, element) pairs of a part, "start" and "end". An ended element is cleared once the
        consumer has seen it, unless it lies inside an element for which `keep(tag)` holds (cleared
        when that one ends): properties are read whole at their end."""
        info = self.members.get(name)
        if info is None:
            return
        parser = etree.XMLPullParser(
            events=("start", "end"), resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
        )
        kept = 0
        with self.zip.open(info) as handle:
            while True:
                self.out.check_time()
                chunk = handle.read(CHUNK)
                allowed = self.out.count_bytes(len(chunk))
                if chunk:
                    parser.feed(chunk[:allowed])
                else:
                    parser.close()
                for event, element in parser.read_events():
                    tag = element.tag if isinstance(element.tag, str) else ""
                    if event == "start" and keep(tag):
                        kept += 1
                    yield event, element
                    if event == "end":
                        if keep(tag):
                            kept -= 1
                        if kept == 0:
                            element.clear()
                            parent = element.getparent()
                            while parent is not None and element.getprevious() is not None:
                                del parent[0]
                if allowed < len(chunk):
                    raise LimitReached("bytes")
                if not chunk:
                    return

    def relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """rId -> (type, target path) of a part's relationships."""
        folder, base = posixpath.split(part)
        rels: dict[str, tuple[str, str]] = {}
        for event, element in self.events(posixpath.join(folder, "_rels", base + ".rels")):
            if event == "end" and element.tag == PKG_REL + "Relationship":
                target = element.get("Target", "")
                if element.get("TargetMode") != "External":
                    target = posixpath.normpath(
                        target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
                    )
                rels[element.get("Id", "")] = (element.get("Type", ""), target)
        return rels

    def main_part(self, default: str) -> str:
        for kind, target in self.relationships("").values():
            if kind.endswith("/officeDocument"):
                return target
        return default


def _embedded_files(pkg: Package, folder: str, out: Collector, *, depth: int) -> None:
    for name in pkg.names(re.escape(folder) + r"/embeddings/.+"):
        base = posixpath.basename(name)
        data = pkg.read(name)
        out.add_hidden("embedded_file", f"嵌入文件“{base}”", embedded_text(base, data, out, depth=depth))


# -- DOCX ----------------------------------------------------------------------------------------------


def _is_on(element: etree._Element | None) -> bool:
    return element is not None and element.get(W + "val", "1").lower() not in _OFF


def _docx_hidden_styles(pkg: Package, folder: str) -> set[str]:
    """Ids of styles whose text is hidden (vanish), following basedOn."""
    vanish: dict[str, bool | None] = {}
    based: dict[str, str] = {}
    for event, element in pkg.events(folder + "/styles.xml", keep=lambda tag: tag == W + "style"):
        if event == "end" and element.tag == W + "style":
            style_id = element.get(W + "styleId", "")
            flag = element.find(f"{W}rPr/{W}vanish")
            vanish[style_id] = _is_on(flag) if flag is not None else None
            parent = element.find(W + "basedOn")
            if parent is not None:
                based[style_id] = parent.get(W + "val", "")
    hidden = set()
    for style_id in vanish:
        current, steps = style_id, 0
        while current in vanish and vanish[current] is None and current in based and steps < 20:
            current, steps = based[current], steps + 1
        if vanish.get(current):
            hidden.add(style_id)
    return hidden


class _DocxPart:
    """One story (body, header, footer, notes) read in document order."""

    def __init__(self, out: Collector, hidden_styles: set[str]) -> None:
        self.out = out
        self.hidden_styles = hidden_styles
        self.lines: list[str] = []
        self.paragraphs: list[dict] = []
        self.runs: list[bool] = []  # hidden?
        self.cells: list[list[str]] = []
        self.rows: list[list[str]] = []
        self.deleted = 0  # depth inside w:del / w:moveFrom
        self.fallback = 0  # depth inside mc:Fallback (a duplicate of mc:Choice)
        self.deleted_text: list[str] = []
        self.hidden_text: list[str] = []

    def _emit(self, line: str) -> None:
        if self.cells:
            self.cells[-1].append(line)
        elif line.strip():
            self.out.add_visible(line + "\n")

    def _text(self, text: str, *, deleted: bool = False) -> None:
        if self.fallback or not self.paragraphs:
            return
        paragraph = self.paragraphs[-1]
        if deleted or self.deleted:
            paragraph["deleted"].append(text)
        elif self.runs and self.runs[-1]:
            paragraph["hidden"].append(text)
        else:
            paragraph["visible"].append(text)

    def start(self, tag: str) -> None:
        if tag == W + "p":
            self.paragraphs.append({"visible": [], "deleted": [], "hidden": [], "style_hidden": False})
        elif tag == W + "r":
            self.runs.append(bool(self.paragraphs and self.paragraphs[-1]["style_hidden"]))
        elif tag in (W + "del", W + "moveFrom"):
            self.deleted += 1
        elif tag == MC + "Fallback":
            self.fallback += 1
        elif tag == W + "tr":
            self.rows.append([])
        elif tag == W + "tc":
            self.cells.append([])

    def end(self, element: etree._Element) -> None:
        tag = element.tag
        if tag == W + "t":
            self._text(element.text or "")
        elif tag == W + "delText":
            self._text(element.text or "", deleted=True)
        elif tag in (W + "tab", W + "ptab"):
            self._text("\t")
        elif tag in (W + "br", W + "cr"):
            self._text("\n")
        elif tag == W + "rPr" and element.getparent() is not None and element.getparent().tag == W + "r":
            vanish = element.find(W + "vanish")
            style = element.find(W + "rStyle")
            if self.runs and vanish is not None:
                self.runs[-1] = _is_on(vanish)
            elif self.runs and style is not None and style.get(W + "val") in self.hidden_styles:
                self.runs[-1] = True
        elif tag == W + "pPr" and self.paragraphs:
            style = element.find(W + "pStyle")
            if style is not None and style.get(W + "val") in self.hidden_styles:
                self.paragraphs[-1]["style_hidden"] = True
        elif tag == W + "r" and self.runs:
            self.runs.pop()
        elif tag in (W + "del", W + "moveFrom"):
            self.deleted -= 1
        elif tag == MC + "Fallback":
            self.fallback -= 1
        elif tag == W + "p" and self.paragraphs:
            paragraph = self.paragraphs.pop()
            self._emit("".join(paragraph["visible"]))
            if paragraph["deleted"]:
                self.deleted_text.append("".join(paragraph["deleted"]))
            if paragraph["hidden"]:
                self.hidden_text.append("".join(paragraph["hidden"]))
        elif tag == W + "tc" and self.cells:
            cell = " ".join(line for line in self.cells.pop() if line.strip())
            if self.rows:
                self.rows[-1].append(cell)
        elif tag == W + "tr" and self.rows:
            self._emit(" ".join(cell for cell in self.rows.pop() if cell))


def _docx_story(pkg: Package, name: str, label: str, out: Collector, hidden_styles: set[str]) -> None:
    story = _DocxPart(out, hidden_styles)
    try:
        for event, element in pkg.events(name, keep=lambda tag: tag.endswith("Pr")):
            tag = element.tag
            if not isinstance(tag, str):
                continue
            if event == "start":
                story.start(tag)
            else:
                story.end(element)
    finally:  # what a story hid is reported even when a limit stopped it
        if story.deleted_text:
            out.add_hidden("tracked_change", f"{label}修订（已删除的文字）", "\n".join(story.deleted_text))
        if story.hidden_text:
            out.add_hidden("hidden_text", f"{label}隐藏文字", "\n".join(story.hidden_text))


def _docx_comments(pkg: Package, folder: str, out: Collector) -> None:
    number = 0
    for event, element in pkg.events(folder + "/comments.xml", keep=lambda tag: tag == W + "comment"):
        if event == "end" and element.tag == W + "comment":
            number += 1
            paragraphs = [
                "".join(t.text or "" for t in p.iter(W + "t", W + "delText")) for p in element.iter(W + "p")
            ]
            out.add_hidden("comment", f"批注（第{number}条）", "\n".join(paragraphs))


def docx(data: bytes, out: Collector, *, depth: int) -> None:
    pkg = Package(data, out)
    main = pkg.main_part("word/document.xml")
    folder = posixpath.dirname(main) or "word"
    # Hidden parts first: if a limit stops the visible text, the review still learns of them.
    _docx_comments(pkg, folder, out)
    _embedded_files(pkg, folder, out, depth=depth)
    hidden_styles = _docx_hidden_styles(pkg, folder)
    prefix = re.escape(folder)
    for name in pkg.names(prefix + r"/header\d*\.xml"):
        _docx_story(pkg, name, "页眉中的", out, hidden_styles)
    _docx_story(pkg, main, "", out, hidden_styles)
    for name, label in ((folder + "/footnotes.xml", "脚注中的"), (folder + "/endnotes.xml", "尾注中的")):
        _docx_story(pkg, name, label, out, hidden_styles)
    for name in pkg.names(prefix + r"/footer\d*\.xml"):
        _docx_story(pkg, name, "页脚中的", out, hidden_styles)


# -- XLSX ----------------------------------------------------------------------------------------------


def _xlsx_strings(pkg: Package, name: str) -> list[str]:
    strings: list[str] = []
    for event, element in pkg.events(name, keep=lambda tag: tag == S + "si"):
        if event == "end" and element.tag == S + "si":
            # Phonetic runs (rPh) are reading aids, not shown in the cell.
            shown = (t for t in element.iter(S + "t") if t.getparent().tag != S + "rPh")
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

    def __init__(self, name: str, state: str, out: Collector, strings, dates, hides, epoch) -> None:
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
                    return from_excel(float(raw), self.epoch).isoformat().replace("T00:00:00", "")
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
    _embedded_files(pkg, folder, out, depth=depth)
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
