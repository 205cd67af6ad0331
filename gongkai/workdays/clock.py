"""The request clock (依申请公开期限): deadlines computed from a rule set and a case's events.

Pure Python, no Django. Nothing is stored: ``compute`` is called with the case's events and
today's date whenever a deadline is shown, so a calendar change recomputes every deadline.

Semantics (DESIGN.md §3):

* the day of receipt never counts: the reply is due ``add(counting_from, reply_days + extension
  + paused working days)``;
* a correction (补正) restarts the count from the day the corrected request is received; pauses
  before that day are dropped; while the correction is awaited the clock is stopped, and the
  request lapses when the correction period passes without a correction;
* consultation (征求意见), a fee notice (收费通知) and force majeure (不可抗力中止) pause the
  clock: a pause from S to E leaves out the working days in (S, E]; an open pause counts up to
  today; a fee not paid within the payment period lapses the request;
* a reply stops everything.
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
    "Milestone",
    "check_extension",
    "compute",
]

date = datetime.date


class EventKind(StrEnum):
    RECEIVED = "received"
    CORRECTION_REQUESTED = "correction_requested"
    CORRECTION_RECEIVED = "correction_received"
    CORRECTION_LAPSED = "correction_lapsed"
    CONSULTATION_STARTED = "consultation_started"
    CONSULTATION_ANSWERED = "consultation_answered"
    FEE_NOTICE_SENT = "fee_notice_sent"
    FEE_PAID = "fee_paid"
    FEE_LAPSED = "fee_lapsed"
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
    EventKind.CONSULTATION_STARTED: "征求意见",
    EventKind.CONSULTATION_ANSWERED: "收到征求意见答复",
    EventKind.FEE_NOTICE_SENT: "发出收费通知",
    EventKind.FEE_PAID: "申请人缴费",
    EventKind.FEE_LAPSED: "逾期未缴费",
    EventKind.EXTENDED: "延长答复期限",
    EventKind.SUSPENDED: "期限中止",
    EventKind.RESUMED: "期限恢复",
    EventKind.FORWARDED: "转交股室",
    EventKind.DEPARTMENT_ANSWERED: "股室答复",
    EventKind.REPLIED: "答复申请人",
}

# start kind → (end kind, reason shown while open)
_PAUSES: dict[EventKind, tuple[EventKind, str]] = {
    EventKind.CONSULTATION_STARTED: (EventKind.CONSULTATION_ANSWERED, "征求第三方意见"),
    EventKind.FEE_NOTICE_SENT: (EventKind.FEE_PAID, "等待缴费"),
    EventKind.SUSPENDED: (EventKind.RESUMED, "不可抗力中止"),
}
_PAUSE_ENDS = {end: start for start, (end, _) in _PAUSES.items()}
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
    key: str
    label: str
    due: date
    done_on: date | None


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


def _sorted(events: Sequence[Event]) -> list[Event]:
    return sorted(events, key=lambda e: (e.on, _RANK.get(e.kind, 1)))


def _label(kind: EventKind) -> str:
    return EVENT_LABELS.get(kind, str(kind))


def compute(*, rules: RuleSet, events: Sequence[Event], calendar: WorkCalendar, today: date) -> ClockState:
    """The clock's state on ``today``. Raises ValueError (Chinese) for an impossible history."""
    return _compute(rules, _sorted(events), calendar, today, check_extensions=True)


def check_extension(
    *, rules: RuleSet, events: Sequence[Event], calendar: WorkCalendar, days: int, on: date
) -> None:
    """Raise ExtensionRefused when an extension of ``days`` decided on ``on`` is not allowed."""
    prior = [e for e in _sorted(events) if e.on <= on]
    if days < 1:
        raise ExtensionRefused("延长期限至少为1个工作日")
    state = _compute(rules, prior, calendar, on, check_extensions=True)
    _refuse(rules, state, days, on)


def _refuse(rules: RuleSet, state: ClockState, days: int, on: date) -> None:
    if days < 1:
        raise ExtensionRefused("延长期限至少为1个工作日")
    if state.replied_on is not None:
        raise ExtensionRefused(f"该申请已于{state.replied_on}答复，不能再延长期限")
    if state.lapsed is not None:
        raise ExtensionRefused(f"该申请因{state.lapsed}已不再处理，不能延长期限")
    if state.paused_reason == AWAITING_CORRECTION:
        raise ExtensionRefused("正在等待申请人补正，答复期限将自收到补正申请之日起重新计算，无需延长")
    if on > state.due:
        raise ExtensionRefused(f"延长期限须在答复期限（{state.due}）届满前决定，{on}已超过期限")
    total = state.extension_days + days
    if total > rules.max_extension_days:
        already = f"已延长{state.extension_days}个工作日，" if state.extension_days else ""
        raise ExtensionRefused(
            f"延长期限最长不得超过{rules.max_extension_days}个工作日"
            f"（{already}本次{days}个工作日，合计{total}个工作日）"
        )


def _compute(
    rules: RuleSet, ordered: list[Event], cal: WorkCalendar, today: date, *, check_extensions: bool
) -> ClockState:
    if not ordered or ordered[0].kind != EventKind.RECEIVED:
        raise ValueError("事件记录必须以“收到申请”开始，且其他事件不能早于收到申请的日期")
    received_on = ordered[0].on
    correction: Event | None = None
    corrected_on: date | None = None
    lapse: tuple[str, date] | None = None  # an explicit lapse event
    pauses: list[_Pause] = []
    open_pauses: dict[EventKind, _Pause] = {}
    extension = 0
    forwarded_first: date | None = None
    forwarded_last: date | None = None
    department_answered: date | None = None
    replied_on: date | None = None

    for idx, event in enumerate(ordered):
        kind, on = event.kind, event.on
        name = _label(kind)
        if on > today:
            raise ValueError(f"“{name}”的日期 {on} 晚于今天（{today}）")
        if replied_on is not None:
            raise ValueError(f"申请已于{replied_on}答复，之后不能再有“{name}”")
        if lapse is not None and kind != EventKind.REPLIED:
            raise ValueError(f"申请已因{lapse[0]}于{lapse[1]}终止，之后不能再有“{name}”")
        if kind == EventKind.RECEIVED:
            if idx:
                raise ValueError("一件申请只能有一个“收到申请”事件")
        elif kind == EventKind.CORRECTION_REQUESTED:
            if event.days < 1:
                raise ValueError("告知补正时须给出至少1个工作日的补正期限")
            if correction is not None and corrected_on is None:
                raise ValueError(f"已于{correction.on}告知补正，正在等待申请人补正")
            if correction is not None:
                raise ValueError("补正应当一次性告知申请人，收到补正材料后不能再次要求补正")
            correction = event
        elif kind in (EventKind.CORRECTION_RECEIVED, EventKind.CORRECTION_LAPSED):
            if correction is None or corrected_on is not None:
                raise ValueError(f"“{name}”之前没有待处理的补正告知")
            if kind == EventKind.CORRECTION_RECEIVED:
                corrected_on = on
            else:
                deadline = cal.add(correction.on, correction.days)
                if on <= deadline:
                    raise ValueError(f"补正期限（{deadline}）尚未届满，不能认定逾期未补正")
                lapse = (LAPSED_CORRECTION, on)
        elif kind in _PAUSES:
            if kind in open_pauses:
                raise ValueError(f"已于{open_pauses[kind].start}开始“{name}”，尚未结束")
            open_pauses[kind] = _Pause(kind, on)
            pauses.append(open_pauses[kind])
        elif kind in _PAUSE_ENDS:
            pause = open_pauses.pop(_PAUSE_ENDS[kind], None)
            if pause is None:
                raise ValueError(f"“{name}”之前没有对应的“{_label(_PAUSE_ENDS[kind])}”")
            pause.end = on
        elif kind == EventKind.FEE_LAPSED:
            fee = open_pauses.get(EventKind.FEE_NOTICE_SENT)
            if fee is None:
                raise ValueError("“逾期未缴费”之前没有未缴费的收费通知")
            deadline = cal.add(fee.start, rules.fee_payment_days)
            if on <= deadline:
                raise ValueError(f"缴费期限（{deadline}）尚未届满，不能认定逾期未缴费")
            lapse = (LAPSED_FEE, on)
        elif kind == EventKind.EXTENDED:
            if check_extensions:
                before = _compute(rules, ordered[:idx], cal, on, check_extensions=False)
                _refuse(rules, before, event.days, on)
            extension += event.days
        elif kind == EventKind.FORWARDED:
            forwarded_first = forwarded_first or on
            forwarded_last, department_answered = on, None
        elif kind == EventKind.DEPARTMENT_ANSWERED:
            if forwarded_last is None:
                raise ValueError("“股室答复”之前没有“转交股室”")
            department_answered = department_answered or on
        elif kind == EventKind.REPLIED:
            replied_on = on
        else:  # pragma: no cover - every kind is handled above
            raise ValueError(f"未知的事件类型：{kind}")

    as_of = replied_on or today
    lapsed = lapse[0] if lapse else None
    correction_deadline = cal.add(correction.on, correction.days) if correction else None
    awaiting = correction is not None and corrected_on is None and lapse is None
    if lapsed is None:
        # A lapse nobody has recorded yet: the period ran out with nothing received.
        candidates = []
        if awaiting and correction_deadline is not None and as_of > correction_deadline:
            candidates.append((correction_deadline, LAPSED_CORRECTION))
        fee = open_pauses.get(EventKind.FEE_NOTICE_SENT)
        if fee is not None and as_of > cal.add(fee.start, rules.fee_payment_days):
            candidates.append((cal.add(fee.start, rules.fee_payment_days), LAPSED_FEE))
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
    reasons += [_PAUSES[k][1] for k in _PAUSES if k in open_pauses]
    stopped = replied_on is not None or lapsed is not None
    paused_reason = None if stopped or not reasons else "、".join(reasons)
    if lapsed is not None:
        overdue = False
    elif replied_on is not None:
        overdue = replied_on > due
    else:
        overdue = today > due

    milestones: list[Milestone] = []
    if correction is not None or not stopped:
        milestones.append(
            Milestone(
                "correction_notice",
                "补正告知期限",
                cal.add(received_on, rules.correction_notice_days),
                correction.on if correction else None,
            )
        )
    if correction is not None and correction_deadline is not None:
        milestones.append(Milestone("correction_due", "申请人补正期限", correction_deadline, corrected_on))
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
            milestones.append(Milestone(f"consultation{suffix}", "征求意见答复期限", due_on, p.end))
        else:
            due_on = cal.add(p.start, rules.fee_payment_days)
            milestones.append(Milestone(f"fee_payment{suffix}", "申请人缴费期限", due_on, p.end))
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
    )
