"""The annual report as a PDF (fpdf2), with the Chinese font embedded.

Built on the letters' writer (``gongkai.documents.render._PdfWriter``): the same embedded Noto Serif SC
subset with its fallback faces for rare characters, the same Chinese line breaking, A4 with the
GB/T 9704 type area, '— N —' page numbers, and metadata naming only the title, the agency
and the generation time. What this module adds is the tables: each cell of ``layout`` drawn as one
rectangle over its whole row and column span (merged cells as published), its text wrapped inside
it and centred vertically. Rows grow to fit their text; a cell spanning rows that needs more height
than its rows gives it to its last row. A table is kept on one page when it fits (table 二: each of
its four blocks); otherwise it breaks between rows that no spanning cell joins, repeating its header
rows on the new page.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from fpdf.enums import TextMode

from gongkai.documents.render import (
    BODY_SIZE,
    LINE,
    MARGIN_LEFT,
    MARGIN_TOP,
    MM,
    Letter,
    _PdfWriter,
    generation_time,
    wrap,
)

from .content import ReportContent
from .layout import Cell, Grid

TABLE_SIZES = {"table2": 10.5, "table3": 8.5, "table4": 8.5}
PAD = 1.2 * MM


_GROUP_PREFIX = re.compile(r"^（[一二三四五六七八九十]+）")


@dataclass
class _Placed:
    cell: Cell
    lines: list[str]


@dataclass
class _Layout:
    grid: Grid
    size: float
    line_h: float
    xs: list[float]  # column edges
    placed: list[_Placed]
    heights: list[float]  # per grid row
    head: list[int]  # header rows, repeated after a page break
    chunks: list[list[int]]  # body rows kept on one page when they fit
    joined: set[int]  # rows a spanning cell joins to the next

    def height(self, rows: list[int]) -> float:
        return sum(self.heights[r] for r in rows)

    def first_height(self) -> float:
        return self.height(self.head + self.chunks[0])


class _ReportWriter(_PdfWriter):
    def heading(self, text: str) -> None:
        """A section heading (一、总体情况 …): the body size, emboldened by fill + stroke, as the
        letters' title is (the embedded face has a regular weight only)."""
        self.ensure_room(3 * LINE)  # never the last line of a page
        with self.pdf.local_context(text_mode=TextMode.FILL_STROKE, line_width=0.3, draw_color=0):
            self.paragraph(text, indent_chars=2, align="L")

    # -- tables
    def layout(self, grid: Grid) -> _Layout:
        """Wrap every cell's text and size the rows (at the table's font size)."""
        size = TABLE_SIZES[grid.key]
        self.set_size(size)
        line_h = size * 1.35
        total = sum(grid.widths)
        widths = [self.width * w / total for w in grid.widths]
        xs = [MARGIN_LEFT + sum(widths[:i]) for i in range(grid.n_cols + 1)]
        placed = []
        for cell in grid.cells:
            inner = xs[cell.last_col + 1] - xs[cell.col] - 2 * PAD
            placed.append(_Placed(cell, self._cell_lines(cell, inner) or [""]))
        heights = [line_h + 2 * PAD] * grid.n_rows
        for p in sorted(placed, key=lambda p: p.cell.rowspan):
            need = len(p.lines) * line_h + 2 * PAD
            have = sum(heights[p.cell.row : p.cell.last_row + 1])
            if need > have:
                heights[p.cell.last_row] += need - have
        header_rows = sum(len(s.rows) for s in grid.sections if s.kind == "thead")
        chunks: list[list[int]] = []
        if grid.key == "table2":  # each block of table 二 stays on one page
            start = 0
            for section in grid.sections:
                chunks.append(list(range(start, start + len(section.rows))))
                start += len(section.rows)
        else:
            chunks.append(list(range(header_rows, grid.n_rows)))
        # Where the table may break: between rows no spanning cell joins.
        joined = {r for p in placed for r in range(p.cell.row, p.cell.last_row)}
        self.set_size(BODY_SIZE)
        return _Layout(grid, size, line_h, xs, placed, heights, list(range(header_rows)), chunks, joined)

    def _cell_lines(self, cell: Cell, width: float) -> list[str]:
        lines = [line for line, _ in wrap(self.printable(cell.text), width, self.measure)]
        prefix = _GROUP_PREFIX.match(cell.text)
        if len(lines) > 1 and cell.rowspan > 1 and prefix:
            # A group label in its narrow column ((三)不予公开): break after the number, not inside the name.
            head, rest = cell.text[: prefix.end()], cell.text[prefix.end() :]
            split = [
                line for part in (head, rest) for line, _ in wrap(self.printable(part), width, self.measure)
            ]
            if len(split) <= len(lines):
                return split
        if len(lines) == 2 and len(lines[1]) == 1 and len(cell.text) <= 8:
            # A short header left with one character on its second line (商业企/业): split it evenly.
            half = (len(cell.text) + 1) // 2
            return [self.printable(cell.text[:half]), self.printable(cell.text[half:])]
        return lines

    def grid(self, lay: _Layout) -> None:
        self.set_size(lay.size)
        self.pdf.set_line_width(0.5)
        for chunk in lay.chunks:
            self._draw_chunk(lay, chunk)
        self.set_size(BODY_SIZE)

    def _draw_chunk(self, lay: _Layout, rows: list[int]) -> None:
        need = lay.height(lay.head + rows)
        if self.y + need > self.bottom + 1e-6 and need <= self.bottom - MARGIN_TOP + 1e-6:
            self.new_page()
        bands: list[list[int]] = []  # runs of rows a page break may not split
        for r in rows:
            if bands and (r - 1) in lay.joined:
                bands[-1].append(r)
            else:
                bands.append([r])
        for index, band in enumerate(bands):
            if index and self.y + lay.height(band) > self.bottom + 1e-6:
                self.new_page()
                self._draw_rows(lay, lay.head)  # the header rows again on the new page
            elif not index and lay.head:
                self._draw_rows(lay, lay.head)
            self._draw_rows(lay, band)

    def _draw_rows(self, lay: _Layout, rows: list[int]) -> None:
        top = {r: self.y + sum(lay.heights[rows[0] : r]) for r in rows}
        pdf = self.pdf
        for p in lay.placed:
            cell = p.cell
            if cell.row not in top:
                continue
            x, w = lay.xs[cell.col], lay.xs[cell.last_col + 1] - lay.xs[cell.col]
            y, h = top[cell.row], sum(lay.heights[cell.row : cell.last_row + 1])
            pdf.rect(x, y, w, h)
            text_y = y + (h - len(p.lines) * lay.line_h) / 2
            left = cell.kind == "label" and cell.col > 0 and cell.colspan == 1 and cell.rowspan == 1
            for k, line in enumerate(p.lines):
                lw = self.measure(line)
                pdf.set_xy(x + PAD if left else x + (w - lw) / 2, text_y + k * lay.line_h)
                pdf.cell(lw, lay.line_h, line)
        self.y += lay.height(rows)


def _all_text(content: ReportContent) -> tuple[str, ...]:
    """Every string the PDF prints, so the writer embeds the fallback faces the report needs."""
    texts = [b.heading for b in content.blocks]
    for block in content.blocks:
        if block.grid is not None:
            texts.extend(c.text for c in block.grid.cells)
        for part in block.parts:
            texts.append(part.heading)
            texts.extend(part.paragraphs)
    return tuple(texts)


def render_pdf(content: ReportContent, *, generated_at: datetime.datetime | None = None) -> bytes:
    """The report as PDF bytes; ``generated_at`` (aware) defaults to now (Beijing time)."""
    when = generation_time(generated_at)
    letter = Letter(
        title=content.title,
        number="",
        recipient="",
        paragraphs=_all_text(content),
        issuer=content.agency_name,
        issued_on=when.date(),
    )
    w = _ReportWriter(letter, when)
    w.title(content.title)
    w.blank()
    for block in content.blocks:
        if block.grid is not None:
            lay = w.layout(block.grid)
            w.ensure_room(LINE + lay.first_height())  # the heading goes over with its table
            w.heading(block.heading)
            w.grid(lay)
            w.blank(w.size)
            continue
        w.heading(block.heading)
        for part in block.parts:
            if part.heading:
                w.paragraph(part.heading, indent_chars=2, align="L")
            for text in part.paragraphs:
                w.paragraph(text)
    return w.output()
