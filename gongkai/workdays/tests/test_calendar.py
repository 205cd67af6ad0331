"""The working-day calendar: real 2024–2026 holidays and 调休, properties, the notice CSV.

Expected dates in the tables were worked out by hand from chinesecalendar 1.11.0's data
(``constants.holidays`` / ``constants.workdays``), never by calling the code under test:

2024  Labour Day: 04-28 (Sun) worked; 05-01..05-05 off; 05-11 (Sat) worked.
2025  National Day + Mid-autumn: 09-28 (Sun) worked; 10-01..10-08 off; 10-11 (Sat) worked.
2026  New Year: 01-01..01-03 off; 01-04 (Sun) worked.
      Spring Festival: 02-14 (Sat) worked; 02-15..02-23 off; 02-28 (Sat) worked.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.workdays.bundled import BUNDLED_SOURCE, bundled_calendar, parse_notice_csv
from gongkai.workdays.calendar import (
    FIRST,
    LAST,
    UNCONFIRMED_WARNING,
    DayRule,
    WorkCalendar,
    unconfirmed_warning,
)

D = dt.date
CAL = bundled_calendar()


def _naive_add(cal: WorkCalendar, start: dt.date, n: int) -> dt.date:
    """Reference implementation: walk day by day (tests only)."""
    day = start
    while n:
        day += dt.timedelta(days=1)
        if cal.is_workday(day):
            n -= 1
    return day


# -- single days ------------------------------------------------------------------------------

WORKDAY_TABLE = [
    (D(2025, 9, 27), False, "ordinary Saturday"),
    (D(2025, 9, 28), True, "Sunday worked for National Day (调休)"),
    (D(2025, 10, 1), False, "National Day"),
    (D(2025, 10, 6), False, "Mid-autumn inside the National Day week"),
    (D(2025, 10, 8), False, "last day of the 2025 National Day holiday"),
    (D(2025, 10, 9), True, "first working day after it"),
    (D(2025, 10, 11), True, "Saturday worked for National Day (调休)"),
    (D(2024, 4, 28), True, "Sunday worked for Labour Day 2024"),
    (D(2024, 5, 3), False, "Labour Day 2024, a Friday"),
    (D(2024, 5, 11), True, "Saturday worked for Labour Day 2024"),
    (D(2026, 1, 2), False, "New Year 2026, a Friday"),
    (D(2026, 1, 4), True, "Sunday worked for New Year 2026"),
    (D(2026, 2, 14), True, "Saturday worked before the Spring Festival 2026"),
    (D(2026, 2, 23), False, "last day of the Spring Festival 2026 (Monday)"),
    (D(2026, 2, 28), True, "Saturday worked after the Spring Festival 2026"),
    (D(2027, 1, 1), True, "unconfirmed 2027: Monday–Friday fallback"),
    (D(2027, 1, 2), False, "unconfirmed 2027: Saturday"),
]


@pytest.mark.parametrize(("day", "expected", "why"), WORKDAY_TABLE)
def test_it_knows_working_days_around_real_holidays(day, expected, why):
    assert CAL.is_workday(day) is expected, why


def test_it_names_holidays_in_chinese():
    assert CAL.holiday_name(D(2025, 10, 1)) == "国庆节"
    assert CAL.holiday_name(D(2025, 10, 6)) == "中秋节"
    assert CAL.holiday_name(D(2026, 2, 17)) == "春节"
    assert CAL.holiday_name(D(2025, 9, 28)) is None
    assert CAL.workday_name(D(2025, 9, 28)) == "国庆节"
    assert CAL.holiday_name(D(2025, 9, 29)) is None


# -- adding working days ----------------------------------------------------------------------

ADD_TABLE = [
    # start, n, expected, why
    (D(2025, 9, 26), 1, D(2025, 9, 28), "Friday before the worked Sunday: day 1 is that Sunday"),
    (D(2025, 9, 26), 4, D(2025, 10, 9), "9-28, 9-29, 9-30, then the holiday week is skipped"),
    (D(2025, 9, 26), 20, D(2025, 10, 30), "reply due for a request received Fri 2025-09-26"),
    (D(2025, 9, 27), 20, D(2025, 10, 30), "received on the Saturday: same day 1 (Sun 9-28)"),
    (D(2025, 9, 28), 20, D(2025, 10, 31), "received on the worked Sunday itself: day 1 is 9-29"),
    (D(2025, 10, 3), 1, D(2025, 10, 9), "received on a holiday: day 1 is the first day back"),
    (D(2025, 10, 3), 20, D(2025, 11, 4), "10-9,10,11(Sat),13..17,20..24,27..31,11-3,11-4"),
    (D(2025, 10, 12), 20, D(2025, 11, 7), "received on an ordinary Sunday: four full weeks"),
    (D(2025, 9, 26), 7, D(2025, 10, 13), "correction notice (7 days) from Fri 2025-09-26"),
    (D(2025, 9, 26), 40, D(2025, 11, 27), "20 days plus a 20-day national extension"),
    (D(2026, 2, 14), 1, D(2026, 2, 24), "received on the worked Saturday before the Spring Festival"),
    (D(2026, 2, 14), 5, D(2026, 2, 28), "2-24..2-27, then the worked Saturday 2-28"),
    (D(2026, 2, 14), 20, D(2026, 3, 20), "2-24..27, 2-28, then three full weeks of March"),
    (D(2026, 2, 13), 20, D(2026, 3, 19), "Friday before: day 1 is the worked Saturday 2-14"),
    (D(2026, 2, 14), 7, D(2026, 3, 3), "correction notice from 2026-02-14"),
    (D(2024, 4, 26), 1, D(2024, 4, 28), "Friday before the worked Sunday 2024-04-28"),
    (D(2024, 4, 26), 9, D(2024, 5, 11), "4-28,29,30, 5-6..10, then the worked Saturday 5-11"),
    (D(2024, 4, 26), 20, D(2024, 5, 27), "reply due across Labour Day 2024"),
    (D(2025, 12, 31), 1, D(2026, 1, 4), "New Year 2026: day 1 is the worked Sunday"),
    (D(2025, 12, 31), 20, D(2026, 1, 29), "1-4, 1-5..9, 12..16, 19..23, 26..29"),
    (D(2026, 12, 1), 20, D(2026, 12, 29), "December 2026 has no holidays"),
    (D(2026, 12, 1), 40, D(2027, 1, 26), "into unconfirmed 2027: Monday–Friday, 2027-01-01 counts"),
    (D(2025, 10, 1), 0, D(2025, 10, 1), "adding nothing returns the start, even a holiday"),
]


@pytest.mark.parametrize(("start", "n", "expected", "why"), ADD_TABLE)
def test_it_adds_working_days_around_real_holidays(start, n, expected, why):
    assert CAL.add(start, n) == expected, why
    assert CAL.count(start, expected) == n, why
    assert CAL.add_many([start], [n]) == [expected]
    assert CAL.add_many([start.toordinal()], [n]) == [expected]


def test_it_counts_working_days_in_a_half_open_interval():
    assert CAL.count(D(2025, 9, 30), D(2025, 10, 9)) == 1
    assert CAL.count(D(2025, 10, 1), D(2025, 10, 8)) == 0
    assert CAL.count(D(2025, 10, 9), D(2025, 10, 9)) == 0
    assert CAL.count(D(2025, 10, 9), D(2025, 9, 1)) == 0
    assert CAL.count(D(2025, 9, 26), D(2025, 10, 11)) == 6


def test_it_finds_the_next_working_day():
    assert CAL.next_workday(D(2025, 9, 26)) == D(2025, 9, 28)
    assert CAL.next_workday(D(2025, 9, 30)) == D(2025, 10, 9)
    assert CAL.next_workday(D(2026, 2, 13)) == D(2026, 2, 14)


def test_it_refuses_dates_outside_its_range_and_negative_counts():
    with pytest.raises(ValueError, match="超出工作日历的范围"):
        CAL.is_workday(D(1999, 12, 31))
    with pytest.raises(ValueError, match="超出工作日历的范围"):
        CAL.add(LAST, 1)
    with pytest.raises(ValueError, match="超出工作日历的范围"):
        CAL.add_many([D(2101, 1, 1)], [1])
    with pytest.raises(ValueError, match="负数"):
        CAL.add(D(2025, 1, 1), -1)
    with pytest.raises(ValueError, match="长度"):
        CAL.add_many([D(2025, 1, 1)], [1, 2])
    assert CAL.add(FIRST, 1) == D(2000, 1, 3)


def test_it_holds_exactly_first_to_last():
    assert D(2100, 12, 31) == LAST
    CAL.is_workday(LAST)  # the last day is inside
    with pytest.raises(ValueError, match="超出工作日历的范围"):
        CAL.is_workday(LAST + dt.timedelta(days=1))
    with pytest.raises(ValueError, match="超出工作日历的范围"):
        CAL.add(LAST + dt.timedelta(days=1), 0)


def test_its_batch_refuses_what_single_adds_refuse():
    with pytest.raises(ValueError, match="负数"):
        CAL.add_many([D(2025, 1, 1), D(2025, 1, 2)], [-1, 1])
    with pytest.raises(ValueError, match="超出工作日历的范围"):
        CAL.add_many([LAST], [1])
    with pytest.raises(ValueError, match="超出工作日历的范围"):
        CAL.add_many([FIRST - dt.timedelta(days=1)], [0])
    last_workday = max(d for d in (LAST - dt.timedelta(days=k) for k in range(10)) if CAL.is_workday(d))
    before = CAL.add_many([last_workday - dt.timedelta(days=10)], [0])
    assert before == [last_workday - dt.timedelta(days=10)]
    assert CAL.add(CAL.next_workday(LAST - dt.timedelta(days=20)), 0) <= LAST


def test_it_lists_its_rules_with_their_kind_and_year():
    rules = CAL.day_rules(2025)
    assert rules[0] == DayRule(D(2025, 1, 1), False, "元旦")
    assert any(r.day == D(2025, 9, 28) and r.is_workday for r in rules)  # 调休: a Sunday worked
    assert not any(r.day == D(2025, 9, 27) for r in rules)  # an ordinary Saturday is no rule
    assert all(r.day.year == 2025 for r in rules)
    assert [r.day for r in rules] == sorted(r.day for r in rules)
    everything = CAL.day_rules()
    assert {r.day.year for r in everything} >= {2024, 2025, 2026}
    assert len(everything) > len(rules)
    assert "confirmed_years=" in repr(CAL) and "holidays=" in repr(CAL)


def test_it_names_the_earliest_conflicting_date():
    with pytest.raises(ValueError, match="日期 2025-03-03 不能"):
        WorkCalendar(
            holidays={D(2025, 3, 4): "b", D(2025, 3, 3): "a"},
            workdays={D(2025, 3, 4): "b", D(2025, 3, 3): "a"},
            confirmed_years=[2025],
        )


# -- confirmation and administrators' rules -----------------------------------------------------


def test_it_confirms_the_years_the_package_covers():
    assert BUNDLED_SOURCE == "chinesecalendar 1.11.0"
    assert CAL.confirmed_years() == list(range(2004, 2027))
    assert CAL.is_confirmed(2026)
    assert not CAL.is_confirmed(2027)
    assert CAL.unconfirmed_years_between(D(2026, 12, 1), D(2028, 1, 5)) == [2027, 2028]
    assert CAL.unconfirmed_years_between(D(2027, 3, 1), D(2026, 3, 1)) == [2027]
    assert CAL.unconfirmed_years_between(D(2025, 1, 1), D(2026, 12, 31)) == []


def test_it_words_the_unconfirmed_warning():
    assert unconfirmed_warning([]) is None
    text = unconfirmed_warning([2028, 2027, 2027])
    assert text == f"{UNCONFIRMED_WARNING}（2027年、2028年），期限暂按周一至周五推算"
    assert "节假日安排尚未确认" in text


# A hypothetical 2027 notice (the real one is not published yet), modelled on 2021, when New
# Year's Day also fell on a Friday: 01-01..01-03 off with no adjusted day; Spring Festival
# (New Year's Eve is Fri 2027-02-05) 02-05..02-13 off, Sun 01-31 and Sat 02-20 worked.
NOTICE_2027 = """date,type,name
2027-01-01,holiday,元旦
2027-01-02,holiday,元旦
2027-01-03,holiday,元旦
2027-01-31,workday,春节
2027-02-05,休,春节
2027-02-06,休,春节
2027-02-07,休,春节
2027-02-08,假日,春节
2027-02-09,假日,春节
2027-02-10,假日,春节
2027-02-11,假日,春节
2027-02-12,假日,春节
2027-02-13,假日,春节
2027-02-20,调休上班,春节
"""


def test_it_applies_an_imported_notice_and_confirms_the_year():
    year, rules = parse_notice_csv(NOTICE_2027)
    assert year == 2027
    cal = CAL.with_rules(rules)
    assert cal.is_confirmed(2027)
    assert cal.unconfirmed_years_between(D(2026, 12, 1), D(2027, 2, 1)) == []
    # 40 working days from 2026-12-01: 20 in December, 12-30, 12-31, then January 2027
    # without 01-01: 01-04..08, 11..15, 18..22, 25..27 → 2027-01-27 (was 01-26 unconfirmed).
    assert cal.add(D(2026, 12, 1), 40) == D(2027, 1, 27)
    assert cal.is_workday(D(2027, 1, 31))
    assert not cal.is_workday(D(2027, 2, 8))
    assert cal.holiday_name(D(2027, 2, 8)) == "春节"
    assert cal.add(D(2027, 2, 4), 1) == D(2027, 2, 15)
    assert cal.add(D(2027, 2, 19), 1) == D(2027, 2, 20)
    # The bundled calendar itself is unchanged (immutable).
    assert not CAL.is_confirmed(2027)
    assert CAL.add(D(2026, 12, 1), 40) == D(2027, 1, 26)


def test_it_lets_rules_override_bundled_days_and_confirm_empty_years():
    cal = CAL.with_rules(
        [DayRule(D(2025, 10, 8), True, "补班"), DayRule(D(2025, 10, 13), False, "地方节日")],
        confirmed_years=[2030],
    )
    assert cal.is_workday(D(2025, 10, 8))
    assert cal.holiday_name(D(2025, 10, 8)) is None
    assert not cal.is_workday(D(2025, 10, 13))
    assert cal.holiday_name(D(2025, 10, 13)) == "地方节日"
    assert cal.is_confirmed(2030)
    assert len(cal.day_rules(2025)) == len(CAL.day_rules(2025)) + 1
    with pytest.raises(ValueError, match="重复"):
        CAL.with_rules([DayRule(D(2027, 1, 1), False), DayRule(D(2027, 1, 1), True)])


def test_it_refuses_a_day_that_is_both_holiday_and_workday():
    with pytest.raises(ValueError, match="既是节假日又是调休上班日"):
        WorkCalendar(holidays={D(2025, 1, 1): "元旦"}, workdays={D(2025, 1, 1): "元旦"}, confirmed_years=[])


def test_it_falls_back_to_monday_to_friday_without_data():
    cal = WorkCalendar(holidays={}, workdays={}, confirmed_years=[])
    assert cal.add(D(2025, 9, 26), 20) == D(2025, 10, 24)
    assert cal.confirmed_years() == []


# -- properties (hypothesis) ------------------------------------------------------------------

# The strategies stay inside the documented domain of `add`: the result must not pass LAST
# (adding beyond it raises, which test_it_refuses_to_add_past_the_end checks on its own). A test
# adds at most two counts, so starts end four years (over 1,000 working days) before LAST.
MAX_COUNT = 400
SAFE_END = D(LAST.year - 4, 12, 31)
dates = st.dates(min_value=FIRST, max_value=SAFE_END)
near = st.dates(min_value=D(2003, 1, 1), max_value=D(2028, 12, 31))
counts = st.integers(min_value=0, max_value=MAX_COUNT)


def test_the_strategies_stay_inside_the_calendar():
    assert CAL.add(SAFE_END, 2 * MAX_COUNT) <= LAST


@given(
    start=st.dates(min_value=D(LAST.year - 1, 1, 1), max_value=LAST),
    n=st.integers(min_value=600, max_value=10_000),  # two years hold fewer than 600 working days
)
def test_it_refuses_to_add_past_the_end(start, n):
    with pytest.raises(ValueError, match="超出工作日历的范围"):
        CAL.add(start, n)
    with pytest.raises(ValueError, match="超出工作日历的范围"):
        CAL.add_many([start], [n])


@given(start=dates, n=st.integers(min_value=1, max_value=400))
def test_it_always_lands_on_a_working_day(start, n):
    assert CAL.is_workday(CAL.add(start, n))


@given(start=near, n=st.integers(min_value=0, max_value=60))
def test_it_agrees_with_walking_day_by_day(start, n):
    assert CAL.add(start, n) == _naive_add(CAL, start, n)


@given(start=dates, n=counts, m=counts)
def test_it_adds_n_then_m_as_n_plus_m(start, n, m):
    assert CAL.add(CAL.add(start, n), m) == CAL.add(start, n + m)


@given(start=dates, n=counts)
def test_it_counts_what_it_adds(start, n):
    assert CAL.count(start, CAL.add(start, n)) == n


@given(a=dates, b=dates, n=counts)
def test_it_never_gives_an_earlier_date_for_a_later_start(a, b, n):
    first, second = sorted((a, b))
    assert CAL.add(first, n) <= CAL.add(second, n)


@given(starts=st.lists(dates, max_size=20), data=st.data())
def test_it_adds_in_batches_exactly_as_one_by_one(starts, data):
    ns = data.draw(st.lists(counts, min_size=len(starts), max_size=len(starts)))
    assert CAL.add_many(starts, ns) == [CAL.add(s, n) for s, n in zip(starts, ns, strict=True)]


@settings(max_examples=40)
@given(
    year=st.integers(min_value=2004, max_value=2035),
    picks=st.lists(st.tuples(st.integers(0, 364), st.booleans()), max_size=12),
    probes=st.lists(near, min_size=1, max_size=30),
)
def test_it_never_changes_other_years_when_rules_override_one(year, picks, probes):
    start = D(year, 1, 1)
    days = {start + dt.timedelta(days=offset): is_work for offset, is_work in picks}
    cal = CAL.with_rules([DayRule(d, w, "测试") for d, w in days.items()])
    for day, is_work in days.items():
        assert cal.is_workday(day) is is_work
    for probe in probes:
        if probe.year != year:
            assert cal.is_workday(probe) == CAL.is_workday(probe)
            assert cal.holiday_name(probe) == CAL.holiday_name(probe)
            assert cal.is_confirmed(probe.year) == CAL.is_confirmed(probe.year)


# -- the notice CSV -----------------------------------------------------------------------------


def test_it_parses_a_notice_with_chinese_types_header_and_bom():
    text = "\ufeff日期,类型,名称\n2026/1/1,休,元旦\n\n2026-01-04,班,元旦\n2026-01-02,holiday\n"
    year, rules = parse_notice_csv(text)
    assert year == 2026
    assert rules == [
        DayRule(D(2026, 1, 1), False, "元旦"),
        DayRule(D(2026, 1, 2), False, ""),
        DayRule(D(2026, 1, 4), True, "元旦"),
    ]


HEAD = "date,type,name\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "文件为空"),
        ("  \n\n", "文件为空"),
        ("date,type,name\n", "没有日期数据"),
        ("day,kind\n2027-01-01,holiday,元旦\n", "第1行：表头"),
        ("date,type,name\n2027-01-01,holiday,元旦\n2027-13-01,holiday,元旦\n", "第3行：日期“2027-13-01”无效"),
        ("date,type,name\n2027-02-30,holiday,x\n", "第2行：日期“2027-02-30”无效"),
        ("date,type,name\n2027-01-01,vacation,元旦\n", "第2行：类型“vacation”无法识别"),
        (
            "date,type,name\n2027-01-01,holiday,元旦\n2028-01-01,holiday,元旦\n",
            "第3行.*2028年.*第2行的2027年",
        ),
        (
            "date,type,name\n2027-01-01,holiday,元旦\n2027-01-01,workday,元旦\n",
            "第3行：日期 2027-01-01 与第2行重复",
        ),
        ("date,type,name\n2027-01-01,holiday,元旦,extra\n", "第2行：应有3列"),
    ],
)
def test_it_rejects_bad_notice_files_naming_the_line(text, message):
    with pytest.raises(ValueError, match=message):
        parse_notice_csv(text)
