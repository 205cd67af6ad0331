"""Delivery of letters (送达): letters printed in a batch, a delivery recorded, a failed attempt
recorded with its reason.

The delivery of a correction notice (补正告知书) or a fee notice (收费通知) is also a clock event: the
correction or payment period runs from the day it arrived, and a notice whose delivery failed
starts no period (workdays.clock), so such a request cannot lapse for want of correction or of
payment (the workflow's LAPSE and FEE_LAPSE guards).
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from gongkai.applications.models import (
    DeliveryFailure,
    DeliveryMethod,
    DeliveryState,
    Notice,
    NoticeKind,
)
from gongkai.applications.notices import cn_date, ensure_pdf
from gongkai.applications.services.common import check, locked, record_event
from gongkai.applications.services.office import personal_data_viewed
from gongkai.applications.workflow import Action, TransitionRefused
from gongkai.audit.services import audit_record
from gongkai.core.roles import Role
from gongkai.documents.combine import combine_pdfs
from gongkai.organisation.models import User
from gongkai.workdays.clock import EventKind

# The letters whose delivery starts a period the applicant must act within (Regulation art. 30,
# 国办函〔2020〕109号): their delivery, or its failure, is a clock event (delivered, failed).
CLOCK_EVENTS: dict[str, tuple[EventKind, EventKind]] = {
    NoticeKind.CORRECTION: (EventKind.CORRECTION_DELIVERED, EventKind.CORRECTION_UNDELIVERED),
    NoticeKind.FEE: (EventKind.FEE_NOTICE_DELIVERED, EventKind.FEE_NOTICE_UNDELIVERED),
}
DELIVERED_ACTION = "notice_delivered"
FAILED_ACTION = "notice_delivery_failed"


@transaction.atomic
def notices_print(*, actor: User, notices: list[Notice]) -> bytes:
    """One PDF of ``notices`` as issued, for the office to print and send.

    The letters go to their recipients, so they are printed in full (personal data unmasked): only
    the disclosure office of their agency may, and each letter printed is audited as a full view.
    """
    if not actor.has_role(Role.OFFICE):
        raise PermissionDenied("只有政务公开办公室可以批量打印文书。")
    parts = []
    for notice in notices:
        label = f"{notice.get_kind_display()} {notice.number}"
        personal_data_viewed(actor=actor, application=notice.application, what=f"批量打印：{label}")
        with ensure_pdf(notice).pdf.open("rb") as stored:
            parts.append((f"{label}（{notice.application.query_code}）", stored.read()))
    agency = notices[0].application.agency.name if notices else ""
    return combine_pdfs(
        parts, title=f"待送达文书（{len(parts)}份）", author=agency, when=timezone.localtime()
    )


def _locked_notice(actor: User, notice: Notice) -> Notice:
    """The notice re-read under a lock, after the workflow allowed recording its delivery."""
    application = locked(notice.application)
    check(actor, application, Action.RECORD_DELIVERY)
    fresh = Notice.objects.select_for_update().get(pk=notice.pk)
    fresh.application = application
    return fresh


def _day(day: datetime.date | None) -> str:
    return cn_date(day) if day else "此前"


def _check_day(notice: Notice, on: datetime.date, what: str) -> None:
    if on > timezone.localdate() or on < notice.issued_on:
        issued = cn_date(notice.issued_on)
        raise TransitionRefused(f"{what}应在出具日期（{issued}）之后、今天之前。", field="on")


@transaction.atomic
def notice_mark_delivered(
    *, actor: User, notice: Notice, method: str, on: datetime.date, proof: str = ""
) -> Notice:
    """Record that the letter reached its recipient on ``on`` (the 送达日期: for a reply, the day the
    60-day 行政复议 and six-month 行政诉讼 periods start from)."""
    notice = _locked_notice(actor, notice)
    method = method.strip()
    if method not in DeliveryMethod.values:
        raise TransitionRefused("请选择送达方式。", field="method")
    _check_day(notice, on, "送达日期")
    if notice.delivery_state == DeliveryState.DELIVERED:
        raise TransitionRefused(f"该文书已于{_day(notice.delivered_on)}登记送达，不能重复登记。")
    if notice.delivery_failed_on and on < notice.delivery_failed_on:
        raise TransitionRefused(
            f"送达日期不能早于登记的送达失败日期（{cn_date(notice.delivery_failed_on)}）。", field="on"
        )
    application = notice.application
    if notice.kind in CLOCK_EVENTS:
        record_event(application, CLOCK_EVENTS[notice.kind][0], on, actor=actor, note=method)
    notice.delivery_state = DeliveryState.DELIVERED
    notice.delivery_method = method
    notice.delivered_on = on
    notice.delivery_proof = proof.strip()[:200]
    notice.save()
    audit_record(
        actor=actor,
        action=DELIVERED_ACTION,
        target=application,
        agency=application.agency,
        data={"notice": notice.pk, "number": notice.number, "method": method, "on": str(on)},
    )
    return notice


@transaction.atomic
def notice_mark_failed(
    *,
    actor: User,
    notice: Notice,
    reason: str,
    on: datetime.date,
    method: str = "",
    note: str = "",
) -> Notice:
    """Record a delivery attempt that failed (送达失败) with its reason; a new attempt may follow.

    A correction or fee notice that failed to arrive starts no period (the clock), and the request
    then cannot lapse as 其他处理 1 or 2 until a later delivery succeeds.
    """
    notice = _locked_notice(actor, notice)
    if reason not in DeliveryFailure.values:
        raise TransitionRefused("请选择送达失败的原因。", field="reason")
    method = method.strip()
    if method and method not in DeliveryMethod.values:
        raise TransitionRefused("请选择送达方式。", field="method")
    note = note.strip()
    if reason == DeliveryFailure.OTHER and not note:
        raise TransitionRefused("送达失败原因为“其他原因”的，请写明情况。", field="note")
    _check_day(notice, on, "送达失败日期")
    if notice.delivery_state == DeliveryState.DELIVERED:
        raise TransitionRefused(f"该文书已于{_day(notice.delivered_on)}送达，不能再登记送达失败。")
    application = notice.application
    label = DeliveryFailure(reason).label
    if notice.kind in CLOCK_EVENTS:
        record_event(application, CLOCK_EVENTS[notice.kind][1], on, actor=actor, note=label)
    notice.delivery_state = DeliveryState.FAILED
    notice.delivery_failed_on = on
    notice.delivery_failure = reason
    notice.delivery_failure_note = note[:200]
    if method:
        notice.delivery_method = method
    notice.save()
    audit_record(
        actor=actor,
        action=FAILED_ACTION,
        target=application,
        agency=application.agency,
        comment=f"{label}{'：' + note if note else ''}",
        data={
            "notice": notice.pk,
            "number": notice.number,
            "reason": reason,
            "method": method,
            "on": str(on),
        },
    )
    return notice
