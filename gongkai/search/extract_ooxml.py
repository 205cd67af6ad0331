"""The OOXML package reader and the DOCX reader of gongkai.search.extract (XLSX: extract_xlsx). No Django.

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
from dataclasses import dataclass, field

from lxml import etree

from gongkai.search.extract_collect import Collector, LimitReached, embedded_text

CHUNK = 64 * 1024
MAX_MEMBERS = 10_000

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
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


def embedded_files(pkg: Package, folder: str, out: Collector, *, depth: int) -> None:
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


@dataclass
class _Paragraph:
    """The text of one w:p being read, by how it shows."""

    visible: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)
    style_hidden: bool = False


class _DocxPart:
    """One story (body, header, footer, notes) read in document order."""

    def __init__(self, out: Collector, hidden_styles: set[str]) -> None:
        self.out = out
        self.hidden_styles = hidden_styles
        self.lines: list[str] = []
        self.paragraphs: list[_Paragraph] = []
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
            paragraph.deleted.append(text)
        elif self.runs and self.runs[-1]:
            paragraph.hidden.append(text)
        else:
            paragraph.visible.append(text)

    def start(self, tag: str) -> None:
        if tag == W + "p":
            self.paragraphs.append(_Paragraph())
        elif tag == W + "r":
            self.runs.append(bool(self.paragraphs and self.paragraphs[-1].style_hidden))
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
        elif tag == W + "rPr" and (parent := element.getparent()) is not None and parent.tag == W + "r":
            vanish = element.find(W + "vanish")
            style = element.find(W + "rStyle")
            if self.runs and vanish is not None:
                self.runs[-1] = _is_on(vanish)
            elif self.runs and style is not None and style.get(W + "val") in self.hidden_styles:
                self.runs[-1] = True
        elif tag == W + "pPr" and self.paragraphs:
            style = element.find(W + "pStyle")
            if style is not None and style.get(W + "val") in self.hidden_styles:
                self.paragraphs[-1].style_hidden = True
        elif tag == W + "r" and self.runs:
            self.runs.pop()
        elif tag in (W + "del", W + "moveFrom"):
            self.deleted -= 1
        elif tag == MC + "Fallback":
            self.fallback -= 1
        elif tag == W + "p" and self.paragraphs:
            paragraph = self.paragraphs.pop()
            self._emit("".join(paragraph.visible))
            if paragraph.deleted:
                self.deleted_text.append("".join(paragraph.deleted))
            if paragraph.hidden:
                self.hidden_text.append("".join(paragraph.hidden))
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
    embedded_files(pkg, folder, out, depth=depth)
    hidden_styles = _docx_hidden_styles(pkg, folder)
    prefix = re.escape(folder)
    for name in pkg.names(prefix + r"/header\d*\.xml"):
        _docx_story(pkg, name, "页眉中的", out, hidden_styles)
    _docx_story(pkg, main, "", out, hidden_styles)
    for name, label in ((folder + "/footnotes.xml", "脚注中的"), (folder + "/endnotes.xml", "尾注中的")):
        _docx_story(pkg, name, label, out, hidden_styles)
    for name in pkg.names(prefix + r"/footer\d*\.xml"):
        _docx_story(pkg, name, "页脚中的", out, hidden_styles)
