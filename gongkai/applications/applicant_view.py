"""What the applicant sees of their case on the status page (reads only).

``timeline``: the dated facts of the case told to the applicant (received, forwarded, correction,
extension, suspension and resumption, consultation, fee, reply, delivery) — from the case events
and the letters, without staff names, departments or internal notes. ``applicant_notices``: every
letter issued to the applicant (not the consultation letter to a third party). ``awaited_correction``:
while a correction is awaited, its deadline (from the clock) and what is to be corrected.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from gongkai.applications.models import Application, Notice, NoticeKind
from gongkai.applications.workflow import Status
from gongkai.core.personal_data import mask_personal_data
from gongkai.workdays.clock import ClockState, EventKind

# The kinds of event the applicant is told about, as they are told. DEPARTMENT_ANSWERED is internal.
PUBLIC_EVENTS: dict[str, str] = {
    EventKind.RECEIVED: "收到申请",
    EventKind.FORWARDED: "转交承办部门办理",
    EventKind.CORRECTION_REQUESTED: "告知补正",
    EventKind.CORRECTION_RECEIVED: "收到补正材料，答复期限重新计算",
    EventKind.CORRECTION_LAPSED: "逾期未补正，不再处理",
    EventKind.CONSULTATION_STARTED: "征求第三方意见（所需时间不计入答复期限）",
    EventKind.CONSULTATION_ANSWERED: "征求意见结束，继续办理",
    EventKind.FEE_NOTICE_SENT: "发出收费通知",
    EventKind.FEE_PAID: "缴纳信息处理费",
    EventKind.FEE_LAPSED: "逾期未缴费，不再处理",
    EventKind.EXTENDED: "延长答复期限",
    EventKind.SUSPENDED: "中止办理（期限中止）",
    EventKind.RESUMED: "恢复办理",
    EventKind.REPLIED: "作出答复",
}

# Every letter but the one to a consulted third party is addressed to the applicant.
APPLICANT_NOTICE_KINDS: tuple[str, ...] = tuple(k for k in NoticeKind.values if k != NoticeKind.CONSULTATION)


@dataclass(frozen=True)
class Step:
    on: datetime.date
    label: str


@dataclass(frozen=True)
class AwaitedCorrection:
    requested_on: datetime.date
    due: datetime.date | None
    what: str  # what is to be corrected, personal data masked


def timeline(application: Application) -> list[Step]:
    steps = []
    for event in application.events.all():
        label = PUBLIC_EVENTS.get(event.kind)
        if label is None:
            continue
        if event.kind == EventKind.EXTENDED and event.days:
            label = f"{label}{event.days}个工作日"
        steps.append(Step(event.on, label))
    for notice in applicant_notices(application):
        if notice.delivered_on:
            steps.append(Step(notice.delivered_on, f"{notice.get_kind_display()}送达"))
    if not any(step.label == "收到申请" for step in steps):
        steps.insert(0, Step(application.received_on, "收到申请"))
    return sorted(steps, key=lambda step: step.on)  # stable: same-day facts keep their order


def applicant_notices(application: Application) -> list[Notice]:
    return list(application.notices.filter(kind__in=APPLICANT_NOTICE_KINDS).order_by("issued_on", "id"))


def awaited_correction(application: Application, clock: ClockState) -> AwaitedCorrection | None:
    """The correction the applicant owes, while it is awaited (else None)."""
    if application.status != Status.AWAITING_CORRECTION:
        return None
    event = application.events.filter(kind=EventKind.CORRECTION_REQUESTED).order_by("-on", "-id").first()
    if event is None:
        return None
    due = next((m.due for m in clock.milestones if m.key == "correction_due"), None)
    return AwaitedCorrection(requested_on=event.on, due=due, what=mask_personal_data(event.note.strip()))
