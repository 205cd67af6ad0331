"""Tables 二, 三 and 四 of the annual report laid out as grids of cells, with their spans.

One layout, built from ``format`` (the exact labels), feeds every rendering: the HTML include, the
DOCX, the PDF and the XLSX. A ``Grid`` is a list of sections (``thead``/``tbody``), each a list of
rows; a row lists only the cells that start in it (as HTML writes them), each with its position in
the full grid, its row and column span, whether it is a header cell and its ``scope``. A value cell
carries its number and a ``ref`` (table, row key, column key) for drill-down links.

The spans are those of the published format (国办公开办函〔2021〕30号; anchors §1.1):

- 二: four blocks (第二十条第（一）（五）（六）（八）项), each a full-width heading row, a header row
  (信息内容 + its value columns) and data rows; the single value column of blocks （五）（六）（八）
  spans the three value columns of block （一）.
- 三: a corner cell over 3 label columns × 3 header rows; 申请人情况 over the 7 numeric columns;
  自然人 and 总计 over header rows 2–3; 法人或其他组织 over five columns; 一/二/四 labels span the three
  label columns; 三、本年度办理结果 spans 22 rows; （一）（二）（七） span two columns; （三）…（六） span
  their leaf rows. No subtotal rows.
- 四: 行政复议 over 5 columns and 行政诉讼 over 10; the five 复议 results span header rows 2–3;
  未经复议直接起诉 and 复议后起诉 span 5 columns each; one data row of 15 values.

Pure module: no Django import.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from .format import (
    SECTION_HEADINGS,
    TABLE2_CONTENT_HEADER,
    TABLE2_ROWS,
    TABLE2_SECTIONS,
    TABLE3_APPLICANT_COLUMNS,
    TABLE3_APPLICANT_HEADER,
    TABLE3_COLUMNS,
    TABLE3_CORNER,
    TABLE3_LEGAL_PERSON_HEADER,
    TABLE3_RESULTS_LABEL,
    TABLE3_ROWS,
    TABLE4_GROUPS,
    TABLE4_LITIGATION_HEADER,
    TABLE4_RESULTS,
    Figures,
)

__all__ = [
    "Cell",
    "Grid",
    "Section",
    "format_number",
    "report_grids",
    "table2_grid",
    "table3_grid",
    "table4_grid",
]

HEADINGS = dict(SECTION_HEADINGS)
# Value columns of table 二's block （一）; the single value column of the other blocks spans them.
_T2_VALUE_COLS = 3


@dataclass(frozen=True)
class Cell:
    """One cell where it starts in the grid (0-based ``row``/``col`` over the whole table).

    ``kind``: "corner", "heading" (a header cell above the values), "block" (table 二's full-width
    article row), "label" (a row label), or "value". ``scope`` is the HTML scope of a header cell
    ("col", "colgroup", "row", "rowgroup"); None for value cells. ``value`` is the number of a value
    cell (int, or a Decimal for the fee amount in 万元; None when missing), ``ref`` its
    (table, row key, column key). ``url`` is filled by ``with_urls`` for drill-down links.
    """

    text: str
    row: int
    col: int
    kind: str
    rowspan: int = 1
    colspan: int = 1
    scope: str | None = None
    value: int | Decimal | None = None
    ref: tuple[str, str, str] | None = None
    url: str | None = None
    id: str = ""
    headers: tuple[str, ...] = ()

    @property
    def header(self) -> bool:
        return self.kind != "value"

    @property
    def last_row(self) -> int:
        return self.row + self.rowspan - 1

    @property
    def last_col(self) -> int:
        return self.col + self.colspan - 1


@dataclass(frozen=True)
class Section:
    kind: str  # "thead" or "tbody"
    rows: tuple[tuple[Cell, ...], ...]


@dataclass(frozen=True)
class Grid:
    """One table: ``key`` ("table2", "table3", "table4"), ``caption`` (its report section heading),
    ``n_rows`` × ``n_cols`` grid positions, ``label_cols`` label columns at the left, and
    ``widths``: relative column widths for the paged renderings (DOCX, PDF, XLSX)."""

    key: str
    caption: str
    n_rows: int
    n_cols: int
    label_cols: int
    sections: tuple[Section, ...]
    widths: tuple[float, ...] = field(default=())
    dom_id: str = ""  # HTML id stem, unique per table and id_prefix ("t3", "r1-t3")

    @property
    def cells(self) -> list[Cell]:
        return [cell for section in self.sections for row in section.rows for cell in row]

    @property
    def values(self) -> list[Cell]:
        """The value cells in reading order (row by row, left to right)."""
        return [cell for cell in self.cells if cell.kind == "value"]

    def merged(self) -> set[tuple[int, int, int, int]]:
        """Every spanning cell as (row, col, rowspan, colspan)."""
        return {(c.row, c.col, c.rowspan, c.colspan) for c in self.cells if c.rowspan > 1 or c.colspan > 1}

    def with_urls(self, url: Callable[[str, str, str], str | None]) -> Grid:
        """A copy whose non-zero value cells carry ``url(table, row, column)`` (None: no link)."""
        sections = tuple(
            Section(
                s.kind,
                tuple(
                    tuple(replace(c, url=url(*c.ref)) if c.ref is not None and c.value else c for c in row)
                    for row in s.rows
                ),
            )
            for s in self.sections
        )
        return replace(self, sections=sections)


def format_number(value: int | Decimal | None) -> str:
    """A cell's text: an integer as digits; the fee amount (万元) with its decimals and no trailing
    zeros ('0', '1.5', '12.34'); a missing value as '' (the checks name it; never '/')."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = format(value, "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return "0" if text in ("", "-0") else text
    return str(value)


class _Builder:
    """Collects cells section by section, then fills in ids and the HTML ``headers`` of each value cell."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.sections: list[tuple[str, list[list[Cell]]]] = []
        self.row = 0

    def section(self, kind: str) -> None:
        self.sections.append((kind, []))

    def add_row(self, *cells: Cell) -> None:
        self.sections[-1][1].append(list(cells))
        self.row += 1

    def build(self, key: str, caption: str, n_cols: int, label_cols: int, widths: tuple[float, ...]) -> Grid:
        counter = 0
        numbered: list[tuple[str, list[list[Cell]]]] = []
        for kind, rows in self.sections:
            out_rows = []
            for row in rows:
                out = []
                for cell in row:
                    if cell.header:
                        counter += 1
                        cell = replace(cell, id=f"{self.prefix}-h{counter}")
                    out.append(cell)
                out_rows.append(out)
            numbered.append((kind, out_rows))
        # Header cells that apply to each value: the column headers above it in its own section (or
        # in the thead), and the row headers to its left whose rows cover it.
        sections = []
        for index, (kind, rows) in enumerate(numbered):
            above = [c for k, rs in numbered if k == "thead" for r in rs for c in r]
            if kind == "tbody":
                above += [c for r in rows for c in r if c.header]
            else:
                above = [c for r in rows for c in r]
            body_headers = [c for k, rs in numbered[: index + 1] for r in rs for c in r if c.header]
            section_rows: list[tuple[Cell, ...]] = []
            for row in rows:
                out = []
                for cell in row:
                    if cell.kind == "value":
                        cols = [
                            h.id
                            for h in above
                            if h.kind != "corner"
                            and h.last_row < cell.row
                            and h.col <= cell.col <= h.last_col
                        ]
                        rows_ = [
                            h.id
                            for h in body_headers
                            if h.kind == "label" and h.row <= cell.row <= h.last_row and h.last_col < cell.col
                        ]
                        cell = replace(cell, headers=tuple(dict.fromkeys(rows_ + cols)))
                    out.append(cell)
                section_rows.append(tuple(out))
            sections.append(Section(kind, tuple(section_rows)))
        return Grid(key, caption, self.row, n_cols, label_cols, tuple(sections), widths, self.prefix)


def _value(
    table: str, row_key: str, col_key: str, value: int | Decimal | None, r: int, c: int, colspan: int = 1
) -> Cell:
    return Cell(
        format_number(value), r, c, "value", colspan=colspan, value=value, ref=(table, row_key, col_key)
    )


def table2_grid(figures: Figures, *, id_prefix: str = "") -> Grid:
    """二、主动公开政府信息情况: 4 columns (信息内容 + 3 value columns), 4 blocks."""
    b = _Builder(f"{id_prefix}t2")
    n_cols = 1 + _T2_VALUE_COLS
    for section, columns in TABLE2_SECTIONS:
        b.section("tbody")
        b.add_row(Cell(section, b.row, 0, "block", colspan=n_cols, scope="colgroup"))
        span = _T2_VALUE_COLS // len(columns)
        b.add_row(
            Cell(TABLE2_CONTENT_HEADER, b.row, 0, "heading", scope="col"),
            *(
                Cell(label, b.row, 1 + i * span, "heading", colspan=span, scope="col")
                for i, label in enumerate(columns)
            ),
        )
        for row in (r for r in TABLE2_ROWS if r.section == section):
            values = figures.table2.get(row.key, {})
            b.add_row(
                Cell(row.label, b.row, 0, "label", scope="row"),
                *(
                    _value("table2", row.key, key, values.get(key), b.row, 1 + i * span, colspan=span)
                    for i, (key, _) in enumerate(row.columns)
                ),
            )
    return b.build("table2", HEADINGS["proactive"], n_cols, 1, (2.2, 1.0, 1.0, 1.0))


def table3_grid(figures: Figures, *, id_prefix: str = "") -> Grid:
    """三、收到和处理政府信息公开申请情况: 3 label columns + 7 numeric columns; 3 header rows + 25 rows."""
    b = _Builder(f"{id_prefix}t3")
    n_num = len(TABLE3_COLUMNS)
    n_cols = 3 + n_num
    labels = dict(TABLE3_COLUMNS)
    natural, *organisations = (key for key, _ in TABLE3_APPLICANT_COLUMNS)
    b.section("thead")
    b.add_row(
        Cell(TABLE3_CORNER, 0, 0, "corner", rowspan=3, colspan=3),
        Cell(TABLE3_APPLICANT_HEADER, 0, 3, "heading", colspan=n_num, scope="colgroup"),
    )
    b.add_row(
        Cell(labels[natural], 1, 3, "heading", rowspan=2, scope="col"),
        Cell(TABLE3_LEGAL_PERSON_HEADER, 1, 4, "heading", colspan=len(organisations), scope="colgroup"),
        Cell(labels["total"], 1, 4 + len(organisations), "heading", rowspan=2, scope="col"),
    )
    b.add_row(*(Cell(labels[key], 2, 4 + i, "heading", scope="col") for i, key in enumerate(organisations)))

    b.section("tbody")
    rows = list(TABLE3_ROWS)
    results = [r for r in rows if r.key not in ("new", "carried_in", "carried_out")]
    group_size: dict[str, int] = {}
    for r in rows:
        if r.group_label:
            group_size[r.group_label] = group_size.get(r.group_label, 0) + 1
    seen_groups: set[str] = set()
    for r in rows:
        values = figures.table3.get(r.key, {})
        cells: list[Cell] = []
        at = b.row
        if r.key in ("new", "carried_in", "carried_out"):
            cells.append(Cell(r.label, at, 0, "label", colspan=3, scope="row"))
        else:
            if r is results[0]:
                cells.append(
                    Cell(TABLE3_RESULTS_LABEL, at, 0, "label", rowspan=len(results), scope="rowgroup")
                )
            if r.group_label is None:
                cells.append(Cell(r.label, at, 1, "label", colspan=2, scope="row"))
            else:
                if r.group_label not in seen_groups:
                    seen_groups.add(r.group_label)
                    cells.append(
                        Cell(
                            r.group_label, at, 1, "label", rowspan=group_size[r.group_label], scope="rowgroup"
                        )
                    )
                cells.append(Cell(r.label, at, 2, "label", scope="row"))
        cells.extend(
            _value("table3", r.key, key, values.get(key), at, 3 + i)
            for i, (key, _) in enumerate(TABLE3_COLUMNS)
        )
        b.add_row(*cells)
    return b.build("table3", HEADINGS["requests"], n_cols, 3, (0.9, 1.25, 4.2, *([1.0] * n_num)))


def table4_grid(figures: Figures, *, id_prefix: str = "") -> Grid:
    """四、政府信息公开行政复议、行政诉讼情况: 15 numeric columns, 3 header rows, one data row."""
    b = _Builder(f"{id_prefix}t4")
    n_res = len(TABLE4_RESULTS)
    (_, first_label), *litigation = TABLE4_GROUPS
    n_cols = n_res * len(TABLE4_GROUPS)
    b.section("thead")
    b.add_row(
        Cell(first_label, 0, 0, "heading", colspan=n_res, scope="colgroup"),
        Cell(
            TABLE4_LITIGATION_HEADER, 0, n_res, "heading", colspan=n_res * len(litigation), scope="colgroup"
        ),
    )
    b.add_row(
        *(
            Cell(label, 1, i, "heading", rowspan=2, scope="col")
            for i, (_, label) in enumerate(TABLE4_RESULTS)
        ),
        *(
            Cell(label, 1, n_res * (1 + i), "heading", colspan=n_res, scope="colgroup")
            for i, (_, label) in enumerate(litigation)
        ),
    )
    b.add_row(
        *(
            Cell(label, 2, n_res * (1 + g) + i, "heading", scope="col")
            for g in range(len(litigation))
            for i, (_, label) in enumerate(TABLE4_RESULTS)
        )
    )
    b.section("tbody")
    cells: list[Cell] = []
    for g, (group, _) in enumerate(TABLE4_GROUPS):
        values = figures.table4.get(group, {})
        cells.extend(
            _value("table4", group, key, values.get(key), 3, n_res * g + i)
            for i, (key, _) in enumerate(TABLE4_RESULTS)
        )
    b.add_row(*cells)
    return b.build("table4", HEADINGS["appeals"], n_cols, 0, (1.0,) * n_cols)


def report_grids(figures: Figures, *, id_prefix: str = "") -> tuple[Grid, Grid, Grid]:
    """Tables 二, 三 and 四 in report order; ``id_prefix`` keeps header ids unique when one page shows
    several reports."""
    return (
        table2_grid(figures, id_prefix=id_prefix),
        table3_grid(figures, id_prefix=id_prefix),
        table4_grid(figures, id_prefix=id_prefix),
    )
