"""The official structure of the annual report (国办公开办函〔2021〕30号), to the character.

One definition of every section heading, table row, column and header cell, read by the figures,
the checks, the HTML page and every export. The labels were compared character by character with
``shared/research/anchors.md`` §1.1 (curly quotes in 3.危及“三安全一稳定”, full-width brackets and
colon, ``1.`` numbering with an ASCII full stop and no space, no subtotal rows). Table 三's leaf
labels come from ``gongkai.applications.outcomes`` (each reply outcome is one leaf row), so the
reply letter and the report cannot drift apart. Pure Python: no Django import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from gongkai.applications.outcomes import (
    APPLICANT_COLUMNS,
    CARRIED_IN_ROW,
    CARRIED_OUT_ROW,
    LEGAL_PERSON_HEADER,
    NEW_ROW,
    OUTCOMES,
    RESULTS_ROW,
    TOTAL_COLUMN,
    TOTAL_ROW,
    Group,
)

__all__ = [
    "LEAF_KEYS",
    "LEAF_OUTCOME",
    "OUTCOME_LEAF",
    "SECTION_HEADINGS",
    "TABLE2_CONTENT_HEADER",
    "TABLE2_ROWS",
    "TABLE2_SECTIONS",
    "TABLE3_APPLICANT_COLUMNS",
    "TABLE3_APPLICANT_HEADER",
    "TABLE3_COLUMNS",
    "TABLE3_CORNER",
    "TABLE3_LEGAL_PERSON_HEADER",
    "TABLE3_RESULTS_LABEL",
    "TABLE3_ROWS",
    "TABLE4_GROUPS",
    "TABLE4_LITIGATION_HEADER",
    "TABLE4_RESULTS",
    "Figures",
    "Row",
    "Table2Row",
    "as_json",
    "empty_table2",
    "empty_table3",
    "empty_table4",
]

SECTION_HEADINGS: tuple[tuple[str, str], ...] = (
    ("overview", "一、总体情况"),
    ("proactive", "二、主动公开政府信息情况"),
    ("requests", "三、收到和处理政府信息公开申请情况"),
    ("appeals", "四、政府信息公开行政复议、行政诉讼情况"),
    ("problems", "五、存在的主要问题及改进情况"),
    ("other", "六、其他需要报告的事项"),
)


# ---------------------------------------------------------------------------------------------
# Table 三
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One data row of table 三: ``label`` is its exact text; ``group_label`` the row-spanning
    group cell it sits under (（三）不予公开 … （六）其他处理) or None; ``leaf`` whether it is one of
    the 21 outcome rows that （七）总计 sums."""

    key: str
    label: str
    group_label: str | None
    leaf: bool


# Leaf key → reply outcome code (gongkai.applications.outcomes.OUTCOMES), top to bottom.
LEAF_OUTCOME: dict[str, str] = {
    "disclosed": "disclosed",
    "partial": "partial",
    "nd_1": "nd_state_secret",
    "nd_2": "nd_law_forbids",
    "nd_3": "nd_three_safety",
    "nd_4": "nd_third_party",
    "nd_5": "nd_internal_affairs",
    "nd_6": "nd_process_info",
    "nd_7": "nd_enforcement_file",
    "nd_8": "nd_query_matter",
    "cp_1": "cp_not_held",
    "cp_2": "cp_needs_creation",
    "cp_3": "cp_still_unclear",
    "np_1": "np_petition",
    "np_2": "np_repeated",
    "np_3": "np_publication",
    "np_4": "np_excessive",
    "np_5": "np_confirm_or_reissue",
    "ot_1": "other_no_correction",
    "ot_2": "other_fee_unpaid",
    "ot_3": "other",
}
OUTCOME_LEAF: dict[str, str] = {code: key for key, code in LEAF_OUTCOME.items()}
LEAF_KEYS: tuple[str, ...] = tuple(LEAF_OUTCOME)


def _leaf(key: str) -> Row:
    outcome = OUTCOMES[LEAF_OUTCOME[key]]
    grouped = outcome.group not in (Group.DISCLOSED, Group.PARTIAL)
    return Row(key, outcome.row, outcome.group.row if grouped else None, True)


TABLE3_ROWS: tuple[Row, ...] = (
    Row("new", NEW_ROW, None, False),
    Row("carried_in", CARRIED_IN_ROW, None, False),
    *(_leaf(key) for key in LEAF_KEYS),
    Row("total", TOTAL_ROW, None, False),
    Row("carried_out", CARRIED_OUT_ROW, None, False),
)
# The cell spanning the 22 rows from （一）予以公开 to （七）总计.
TABLE3_RESULTS_LABEL = RESULTS_ROW
# The top-left cell (3 label columns × 3 header rows).
TABLE3_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
TABLE3_APPLICANT_HEADER = "申请人情况"  # spans the 7 numeric columns
TABLE3_LEGAL_PERSON_HEADER = LEGAL_PERSON_HEADER  # spans 商业企业 … 其他
TABLE3_APPLICANT_COLUMNS: tuple[tuple[str, str], ...] = APPLICANT_COLUMNS
TABLE3_COLUMNS: tuple[tuple[str, str], ...] = (*APPLICANT_COLUMNS, TOTAL_COLUMN)


# ---------------------------------------------------------------------------------------------
# Table 二
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table2Row:
    """One data row of table 二: ``section`` is its block's full-width row (第二十条第（一）项 …),
    ``columns`` the block's value columns as (key, exact label)."""

    key: str
    label: str
    section: str
    columns: tuple[tuple[str, str], ...]


TABLE2_CONTENT_HEADER = "信息内容"
_DOCS = (("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数"))
_DECISIONS = (("decisions", "本年处理决定数量"),)
_FEES = (("amount", "本年收费金额（单位：万元）"),)
TABLE2_ROWS: tuple[Table2Row, ...] = (
    Table2Row("rules", "规章", "第二十条第（一）项", _DOCS),
    Table2Row("normative", "行政规范性文件", "第二十条第（一）项", _DOCS),
    Table2Row("licensing", "行政许可", "第二十条第（五）项", _DECISIONS),
    Table2Row("penalty", "行政处罚", "第二十条第（六）项", _DECISIONS),
    Table2Row("enforcement", "行政强制", "第二十条第（六）项", _DECISIONS),
    Table2Row("fees", "行政事业性收费", "第二十条第（八）项", _FEES),
)
# The four blocks in order, each with its header row's value-column labels.
TABLE2_SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    dict.fromkeys((r.section, tuple(label for _, label in r.columns)) for r in TABLE2_ROWS)
)


# ---------------------------------------------------------------------------------------------
# Table 四
# ---------------------------------------------------------------------------------------------

TABLE4_GROUPS: tuple[tuple[str, str], ...] = (
    ("reconsideration", "行政复议"),
    ("litigation_direct", "未经复议直接起诉"),
    ("litigation_after", "复议后起诉"),
)
TABLE4_LITIGATION_HEADER = "行政诉讼"  # spans the two 诉讼 groups
TABLE4_RESULTS: tuple[tuple[str, str], ...] = (
    ("maintained", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
)


# ---------------------------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------------------------


def empty_table2() -> dict[str, dict[str, int | Decimal]]:
    """Every cell of table 二 at 0 (the fee amount as ``Decimal("0")``, in 万元)."""
    return {r.key: {c: (Decimal("0") if r.key == "fees" else 0) for c, _ in r.columns} for r in TABLE2_ROWS}


def empty_table3() -> dict[str, dict[str, int]]:
    """Every cell of table 三 (25 rows × 7 columns) at 0."""
    return {r.key: {c: 0 for c, _ in TABLE3_COLUMNS} for r in TABLE3_ROWS}


def empty_table4() -> dict[str, dict[str, int]]:
    """Every cell of table 四 (3 groups × 5 results) at 0."""
    return {g: {r: 0 for r, _ in TABLE4_RESULTS} for g, _ in TABLE4_GROUPS}


@dataclass
class Figures:
    """The figures of one agency's report for one calendar year.

    ``table2``: row key (TABLE2_ROWS) → column key → int (the fee amount a Decimal, 万元);
    ``table3``: row key (TABLE3_ROWS) → column key (TABLE3_COLUMNS) → int;
    ``table4``: group key (TABLE4_GROUPS) → result key (TABLE4_RESULTS) → int.
    Every cell is present; 0 is never missing.
    """

    agency_id: int
    year: int
    table2: dict[str, dict[str, int | Decimal]] = field(default_factory=empty_table2)
    table3: dict[str, dict[str, int]] = field(default_factory=empty_table3)
    table4: dict[str, dict[str, int]] = field(default_factory=empty_table4)


def _number(value: int | Decimal | None) -> int | float | None:
    # JSON has no Decimal; the fee amount (万元) is written as a number with its decimals.
    return float(value) if isinstance(value, Decimal) else value


def as_json(figures: Figures) -> dict[str, Any]:
    """The tables as arrays of rows, each with its exact label and its numbers in column order.

    Shape: ``{"agency_id", "year", "table2": [{"key", "section", "label", "group", "columns",
    "values"}], "table3": {"columns": [labels], "rows": [{"key", "label", "group", "leaf",
    "values"}]}, "table4": [{"key", "label", "group", "columns", "values"}]}``. A missing cell is
    written as null (the checks report it as blank), never invented.
    """
    table2 = [
        {
            "key": r.key,
            "section": r.section,
            "label": r.label,
            "group": r.section,
            "columns": [label for _, label in r.columns],
            "values": [_number(figures.table2.get(r.key, {}).get(c)) for c, _ in r.columns],
        }
        for r in TABLE2_ROWS
    ]
    table3 = {
        "columns": [label for _, label in TABLE3_COLUMNS],
        "rows": [
            {
                "key": r.key,
                "label": r.label,
                "group": r.group_label,
                "leaf": r.leaf,
                "values": [figures.table3.get(r.key, {}).get(c) for c, _ in TABLE3_COLUMNS],
            }
            for r in TABLE3_ROWS
        ],
    }
    table4 = [
        {
            "key": g,
            "label": label,
            "group": None if g == "reconsideration" else TABLE4_LITIGATION_HEADER,
            "columns": [rl for _, rl in TABLE4_RESULTS],
            "values": [figures.table4.get(g, {}).get(r) for r, _ in TABLE4_RESULTS],
        }
        for g, label in TABLE4_GROUPS
    ]
    return {
        "agency_id": figures.agency_id,
        "year": figures.year,
        "table2": table2,
        "table3": table3,
        "table4": table4,
    }
