"""The checks reviewers apply to an annual report (anchors.md §1.3), as pure functions.

``check`` returns every failure, each naming the rows and columns concerned (keys of
gongkai.reports.format) with a Chinese message; ``blocking`` failures stop the report from going
to review, the others are warnings. The identities are those of the 2021 format (国办公开办函
〔2021〕30号: the top-left cell of table 三 states the column identity) and the reviewers' practice
(anchors §1.3 #1–#5, #9, #11). Figures quoted in the text are read with the phrases the first
draft writes (gongkai.reports.sections.PHRASES), so what the draft says is what the check reads.
No Django import.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeGuard

from gongkai.reports.format import (
    LEAF_KEYS,
    TABLE2_ROWS,
    TABLE3_APPLICANT_COLUMNS,
    TABLE3_COLUMNS,
    TABLE3_ROWS,
    TABLE4_GROUPS,
    TABLE4_RESULTS,
    Figures,
)
from gongkai.reports.sections import part_texts, quoted_figures

__all__ = ["REPEAT_WARNING_RATIO", "Failure", "check", "repeated_ratio"]

REPEAT_WARNING_RATIO = 0.5  # 宿迁 rule SQ-DEP-A-005: more than half repeated from last year
_SHINGLE = 6  # characters per compared piece of text

_ROW_LABELS = {r.key: r.label for r in TABLE3_ROWS}
_COL_LABELS = dict(TABLE3_COLUMNS)
_APPLICANT = [key for key, _ in TABLE3_APPLICANT_COLUMNS]
_T4_GROUPS = dict(TABLE4_GROUPS)
_T4_RESULTS = dict(TABLE4_RESULTS)


@dataclass(frozen=True)
class Failure:
    """One failed check. ``rows``/``columns`` are keys of ``table`` (``"table2"``, ``"table3"``,
    ``"table4"`` — for table 四 the rows are its groups and the columns its results — or
    ``"text"`` with section part keys as rows)."""

    code: str
    message: str
    rows: list[str]
    columns: list[str]
    blocking: bool = True
    table: str = "table3"
    cells: list[tuple[str, str]] = field(default_factory=list)


# row → column → value, as stored: a row or a cell may be missing or hold anything.
Table = Mapping[str, object]


def _cell(table: Table, row: str, column: str) -> object:
    cells = table.get(row)
    return cells.get(column) if isinstance(cells, dict) else None


def _valid_count(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _blank_cells(figures: Figures) -> list[Failure]:
    failures = []
    specs = (
        (
            "table2",
            "表二",
            [(r.key, r.label, c, cl) for r in TABLE2_ROWS for c, cl in r.columns],
            figures.table2,
        ),
        (
            "table3",
            "表三",
            [(r.key, r.label, c, cl) for r in TABLE3_ROWS for c, cl in TABLE3_COLUMNS],
            figures.table3,
        ),
        (
            "table4",
            "表四",
            [(g, gl, r, rl) for g, gl in TABLE4_GROUPS for r, rl in TABLE4_RESULTS],
            figures.table4,
        ),
    )
    for table_key, table_name, cells, table in specs:
        bad = []
        for row, row_label, column, column_label in cells:
            value = _cell(table, row, column)
            ok = _valid_count(value) or (
                table_key == "table2" and isinstance(value, Decimal) and value.is_finite() and value >= 0
            )
            if not ok:
                bad.append((row, column, f"{row_label}/{column_label}"))
        if bad:
            names = "、".join(name for _, _, name in bad[:10]) + ("等" if len(bad) > 10 else "")
            failures.append(
                Failure(
                    "blank_cells",
                    f"{table_name}有{len(bad)}个空白或无效单元格（须填写0或正数，不得留空或填“/”）：{names}。",
                    sorted({r for r, _, _ in bad}, key=[r for r, *_ in cells].index),
                    sorted({c for _, c, _ in bad}, key=[c for _, _, c, _ in cells].index),
                    table=table_key,
                    cells=[(r, c) for r, c, _ in bad],
                )
            )
    return failures


def _n(table: Table, row: str, column: str) -> int:
    value = _cell(table, row, column)
    return value if _valid_count(value) else 0


def _table3_identities(t3: Table) -> list[Failure]:
    failures = []
    for column, label in TABLE3_COLUMNS:
        new, carried_in = _n(t3, "new", column), _n(t3, "carried_in", column)
        total, carried_out = _n(t3, "total", column), _n(t3, "carried_out", column)
        if new + carried_in != total + carried_out:
            failures.append(
                Failure(
                    "t3_identity",
                    f"表三「{label}」列：一、本年新收（{new}）加二、上年结转（{carried_in}）之和为"
                    f"{new + carried_in}，不等于（七）总计（{total}）加"
                    f"四、结转下年度继续办理（{carried_out}）之和{total + carried_out}。",
                    ["new", "carried_in", "total", "carried_out"],
                    [column],
                )
            )
    for column, label in TABLE3_COLUMNS:
        leaves = sum(_n(t3, key, column) for key in LEAF_KEYS)
        total = _n(t3, "total", column)
        if leaves != total:
            failures.append(
                Failure(
                    "t3_leaf_sum",
                    f"表三「{label}」列：（七）总计（{total}）不等于（一）至（六）各项办理结果之和（{leaves}）。",
                    ["total", *LEAF_KEYS],
                    [column],
                )
            )
    bad_rows = []
    for row in TABLE3_ROWS:
        parts = sum(_n(t3, row.key, c) for c in _APPLICANT)
        if parts != _n(t3, row.key, "total"):
            bad_rows.append((row.key, f"{row.label}（总计{_n(t3, row.key, 'total')}，各列之和{parts}）"))
    if bad_rows:
        failures.append(
            Failure(
                "t3_row_total",
                "表三以下各行的“总计”不等于自然人与法人或其他组织五列之和："
                + "；".join(t for _, t in bad_rows)
                + "。",
                [key for key, _ in bad_rows],
                ["total", *_APPLICANT],
            )
        )
    return failures


def _table4_totals(t4: Table) -> list[Failure]:
    failures = []
    for group, label in TABLE4_GROUPS:
        parts = sum(_n(t4, group, r) for r, _ in TABLE4_RESULTS if r != "total")
        total = _n(t4, group, "total")
        if parts != total:
            failures.append(
                Failure(
                    "t4_total",
                    f"表四「{label}」：总计（{total}）不等于结果维持、结果纠正、其他结果、尚未审结之和（{parts}）。",
                    [group],
                    [r for r, _ in TABLE4_RESULTS],
                    table="table4",
                )
            )
    return failures


def _cross_year(figures: Figures, previous: Figures) -> list[Failure]:
    columns = [
        c
        for c, _ in TABLE3_COLUMNS
        if _n(figures.table3, "carried_in", c) != _n(previous.table3, "carried_out", c)
    ]
    if not columns:
        return []
    detail = "；".join(
        f"{_COL_LABELS[c]}：本年{_n(figures.table3, 'carried_in', c)}，"
        f"上年{_n(previous.table3, 'carried_out', c)}"
        for c in columns
    )
    return [
        Failure(
            "cross_year",
            f"表三二、上年结转政府信息公开申请数量与{previous.year}年度报告四、结转下年度继续办理不一致（{detail}）。",
            ["carried_in"],
            columns,
        )
    ]


# Phrase key (gongkai.reports.sections.PHRASES) → the cells it quotes and their table.
_PHRASE_CELLS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "new_total": ("table3", [("new", "total")]),
    "carried_in_total": ("table3", [("carried_in", "total")]),
    "total_total": ("table3", [("total", "total")]),
    "carried_out_total": ("table3", [("carried_out", "total")]),
    "disclosed_total": ("table3", [("disclosed", "total")]),
    "partial_total": ("table3", [("partial", "total")]),
    "reconsideration_total": ("table4", [("reconsideration", "total")]),
    "litigation_total": ("table4", [("litigation_direct", "total"), ("litigation_after", "total")]),
}


def _text_figures(figures: Figures, text: dict[str, str]) -> list[Failure]:
    failures = []
    quoted = quoted_figures("\n".join(v for v in part_texts(text).values() if v))
    for key, numbers in quoted.items():
        if key not in _PHRASE_CELLS:
            continue
        table_key, cells = _PHRASE_CELLS[key]
        table = figures.table3 if table_key == "table3" else figures.table4
        expected = sum(_n(table, r, c) for r, c in cells)
        wrong = [n for n in numbers if n != expected]
        if wrong:
            if table_key == "table3":
                where = "表三" + "、".join(_ROW_LABELS[r] for r, _ in cells) + "「总计」"
            else:
                where = "表四" + "、".join(f"{_T4_GROUPS[r]}总计" for r, _ in cells)
            failures.append(
                Failure(
                    "text_figures",
                    f"正文中的数字（{'、'.join(str(n) for n in wrong)}）与{where}（{expected}）不一致。",
                    [r for r, _ in cells],
                    [c for _, c in cells],
                    table=table_key,
                )
            )
    return failures


def _fees(figures: Figures, parts: dict[str, str]) -> list[Failure]:
    amount = _cell(figures.table2, "fees", "amount")
    charged = isinstance(amount, (int, Decimal)) and not isinstance(amount, bool) and amount > 0
    if charged and not re.search(r"收费|费用|信息处理费", parts.get("other", "")):
        return [
            Failure(
                "fees_unexplained",
                f"表二行政事业性收费本年收费金额为{amount}万元，但“六、其他需要报告的事项”未说明收费情况。",
                ["fees"],
                ["amount"],
                table="table2",
            )
        ]
    return []


def _normalise(text: str) -> str:
    # Figures change every year; a copied paragraph with new numbers is still a copy.
    return re.sub(r"\d+", "0", re.sub(r"\s+", "", text))


def repeated_ratio(text: str, previous: str) -> float:
    """Share of ``text`` (0.0–1.0) repeated from ``previous``: the fraction of its 6-character
    pieces (digits normalised, whitespace dropped) that also occur in ``previous``. 0.0 for an
    empty text."""
    this, last = _normalise(text), _normalise(previous)
    if len(this) < _SHINGLE:
        return 0.0
    pieces = [this[i : i + _SHINGLE] for i in range(len(this) - _SHINGLE + 1)]
    seen = {last[i : i + _SHINGLE] for i in range(max(len(last) - _SHINGLE + 1, 0))}
    return sum(1 for p in pieces if p in seen) / len(pieces)


def _repeats(parts: dict[str, str], previous_parts: dict[str, str]) -> list[Failure]:
    failures = []
    for part, heading in (("overview", "一、总体情况"), ("problems", "五、存在的主要问题及改进情况")):
        ratio = repeated_ratio(parts.get(part, ""), previous_parts.get(part, ""))
        if ratio > REPEAT_WARNING_RATIO:
            failures.append(
                Failure(
                    "text_repeated",
                    f"“{heading}”有{round(ratio * 100)}%的文字与上一年度报告相同（超过一半），"
                    "请结合本年度实际重新撰写。",
                    [part],
                    [],
                    blocking=False,
                    table="text",
                )
            )
    return failures


def check(
    figures: Figures,
    *,
    previous: Figures | None = None,
    text: dict[str, str] | None = None,
    previous_text: dict[str, str] | None = None,
) -> list[Failure]:
    """Every failed check of ``figures`` (and of ``text``, section key → text, when given).

    ``previous``: last year's published figures (cross-year 二 = 四), ``previous_text`` last
    year's text (repetition warning). Blocking: blank cells; the table 三 identities (per column
    一 + 二 = （七） + 四, （七） = the 21 leaf rows, per row 总计 = the six columns); table 四 总计 =
    its four results; the cross-year identity; text figures equal to the tables; section 五 not
    empty; fees in table 二 explained in section 六. Warning: more than half of 一 or 五 repeated.
    """
    failures = _blank_cells(figures)
    failures += _table3_identities(figures.table3)
    failures += _table4_totals(figures.table4)
    if previous is not None:
        failures += _cross_year(figures, previous)
    if text is not None:
        parts = part_texts(text)
        failures += _text_figures(figures, text)
        if not parts.get("problems", "").strip():
            failures.append(
                Failure(
                    "problems_empty",
                    "“五、存在的主要问题及改进情况”不能为空，并应说明上年度问题的整改情况。",
                    ["problems"],
                    [],
                    table="text",
                )
            )
        failures += _fees(figures, parts)
        if previous_text is not None:
            failures += _repeats(parts, part_texts(previous_text))
    return failures
