"""Writes for requests for disclosure. Each public function is one transaction and audits itself."""

import dataclasses
import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from gongkai.applications import identity, notices
from gongkai.applications.clockview import case_clock, case_events, case_rules
from gongkai.applications.models import (
    Appeal,
    ApplicantType,
    Application,
    ApplicationFile,
    CaseEvent,
    Channel,
    DeliveryWay,
    ExtensionRequest,
    IdType,
    Medium,
    NoticeKind,
    OrgType,
    Satisfaction,
)
from gongkai.applications.outcomes import OUTCOMES, outcome
from gongkai.applications.review import reply_findings
from gongkai.applications.workflow import (
    STATUS_ACTIONS,
    Action,
    Actor,
    CaseFacts,
    Status,
    TransitionRefused,
    check,
)
from gongkai.applications.workflow import target as transition_target
from gongkai.audit.services import audit_record
from gongkai.catalogue.uploads import UploadRejected, check_upload, sha256_of
from gongkai.core.html import paragraphs_to_html
from gongkai.core.personal_data import mask_personal_data
from gongkai.core.review_findings import Decision, check_decision, decision_record
from gongkai.organisation.models import Agency, Department
from gongkai.organisation.permissions import is_staff_of
from gongkai.organisation.roles import Role
from gongkai.workdays.clock import EventKind, ExtensionRefused, check_extension
from gongkai.workdays.selectors import current_calendar

DESCRIPTION_MAX = 2000
MAX_FILES = 5


def case_actor(user, application: Application) -> Actor:
    return Actor(
        roles=user.role_set() if user.is_authenticated else frozenset(),
        same_agency=is_staff_of(user, application.agency_id),
        same_department=application.department_id is not None
        and user.department_id == application.department_id,
    )


_NOT_CHOSEN = object()


def case_facts(
    application: Application,
    *,
    on: datetime.date | None = None,
    outcome_code: str | None = None,
    department: Any = _NOT_CHOSEN,
    correction_days: int = 10,
) -> CaseFacts:
    """What the workflow's guards need to know of this case for the action being tried.

    ``outcome_code`` stands for the draft's outcome when a new draft is being saved; ``department``
    is the one chosen for a forward (None or another agency's: refused), left out when listing
    the actions of the case page.
    """
    today = timezone.localdate()
    return CaseFacts(
        today=today,
        on=on or today,
        received_on=application.received_on,
        outcome=application.outcome if outcome_code is None else outcome_code,
        has_reply_text=bool((application.reply_text or "").strip()),
        lapsed=case_clock(application).lapsed,
        department_ok=department is _NOT_CHOSEN
        or (department is not None and department.agency_id == application.agency_id),
        correction_days=correction_days,
        extension_pending=application.extensions.filter(state=ExtensionRequest.State.PENDING).exists(),
        leader_approves_extensions=_leader_approves_extensions(application),
        suspected_duplicate=application.duplicate_of_id is not None,
    )


def _leader_approves_extensions(application: Application) -> bool:
    return case_rules(application).extension_approver == "局领导"


def _check(actor, application: Application, action: Action, reason: str = "", facts: CaseFacts | None = None):
    """The workflow's verdict on ``action`` for this case now (TransitionRefused if not allowed)."""
    return check(
        action,
        application.status_enum,
        case_actor(actor, application),
        reason,
        facts or case_facts(application),
    )


def _event(
    application: Application, kind: EventKind, on: datetime.date, *, actor=None, days: int = 0, note: str = ""
) -> CaseEvent:
    """Record a clock event, refusing one the clock cannot accept (wrong order, future date).

    Only the new event is judged: history a later calendar correction made irregular does not
    block further work on the case (it is shown with a warning on the case page)."""
    from gongkai.workdays.clock import Event, check_event

    try:
        check_event(
            rules=case_rules(application),
            events=case_events(application),
            new=Event(kind=kind, on=on, days=days),
            calendar=current_calendar(),
            today=max(timezone.localdate(), on),
        )
    except ExtensionRefused as exc:
        raise TransitionRefused(exc.message) from exc
    except ValueError as exc:
        raise TransitionRefused(str(exc)) from exc
    if on > timezone.localdate():
        raise TransitionRefused("日期不能晚于今天。")
    return CaseEvent.objects.create(
        application=application,
        kind=kind,
        on=on,
        days=days,
        note=note,
        actor=actor if getattr(actor, "pk", None) else None,
    )


# ---------------------------------------------------------------- intake


def clean_applicant(data: dict[str, Any]) -> dict[str, Any]:
    """Validate and normalise the applicant's details; ValidationError maps fields to Chinese messages."""
    errors: dict[str, str] = {}
    cleaned = dict(data)
    kind = data.get("applicant_type")
    if kind not in ApplicantType.values:
        errors["applicant_type"] = "请选择申请人类型。"
    if not (data.get("name") or "").strip():
        errors["name"] = "请填写姓名或名称。"
    try:
        cleaned["phone"] = identity.check_mobile_or_phone(data.get("phone") or "")
    except identity.IdentityError as exc:
        errors["phone"] = exc.message
    if kind == ApplicantType.NATURAL:
        if data.get("id_type") not in IdType.values:
            errors["id_type"] = "请选择证件类型。"
        elif data.get("id_type") == IdType.RESIDENT_ID:
            try:
                cleaned["id_number"] = identity.check_resident_id(data.get("id_number") or "")
            except identity.IdentityError as exc:
                errors["id_number"] = exc.message
        elif not (data.get("id_number") or "").strip():
            errors["id_number"] = "请填写证件号码。"
        for key in ("org_type", "credit_code", "legal_representative", "contact_person"):
            cleaned[key] = ""
    elif kind == ApplicantType.LEGAL:
        if data.get("org_type") not in OrgType.values:
            errors["org_type"] = "请选择组织类型。"
        try:
            cleaned["credit_code"] = identity.check_credit_code(data.get("credit_code") or "")
        except identity.IdentityError as exc:
            errors["credit_code"] = exc.message
        if not (data.get("contact_person") or "").strip():
            errors["contact_person"] = "请填写联系人。"
        cleaned["id_type"] = ""
        cleaned["id_number"] = ""
    if data.get("medium") not in Medium.values:
        errors["medium"] = "请选择获取信息的载体形式。"
    if data.get("delivery") not in DeliveryWay.values:
        errors["delivery"] = "请选择获取信息的方式。"
    elif data.get("delivery") == DeliveryWay.EMAIL and not (data.get("email") or "").strip():
        errors["email"] = "选择电子邮件获取的，请填写电子邮箱。"
    elif data.get("delivery") == DeliveryWay.POST and not (data.get("address") or "").strip():
        errors["address"] = "选择邮寄的，请填写通信地址。"
    email = (data.get("email") or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = "请填写有效的电子邮箱。"
    postcode = (data.get("postcode") or "").strip()
    if postcode and not (len(postcode) == 6 and postcode.isdigit()):
        errors["postcode"] = "邮政编码应为6位数字。"
    description = (data.get("description") or "").strip()
    if not description:
        errors["description"] = "请描述所需政府信息的内容。"
    elif len(description) > DESCRIPTION_MAX:
        errors["description"] = f"内容描述不能超过{DESCRIPTION_MAX}字，请精简或分次申请。"
    cleaned["description"] = description
    if errors:
        raise ValidationError(errors)
    return cleaned


def _check_files(files: list[UploadedFile]) -> list[tuple[UploadedFile, Any]]:
    if len(files) > MAX_FILES:
        raise ValidationError({"files": f"最多上传{MAX_FILES}个附件。"})
    checked = []
    for upload in files:
        upload.seek(0)
        try:
            info = check_upload(
                upload.name or "",
                upload,
                upload.size or 0,
                max_bytes=settings.ATTACHMENT_MAX_BYTES,
            )
        except UploadRejected as exc:
            raise ValidationError({"files": exc.message}) from exc
        upload.seek(0)
        checked.append((upload, info))
    return checked


APPLICATION_FIELDS = (
    "applicant_type",
    "name",
    "id_type",
    "id_number",
    "org_type",
    "credit_code",
    "legal_representative",
    "contact_person",
    "phone",
    "address",
    "postcode",
    "email",
    "description",
    "document_hint",
    "purpose_note",
    "medium",
    "delivery",
)


@transaction.atomic
def application_submit(
    *,
    agency: Agency,
    data: dict[str, Any],
    files: list[UploadedFile] = (),
    channel: str = Channel.ONLINE,
    received_on: datetime.date | None = None,
    actor=None,
) -> Application:
    """Store a request (online, or registered by the office with its confirmed received date)."""
    if channel != Channel.ONLINE:
        if actor is None or not is_staff_of(actor, agency.pk) or not actor.has_role(Role.OFFICE):
            raise PermissionDenied("只有政务公开办公室可以登记窗口、信函或传真申请。")
        if received_on is None:
            raise ValidationError({"received_on": "请填写收到申请的日期。"})
        if received_on > timezone.localdate():
            raise ValidationError({"received_on": "收到申请的日期不能晚于今天。"})
    else:
        # Online: received on the day both sides confirm, i.e. the day it is submitted here.
        received_on = timezone.localdate()
    if not agency.is_active:
        raise ValidationError({"agency": "该机关暂不受理网上申请。"})
    cleaned = clean_applicant(data)
    checked = _check_files(list(files))
    application = Application.objects.create(
        agency=agency,
        channel=channel,
        received_on=received_on,
        registered_by=actor if getattr(actor, "pk", None) else None,
        **{key: cleaned.get(key) or "" for key in APPLICATION_FIELDS},
    )
    CaseEvent.objects.create(
        application=application,
        kind=EventKind.RECEIVED,
        on=received_on,
        actor=actor if getattr(actor, "pk", None) else None,
    )
    for upload, info in checked:
        stored = ApplicationFile(
            application=application,
            original_name=info.name,
            content_type=info.content_type,
            size=info.size,
            sha256=sha256_of(upload.chunks()),
        )
        upload.seek(0)
        stored.file.save(info.name, upload, save=False)
        stored.save()
    notices.notice_issue(actor=actor, application=application, kind=NoticeKind.RECEIPT, day=received_on)
    audit_record(
        actor=actor,
        action="application_submit",
        target=application,
        agency=agency,
        to_state=application.status,
        data={"channel": channel, "received_on": str(received_on)},
    )
    return application


# ---------------------------------------------------------------- handling


@transaction.atomic
def reply_draft_save(
    *, actor, application: Application, outcome_code: str, reply_text: str, withheld_note: str = ""
) -> Application:
    application = Application.objects.select_for_update().select_related("agency").get(pk=application.pk)
    _check(
        actor,
        application,
        Action.SAVE_REPLY_DRAFT,
        facts=case_facts(application, outcome_code=outcome_code),
    )
    if outcome_code not in OUTCOMES:
        raise ValidationError({"outcome": "请选择办理结果。"})
    result = outcome(outcome_code)
    if not reply_text.strip():
        raise ValidationError({"reply_text": "请填写答复内容。"})
    if result.withholds and not withheld_note.strip():
        raise ValidationError({"withheld_note": "部分公开或不予公开的，须写明不予公开的内容和理由。"})
    application.outcome = outcome_code
    application.reply_text = reply_text.strip()
    application.withheld_note = withheld_note.strip()
    application.save()
    audit_record(
        actor=actor,
        action="application_reply_draft",
        target=application,
        agency=application.agency,
        data={"outcome": outcome_code},
    )
    return application


@transaction.atomic
def application_transition(
    *,
    actor,
    application: Application,
    action: Action,
    reason: str = "",
    department: Department | None = None,
    on: datetime.date | None = None,
    correction_days: int = 10,
    decision: Decision | None = None,
) -> Application:
    """The one way a request changes state: rules checked, events and letters written, audited.

    ``decision``: the reviewer's decision on the reply's review findings, required (TransitionRefused
    otherwise) by the rows the table marks ``findings_decision`` when there are findings.
    """
    if Action(action) not in STATUS_ACTIONS:
        raise TransitionRefused("该操作不能在此办理。")
    application = Application.objects.select_for_update().select_related("agency").get(pk=application.pk)
    source = application.status_enum
    facts = case_facts(application, on=on, department=department, correction_days=correction_days)
    transition = check(Action(action), source, case_actor(actor, application), reason, facts)
    on = facts.on
    target = transition_target(transition, facts)
    acknowledged: dict[str, object] = {}
    if transition.findings_decision:
        findings = reply_findings(application)
        check_decision(findings, decision)
        acknowledged = decision_record(findings, decision)
    action = transition.action
    if action == Action.REQUEST_CORRECTION:
        _event(
            application, EventKind.CORRECTION_REQUESTED, on, actor=actor, days=correction_days, note=reason
        )
        notices.notice_issue(
            actor=actor,
            application=application,
            kind=NoticeKind.CORRECTION,
            day=on,
            extra={
                "补正事项": reason.strip(),
                "补正期限": notices.cn_date(current_calendar().add(on, correction_days)),
            },
        )
    elif action == Action.RECEIVE_CORRECTION:
        _event(application, EventKind.CORRECTION_RECEIVED, on, actor=actor, note=reason)
    elif action == Action.LAPSE:
        _event(application, EventKind.CORRECTION_LAPSED, on, actor=actor)
        application.outcome = "other_no_correction"
        application.replied_on = on
        notices.notice_issue(actor=actor, application=application, kind=NoticeKind.REPLY, day=on)
    elif action == Action.FEE_LAPSE:
        _event(application, EventKind.FEE_LAPSED, on, actor=actor)
        application.outcome = "other_fee_unpaid"
        application.replied_on = on
        notices.notice_issue(actor=actor, application=application, kind=NoticeKind.REPLY, day=on)
    elif action == Action.FORWARD:
        application.department = department
        _event(application, EventKind.FORWARDED, on, actor=actor, note=department.name)
    elif action == Action.ANSWER_ON_SPOT:
        _reply(actor, application, on)
    elif action == Action.SUBMIT_REPLY:
        application.return_reason = ""
        if not application.events.filter(kind=EventKind.DEPARTMENT_ANSWERED).exists():
            # The department's answer milestone (seed 004 art. 19) is met when its draft goes up.
            _event(application, EventKind.DEPARTMENT_ANSWERED, on, actor=actor)
    elif action == Action.RETURN:
        application.return_reason = reason.strip()
    elif action == Action.ISSUE_REPLY:
        _reply(actor, application, on)
    elif action == Action.VOID:
        # No statutory outcome and no letter: the case is set aside as a repeat (REPORTED_STATUSES).
        application.outcome = ""
        application.void_reason = reason.strip()
    application.status = target
    application.save()
    audit_record(
        actor=actor,
        action=f"application_{action}",
        target=application,
        agency=application.agency,
        from_state=source,
        to_state=target,
        comment=reason.strip(),
        data={
            "department": department.name if department else "",
            **({"duplicate_of": application.duplicate_of_id} if action == Action.VOID else {}),
            **acknowledged,
        },
    )
    return application


def _reply(actor, application: Application, on: datetime.date) -> None:
    _event(application, EventKind.REPLIED, on, actor=actor)
    application.replied_on = on
    notices.notice_issue(actor=actor, application=application, kind=NoticeKind.REPLY, day=on)


# ---------------------------------------------------------------- pauses, extensions, fees


def _side_event(
    *,
    actor,
    application: Application,
    kind: EventKind,
    on: datetime.date | None,
    note: str,
    notice_kind: str | None = None,
    extra: dict[str, str] | None = None,
    days: int = 0,
    recipient: str | None = None,
) -> CaseEvent:
    application = Application.objects.select_for_update().select_related("agency").get(pk=application.pk)
    _check(actor, application, _SIDE_ACTIONS[kind], note)
    on = on or timezone.localdate()
    event = _event(application, kind, on, actor=actor, days=days, note=note)
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
    *, actor, application: Application, third_party: str, matter: str, on: datetime.date | None = None
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
def consultation_answer(*, actor, application: Application, note: str, on: datetime.date | None = None):
    return _side_event(
        actor=actor, application=application, kind=EventKind.CONSULTATION_ANSWERED, on=on, note=note
    )


@transaction.atomic
def fee_notice(*, actor, application: Application, amount: str, on: datetime.date | None = None):
    try:
        value = float(amount)
    except (TypeError, ValueError):
        value = 0
    if value <= 0:
        raise TransitionRefused("请填写收费金额（元）。")
    on_date = on or timezone.localdate()
    due = current_calendar().add(on_date, case_rules(application).fee_payment_days)
    return _side_event(
        actor=actor,
        application=application,
        kind=EventKind.FEE_NOTICE_SENT,
        on=on_date,
        note=f"{value:.2f}元",
        notice_kind=NoticeKind.FEE,
        extra={"收费金额": f"{value:.2f}", "缴费期限": notices.cn_date(due)},
    )


@transaction.atomic
def fee_paid(*, actor, application: Application, on: datetime.date | None = None):
    return _side_event(actor=actor, application=application, kind=EventKind.FEE_PAID, on=on, note="")


@transaction.atomic
def suspend(*, actor, application: Application, reason: str, on: datetime.date | None = None):
    if not reason.strip():
        raise TransitionRefused("请写明中止的不可抗力事由。")
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
def resume(*, actor, application: Application, on: datetime.date | None = None):
    return _side_event(
        actor=actor,
        application=application,
        kind=EventKind.RESUMED,
        on=on,
        note="",
        notice_kind=NoticeKind.RESUMPTION,
    )


def extension_approver_roles(application: Application) -> frozenset[Role]:
    """Who approves this case's extensions: the roles of its table's approval rows (workflow)."""
    from gongkai.applications.workflow import table

    facts = CaseFacts(
        today=application.received_on,
        on=application.received_on,
        received_on=application.received_on,
        leader_approves_extensions=_leader_approves_extensions(application),
    )
    return next(t.roles for t in table(facts) if t.action == Action.APPROVE_EXTENSION)


@transaction.atomic
def extension_request(*, actor, application: Application, days: int, reason: str) -> ExtensionRequest:
    application = Application.objects.select_for_update().select_related("agency").get(pk=application.pk)
    _check(actor, application, Action.REQUEST_EXTENSION, reason)
    today = timezone.localdate()
    try:
        check_extension(
            rules=case_rules(application),
            events=case_events(application),
            calendar=current_calendar(),
            days=days,
            on=today,
        )
    except ExtensionRefused as exc:
        raise TransitionRefused(exc.message) from exc
    request = ExtensionRequest.objects.create(
        application=application, days=days, reason=reason.strip(), requested_by=actor, requested_on=today
    )
    audit_record(
        actor=actor,
        action="application_extension_request",
        target=application,
        agency=application.agency,
        comment=reason.strip(),
        data={"days": days},
    )
    return request


@transaction.atomic
def extension_decide(
    *, actor, extension: ExtensionRequest, approve: bool, note: str = ""
) -> ExtensionRequest:
    extension = (
        ExtensionRequest.objects.select_for_update()
        .select_related("application__agency")
        .get(pk=extension.pk)
    )
    application = extension.application
    facts = dataclasses.replace(
        case_facts(application), extension_pending=extension.state == ExtensionRequest.State.PENDING
    )
    action = Action.APPROVE_EXTENSION if approve else Action.REJECT_EXTENSION
    _check(actor, application, action, note, facts)
    today = timezone.localdate()
    if approve:
        _event(
            application, EventKind.EXTENDED, today, actor=actor, days=extension.days, note=extension.reason
        )
        state = case_clock(application)
        notices.notice_issue(
            actor=actor,
            application=application,
            kind=NoticeKind.EXTENSION,
            extra={
                "延期理由": extension.reason,
                "延期天数": str(extension.days),
                "延期依据": case_rules(application).extension_basis,
                "延期批准人": "局领导"
                if actor.has_role(Role.LEADER)
                else case_rules(application).extension_approver,
                "延长后期限": notices.cn_date(state.due),
            },
        )
    extension.state = ExtensionRequest.State.APPROVED if approve else ExtensionRequest.State.REJECTED
    extension.decided_by = actor
    extension.decided_on = today
    extension.decision_note = note.strip()
    extension.save()
    audit_record(
        actor=actor,
        action="application_extension_decide",
        target=application,
        agency=application.agency,
        to_state=extension.state,
        comment=note.strip(),
        data={"days": extension.days},
    )
    return extension


def fee_lapse(*, actor, application: Application) -> Application:
    """Regulation art. 42: the fee was not paid in time; the table's FEE_LAPSE closes the request."""
    return application_transition(actor=actor, application=application, action=Action.FEE_LAPSE)


# ---------------------------------------------------------------- after the reply


@transaction.atomic
def notice_mark_delivered(*, actor, notice, method: str, on: datetime.date, proof: str = ""):
    application = notice.application
    _check(actor, application, Action.RECORD_DELIVERY)
    if not method.strip():
        raise TransitionRefused("请填写送达方式。")
    if on > timezone.localdate() or on < notice.issued_on:
        raise TransitionRefused("送达日期应在出具日期之后、今天之前。")
    notice.delivery_method = method.strip()
    notice.delivered_on = on
    notice.delivery_proof = proof.strip()
    notice.save()
    audit_record(
        actor=actor,
        action="notice_delivered",
        target=application,
        agency=application.agency,
        data={"notice": notice.pk, "method": method, "on": str(on)},
    )
    return notice


@transaction.atomic
def appeal_record(
    *,
    actor,
    application: Application,
    kind: str,
    filed_on: datetime.date,
    result: str,
    decided_on: datetime.date | None = None,
    note: str = "",
    appeal: Appeal | None = None,
) -> Appeal:
    _check(actor, application, Action.RECORD_APPEAL)
    if kind not in Appeal.Kind.values or result not in Appeal.Result.values:
        raise TransitionRefused("请选择类型和结果。")
    if result != Appeal.Result.PENDING and decided_on is None:
        raise TransitionRefused("已审结的请填写审结日期。")
    today = timezone.localdate()
    if filed_on > today or (application.replied_on and filed_on < application.replied_on):
        raise TransitionRefused("提起日期应在答复日期之后、今天之前。")
    if decided_on is not None and (decided_on < filed_on or decided_on > today):
        raise TransitionRefused("审结日期应在提起日期之后、今天之前。")
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


def handles_case(actor, application: Application) -> bool:
    """The staff entitled to an applicant's personal data: those who handle or decide the case."""
    who = case_actor(actor, application)
    if not who.same_agency:
        return False
    department_staff = who.same_department and actor.has_role(Role.CLERK, Role.DEPT_HEAD)
    return department_staff or actor.has_role(Role.OFFICE, Role.LEADER, Role.SECRECY_REVIEWER)


def personal_data_viewed(*, actor, application: Application, what: str = "") -> None:
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
def reply_to_catalogue(*, actor, application: Application):
    """Regulation art. 44: information given to several applicants may be published proactively."""
    from gongkai.catalogue import services as catalogue_services
    from gongkai.catalogue.models import Category

    if application.status_enum != Status.REPLIED or application.outcome not in ("disclosed", "partial"):
        raise TransitionRefused("只有已答复且予以公开（或部分公开）的申请可以转为主动公开。")
    from gongkai.audit.models import AuditEvent

    if AuditEvent.objects.filter(
        action="application_to_catalogue",
        target_id=str(application.pk),
        target_type=application._meta.label_lower,
    ).exists():
        raise TransitionRefused("该答复已转为主动公开信息草稿，请在信息管理中查看。")
    category = Category.objects.filter(agency=application.agency, name="其他").first()
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
        action="application_to_catalogue",
        target=application,
        agency=application.agency,
        data={"item": item.pk},
    )
    return item


@transaction.atomic
def notice_template_save(*, actor, agency: Agency, kind: str, body: str) -> None:
    """The office words its agency's letters; an empty body goes back to the default wording.

    Raises ValidationError({"body": …}) for a template over letters.TEMPLATE_MAX_CHARS characters or
    with anything in braces other than the kind's known `{名称}` placeholders, `{{` and `}}`.
    """
    from gongkai.applications.letters import TemplateRefused, check_template
    from gongkai.applications.models import NoticeTemplate

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


def notifications_mark_read(*, user, application: Application) -> int:
    """Opening the case settles the reminders about it in the reader's workbench."""
    from gongkai.applications.models import StaffNotification

    return StaffNotification.objects.filter(user=user, application=application, read_at__isnull=True).update(
        read_at=timezone.now()
    )
