"""Urgency of a request on a day (workdays.urgency): the agency's milestones, missed or due within
3 working days; table-driven on November 2025 (no holidays; received Monday 3 November: the reply
is due on Monday 1 December; seed-local forward by 10 November, department answer 10 working days
after the forward)."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.workdays.bundled import bundled_calendar
from gongkai.workdays.clock import Event, EventKind, compute
from gongkai.workdays.rules import rule_set
from gongkai.workdays.urgency import NOT_URGENT, urgency

D = dt.date
K = EventKind
CAL = bundled_calendar()
RECEIVED = Event(K.RECEIVED, D(2025, 11, 3))
FORWARDED = Event(K.FORWARDED, D(2025, 11, 4))  # department answers by 18 November


def level(rules: str, events: list[Event], today: dt.date) -> tuple[str, tuple[str, ...]]:
    state = compute(rules=rule_set(rules), events=events, calendar=CAL, today=today)
    found = urgency(state, today=today, calendar=CAL)
    return found.level, tuple(m.key for m in (found.missed or found.due_soon))


@pytest.mark.parametrize(
    ("rules", "events", "today", "expected"),
    [
        # The statutory reply: due soon at three working days, not at four; missed the day after.
        ("national-2019", [RECEIVED], D(2025, 11, 25), ("", ())),
        ("national-2019", [RECEIVED], D(2025, 11, 26), ("due_soon", ("reply",))),
        ("national-2019", [RECEIVED], D(2025, 11, 29), ("due_soon", ("reply",))),  # a Saturday
        ("national-2019", [RECEIVED], D(2025, 12, 1), ("due_soon", ("reply",))),  # due today
        ("national-2019", [RECEIVED], D(2025, 12, 2), ("overdue", ("reply",))),
        # National rules have no internal milestones.
        ("national-2019", [RECEIVED, FORWARDED], D(2025, 11, 19), ("", ())),
        # Seed-local: the office's five days to forward.
        ("seed-local", [RECEIVED], D(2025, 11, 4), ("", ())),
        ("seed-local", [RECEIVED], D(2025, 11, 5), ("due_soon", ("forward",))),
        ("seed-local", [RECEIVED], D(2025, 11, 11), ("overdue", ("forward",))),
        # … met: the department's ten days count instead.
        ("seed-local", [RECEIVED, FORWARDED], D(2025, 11, 12), ("", ())),
        ("seed-local", [RECEIVED, FORWARDED], D(2025, 11, 13), ("due_soon", ("department_answer",))),
        ("seed-local", [RECEIVED, FORWARDED], D(2025, 11, 18), ("due_soon", ("department_answer",))),
        ("seed-local", [RECEIVED, FORWARDED], D(2025, 11, 19), ("overdue", ("department_answer",))),
        # The department answered: only the reply remains.
        (
            "seed-local",
            [RECEIVED, FORWARDED, Event(K.DEPARTMENT_ANSWERED, D(2025, 11, 17))],
            D(2025, 11, 19),
            ("", ()),
        ),
        # Both missed: listed earliest first.
        ("seed-local", [RECEIVED], D(2025, 12, 2), ("overdue", ("forward", "reply"))),
        # A late forward is done (history, not a task); the department's days run from it (28 Nov).
        ("seed-local", [RECEIVED, Event(K.FORWARDED, D(2025, 11, 14))], D(2025, 11, 20), ("", ())),
        (
            "seed-local",
            [RECEIVED, Event(K.FORWARDED, D(2025, 11, 14))],
            D(2025, 11, 25),
            ("due_soon", ("department_answer",)),
        ),
    ],
)
def test_it_grades_the_agencys_milestones(rules, events, today, expected):
    assert level(rules, events, today) == expected


@pytest.mark.parametrize("rules", ["national-2019", "seed-local"])
def test_nothing_is_urgent_once_replied_lapsed_or_while_a_correction_is_awaited(rules):
    today = D(2025, 12, 10)
    cases = [
        [RECEIVED, Event(K.REPLIED, D(2025, 12, 5))],  # replied late: history, not a task
        [RECEIVED, Event(K.CORRECTION_REQUESTED, D(2025, 11, 4), 30)],  # awaiting the applicant
        [RECEIVED, Event(K.CORRECTION_REQUESTED, D(2025, 11, 4), 5)],  # correction period ran out
    ]
    for events in cases:
        state = compute(rules=rule_set(rules), events=events, calendar=CAL, today=today)
        assert urgency(state, today=today, calendar=CAL) == NOT_URGENT, events


def test_the_optional_correction_notice_period_is_never_overdue():
    # Day 8 after receipt: the 补正告知 period has passed, but no correction was needed.
    assert level("national-2019", [RECEIVED], D(2025, 11, 13)) == ("", ())
