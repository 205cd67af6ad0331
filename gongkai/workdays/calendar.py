"""Working-day calendar (工作日历): weekends, statutory holidays and adjusted working days (调休).

Pure Python, no Django. A ``WorkCalendar`` is immutable: it precomputes, over FIRST..LAST,

* ``_cum[i]``  — the number of working days in [FIRST, FIRST + i] (inclusive), and
* ``_nth[k]``  — the (k + 1)-th working day on or after FIRST, as a ``date``,

so that ``count`` is two list look-ups and ``add`` is one look-up into each list.

Counting follows the Regulation (art. 31 and the counting rules in DESIGN.md §3): the start day
never counts; day 1 is the first working day *after* it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate

__all__ = [
    "FIRST",
    "LAST",
    "UNCONFIRMED_WARNING",
    "DayRule",
    "WorkCalendar",
    "unconfirmed_warning",
]

date = datetime.date

FIRST = date(2000, 1, 1)
LAST = date(2100, 12, 31)
_FIRST_ORD = FIRST.toordinal()
_SIZE = LAST.toordinal() - _FIRST_ORD + 1

UNCONFIRMED_WARNING = "该年度节假日安排尚未确认"


def unconfirmed_warning(years: Iterable[int]) -> str | None:
    """The visible warning for deadlines that touch years without confirmed holiday data."""
    ordered = sorted(set(years))
    if not ordered:
        return None
    return f"{UNCONFIRMED_WARNING}（{'、'.join(f'{y}年' for y in ordered)}），期限暂按周一至周五推算"


@dataclass(frozen=True)
class DayRule:
    """One override entered by an administrator (or one row of a State Council notice)."""

    day: date
    is_workday: bool  # True: adjusted working day (调休上班); False: holiday (放假)
    name: str = ""  # e.g. "春节"


def _index(day: date) -> int:
    i = day.toordinal() - _FIRST_ORD
    if not 0 <= i < _SIZE:
        raise ValueError(f"日期 {day} 超出工作日历的范围（{FIRST} 至 {LAST}）")
    return i


class WorkCalendar:
    """Immutable. Built once; every query is O(1) (``confirmed`` look-ups O(1), lists sorted)."""

    __slots__ = ("_confirmed", "_cum", "_flags", "_holidays", "_nth", "_workdays")

    def __init__(
        self,
        *,
        holidays: Mapping[date, str],
        workdays: Mapping[date, str],
        confirmed_years: Iterable[int],
    ) -> None:
        hol = dict(holidays)
        work = dict(workdays)
        both = sorted(hol.keys() & work.keys())
        if both:
            raise ValueError(f"日期 {both[0]} 不能既是节假日又是调休上班日")
        flags = bytearray(_SIZE)
        first_weekday = FIRST.weekday()
        for i in range(_SIZE):
            if (first_weekday + i) % 7 < 5:
                flags[i] = 1
        for day in hol:
            flags[_index(day)] = 0
        for day in work:
            flags[_index(day)] = 1
        self._holidays: dict[date, str] = hol
        self._workdays: dict[date, str] = work
        self._confirmed: frozenset[int] = frozenset(int(y) for y in confirmed_years)
        self._flags = bytes(flags)
        self._cum: list[int] = list(accumulate(flags))
        self._nth: list[date] = [date.fromordinal(_FIRST_ORD + i) for i, f in enumerate(flags) if f]

    # -- single-day questions ------------------------------------------------------------------

    def is_workday(self, day: date) -> bool:
        """Adjusted working day → True; holiday → False; otherwise Monday to Friday."""
        return bool(self._flags[_index(day)])

    def holiday_name(self, day: date) -> str | None:
        """The holiday's name (e.g. "国庆节") when ``day`` is a holiday, else None."""
        if day in self._holidays:
            return self._holidays[day] or "节假日"
        return None

    def workday_name(self, day: date) -> str | None:
        """For an adjusted working day (调休上班), the holiday it belongs to; else None."""
        if day in self._workdays:
            return self._workdays[day] or "调休上班"
        return None

    # -- arithmetic ----------------------------------------------------------------------------

    def add(self, start: date, n: int) -> date:
        """The date ``n`` working days after ``start``; ``start`` itself never counts.

        ``add(d, 0) == d``; for ``n >= 1`` the result is always a working day.
        """
        i = _index(start)
        if n < 0:
            raise ValueError(f"工作日数不能为负数：{n}")
        if n == 0:
            return start
        k = self._cum[i] + n - 1
        if k >= len(self._nth):
            raise ValueError(f"{start} 之后第 {n} 个工作日超出工作日历的范围（至 {LAST}）")
        return self._nth[k]

    def add_many(self, starts: Sequence[date | int], ns: Sequence[int]) -> list[date]:
        """Batch ``add``: ``starts`` are dates or their ordinals (``date.toordinal()``).

        Same results as ``[add(s, n) for s, n in zip(starts, ns)]`` without the per-call overhead.
        """
        if len(starts) != len(ns):
            raise ValueError("starts 与 ns 的长度不一致")
        cum = self._cum
        nth = self._nth
        last = len(nth)
        out: list[date] = []
        append = out.append
        for start, n in zip(starts, ns, strict=True):
            i = (start.toordinal() if isinstance(start, date) else start) - _FIRST_ORD
            if not 0 <= i < _SIZE:
                raise ValueError(f"日期 {start} 超出工作日历的范围（{FIRST} 至 {LAST}）")
            if n > 0:
                k = cum[i] + n - 1
                if k >= last:
                    raise ValueError(f"第 {n} 个工作日超出工作日历的范围（至 {LAST}）")
                append(nth[k])
            elif n == 0:
                append(date.fromordinal(i + _FIRST_ORD))
            else:
                raise ValueError(f"工作日数不能为负数：{n}")
        return out

    def count(self, start: date, end: date) -> int:
        """Working days in (start, end]; 0 when ``end <= start``. ``count(d, add(d, n)) == n``."""
        i = _index(start)
        j = _index(end)
        if j <= i:
            return 0
        return self._cum[j] - self._cum[i]

    def next_workday(self, day: date) -> date:
        """The first working day strictly after ``day`` (``add(day, 1)``)."""
        return self.add(day, 1)

    # -- confirmation --------------------------------------------------------------------------

    def is_confirmed(self, year: int) -> bool:
        return year in self._confirmed

    def confirmed_years(self) -> list[int]:
        return sorted(self._confirmed)

    def unconfirmed_years_between(self, start: date, end: date) -> list[int]:
        """Years from ``start`` to ``end`` (either order, inclusive) with no confirmed data."""
        low, high = sorted((start.year, end.year))
        return [y for y in range(low, high + 1) if y not in self._confirmed]

    # -- data and derivation -------------------------------------------------------------------

    def day_rules(self, year: int | None = None) -> list[DayRule]:
        """The holidays and adjusted working days the calendar holds, sorted by date."""
        rules = [DayRule(d, False, n) for d, n in self._holidays.items() if year is None or d.year == year]
        rules += [DayRule(d, True, n) for d, n in self._workdays.items() if year is None or d.year == year]
        return sorted(rules, key=lambda r: r.day)

    def with_rules(self, rules: Iterable[DayRule], confirmed_years: Iterable[int] = ()) -> WorkCalendar:
        """A new calendar in which ``rules`` override this one's data day by day.

        The rules' years, plus ``confirmed_years``, become confirmed. Other years are untouched.
        """
        hol = dict(self._holidays)
        work = dict(self._workdays)
        years = set(self._confirmed) | {int(y) for y in confirmed_years}
        seen: set[date] = set()
        for rule in rules:
            if rule.day in seen:
                raise ValueError(f"日期 {rule.day} 重复设置")
            seen.add(rule.day)
            _index(rule.day)
            hol.pop(rule.day, None)
            work.pop(rule.day, None)
            (work if rule.is_workday else hol)[rule.day] = rule.name
            years.add(rule.day.year)
        return WorkCalendar(holidays=hol, workdays=work, confirmed_years=years)

    def __repr__(self) -> str:
        return (
            f"<WorkCalendar confirmed_years={len(self._confirmed)} "
            f"holidays={len(self._holidays)} workdays={len(self._workdays)}>"
        )
