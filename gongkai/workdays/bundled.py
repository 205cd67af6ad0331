"""Bundled holiday data (from the ``chinesecalendar`` package) and the notice CSV parser.

No Django here: the administrators' table lives in the workdays app's models and is applied on top
of ``bundled_calendar()`` with ``WorkCalendar.with_rules``.
"""

from __future__ import annotations

import csv
import datetime
import functools
import io
import re

from chinese_calendar import constants

from .calendar import DayRule, WorkCalendar

__all__ = ["BUNDLED_SOURCE", "bundled_calendar", "parse_notice_csv"]

BUNDLED_SOURCE = "chinesecalendar 1.11.0"

# The package stores English names; its Holiday enum carries the Chinese ones.
_CHINESE: dict[str, str] = {h.value: h.chinese for h in constants.Holiday}
# A few names the enum spells more tersely than the State Council notices do.
_DISPLAY = {"清明": "清明节", "端午": "端午节", "中秋": "中秋节"}


def _chinese(name: str) -> str:
    zh = _CHINESE.get(name, name)
    return _DISPLAY.get(zh, zh)


@functools.cache
def bundled_calendar() -> WorkCalendar:
    """The calendar built from the bundled package data; confirmed years are the years it covers."""
    holidays = {d: _chinese(n) for d, n in constants.holidays.items()}
    workdays = {d: _chinese(n) for d, n in constants.workdays.items()}
    years = {d.year for d in holidays}
    return WorkCalendar(
        holidays=holidays,
        workdays=workdays,
        confirmed_years=range(min(years), max(years) + 1),
    )


_HOLIDAY_TYPES = {"holiday", "休", "假", "假日", "放假", "节假日"}
_WORKDAY_TYPES = {"workday", "班", "上班", "调休", "调休上班"}
_HEADERS = (("date", "type", "name"), ("日期", "类型", "名称"))
_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")


def _parse_date(text: str, line: int) -> datetime.date:
    match = _DATE.fullmatch(text.strip())
    if match:
        try:
            return datetime.date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    raise ValueError(f"第{line}行：日期“{text.strip()}”无效，应为 YYYY-MM-DD 格式的真实日期")


def parse_notice_csv(text: str) -> tuple[int, list[DayRule]]:
    """Parse a year's State Council holiday notice entered as CSV.

    Header ``date,type,name`` (or ``日期,类型,名称``); ``type`` is ``holiday``/``workday`` or
    休/班, 假日/调休上班. All rows must be in one year. Returns ``(year, rules sorted by date)``.
    Raises ``ValueError`` with a Chinese message naming the line for any problem.
    """
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise ValueError("文件为空：第1行应为表头 date,type,name")
    reader = csv.reader(io.StringIO(text))
    header: tuple[str, ...] | None = None
    year: int | None = None
    year_line = 0
    seen: dict[datetime.date, int] = {}
    rules: list[DayRule] = []
    for row in reader:
        line = reader.line_num
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        if header is None:
            header = tuple(c.lower() for c in cells)
            if header not in _HEADERS:
                found = ",".join(cells)
                raise ValueError(f"第{line}行：表头应为 date,type,name（或 日期,类型,名称），实际为“{found}”")
            continue
        if len(cells) == 2:
            cells.append("")
        if len(cells) != 3:
            raise ValueError(f"第{line}行：应有3列（日期、类型、名称），实际为{len(cells)}列")
        raw_date, raw_type, name = cells
        day = _parse_date(raw_date, line)
        kind = raw_type.lower()
        if kind in _HOLIDAY_TYPES:
            is_workday = False
        elif kind in _WORKDAY_TYPES:
            is_workday = True
        else:
            raise ValueError(
                f"第{line}行：类型“{raw_type}”无法识别，应为 holiday（休、假日）或 workday（班、调休上班）"
            )
        if year is None:
            year, year_line = day.year, line
        elif day.year != year:
            raise ValueError(
                f"第{line}行：日期 {day} 属于{day.year}年，与第{year_line}行的{year}年不同；"
                "一个文件只能包含一个年度"
            )
        if day in seen:
            raise ValueError(f"第{line}行：日期 {day} 与第{seen[day]}行重复")
        seen[day] = line
        rules.append(DayRule(day=day, is_workday=is_workday, name=name))
    if header is None:
        raise ValueError("文件为空：第1行应为表头 date,type,name")
    if year is None:
        raise ValueError("文件只有表头，没有日期数据")
    rules.sort(key=lambda r: r.day)
    return year, rules
