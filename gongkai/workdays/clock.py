"""The request clock (依申请公开期限): deadlines computed from a rule set and a case's events.

Pure Python, no Django. Nothing is stored: ``compute`` is called with the case's events and
today's date whenever a deadline is shown, so a calendar change recomputes every deadline.

Semantics (DESIGN.md §3):

* the day of receipt never counts: the reply is due ``add(counting_from, reply_days + extension
  + paused working days)``;
* a correction (补正) restarts the count from the day the corrected request is received; pauses
  before that day are dropped; while the correction is awaited the clock is stopped, and the
  request lapses when the correction period passes without a correction. The correction period
  runs from the day the correction notice was delivered (补正告知书送达) when a delivery is recorded,
  else from the day it was issued; while the notice's only recorded delivery failed (送达失败) the
  period has not started, so the request cannot lapse (``ClockState.correction_undelivered``);
* consultation (征求意见), a fee notice (收费通知) and force majeure (不可抗力中止) pause the
  clock: a pause from S to E leaves out the working days in (S, E]; an open pause counts up to
  today; a fee not paid within the payment period lapses the request. Like the correction
  period, the payment period runs from the day the fee notice was delivered when a delivery is
  recorded, and not at all while its only recorded delivery failed
  (``ClockState.fee_notice_undelivered``);
* a reply stops everything.

Stored history is never refused on reading: an administrator may correct the calendar after the
fact (an adjusted working day added, a holiday moved), and a case's recorded events, which were
allowed when they were recorded, may then look irregular — an extension now decided after the
due date, a lapse now recorded before the correction period ended. ``compute`` keeps every
recorded fact and lists each such event in ``ClockState.issues`` (shown as a warning), so a
deadline always renders. ``check_event`` judges a new event before it is recorded, and only by
what the new event changes.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from .calendar import WorkCalendar, unconfirmed_warning
from .rules import RuleSet

__all__ = [
    "AWAITING_CORRECTION",
    "EVENT_LABELS",
    "LAPSED_CORRECTION",
    "LAPSED_FEE",
    "ClockState",
    "Event",
    "EventKind",
    "ExtensionRefused",
    "HistoryIssue",
    "Milestone",
    "check_event",
    "check_extension",
    "cn_date",
    "compute",
]

date = datetime.date


class EventKind(StrEnum):
    RECEIVED = "received"
    CORRECTION_REQUESTED = "correction_requested"
    CORRECTION_RECEIVED = "correction_received"
    CORRECTION_LAPSED = "correction_lapsed"
    CORRECTION_DELIVERED = "correction_delivered"
    CORRECTION_UNDELIVERED = "correction_undelivered"
    CONSULTATION_STARTED = "consultation_started"
    CONSULTATION_ANSWERED = "consultation_answered"
    FEE_NOTICE_SENT = "fee_notice_sent"
    FEE_PAID = "fee_paid"
    FEE_LAPSED = "fee_lapsed"
    FEE_NOTICE_DELIVERED = "fee_notice_delivered"
    FEE_NOTICE_UNDELIVERED = "fee_notice_undelivered"
    EXTENDED = "extended"
    SUSPENDED = "suspended"
    RESUMED = "resumed"
    FORWARDED = "forwarded"
    DEPARTMENT_ANSWERED = "department_answered"
    REPLIED = "replied"


EVENT_LABELS: dict[EventKind, str] = {
    EventKind.RECEIVED: "收到申请",
    EventKind.CORRECTION_REQUESTED: "告知补正",
    EventKind.CORRECTION_RECEIVED: "收到补正材料",
    EventKind.CORRECTION_LAPSED: "逾期未补正",
    EventKind.CORRECTION_DELIVERED: "补正告知书送达",
    EventKind.CORRECTION_UNDELIVERED: "补正告知书送达失败",
    EventKind.CONSULTATION_STARTED: "征求意见",
    EventKind.CONSULTATION_ANSWERED: "收到征求意见答复",
    EventKind.FEE_NOTICE_SENT: "发出收费通知",
    EventKind.FEE_PAID: "申请人缴费",
    EventKind.FEE_LAPSED: "逾期未缴费",
    EventKind.FEE_NOTICE_DELIVERED: "收费通知送达",
    EventKind.FEE_NOTICE_UNDELIVERED: "收费通知送达失败",
    EventKind.EXTENDED: "延长答复期限",
    EventKind.SUSPENDED: "期限中止",
    EventKind.RESUMED: "期限恢复",
    EventKind.FORWARDED: "转交股室",
    EventKind.DEPARTMENT_ANSWERED: "股室答复",
    EventKind.REPLIED: "答复申请人",
}


@dataclass(frozen=True)
class PauseKind:
    """A pause of the clock: the event that starts it, the one that ends it, the reason shown."""

    start: EventKind
    end: EventKind
    reason: str


# The one table of the clock's pauses (Regulation arts. 32, 42; force majeure): the request's
# handling, its reminders and its page all read it (or the clock's `open_pauses`).
PAUSES: tuple[PauseKind, ...] = (
    PauseKind(EventKind.CONSULTATION_STARTED, EventKind.CONSULTATION_ANSWERED, "征求第三方意见"),
    PauseKind(EventKind.FEE_NOTICE_SENT, EventKind.FEE_PAID, "等待缴费"),
    PauseKind(EventKind.SUSPENDED, EventKind.RESUMED, "不可抗力中止"),
)
PAUSE_STARTED_BY: dict[EventKind, PauseKind] = {p.start: p for p in PAUSES}
PAUSE_ENDED_BY: dict[EventKind, PauseKind] = {p.end: p for p in PAUSES}
# Same-day order: the receipt first, the reply last, everything else as given (stable).
_RANK = {EventKind.RECEIVED: 0, EventKind.REPLIED: 2}

AWAITING_CORRECTION = "等待申请人补正"
LAPSED_CORRECTION = "逾期未补正"
LAPSED_FEE = "逾期未缴费"


@dataclass(frozen=True)
class Event:
    kind: EventKind
    on: date
    days: int = 0  # EXTENDED: the extension; CORRECTION_REQUESTED: the correction period (working days)


@dataclass(frozen=True)
class Milestone:
    """A date by which something is due. ``window`` marks a period in which something *may*
    happen (the office may ask for a correction, the applicant may correct or pay, a third party
    may answer): its passing is not a deadline the office missed."""

    key: str
    label: str
    due: date
    done_on: date | None
    window: bool = False


@dataclass(frozen=True)
class HistoryIssue:
    """A recorded event the current calendar or rules would not allow; it is kept as recorded.

    ``position`` is the event's index in the sequence given to ``compute``.
    """

    position: int
    event: Event
    message: str

    def __str__(self) -> str:
        return f"{cn_date(self.event.on)}“{_label(self.event.kind)}”：{self.message}"


@dataclass(frozen=True)
class ClockState:
    received_on: date
    counting_from: date  # the corrected-materials date, else received_on
    due: date  # statutory reply due date (provisional while paused: as if the pause ended today)
    working_days_used: int
    working_days_left: int  # negative when overdue
    running: bool
    paused_reason: str | None
    overdue: bool
    replied_on: date | None
    lapsed: str | None  # '逾期未补正' / '逾期未缴费'
    extension_days: int
    milestones: tuple[Milestone, ...]
    warnings: tuple[str, ...]
    issues: tuple[HistoryIssue, ...] = ()  # recorded events the calendar or rules now refuse
    # The pauses still open, in PAUSES order: (start kind, start date).
    open_pauses: tuple[tuple[EventKind, date], ...] = ()
    # A correction is awaited but its notice's delivery failed: the correction period has not
    # started (it starts when a new delivery succeeds), so the request cannot lapse.
    correction_undelivered: bool = False
    # The same for a fee awaited: its notice's delivery failed, no payment period has started.
    fee_notice_undelivered: bool = False
    # The last day the office may tell the applicant to correct the request (art. 30), counted
    # from the original receipt; and whether it has (a correction is asked for once).
    correction_notice_due: date | None = None
    correction_requested: bool = False


class ExtensionRefused(ValueError):
    """An extension the rules do not allow; ``message`` is shown to staff."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class _Pause:
    kind: EventKind
    start: date
    end: date | None = None
    # A fee notice's delivery: the day it arrived, or whether it failed (no success since).
    delivered_on: date | None = None
    undelivered: bool = False

    def payment_deadline(self, cal: WorkCalendar, days: int) -> date | None:
        """The last day to pay: ``days`` working days from the notice's delivery (or, with none
        recorded, from the day it was sent); None while its delivery failed."""
        if self.undelivered:
            return None
        return cal.add(self.delivered_on or self.start, days)


_Ordered = list[tuple[int, Event]]  # (position in the caller's sequence, event), in date order


def _sorted(events: Sequence[Event]) -> _Ordered:
    return sorted(enumerate(events), key=lambda pe: (pe[1].on, _RANK.get(pe[1].kind, 1)))


def cn_date(day: date) -> str:
    """A date as staff and applicants read it: 2025年10月9日 (the one format of the pages)."""
    return f"{day.year}年{day.month}月{day.day}日"


def _label(kind: EventKind) -> str:
    return EVENT_LABELS.get(kind, str(kind))


def compute(
    *, rules: RuleSet, events: Sequence[Event], calendar: WorkCalendar, today: date, strict: bool = False
) -> ClockState:
    """The clock's state on ``today``.

    A recorded event the calendar or rules do not allow (see the module docstring) is kept and
    listed in ``issues``; with ``strict=True`` the first one raises instead (ValueError, or
    ExtensionRefused for an extension; messages in Chinese). Raises ValueError, whatever
    ``strict``, for a history with no receipt, and for dates outside the calendar's range.
    """
    return _compute(
        rules, _sorted(events), calendar, today, problems=None if strict else [], check_extensions=True
    )


def check_event(
    *, rules: RuleSet, events: Sequence[Event], new: Event, calendar: WorkCalendar, today: date
) -> None:
    """Raise ValueError (ExtensionRefused for an extension) when ``new`` may not be recorded.

    ``events`` is the case's stored history. Only what ``new`` changes is judged: an irregularity
    the stored history already had (after a calendar correction) does not block further work.
    """
    try:
        stored = compute(rules=rules, events=events, calendar=calendar, today=today).issues
    except ValueError:  # no receipt yet: ``new`` is the receipt, or is refused below
        stored = ()
    before = {(i.position, i.message) for i in stored}
    after = compute(rules=rules, events=[*events, new], calendar=calendar, today=today)
    for issue in after.issues:
        if issue.position == len(events) or (issue.position, issue.message) not in before:
            if issue.event.kind == EventKind.EXTENDED:
                raise ExtensionRefused(issue.message)
            raise ValueError(issue.message)


def check_extension(
    *, rules: RuleSet, events: Sequence[Event], calendar: WorkCalendar, days: int, on: date
) -> None:
    """Raise ExtensionRefused when an extension of ``days`` decided on ``on`` is not allowed.

    Earlier extensions count towards the maximum as recorded, even where a later calendar
    correction makes them look irregular.
    """
    prior = [pe for pe in _sorted(events) if pe[1].on <= on]
    if days < 1:
        raise ExtensionRefused("延长期限至少为1个工作日")
    state = _compute(rules, prior, calendar, on, problems=[], check_extensions=True)
    _refuse(rules, state, days, on)


def extension_refusal(rules: RuleSet, state: ClockState, days: int, on: date) -> str | None:
    """Why an extension of ``days`` working days decided on ``on`` is not allowed, or None.

    Regulation art. 33: at most ``rules.max_extension_days`` in all, decided before the reply is
    due; none once replied or lapsed, nor while the applicant's correction is awaited (the period
    restarts when it arrives).
    """
    if days < 1:
        return "延长期限至少为1个工作日"
    if state.replied_on is not None:
        return f"该申请已于{cn_date(state.replied_on)}答复，不能再延长期限"
    if state.lapsed is not None:
        return f"该申请因{state.lapsed}已不再处理，不能延长期限"
    if state.paused_reason == AWAITING_CORRECTION:
        return "正在等待申请人补正，答复期限将自收到补正申请之日起重新计算，无需延长"
    if on > state.due:
        return f"延长期限须在答复期限（{cn_date(state.due)}）届满前决定，{cn_date(on)}已超过期限"
    total = state.extension_days + days
    if total > rules.max_extension_days:
        already = f"已延长{state.extension_days}个工作日，" if state.extension_days else ""
        return (
            f"延长期限最长不得超过{rules.max_extension_days}个工作日"
            f"（{already}本次{days}个工作日，合计{total}个工作日）"
        )
    return None


def _refuse(rules: RuleSet, state: ClockState, days: int, on: date) -> None:
    refusal = extension_refusal(rules, state, days, on)
    if refusal is not None:
        raise ExtensionRefused(refusal)


class _Irregular(Exception):
    """Raised inside ``_compute`` for an event the rules refuse; ``keep`` says whether the
    tolerant reading still applies it (a recorded lapse or extension is a fact)."""

    def __init__(self, error: ValueError, *, keep: bool) -> None:
        super().__init__(str(error))
        self.error = error
        self.keep = keep


def _refused(message: str, *, keep: bool = False) -> _Irregular:
    return _Irregular(ValueError(message), keep=keep)


def _compute(
    rules: RuleSet,
    ordered: _Ordered,
    cal: WorkCalendar,
    today: date,
    *,
    problems: list[HistoryIssue] | None,
    check_extensions: bool,
) -> ClockState:
    """``problems`` is None for a strict reading (the first irregular event raises); otherwise
    irregular events are appended to it, kept when they record a fact (a lapse, an extension, a
    date after today) and skipped when they cannot be applied. ``check_extensions`` is False
    for the prefix an extension is judged against (already judged by the outer loop)."""
    receipts = [i for i, (_, e) in enumerate(ordered) if e.kind == EventKind.RECEIVED]
    if not receipts or (receipts[0] and problems is None):
        raise ValueError("事件记录必须以“收到申请”开始，且其他事件不能早于收到申请的日期")
    if problems is not None:
        first = cn_date(ordered[receipts[0]][1].on)
        for position, event in ordered[: receipts[0]]:
            problems.append(HistoryIssue(position, event, f"日期早于收到申请的日期（{first}）"))
    ordered = ordered[receipts[0] :]
    received_on = ordered[0][1].on
    correction: Event | None = None
    corrected_on: date | None = None
    # The correction notice's delivery: the day it arrived, or whether its delivery failed (and no
    # delivery has succeeded since). Only what happens before the correction arrives matters.
    notice_delivered_on: date | None = None
    notice_undelivered = False
    lapse: tuple[str, date] | None = None  # an explicit lapse event
    pauses: list[_Pause] = []
    open_pauses: dict[EventKind, _Pause] = {}
    extension = 0
    forwarded_first: date | None = None
    forwarded_last: date | None = None
    department_answered: date | None = None
    replied_on: date | None = None

    for idx, (position, event) in enumerate(ordered):
        kind, on = event.kind, event.on
        name = _label(kind)
        try:
            if on > today:
                raise _refused(f"“{name}”的日期{cn_date(on)}晚于今天（{cn_date(today)}）", keep=True)
            if replied_on is not None:
                raise _refused(f"申请已于{cn_date(replied_on)}答复，之后不能再有“{name}”")
            if lapse is not None and kind != EventKind.REPLIED:
                raise _refused(f"申请已因{lapse[0]}于{cn_date(lapse[1])}终止，之后不能再有“{name}”")
            if kind == EventKind.RECEIVED and idx:
                raise _refused("一件申请只能有一个“收到申请”事件")
            if kind == EventKind.CORRECTION_REQUESTED:
                if event.days < 1:
                    raise _refused("告知补正时须给出至少1个工作日的补正期限")
                if correction is not None and corrected_on is None:
                    raise _refused(f"已于{cn_date(correction.on)}告知补正，正在等待申请人补正")
                if correction is not None:
                    raise _refused("补正应当一次性告知申请人，收到补正材料后不能再次要求补正")
            elif kind in (EventKind.CORRECTION_RECEIVED, EventKind.CORRECTION_LAPSED):
                if correction is None or corrected_on is not None:
                    raise _refused(
                        f"“{name}”之前没有待处理的补正告知", keep=kind == EventKind.CORRECTION_LAPSED
                    )
                if kind == EventKind.CORRECTION_LAPSED and notice_undelivered:
                    raise _refused("补正告知书未能送达，补正期限尚未起算，不能认定逾期未补正", keep=True)
                if kind == EventKind.CORRECTION_LAPSED and on <= (
                    deadline := cal.add(notice_delivered_on or correction.on, correction.days)
                ):
                    raise _refused(f"补正期限（{cn_date(deadline)}）尚未届满，不能认定逾期未补正", keep=True)
            elif kind in (EventKind.CORRECTION_DELIVERED, EventKind.CORRECTION_UNDELIVERED):
                if correction is None:
                    raise _refused(f"“{name}”之前没有补正告知")
            elif kind in (EventKind.FEE_NOTICE_DELIVERED, EventKind.FEE_NOTICE_UNDELIVERED):
                if not any(p.kind == EventKind.FEE_NOTICE_SENT for p in pauses):
                    raise _refused(f"“{name}”之前没有收费通知")
            elif kind in PAUSE_STARTED_BY:
                if kind in open_pauses:
                    raise _refused(f"已于{cn_date(open_pauses[kind].start)}开始“{name}”，尚未结束")
            elif kind in PAUSE_ENDED_BY:
                if PAUSE_ENDED_BY[kind].start not in open_pauses:
                    raise _refused(f"“{name}”之前没有对应的“{_label(PAUSE_ENDED_BY[kind].start)}”")
            elif kind == EventKind.FEE_LAPSED:
                fee = open_pauses.get(EventKind.FEE_NOTICE_SENT)
                if fee is None:
                    raise _refused("“逾期未缴费”之前没有未缴费的收费通知", keep=True)
                pay_by = fee.payment_deadline(cal, rules.fee_payment_days)
                if pay_by is None:
                    raise _refused("收费通知未能送达，缴费期限尚未起算，不能认定逾期未缴费", keep=True)
                if on <= pay_by:
                    raise _refused(f"缴费期限（{cn_date(pay_by)}）尚未届满，不能认定逾期未缴费", keep=True)
            elif kind == EventKind.EXTENDED and check_extensions:
                before = _compute(rules, ordered[:idx], cal, on, problems=[], check_extensions=False)
                try:
                    _refuse(rules, before, event.days, on)
                except ExtensionRefused as exc:
                    raise _Irregular(exc, keep=True) from None
            elif kind == EventKind.DEPARTMENT_ANSWERED and forwarded_last is None:
                raise _refused("“股室答复”之前没有“转交股室”")
        except _Irregular as irregular:
            if problems is None:
                raise irregular.error from None
            problems.append(HistoryIssue(position, event, str(irregular.error)))
            if not irregular.keep:
                continue

        if kind == EventKind.CORRECTION_REQUESTED:
            correction = event
        elif kind == EventKind.CORRECTION_RECEIVED:
            corrected_on = on
        elif kind == EventKind.CORRECTION_LAPSED:
            lapse = (LAPSED_CORRECTION, on)
        elif kind == EventKind.CORRECTION_DELIVERED:
            if corrected_on is None and notice_delivered_on is None:
                notice_delivered_on, notice_undelivered = on, False
        elif kind == EventKind.CORRECTION_UNDELIVERED:
            if corrected_on is None and notice_delivered_on is None:
                notice_undelivered = True
        elif kind in (EventKind.FEE_NOTICE_DELIVERED, EventKind.FEE_NOTICE_UNDELIVERED):
            # Only an unpaid fee's notice matters; one recorded after payment changes nothing.
            unpaid = open_pauses.get(EventKind.FEE_NOTICE_SENT)
            if unpaid is not None and unpaid.delivered_on is None:
                if kind == EventKind.FEE_NOTICE_DELIVERED:
                    unpaid.delivered_on, unpaid.undelivered = on, False
                else:
                    unpaid.undelivered = True
        elif kind in PAUSE_STARTED_BY:
            open_pauses[kind] = _Pause(kind, on)
            pauses.append(open_pauses[kind])
        elif kind in PAUSE_ENDED_BY:
            open_pauses.pop(PAUSE_ENDED_BY[kind].start).end = on
        elif kind == EventKind.FEE_LAPSED:
            lapse = (LAPSED_FEE, on)
        elif kind == EventKind.EXTENDED:
            extension += max(event.days, 0)
        elif kind == EventKind.FORWARDED:
            forwarded_first = forwarded_first or on
            forwarded_last, department_answered = on, None
        elif kind == EventKind.DEPARTMENT_ANSWERED:
            department_answered = department_answered or on
        elif kind == EventKind.REPLIED:
            replied_on = on

    # The count stops when the case ends: the reply, or a recorded lapse (the office closed it).
    as_of = replied_on or (lapse[1] if lapse else None) or today
    lapsed = lapse[0] if lapse else None
    awaiting = correction is not None and corrected_on is None and lapse is None
    # The correction period starts when the notice is delivered (or, with no delivery recorded,
    # issued); a notice whose delivery failed starts no period (Regulation art. 30).
    correction_deadline = (
        cal.add(notice_delivered_on or correction.on, correction.days)
        if correction is not None and not (notice_undelivered and corrected_on is None)
        else None
    )
    if lapsed is None:
        # A lapse nobody has recorded yet: the period ran out with nothing received.
        candidates = []
        if awaiting and correction_deadline is not None and as_of > correction_deadline:
            candidates.append((correction_deadline, LAPSED_CORRECTION))
        fee = open_pauses.get(EventKind.FEE_NOTICE_SENT)
        pay_by = fee.payment_deadline(cal, rules.fee_payment_days) if fee is not None else None
        if pay_by is not None and as_of > pay_by:
            candidates.append((pay_by, LAPSED_FEE))
        if candidates:
            lapsed = min(candidates)[1]
            awaiting = False

    counting_from = corrected_on or received_on
    total = rules.reply_days + extension
    intervals = [(p.start, p.end or as_of) for p in pauses]

    def extended_due(start: date, budget: int) -> tuple[date, int]:
        """The due date after ``budget`` working days from ``start``, moved by the pauses.

        Pauses are merged; a pause that begins on or after the due date reached so far
        cannot move it: an overdue case stays overdue when it is suspended afterwards.
        """
        due, paused, reach = cal.add(start, budget), 0, start
        for s, e in sorted((max(s, start), e) for s, e in intervals if e > max(s, start)):
            s = max(s, reach)
            if e <= s:
                continue
            if s >= due:
                break
            days = cal.count(s, e)
            paused += days
            due = cal.add(due, days)
            reach = e
        return due, paused

    if awaiting:
        # Counting restarts when the corrected request arrives: show it as if that were today.
        due = cal.add(as_of, total)
        used = 0
    else:
        due, paused = extended_due(counting_from, total)
        used = cal.count(counting_from, as_of) - paused
    reasons = [AWAITING_CORRECTION] if awaiting else []
    reasons += [p.reason for p in PAUSES if p.start in open_pauses]
    stopped = replied_on is not None or lapsed is not None
    unpaid_fee = open_pauses.get(EventKind.FEE_NOTICE_SENT)
    paused_reason = None if stopped or not reasons else "、".join(reasons)
    if lapsed is not None:
        overdue = False
    elif replied_on is not None:
        overdue = replied_on > due
    else:
        overdue = today > due

    correction_notice_due = cal.add(received_on, rules.correction_notice_days)
    milestones: list[Milestone] = []
    if correction is not None or not stopped:
        milestones.append(
            Milestone(
                "correction_notice",
                "补正告知期限",
                correction_notice_due,
                correction.on if correction else None,
                window=True,
            )
        )
    if correction is not None and correction_deadline is not None:
        milestones.append(
            Milestone("correction_due", "申请人补正期限", correction_deadline, corrected_on, window=True)
        )
    if rules.forward_days is not None:
        milestones.append(
            Milestone("forward", "转交股室期限", cal.add(counting_from, rules.forward_days), forwarded_first)
        )
    if rules.department_answer_days is not None and forwarded_last is not None:
        answer_by, _ = extended_due(
            max(forwarded_last, counting_from), rules.department_answer_days + extension
        )
        milestones.append(Milestone("department_answer", "股室答复期限", answer_by, department_answered))
    counters: dict[EventKind, int] = {}
    for p in pauses:
        if p.kind == EventKind.SUSPENDED:
            continue
        n = counters[p.kind] = counters.get(p.kind, 0) + 1
        suffix = "" if n == 1 else f"_{n}"
        if p.kind == EventKind.CONSULTATION_STARTED:
            due_on = cal.add(p.start, rules.consultation_days)
            milestones.append(
                Milestone(f"consultation{suffix}", "征求意见答复期限", due_on, p.end, window=True)
            )
        else:
            pay_by = p.payment_deadline(cal, rules.fee_payment_days)
            if pay_by is not None:  # no payment period while the notice has not arrived
                milestones.append(
                    Milestone(f"fee_payment{suffix}", "申请人缴费期限", pay_by, p.end, window=True)
                )
    milestones.append(Milestone("reply", "答复期限", due, replied_on))
    milestones.sort(key=lambda m: m.due)

    horizon = max([due, as_of, *(m.due for m in milestones)])
    warning = unconfirmed_warning(cal.unconfirmed_years_between(received_on, horizon))
    return ClockState(
        received_on=received_on,
        counting_from=counting_from,
        due=due,
        working_days_used=used,
        working_days_left=total - used,
        running=not stopped and not reasons,
        paused_reason=paused_reason,
        overdue=overdue,
        replied_on=replied_on,
        lapsed=lapsed,
        extension_days=extension,
        milestones=tuple(milestones),
        warnings=(warning,) if warning else (),
        issues=tuple(problems or ()),
        open_pauses=tuple((p.start, open_pauses[p.start].start) for p in PAUSES if p.start in open_pauses),
        correction_undelivered=awaiting and notice_undelivered,
        fee_notice_undelivered=not stopped and unpaid_fee is not None and unpaid_fee.undelivered,
        correction_notice_due=correction_notice_due,
        correction_requested=correction is not None,
    )
