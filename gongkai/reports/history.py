"""Reports published before the platform: their year, and which table format they use.

Plain module, no Django import. Old reports stay in the 政府信息公开年报 column as plain documents
(issue 14 §7); importing their tables is not required, but a table in the 2019 trial format
(国办公开办函〔2019〕60号) must be recognised and warned about (anchors §1.1 "2019 versus 2021",
§1.3 #6: reports for 2021 and later that still use it are marked down).
"""

import re
from dataclasses import dataclass

# Column and row labels only the 2019 trial format has (anchors §1.1 table "2019 versus 2021").
MARKERS_2019 = (
    "本年新制作数量",
    "本年新公开数量",
    "对外公开总数量",
    "其他对外管理服务事项",
    "政府集中采购",
    "采购总金额",
    "上一年项目数量",
)
# Labels only the 2021 format (国办公开办函〔2021〕30号) has.
MARKERS_2021 = ("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额")

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


@dataclass(frozen=True)
class FormatVerdict:
    """``kind``: "2021", "2019" or "free" (no table recognised: a pre-2019 text report);
    ``warning``: Chinese, shown to staff, empty when there is nothing to say."""

    kind: str
    warning: str
    markers: tuple[str, ...]


def report_year(title: str) -> int | None:
    """The year a report covers, from its title (the first 4-digit year before 年), or None."""
    match = _YEAR.search(title or "")
    return int(match.group(1)) if match else None


def detect_format(text: str, *, year: int | None = None) -> FormatVerdict:
    """Which table format ``text`` (the report's text or HTML) uses.

    A 2019-format table is always warned about (a report for 2021 or later in it is wrong; an
    older one is history, shown with the note that its columns differ from today's).
    """
    found_2019 = tuple(m for m in MARKERS_2019 if m in (text or ""))
    found_2021 = tuple(m for m in MARKERS_2021 if m in (text or ""))
    if found_2019:
        if year is not None and year >= 2021:
            warning = (
                f"该报告使用了已废止的2019年试行格式（{'、'.join(found_2019)}），"
                f"{year}年度报告应使用国办公开办函〔2021〕30号格式。"
            )
        else:
            warning = (
                f"该报告的表格为2019年试行格式（国办公开办函〔2019〕60号：{'、'.join(found_2019)}），"
                "栏目与现行格式不同，不能直接比较。"
            )
        return FormatVerdict("2019", warning, found_2019)
    if found_2021:
        return FormatVerdict("2021", "", found_2021)
    return FormatVerdict("free", "", ())
