"""The request clock: scenarios for both rule sets, every event kind, refused extensions.

Expected dates are worked out by hand from chinesecalendar 1.11.0's data (see test_calendar.py).
Working days after Fri 2025-09-26, numbered (used by many cases below):
 1 09-28 (worked Sun)  2 09-29  3 09-30  [10-01..10-08 off]  4 10-09  5 10-10  6 10-11 (worked Sat)
 7 10-13 … 11 10-17   12 10-20 … 16 10-24   17 10-27 … 21 10-31   22 11-03 … 26 11-07
27 11-10 … 31 11-14   32 11-17 … 36 11-21   37 11-24 … 40 11-27
November and December 2025 have no holidays.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.workdays.bundled import bundled_calendar, parse_notice_csv
from gongkai.workdays.calendar import DayRule
from gongkai.workdays.clock import (
    ClockState,
    Event,
    EventKind,
    ExtensionRefused,
    check_event,
    check_extension,
    compute,
)
from gongkai.workdays.rules import rule_set

from .test_calendar import NOTICE_2027

D = dt.date
K = EventKind
CAL = bundled_calendar()
NATIONAL = rule_set("national-2019")
LOCAL = rule_set("seed-local")
BOTH = pytest.mark.parametrize("rules", [NATIONAL, LOCAL], ids=["national", "seed-local"])


def ev(kind: EventKind, on: dt.date, days: int = 0) -> Event:
    return Event(kind, on, days)


def run(rules, events, today, calendar=CAL, strict=False) -> ClockState:
    return compute(rules=rules, events=events, calendar=calendar, today=today, strict=strict)


def milestones(state: ClockState) -> dict[str, tuple[dt.date, dt.date | None]]:
    return {m.key: (m.due, m.done_on) for m in state.milestones}


# -- the plain case -----------------------------------------------------------------------------


@BOTH
def test_it_counts_from_the_day_after_receipt_across_the_national_day(rules):
    state = run(rules, [ev(K.RECEIVED, D(2025, 9, 26))], today=D(2025, 10, 10))
    assert state.due == D(2025, 10, 30)  # day 20
    assert state.counting_from == D(2025, 9, 26)
    assert (state.working_days_used, state.working_days_left) == (5, 15)
    assert state.running and state.paused_reason is None
    assert not state.overdue and state.lapsed is None and state.replied_on is None
    assert state.warnings == ()
    assert milestones(state)["correction_notice"] == (D(2025, 10, 13), None)  # day 7
    assert milestones(state)["reply"] == (D(2025, 10, 30), None)


def test_it_adds_the_seed_local_forwarding_and_department_milestones():
    events = [ev(K.RECEIVED, D(2025, 9, 26)), ev(K.FORWARDED, D(2025, 9, 29))]
    state = run(LOCAL, events, today=D(2025, 10, 9))
    marks = milestones(state)
    assert marks["forward"] == (D(2025, 10, 10), D(2025, 9, 29))  # add(received, 5)
    # add(2025-09-29, 10): 9-30, 10-9, 10-10, 10-11, 10-13..17, 10-20
    assert marks["department_answer"] == (D(2025, 10, 20), None)
    done = run(LOCAL, [*events, ev(K.DEPARTMENT_ANSWERED, D(2025, 10, 15))], today=D(2025, 10, 15))
    assert milestones(done)["department_answer"] == (D(2025, 10, 20), D(2025, 10, 15))
    assert [m.key for m in done.milestones] == ["forward", "correction_notice", "department_answer", "reply"]
    national = run(NATIONAL, events, today=D(2025, 10, 9))
    assert "forward" not in milestones(national) and "department_answer" not in milestones(national)


def test_it_moves_the_department_deadline_with_extensions_and_suspensions():
    events = [
        ev(K.RECEIVED, D(2025, 11, 3)),
        ev(K.FORWARDED, D(2025, 11, 4)),
        ev(K.SUSPENDED, D(2025, 11, 6)),
        ev(K.RESUMED, D(2025, 11, 10)),  # 11-07, 11-10 not counted: 2 days
        ev(K.EXTENDED, D(2025, 11, 12), 5),
    ]
    state = run(LOCAL, events, today=D(2025, 11, 12))
    # add(11-04, 10 + 5 + 2 = 17): 11-05..07 (3), 10..14 (8), 17..21 (13), 24..27 (17)
    assert milestones(state)["department_answer"][0] == D(2025, 11, 27)
    # reply: add(11-03, 20 + 5 + 2 = 27): 12-01..05 is 20..24, 12-08..10 is 25..27
    assert state.due == D(2025, 12, 10)


@BOTH
def test_it_reports_overdue_with_negative_days_left(rules):
    state = run(rules, [ev(K.RECEIVED, D(2025, 9, 26))], today=D(2025, 10, 31))
    assert state.overdue and state.running
    assert (state.working_days_used, state.working_days_left) == (21, -1)


@BOTH
def test_it_stops_at_the_reply_and_judges_it_on_time_or_late(rules):
    on_time = run(rules, [ev(K.RECEIVED, D(2025, 9, 26)), ev(K.REPLIED, D(2025, 10, 30))], D(2025, 12, 1))
    assert on_time.replied_on == D(2025, 10, 30)
    assert not on_time.overdue and not on_time.running and on_time.paused_reason is None
    assert (on_time.working_days_used, on_time.working_days_left) == (20, 0)
    assert "correction_notice" not in milestones(on_time)  # no correction was needed
    assert milestones(on_time)["reply"] == (D(2025, 10, 30), D(2025, 10, 30))
    late = run(rules, [ev(K.RECEIVED, D(2025, 9, 26)), ev(K.REPLIED, D(2025, 10, 31))], D(2025, 12, 1))
    assert late.overdue and late.working_days_left == -1


# -- correction (补正) ------------------------------------------------------------------------

CORRECTION = [ev(K.RECEIVED, D(2025, 9, 22)), ev(K.CORRECTION_REQUESTED, D(2025, 9, 24), 10)]


@BOTH
def test_it_stops_while_a_correction_is_awaited(rules):
    state = run(rules, CORRECTION, today=D(2025, 10, 9))
    assert not state.running and state.paused_reason == "等待申请人补正"
    # provisional: as if the corrected request arrived today (10-09): 10-10, 10-11, 10-13..17,
    # 10-20..24, 10-27..31, 11-03..05 → day 20 is 11-05
    assert state.due == D(2025, 11, 5)
    assert (state.working_days_used, state.working_days_left) == (0, 20)
    marks = milestones(state)
    # add(09-22, 7): 9-23, 24, 25, 26, 28 (worked Sun), 29, 30
    assert marks["correction_notice"] == (D(2025, 9, 30), D(2025, 9, 24))
    # add(09-24, 10): 9-25, 26, 28, 29, 30, 10-9, 10, 11, 13, 14
    assert marks["correction_due"] == (D(2025, 10, 14), None)


@BOTH
def test_it_restarts_the_count_from_the_corrected_request(rules):
    events = [
        ev(K.RECEIVED, D(2025, 9, 22)),
        ev(K.CONSULTATION_STARTED, D(2025, 9, 23)),  # a pause before the correction is dropped
        ev(K.CONSULTATION_ANSWERED, D(2025, 9, 24)),
        ev(K.CORRECTION_REQUESTED, D(2025, 9, 24), 10),
        ev(K.CORRECTION_RECEIVED, D(2025, 10, 13)),
    ]
    state = run(rules, events, today=D(2025, 10, 20))
    assert state.counting_from == D(2025, 10, 13)
    # add(10-13, 20): 10-14..17 (4), 20..24 (9), 27..31 (14), 11-03..07 (19), 11-10 (20)
    assert state.due == D(2025, 11, 10)
    assert state.running and state.working_days_used == 5
    assert milestones(state)["correction_due"] == (D(2025, 10, 14), D(2025, 10, 13))


@BOTH
def test_it_lapses_when_the_correction_period_passes(rules):
    awaiting = run(rules, CORRECTION, today=D(2025, 10, 14))
    assert awaiting.lapsed is None and awaiting.paused_reason == "等待申请人补正"
    lapsed = run(rules, CORRECTION, today=D(2025, 10, 15))
    assert lapsed.lapsed == "逾期未补正"
    assert not lapsed.running and not lapsed.overdue and lapsed.paused_reason is None
    recorded = run(rules, [*CORRECTION, ev(K.CORRECTION_LAPSED, D(2025, 10, 16))], today=D(2025, 10, 20))
    assert recorded.lapsed == "逾期未补正"
    replied = run(rules, [*CORRECTION, ev(K.REPLIED, D(2025, 10, 17))], today=D(2025, 12, 1))
    assert replied.lapsed == "逾期未补正" and replied.replied_on == D(2025, 10, 17)


@BOTH
def test_the_count_stops_on_the_day_a_lapse_is_recorded(rules):
    """A closed case uses no more working days (nor falls overdue) after the day it was closed."""
    events = [*CORRECTION, ev(K.CORRECTION_LAPSED, D(2025, 10, 16))]
    on_the_day = run(rules, events, today=D(2025, 10, 16))
    a_year_on = run(rules, events, today=D(2026, 11, 30))
    assert a_year_on.lapsed == "逾期未补正"
    assert a_year_on.working_days_used == on_the_day.working_days_used
    assert a_year_on.overdue is on_the_day.overdue is False


def test_it_accepts_a_late_correction_the_office_chose_to_accept():
    state = run(NATIONAL, [*CORRECTION, ev(K.CORRECTION_RECEIVED, D(2025, 10, 16))], today=D(2025, 10, 16))
    assert state.lapsed is None and state.running
    assert state.due == CAL.add(D(2025, 10, 16), 20)


# -- the correction notice's delivery (补正告知书送达) ---------------------------------------

# Delivered on Mon 09-29: add(09-29, 10) = 9-30, 10-9, 10, 11 (worked Sat), 13, 14, 15, 16, 17, 20.
DELIVERED = [*CORRECTION, ev(K.CORRECTION_DELIVERED, D(2025, 9, 29))]
UNDELIVERED = [*CORRECTION, ev(K.CORRECTION_UNDELIVERED, D(2025, 9, 26))]


@BOTH
def test_the_correction_period_runs_from_the_delivery_of_the_notice(rules):
    last_day = run(rules, DELIVERED, today=D(2025, 10, 20))
    assert milestones(last_day)["correction_due"] == (D(2025, 10, 20), None)
    assert last_day.lapsed is None and last_day.paused_reason == "等待申请人补正"
    assert not last_day.correction_undelivered
    day_after = run(rules, DELIVERED, today=D(2025, 10, 21))
    assert day_after.lapsed == "逾期未补正"
    # Without a recorded delivery the period still runs from the day the notice was issued.
    assert run(rules, CORRECTION, today=D(2025, 10, 15)).lapsed == "逾期未补正"


def test_a_notice_delivered_the_day_it_was_issued_keeps_the_period():
    same_day = run(NATIONAL, [*CORRECTION, ev(K.CORRECTION_DELIVERED, D(2025, 9, 24))], today=D(2025, 10, 14))
    assert milestones(same_day)["correction_due"] == (D(2025, 10, 14), None)
    assert same_day.lapsed is None
    next_day = run(NATIONAL, [*CORRECTION, ev(K.CORRECTION_DELIVERED, D(2025, 9, 25))], today=D(2025, 10, 15))
    assert milestones(next_day)["correction_due"] == (D(2025, 10, 15), None)
    assert next_day.lapsed is None


@BOTH
def test_a_notice_that_never_arrived_starts_no_correction_period(rules):
    state = run(rules, UNDELIVERED, today=D(2025, 12, 1))
    assert state.lapsed is None and state.correction_undelivered
    assert state.paused_reason == "等待申请人补正" and not state.running
    assert "correction_due" not in milestones(state)
    with pytest.raises(ValueError, match="未能送达"):
        run(rules, [*UNDELIVERED, ev(K.CORRECTION_LAPSED, D(2025, 11, 3))], today=D(2025, 12, 1), strict=True)


def test_a_new_delivery_after_a_failed_one_starts_the_period():
    # add(10-09, 10): 10-10, 11, 13, 14, 15, 16, 17, 20, 21, 22
    events = [*UNDELIVERED, ev(K.CORRECTION_DELIVERED, D(2025, 10, 9))]
    state = run(NATIONAL, events, today=D(2025, 10, 22))
    assert not state.correction_undelivered and state.lapsed is None
    assert milestones(state)["correction_due"] == (D(2025, 10, 22), None)
    assert run(NATIONAL, events, today=D(2025, 10, 23)).lapsed == "逾期未补正"
    run(NATIONAL, [*events, ev(K.CORRECTION_LAPSED, D(2025, 10, 23))], today=D(2025, 10, 23), strict=True)
    with pytest.raises(ValueError, match="尚未届满"):
        run(NATIONAL, [*events, ev(K.CORRECTION_LAPSED, D(2025, 10, 22))], today=D(2025, 10, 23), strict=True)


def test_a_failure_recorded_after_the_notice_arrived_does_not_undo_the_delivery():
    events = [*DELIVERED, ev(K.CORRECTION_UNDELIVERED, D(2025, 9, 30))]
    state = run(NATIONAL, events, today=D(2025, 10, 21))
    assert not state.correction_undelivered and state.lapsed == "逾期未补正"


def test_a_correction_received_despite_a_failed_delivery_restarts_the_count():
    events = [*UNDELIVERED, ev(K.CORRECTION_RECEIVED, D(2025, 10, 13))]
    state = run(NATIONAL, events, today=D(2025, 10, 20))
    assert not state.correction_undelivered and state.running and state.counting_from == D(2025, 10, 13)
    # A delivery recorded after the correction arrived changes nothing.
    later = run(NATIONAL, [*events, ev(K.CORRECTION_DELIVERED, D(2025, 10, 14))], today=D(2025, 10, 20))
    assert later.counting_from == D(2025, 10, 13) and later.due == state.due
    assert milestones(later)["correction_due"] == milestones(state)["correction_due"]


@pytest.mark.parametrize("kind", [K.CORRECTION_DELIVERED, K.CORRECTION_UNDELIVERED])
def test_it_refuses_a_delivery_without_a_correction_notice(kind):
    with pytest.raises(ValueError, match="之前没有补正告知"):
        check_event(
            rules=NATIONAL, events=RECEIVED, new=ev(kind, D(2025, 9, 29)), calendar=CAL, today=D(2025, 10, 9)
        )
    with pytest.raises(ValueError, match="之前没有补正告知"):
        check_event(
            rules=NATIONAL,
            events=CORRECTION,
            new=ev(kind, D(2025, 9, 23)),  # before the notice was issued
            calendar=CAL,
            today=D(2025, 10, 9),
        )
    check_event(
        rules=NATIONAL, events=CORRECTION, new=ev(kind, D(2025, 9, 24)), calendar=CAL, today=D(2025, 10, 9)
    )


# -- pauses: consultation, fee, force majeure ------------------------------------------------


@BOTH
def test_it_leaves_out_a_consultation_spanning_the_national_day_week(rules):
    events = [
        ev(K.RECEIVED, D(2025, 9, 22)),
        ev(K.CONSULTATION_STARTED, D(2025, 9, 25)),
        ev(K.CONSULTATION_ANSWERED, D(2025, 10, 10)),
    ]
    # Without the pause, day 20 after 09-22 is 10-24. The pause leaves out the working days in
    # (09-25, 10-10]: 9-26, 9-28 (worked Sun), 9-29, 9-30, 10-9, 10-10 = 6; so 6 more after
    # 10-24: 10-27..31, 11-03.
    state = run(rules, events, today=D(2025, 10, 13))
    assert state.due == D(2025, 11, 3)
    assert state.working_days_used == 5  # 9-23, 9-24, 9-25, then 10-11 (worked Sat) and 10-13
    assert state.running
    # add(09-25, 15): 9-26, 28, 29, 30, 10-9, 10, 11, 13..17, 20, 21, 22
    assert milestones(state)["consultation"] == (D(2025, 10, 22), D(2025, 10, 10))


@BOTH
def test_it_counts_an_open_pause_up_to_today(rules):
    events = [ev(K.RECEIVED, D(2025, 11, 3)), ev(K.CONSULTATION_STARTED, D(2025, 11, 5))]
    state = run(rules, events, today=D(2025, 11, 12))
    assert not state.running and state.paused_reason == "征求第三方意见"
    # 5 days paused (11-06, 07, 10, 11, 12): add(11-03, 25) = 12-08
    assert state.due == D(2025, 12, 8)
    assert (state.working_days_used, state.working_days_left) == (2, 18)


@BOTH
def test_it_leaves_out_the_fee_period_and_lapses_when_unpaid(rules):
    paid = [
        ev(K.RECEIVED, D(2025, 11, 3)),
        ev(K.FEE_NOTICE_SENT, D(2025, 11, 5)),
        ev(K.FEE_PAID, D(2025, 11, 12)),
    ]
    state = run(rules, paid, today=D(2025, 11, 20))
    assert state.due == D(2025, 12, 8) and state.running
    assert milestones(state)["fee_payment"] == (D(2025, 12, 3), D(2025, 11, 12))  # add(11-05, 20)
    unpaid = paid[:2]
    waiting = run(rules, unpaid, today=D(2025, 12, 3))
    assert waiting.paused_reason == "等待缴费" and waiting.lapsed is None
    lapsed = run(rules, unpaid, today=D(2025, 12, 4))
    assert lapsed.lapsed == "逾期未缴费" and not lapsed.running and not lapsed.overdue
    recorded = run(rules, [*unpaid, ev(K.FEE_LAPSED, D(2025, 12, 5))], today=D(2025, 12, 8))
    assert recorded.lapsed == "逾期未缴费"
    assert milestones(recorded)["fee_payment"] == (D(2025, 12, 3), None)


FEE_SENT = [ev(K.RECEIVED, D(2025, 11, 3)), ev(K.FEE_NOTICE_SENT, D(2025, 11, 5))]


@BOTH
def test_the_payment_period_runs_from_the_delivery_of_the_fee_notice(rules):
    # add(11-07, 20): 11-10..14, 17..21, 24..28, 12-01..05. Counted from 11-05 it ended on 12-03.
    delivered = [*FEE_SENT, ev(K.FEE_NOTICE_DELIVERED, D(2025, 11, 7))]
    last_day = run(rules, delivered, today=D(2025, 12, 5))
    assert last_day.lapsed is None and last_day.paused_reason == "等待缴费"
    assert milestones(last_day)["fee_payment"] == (D(2025, 12, 5), None)
    assert run(rules, delivered, today=D(2025, 12, 8)).lapsed == "逾期未缴费"
    with pytest.raises(ValueError, match="尚未届满"):
        run(rules, [*delivered, ev(K.FEE_LAPSED, D(2025, 12, 5))], today=D(2025, 12, 8), strict=True)
    run(rules, [*delivered, ev(K.FEE_LAPSED, D(2025, 12, 8))], today=D(2025, 12, 8), strict=True)


@BOTH
def test_a_fee_notice_that_never_arrived_starts_no_payment_period(rules):
    failed = [*FEE_SENT, ev(K.FEE_NOTICE_UNDELIVERED, D(2025, 11, 10))]
    state = run(rules, failed, today=D(2026, 1, 30))
    assert state.lapsed is None and state.fee_notice_undelivered and state.paused_reason == "等待缴费"
    assert "fee_payment" not in milestones(state)
    with pytest.raises(ValueError, match="未能送达"):
        run(rules, [*failed, ev(K.FEE_LAPSED, D(2025, 12, 8))], today=D(2025, 12, 8), strict=True)
    # A new attempt succeeds on 11-12: add(11-12, 20) = 12-10.
    retried = run(rules, [*failed, ev(K.FEE_NOTICE_DELIVERED, D(2025, 11, 12))], today=D(2025, 12, 10))
    assert not retried.fee_notice_undelivered and retried.lapsed is None
    assert milestones(retried)["fee_payment"] == (D(2025, 12, 10), None)
    # Paid despite the failed delivery: nothing is awaited any more.
    paid = run(rules, [*failed, ev(K.FEE_PAID, D(2025, 11, 20))], today=D(2025, 12, 10))
    assert not paid.fee_notice_undelivered and paid.running


def test_a_fee_notice_delivery_needs_a_fee_notice_and_changes_nothing_once_paid():
    for kind in (K.FEE_NOTICE_DELIVERED, K.FEE_NOTICE_UNDELIVERED):
        with pytest.raises(ValueError, match="之前没有收费通知"):
            run(
                NATIONAL,
                [ev(K.RECEIVED, D(2025, 11, 3)), ev(kind, D(2025, 11, 5))],
                today=D(2025, 12, 1),
                strict=True,
            )
    paid = [*FEE_SENT, ev(K.FEE_PAID, D(2025, 11, 12))]
    late = run(NATIONAL, [*paid, ev(K.FEE_NOTICE_UNDELIVERED, D(2025, 11, 13))], today=D(2025, 12, 1))
    assert not late.fee_notice_undelivered and late.running
    assert milestones(late)["fee_payment"] == (D(2025, 12, 3), D(2025, 11, 12))


@BOTH
def test_it_suspends_for_force_majeure_and_resumes(rules):
    events = [ev(K.RECEIVED, D(2025, 11, 3)), ev(K.SUSPENDED, D(2025, 11, 10))]
    suspended = run(rules, events, today=D(2025, 11, 14))
    assert suspended.paused_reason == "不可抗力中止" and not suspended.running
    resumed = run(rules, [*events, ev(K.RESUMED, D(2025, 11, 17))], today=D(2025, 11, 17))
    # (11-10, 11-17] = 11, 12, 13, 14, 17: 5 days; add(11-03, 25) = 12-08
    assert resumed.due == D(2025, 12, 8) and resumed.running


def test_it_counts_overlapping_pauses_once():
    events = [
        ev(K.RECEIVED, D(2025, 11, 3)),
        ev(K.CONSULTATION_STARTED, D(2025, 11, 5)),
        ev(K.SUSPENDED, D(2025, 11, 10)),
        ev(K.CONSULTATION_ANSWERED, D(2025, 11, 12)),
        ev(K.RESUMED, D(2025, 11, 19)),
    ]
    # union (11-05, 11-19]: 11-06, 07, 10..14, 17, 18, 19 = 10 days; add(11-03, 30) = 12-15
    assert run(LOCAL, events, today=D(2025, 11, 19)).due == D(2025, 12, 15)
    both_open = run(LOCAL, events[:3], today=D(2025, 11, 11))
    assert both_open.paused_reason == "征求第三方意见、不可抗力中止"


@given(
    offset=st.integers(min_value=0, max_value=40),
    length=st.integers(min_value=0, max_value=60),
    received=st.dates(min_value=D(2004, 1, 1), max_value=D(2026, 6, 30)),
)
def test_it_moves_the_due_date_by_exactly_the_paused_working_days(offset, length, received):
    start = received + dt.timedelta(days=offset)
    end = start + dt.timedelta(days=length)
    base = run(NATIONAL, [ev(K.RECEIVED, received)], today=received).due
    events = [ev(K.RECEIVED, received), ev(K.SUSPENDED, start), ev(K.RESUMED, end)]
    paused = CAL.count(start, end) if start < base else 0  # a pause from the due date on moves nothing
    assert run(NATIONAL, events, today=end).due == CAL.add(base, paused)


def test_it_keeps_an_overdue_case_overdue_when_it_is_suspended_afterwards():
    # Received 2025-03-03, due 2025-03-31; suspended on the due date and later resumed.
    events = [ev(K.RECEIVED, D(2025, 3, 3)), ev(K.SUSPENDED, D(2025, 3, 31))]
    for today in (D(2025, 4, 3), D(2025, 4, 5), D(2025, 4, 7)):
        state = run(NATIONAL, events, today=today)
        assert state.due == D(2025, 3, 31) and state.overdue, today
    resumed = run(NATIONAL, [*events, ev(K.RESUMED, D(2025, 4, 10))], today=D(2025, 4, 10))
    assert resumed.due == D(2025, 3, 31) and resumed.overdue


# -- extensions ---------------------------------------------------------------------------------

RECEIVED = [ev(K.RECEIVED, D(2025, 9, 26))]


@pytest.mark.parametrize(
    ("rules", "days", "due"), [(NATIONAL, 20, D(2025, 11, 27)), (LOCAL, 15, D(2025, 11, 20))]
)
def test_it_grants_the_longest_extension_on_the_last_day(rules, days, due):
    check_extension(rules=rules, events=RECEIVED, calendar=CAL, days=days, on=D(2025, 10, 30))
    state = run(rules, [*RECEIVED, ev(K.EXTENDED, D(2025, 10, 30), days)], today=D(2025, 11, 3))
    assert state.due == due and state.extension_days == days
    assert (state.working_days_used, state.working_days_left) == (22, 20 + days - 22)


@pytest.mark.parametrize(
    ("rules", "events", "days", "on", "message"),
    [
        (LOCAL, RECEIVED, 16, D(2025, 10, 10), "延长期限最长不得超过15个工作日"),
        (NATIONAL, RECEIVED, 21, D(2025, 10, 10), "延长期限最长不得超过20个工作日"),
        (LOCAL, [*RECEIVED, ev(K.EXTENDED, D(2025, 10, 9), 10)], 6, D(2025, 10, 10), "已延长10个工作日"),
        (NATIONAL, RECEIVED, 0, D(2025, 10, 10), "至少为1个工作日"),
        (NATIONAL, RECEIVED, 5, D(2025, 10, 31), "届满前决定"),
        (LOCAL, [*RECEIVED, ev(K.REPLIED, D(2025, 10, 20))], 5, D(2025, 10, 21), "已于2025年10月20日答复"),
        (NATIONAL, CORRECTION, 5, D(2025, 10, 9), "等待申请人补正"),
        (NATIONAL, CORRECTION, 5, D(2025, 10, 20), "逾期未补正"),
    ],
)
def test_it_refuses_extensions_with_the_reason(rules, events, days, on, message):
    with pytest.raises(ExtensionRefused, match=message) as refused:
        check_extension(rules=rules, events=events, calendar=CAL, days=days, on=on)
    assert message in refused.value.message


def test_it_refuses_to_compute_a_history_with_an_extension_too_long():
    events = [*RECEIVED, ev(K.EXTENDED, D(2025, 10, 9), 10), ev(K.EXTENDED, D(2025, 10, 10), 10)]
    assert run(NATIONAL, events, today=D(2025, 10, 10)).extension_days == 20
    with pytest.raises(ExtensionRefused, match="15个工作日"):
        run(LOCAL, events, today=D(2025, 10, 10), strict=True)
    # Read as stored (the rule set changed after the fact): kept, and named as an issue.
    state = run(LOCAL, events, today=D(2025, 10, 10))
    assert state.extension_days == 20
    assert [(i.position, i.event) for i in state.issues] == [(2, events[2])]
    assert "合计20个工作日" in state.issues[0].message


def test_it_warns_when_an_extension_crosses_into_an_unconfirmed_year_until_it_is_imported():
    events = [ev(K.RECEIVED, D(2026, 12, 1))]
    before = run(NATIONAL, events, today=D(2026, 12, 28))
    assert before.due == D(2026, 12, 29) and before.warnings == ()
    extended = [*events, ev(K.EXTENDED, D(2026, 12, 28), 20)]
    # 12-30, 12-31, then Monday–Friday in 2027: 01-01 (Fri) counts → day 40 is 2027-01-26
    state = run(NATIONAL, extended, today=D(2026, 12, 28))
    assert state.due == D(2027, 1, 26)
    assert len(state.warnings) == 1 and "2027年" in state.warnings[0]
    assert "节假日安排尚未确认" in state.warnings[0]
    # After importing a (hypothetical) 2027 notice with 01-01..01-03 off: one day later, no warning.
    year, rules_2027 = parse_notice_csv(NOTICE_2027)
    confirmed = CAL.with_rules(rules_2027, confirmed_years=[year])
    after = run(NATIONAL, extended, today=D(2026, 12, 28), calendar=confirmed)
    assert after.due == D(2027, 1, 27) and after.warnings == ()
    # seed-local, 15 days: day 35 is 2027-01-19 unconfirmed, 2027-01-20 with the notice.
    local = [*events, ev(K.EXTENDED, D(2026, 12, 28), 15)]
    assert run(LOCAL, local, today=D(2026, 12, 28)).due == D(2027, 1, 19)
    assert run(LOCAL, local, today=D(2026, 12, 28), calendar=confirmed).due == D(2027, 1, 20)


def test_it_warns_when_today_is_in_an_unconfirmed_year():
    state = run(NATIONAL, [ev(K.RECEIVED, D(2026, 12, 1))], today=D(2027, 1, 4))
    assert state.overdue and state.warnings


# -- impossible histories ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("events", "message"),
    [
        ([], "必须以“收到申请”开始"),
        ([ev(K.CONSULTATION_STARTED, D(2025, 9, 25)), *RECEIVED], "必须以“收到申请”开始"),
        ([*RECEIVED, ev(K.RECEIVED, D(2025, 9, 29))], "只能有一个"),
        ([*RECEIVED, ev(K.CONSULTATION_ANSWERED, D(2025, 9, 29))], "没有对应的“征求意见”"),
        ([*RECEIVED, ev(K.FEE_PAID, D(2025, 9, 29))], "没有对应的“发出收费通知”"),
        ([*RECEIVED, ev(K.RESUMED, D(2025, 9, 29))], "没有对应的“期限中止”"),
        ([*RECEIVED, ev(K.SUSPENDED, D(2025, 9, 29)), ev(K.SUSPENDED, D(2025, 9, 30))], "尚未结束"),
        ([*RECEIVED, ev(K.CORRECTION_RECEIVED, D(2025, 9, 29))], "没有待处理的补正告知"),
        ([*RECEIVED, ev(K.CORRECTION_REQUESTED, D(2025, 9, 29))], "至少1个工作日"),
        ([*CORRECTION, ev(K.CORRECTION_REQUESTED, D(2025, 9, 29), 5)], "正在等待申请人补正"),
        (
            [
                *CORRECTION,
                ev(K.CORRECTION_RECEIVED, D(2025, 9, 29)),
                ev(K.CORRECTION_REQUESTED, D(2025, 9, 30), 5),
            ],
            "一次性告知",
        ),
        ([*CORRECTION, ev(K.CORRECTION_LAPSED, D(2025, 10, 14))], "尚未届满"),
        ([*CORRECTION, ev(K.CORRECTION_LAPSED, D(2025, 10, 15)), ev(K.FORWARDED, D(2025, 10, 16))], "终止"),
        ([*RECEIVED, ev(K.FEE_LAPSED, D(2025, 10, 15))], "没有未缴费的收费通知"),
        ([*RECEIVED, ev(K.FEE_NOTICE_SENT, D(2025, 9, 29)), ev(K.FEE_LAPSED, D(2025, 10, 15))], "尚未届满"),
        ([*RECEIVED, ev(K.DEPARTMENT_ANSWERED, D(2025, 9, 29))], "没有“转交股室”"),
        ([*RECEIVED, ev(K.REPLIED, D(2025, 9, 29)), ev(K.FORWARDED, D(2025, 9, 30))], "之后不能再有"),
        ([*RECEIVED, ev(K.REPLIED, D(2025, 12, 29))], "晚于今天"),
    ],
)
def test_it_refuses_impossible_histories(events, message):
    with pytest.raises(ValueError, match=message):
        run(NATIONAL, events, today=D(2025, 12, 1), strict=True)


def test_it_sorts_events_by_date_before_use():
    events = [
        ev(K.CONSULTATION_ANSWERED, D(2025, 10, 10)),
        ev(K.REPLIED, D(2025, 11, 3)),
        ev(K.RECEIVED, D(2025, 9, 22)),
        ev(K.CONSULTATION_STARTED, D(2025, 9, 25)),
    ]
    state = run(NATIONAL, events, today=D(2025, 12, 1))
    assert state.due == D(2025, 11, 3) and state.replied_on == D(2025, 11, 3) and not state.overdue


def test_it_puts_the_receipt_first_and_the_reply_last_on_the_same_day():
    events = [ev(K.REPLIED, D(2025, 9, 26)), ev(K.RECEIVED, D(2025, 9, 26))]
    state = run(LOCAL, events, today=D(2025, 9, 26))
    assert state.replied_on == D(2025, 9, 26) and state.working_days_used == 0


# -- stored history after a calendar correction ----------------------------------------------

# Saturday 18 October 2025 made a working day after the fact: day 20 after 09-26 becomes 10-29.
CORRECTED = CAL.with_rules([DayRule(D(2025, 10, 18), True, "调休上班")])
EXTENDED_ON_DUE_DATE = [*RECEIVED, ev(K.EXTENDED, D(2025, 10, 30), 10)]


def test_it_keeps_an_extension_the_corrected_calendar_would_refuse_and_names_it():
    assert run(NATIONAL, EXTENDED_ON_DUE_DATE, today=D(2025, 11, 3)).issues == ()
    state = run(NATIONAL, EXTENDED_ON_DUE_DATE, today=D(2025, 11, 3), calendar=CORRECTED)
    assert state.due == D(2025, 11, 12) and state.extension_days == 10  # add(10-29, 10)
    (issue,) = state.issues
    assert (issue.position, issue.event) == (1, EXTENDED_ON_DUE_DATE[1])
    assert issue.message == "延长期限须在答复期限（2025年10月29日）届满前决定，2025年10月30日已超过期限"
    assert str(issue) == f"2025年10月30日“延长答复期限”：{issue.message}"
    with pytest.raises(ExtensionRefused, match="届满前决定"):
        run(NATIONAL, EXTENDED_ON_DUE_DATE, today=D(2025, 11, 3), calendar=CORRECTED, strict=True)


def test_it_lets_work_go_on_after_a_correction_but_judges_each_new_event():
    def check(new, history=EXTENDED_ON_DUE_DATE):
        check_event(rules=NATIONAL, events=history, new=new, calendar=CORRECTED, today=D(2025, 11, 3))

    check(ev(K.CONSULTATION_STARTED, D(2025, 11, 3)))
    check(ev(K.REPLIED, D(2025, 11, 3)))
    # Earlier extensions count towards the maximum as recorded.
    check_extension(
        rules=NATIONAL, events=EXTENDED_ON_DUE_DATE, calendar=CORRECTED, days=10, on=D(2025, 11, 3)
    )
    with pytest.raises(ExtensionRefused, match="已延长10个工作日"):
        check_extension(
            rules=NATIONAL, events=EXTENDED_ON_DUE_DATE, calendar=CORRECTED, days=11, on=D(2025, 11, 3)
        )
    with pytest.raises(ValueError, match="没有对应的“征求意见”"):
        check(ev(K.CONSULTATION_ANSWERED, D(2025, 11, 3)))
    with pytest.raises(ExtensionRefused, match="合计21个工作日"):
        check(ev(K.EXTENDED, D(2025, 11, 3), 11))
    with pytest.raises(ValueError, match="早于收到申请"):
        check(ev(K.FORWARDED, D(2025, 9, 25)))
    # A back-dated event that makes a later stored one irregular is refused too.
    answered = [*RECEIVED, ev(K.SUSPENDED, D(2025, 10, 9)), ev(K.RESUMED, D(2025, 10, 10))]
    with pytest.raises(ValueError, match="尚未结束"):
        check(ev(K.SUSPENDED, D(2025, 9, 29)), history=answered)
    # The first event of a case is its receipt.
    check(ev(K.RECEIVED, D(2025, 9, 26)), history=[])
    with pytest.raises(ValueError, match="必须以“收到申请”开始"):
        check(ev(K.FORWARDED, D(2025, 9, 26)), history=[])


def test_it_keeps_a_lapse_the_corrected_calendar_would_call_early():
    # Correction due add(09-24, 10) = 10-14 (9-25, 26, 28, 29, 30, 10-9, 10, 11, 13, 14); lapsed 10-15.
    lapsed = [*CORRECTION, ev(K.CORRECTION_LAPSED, D(2025, 10, 15))]
    holiday = CAL.with_rules([DayRule(D(2025, 10, 14), False, "补休")])
    state = run(NATIONAL, lapsed, today=D(2025, 10, 20), calendar=holiday)
    assert state.lapsed == "逾期未补正" and not state.running and not state.overdue
    assert [i.message for i in state.issues] == ["补正期限（2025年10月15日）尚未届满，不能认定逾期未补正"]
    fee = [
        *RECEIVED,
        ev(K.FEE_NOTICE_SENT, D(2025, 11, 3)),
        ev(K.FEE_LAPSED, D(2025, 12, 2)),
    ]  # payment due add(11-03, 20) = 12-01
    state = run(
        NATIONAL, fee, today=D(2025, 12, 5), calendar=CAL.with_rules([DayRule(D(2025, 11, 28), False, "")])
    )
    assert state.lapsed == "逾期未缴费"
    assert [i.message for i in state.issues] == ["缴费期限（2025年12月2日）尚未届满，不能认定逾期未缴费"]


@pytest.mark.parametrize(
    ("events", "message", "lapsed", "paused"),
    [
        (
            [ev(K.CONSULTATION_STARTED, D(2025, 9, 25)), *RECEIVED],
            "日期早于收到申请的日期（2025年9月26日）",
            None,
            None,
        ),
        ([*RECEIVED, ev(K.RECEIVED, D(2025, 9, 29))], "只能有一个", None, None),
        ([*RECEIVED, ev(K.FEE_PAID, D(2025, 9, 29))], "没有对应的“发出收费通知”", None, None),
        ([*RECEIVED, ev(K.CORRECTION_REQUESTED, D(2025, 9, 29))], "至少1个工作日", None, None),
        ([*RECEIVED, ev(K.FEE_LAPSED, D(2025, 10, 15))], "没有未缴费的收费通知", "逾期未缴费", None),
        ([*RECEIVED, ev(K.CORRECTION_LAPSED, D(2025, 10, 15))], "没有待处理的补正告知", "逾期未补正", None),
        ([*RECEIVED, ev(K.EXTENDED, D(2025, 9, 29), 0)], "延长期限至少为1个工作日", None, None),
        (
            [*RECEIVED, ev(K.SUSPENDED, D(2025, 9, 29)), ev(K.SUSPENDED, D(2025, 9, 30))],
            "已于2025年9月29日开始“期限中止”，尚未结束",
            None,
            "不可抗力中止",
        ),
        (
            [*RECEIVED, ev(K.REPLIED, D(2025, 9, 29)), ev(K.FORWARDED, D(2025, 9, 30))],
            "申请已于2025年9月29日答复，之后不能再有“转交股室”",
            None,
            None,
        ),
    ],
)
def test_it_names_what_a_stored_history_should_not_hold_and_still_gives_a_deadline(
    events, message, lapsed, paused
):
    state = run(NATIONAL, events, today=D(2025, 12, 1))
    assert [message in i.message for i in state.issues] == [True]
    assert state.due >= D(2025, 10, 30) and state.lapsed == lapsed and state.paused_reason == paused


# -- boundaries (mutation survivors, shared/research/mutation.md) -----------------------------


def test_it_applies_a_pause_after_one_nested_in_another():
    events = [
        ev(K.RECEIVED, D(2025, 11, 3)),
        ev(K.CONSULTATION_STARTED, D(2025, 11, 5)),
        ev(K.SUSPENDED, D(2025, 11, 10)),
        ev(K.RESUMED, D(2025, 11, 12)),
        ev(K.CONSULTATION_ANSWERED, D(2025, 11, 20)),
        ev(K.FEE_NOTICE_SENT, D(2025, 11, 25)),
        ev(K.FEE_PAID, D(2025, 11, 27)),
    ]
    # Day 20 is 12-01; (11-05, 11-20] holds 11 working days → 12-16; (11-25, 11-27] 2 more → 12-18.
    assert run(NATIONAL, events, today=D(2025, 12, 1)).due == D(2025, 12, 18)


def test_it_gives_the_day_counts_of_a_request_whose_correction_period_ran_out():
    state = run(NATIONAL, CORRECTION, today=D(2025, 10, 20))
    assert state.lapsed == "逾期未补正"
    # Counted from receipt (09-22) up to today, the correction never arrived: day 20 is 10-24.
    assert (state.due, state.working_days_used, state.working_days_left) == (D(2025, 10, 24), 16, 4)


def test_it_puts_the_receipt_before_another_event_on_the_same_day():
    events = [ev(K.CONSULTATION_STARTED, D(2025, 9, 26)), ev(K.RECEIVED, D(2025, 9, 26))]
    state = run(NATIONAL, events, today=D(2025, 9, 29), strict=True)
    assert state.paused_reason == "征求第三方意见" and state.issues == ()


def test_it_accepts_a_correction_period_and_an_extension_of_exactly_one_working_day():
    events = [*RECEIVED, ev(K.CORRECTION_REQUESTED, D(2025, 9, 29), 1)]
    state = run(NATIONAL, events, today=D(2025, 9, 29), strict=True)
    assert milestones(state)["correction_due"] == (D(2025, 9, 30), None)
    check_extension(rules=NATIONAL, events=RECEIVED, calendar=CAL, days=1, on=D(2025, 10, 10))
    extended = run(
        NATIONAL, [*RECEIVED, ev(K.EXTENDED, D(2025, 10, 10), 1)], today=D(2025, 10, 10), strict=True
    )
    assert extended.due == D(2025, 10, 31) and extended.extension_days == 1


def test_it_refuses_a_stored_extension_of_no_days():
    with pytest.raises(ExtensionRefused, match="延长期限至少为1个工作日"):
        run(NATIONAL, [*RECEIVED, ev(K.EXTENDED, D(2025, 10, 10), 0)], today=D(2025, 10, 10), strict=True)


def test_it_says_why_and_when_a_request_stopped():
    events = [*CORRECTION, ev(K.CORRECTION_LAPSED, D(2025, 10, 15)), ev(K.FORWARDED, D(2025, 10, 16))]
    with pytest.raises(ValueError) as refused:
        run(NATIONAL, events, today=D(2025, 12, 1), strict=True)
    assert str(refused.value) == "申请已因逾期未补正于2025年10月15日终止，之后不能再有“转交股室”"


def test_it_keeps_its_results_immutable():
    state = run(NATIONAL, EXTENDED_ON_DUE_DATE, today=D(2025, 11, 3), calendar=CORRECTED)
    frozen_parts = (
        (state, "due"),
        (state.milestones[0], "due"),
        (state.issues[0], "message"),
        (RECEIVED[0], "on"),
    )
    for frozen, field in frozen_parts:
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(frozen, field, None)


def test_it_puts_the_reply_after_another_event_on_the_same_day():
    events = [*RECEIVED, ev(K.REPLIED, D(2025, 9, 29)), ev(K.FORWARDED, D(2025, 9, 29))]
    state = run(NATIONAL, events, today=D(2025, 9, 30), strict=True)
    assert state.replied_on == D(2025, 9, 29) and state.issues == ()


def test_it_lists_a_consultation_after_a_suspension_among_the_milestones():
    events = [
        *RECEIVED,
        ev(K.SUSPENDED, D(2025, 9, 29)),
        ev(K.RESUMED, D(2025, 9, 30)),
        ev(K.CONSULTATION_STARTED, D(2025, 10, 9)),
    ]
    assert "consultation" in milestones(run(NATIONAL, events, today=D(2025, 10, 10)))
