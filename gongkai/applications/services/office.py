"""The applicant's personal data (who may unmask it, audited), letter templates, notifications, the
ledger export (audited)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.applications.cases import handles_case
from gongkai.applications.letters import TemplateRefused, check_template
from gongkai.applications.models import Application, NoticeKind, NoticeTemplate, StaffNotification
from gongkai.audit.services import audit_record
from gongkai.core.roles import Role
from gongkai.organisation.models import Agency, User
from gongkai.organisation.permissions import is_staff_of

LEDGER_EXPORT_ACTION = "application_ledger_export"


def personal_data_viewed(*, actor: User, application: Application, what: str = "") -> None:
    """Unmasking (or opening the applicant's files) is for the staff handling the case, and audited."""
    if not handles_case(actor, application):
        raise PermissionDenied("只有办理该申请的工作人员可以查看完整的个人信息。")
    audit_record(
        actor=actor,
        action="personal_data_view",
        target=application,
        agency=application.agency,
        data={"what": what or "unmask"},
    )


@transaction.atomic
def notice_template_save(*, actor: User, agency: Agency, kind: str, body: str) -> None:
    """The office words its agency's letters; an empty body goes back to the default wording.

    Raises ValidationError({"body": …}) for a template over letters.TEMPLATE_MAX_CHARS characters or
    with anything in braces other than the kind's known `{名称}` placeholders, `{{` and `}}`.
    """
    if not is_staff_of(actor, agency.pk) or not actor.has_role(Role.OFFICE):
        raise PermissionDenied("只有政务公开办公室可以修改文书模板。")
    if kind not in NoticeKind.values:
        raise ValidationError({"kind": "未知的文书类型。"})
    try:
        check_template(body.strip(), kind)
    except TemplateRefused as exc:
        raise ValidationError({"body": exc.message}) from exc
    if body.strip():
        NoticeTemplate.objects.update_or_create(agency=agency, kind=kind, defaults={"body": body.strip()})
    else:
        NoticeTemplate.objects.filter(agency=agency, kind=kind).delete()
    audit_record(
        actor=actor,
        action="notice_template_save",
        target=agency,
        agency=agency,
        data={"kind": kind, "reset": not body.strip()},
    )


def notifications_mark_read(*, user: User, application: Application) -> int:
    """Opening the case settles the reminders about it in the reader's workbench."""
    return StaffNotification.objects.filter(user=user, application=application, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def ledger_exported(*, actor: User, queue: str, department_id: int | None, search: str, rows: int) -> None:
    """The request ledger leaves the platform as a file: audited (who, which queue and filter, how
    many cases). Any staff member of an agency may export the queues they see."""
    if actor.agency is None or not getattr(actor, "is_agency_staff", False):
        raise PermissionDenied("此功能仅供本机关工作人员使用。")
    audit_record(
        actor=actor,
        action=LEDGER_EXPORT_ACTION,
        target=actor.agency,
        agency=actor.agency,
        data={"queue": queue, "department": department_id, "search": search[:100], "rows": rows},
    )
