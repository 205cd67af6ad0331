"""The clock's events: consultation of a third party, fees, force majeure (pauses of the clock).

Each pause starts and ends by an action of the workflow table (gongkai.workdays.clock.PAUSES).
"""

import datetime

from django.db import transaction
from django.utils import timezone

from gongkai.applications import notices
from gongkai.applications.clockview import case_rules
from gongkai.applications.models import Application, CaseEvent, NoticeKind
from gongkai.applications.services.common import check, locked, record_event
from gongkai.applications.workflow import Action, TransitionRefused
from gongkai.audit.services import audit_record
from gongkai.organisation.models import User
from gongkai.workdays.clock import EventKind
from gongkai.workdays.selectors import current_calendar


def _side_event(
    *,
    actor: User,
    application: Application,
    kind: EventKind,
    on: datetime.date | None,
    note: str,
    notice_kind: str | None = None,
    extra: dict[str, str] | None = None,
    days: int = 0,
    recipient: str | None = None,
) -> CaseEvent:
    application = locked(application)
    check(actor, application, _SIDE_ACTIONS[kind], note)
    on = on or timezone.localdate()
    event = record_event(application, kind, on, actor=actor, days=days, note=note)
    if notice_kind:
        notices.notice_issue(
            actor=actor,
            application=application,
            kind=notice_kind,
            extra=extra or {},
            recipient=recipient,
            day=on,
        )
    audit_record(
        actor=actor,
        action=f"application_{kind}",
        target=application,
        agency=application.agency,
        comment=note,
        data={"on": str(on), "days": days},
    )
    return event


_SIDE_ACTIONS = {
    EventKind.CONSULTATION_STARTED: Action.START_CONSULTATION,
    EventKind.CONSULTATION_ANSWERED: Action.RECORD_CONSULTATION_ANSWER,
    EventKind.FEE_NOTICE_SENT: Action.SEND_FEE_NOTICE,
    EventKind.FEE_PAID: Action.RECORD_FEE_PAID,
    EventKind.SUSPENDED: Action.SUSPEND,
    EventKind.RESUMED: Action.RESUME,
}


@transaction.atomic
def consultation_start(
    *, actor: User, application: Application, third_party: str, matter: str, on: datetime.date | None = None
) -> CaseEvent:
    if not third_party.strip() or not matter.strip():
        raise TransitionRefused("请填写征求意见的对象和事项。")
    return _side_event(
        actor=actor,
        application=application,
        kind=EventKind.CONSULTATION_STARTED,
        on=on,
        note=f"{third_party.strip()}：{matter.strip()}",
        notice_kind=NoticeKind.CONSULTATION,
        extra={"征求意见内容": matter.strip()},
        recipient=f"{third_party.strip()}：",
    )


@transaction.atomic
def consultation_answer(
    *, actor: User, application: Application, note: str, on: datetime.date | None = None
) -> CaseEvent:
    return _side_event(
        actor=actor, application=application, kind=EventKind.CONSULTATION_ANSWERED, on=on, note=note
    )


@transaction.atomic
def fee_notice(
    *, actor: User, application: Application, amount: str, on: datetime.date | None = None
) -> CaseEvent:
    try:
        value = float(amount)
    except (TypeError, ValueError):
        value = 0
    if value <= 0:
        raise TransitionRefused("请填写收费金额（元）。", field="amount")
    on_date = on or timezone.localdate()
    due = current_calendar().add(on_date, case_rules(application).fee_payment_days)
    return _side_event(
        actor=actor,
        application=application,
        kind=EventKind.FEE_NOTICE_SENT,
        on=on_date,
        note=f"{value:.2f}元",
        notice_kind=NoticeKind.FEE,
        extra={
            "收费金额": f"{value:.2f}",
            "缴费工作日数": str(case_rules(application).fee_payment_days),
            "缴费期限": notices.cn_date(due),
        },
    )


@transaction.atomic
def fee_paid(*, actor: User, application: Application, on: datetime.date | None = None) -> CaseEvent:
    return _side_event(actor=actor, application=application, kind=EventKind.FEE_PAID, on=on, note="")


@transaction.atomic
def suspend(
    *, actor: User, application: Application, reason: str, on: datetime.date | None = None
) -> CaseEvent:
    if not reason.strip():
        raise TransitionRefused("请写明中止的不可抗力事由。", field="reason")
    return _side_event(
        actor=actor,
        application=application,
        kind=EventKind.SUSPENDED,
        on=on,
        note=reason,
        notice_kind=NoticeKind.SUSPENSION,
        extra={"中止理由": reason.strip()},
    )


@transaction.atomic
def resume(*, actor: User, application: Application, on: datetime.date | None = None) -> CaseEvent:
    return _side_event(
        actor=actor,
        application=application,
        kind=EventKind.RESUMED,
        on=on,
        note="",
        notice_kind=NoticeKind.RESUMPTION,
    )
