"""After the reply: appeals, the applicant's rating, proactive disclosure."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.applications.cases import TO_CATALOGUE_AUDIT_ACTION
from gongkai.applications.models import Appeal, Application, Satisfaction
from gongkai.applications.services.common import check, locked
from gongkai.applications.workflow import Action, Status, TransitionRefused
from gongkai.audit.services import audit_record
from gongkai.catalogue import services as catalogue_services
from gongkai.catalogue.models import Category, Item
from gongkai.core.html import paragraphs_to_html
from gongkai.core.personal_data import mask_personal_data
from gongkai.organisation.models import Department, User


@transaction.atomic
def appeal_record(
    *,
    actor: User,
    application: Application,
    kind: str,
    filed_on: datetime.date,
    result: str,
    decided_on: datetime.date | None = None,
    note: str = "",
    appeal: Appeal | None = None,
) -> Appeal:
    check(actor, application, Action.RECORD_APPEAL)
    if kind not in Appeal.Kind.values or result not in Appeal.Result.values:
        raise TransitionRefused("请选择类型和结果。")
    if result != Appeal.Result.PENDING and decided_on is None:
        raise TransitionRefused("已审结的请填写审结日期。", field="decided_on")
    today = timezone.localdate()
    if filed_on > today or (application.replied_on and filed_on < application.replied_on):
        raise TransitionRefused("提起日期应在答复日期之后、今天之前。", field="filed_on")
    if decided_on is not None and (decided_on < filed_on or decided_on > today):
        raise TransitionRefused("审结日期应在提起日期之后、今天之前。", field="decided_on")
    appeal = appeal or Appeal(application=application)
    appeal.kind, appeal.filed_on, appeal.result = kind, filed_on, result
    appeal.decided_on, appeal.note = decided_on, note.strip()
    appeal.save()
    audit_record(
        actor=actor,
        action="application_appeal",
        target=application,
        agency=application.agency,
        data={"kind": kind, "result": result},
    )
    return appeal


@transaction.atomic
def satisfaction_submit(*, application: Application, rating: str, comment: str = "") -> Satisfaction:
    if application.status_enum not in (Status.REPLIED, Status.CLOSED):
        raise ValidationError({"rating": "申请答复后才能评价。"})
    if rating not in Satisfaction.Rating.values:
        raise ValidationError({"rating": "请选择满意程度。"})
    if hasattr(application, "satisfaction"):
        raise ValidationError({"rating": "您已评价过，感谢您的反馈。"})
    result = Satisfaction.objects.create(
        application=application, rating=rating, comment=comment.strip()[:1000]
    )
    audit_record(
        actor=None,
        action="application_satisfaction",
        target=application,
        agency=application.agency,
        data={"rating": rating},
    )
    return result


@transaction.atomic
def reply_to_catalogue(*, actor: User, application: Application) -> Item:
    """Regulation art. 44: information given to several applicants may be published proactively."""
    application = locked(application)
    check(actor, application, Action.TO_CATALOGUE)
    categories = Category.objects.filter(agency=application.agency)
    category = categories.filter(name="其他").first() or categories.order_by("pk").first()
    if category is None:
        raise TransitionRefused("本机关尚未设置主题分类，请先在信息管理中设置后再转为主动公开。")
    department = (
        application.department
        or actor.department
        or Department.objects.filter(agency=application.agency).order_by("order", "pk").first()
    )
    item = catalogue_services.item_create(
        actor=actor,
        agency=application.agency,
        department=department,
        category=category,
        # The applicant's own identifiers never reach the draft (masked before it is cut).
        title=f"关于{mask_personal_data(application.description)[:40]}的政府信息",
        body=paragraphs_to_html(application.reply_text.splitlines()),
        source_note=f"由依申请公开转为主动公开（{application.query_code}）",
    )
    audit_record(
        actor=actor,
        action=TO_CATALOGUE_AUDIT_ACTION,
        target=application,
        agency=application.agency,
        data={"item": item.pk},
    )
    return item
