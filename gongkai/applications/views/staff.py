"""Staff pages for requests: registration, the case page and its actions (queues: views.queues)."""

import datetime
from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.applications import identity, notices, selectors, services
from gongkai.applications.cases import case_actor, case_facts, case_workflow, handles_case
from gongkai.applications.clockview import case_rules
from gongkai.applications.forms import AppealForm, RegisterForm, ReplyDraftForm
from gongkai.applications.intake import application_intake
from gongkai.applications.letters import DEFAULT_TEMPLATES, placeholders_for
from gongkai.applications.models import Appeal, ExtensionRequest, NoticeKind, NoticeTemplate
from gongkai.applications.outcomes import OUTCOMES
from gongkai.applications.review import reply_findings
from gongkai.applications.workflow import (
    ACTION_LABELS,
    OPEN_STATUSES,
    STATUS_ACTIONS,
    Action,
    Status,
    Transition,
    TransitionRefused,
)
from gongkai.audit.selectors import audit_events_for
from gongkai.core.dbdrops import (
    DROPPED_CONNECTION_ERRORS,
    FORM_NOT_SAVED,
    discard_broken_connections,
    retry_later,
)
from gongkai.core.params import YEAR_MAX, YEAR_MIN, date_param, int_param
from gongkai.core.review_findings import Decision, fingerprint, needing_decision
from gongkai.core.roles import Role
from gongkai.core.textinput import refusal_message
from gongkai.core.views import attachment_response, perform, staff_required
from gongkai.documents.fonts import describe_characters
from gongkai.organisation.models import Department
from gongkai.workdays.clock import EVENT_LABELS
from gongkai.workdays.selectors import current_calendar

# The reply is checked while it is drafted and through its reviews.
REPLY_REVIEWED_STATUSES = frozenset(
    {Status.REGISTERED, Status.FORWARDED, Status.DEPT_REVIEW, Status.SECRECY_REVIEW, Status.LEADER_REVIEW}
)


def _date(value: str | None) -> datetime.date | None:
    if not value:
        return None
    day = date_param(value)
    if day is None:
        raise TransitionRefused(f"日期格式不正确，请按“年-月-日”填写{YEAR_MIN}至{YEAR_MAX}年间的日期。")
    return day


def _text(request, key: str) -> str:
    """A posted text as typed; refused (with the reason, in Chinese) when it holds characters no
    field accepts (``core.textinput``), as every form field refuses them."""
    value = request.POST.get(key, "")
    if message := refusal_message(value):
        raise TransitionRefused(f"填写的内容{message}")
    return value


def _whole_number(request, key: str, *, label: str, default: int) -> int:
    """A posted whole number (its range is the service's to judge); refused in Chinese otherwise."""
    raw = request.POST.get(key, "").strip()
    if not raw:
        return default
    number = int_param(raw, low=-(10**6), high=10**6)
    if number is None:
        raise TransitionRefused(f"{label}应填写整数，不能填写“{raw[:20]}”。")
    return number


@staff_required
@require_http_methods(["GET", "POST"])
def register(request):
    if not request.user.has_role(Role.OFFICE):
        raise PermissionDenied("只有政务公开办公室可以登记申请。")
    form = RegisterForm(
        request.POST or None,
        request.FILES or None,
        initial={"agency": request.user.agency_id, "received_on": timezone.localdate()},
    )
    agency_field = cast(forms.ModelChoiceField, form.fields["agency"])
    if agency_field.queryset is not None:
        agency_field.queryset = agency_field.queryset.filter(pk=request.user.agency_id)
    if request.method == "POST" and form.is_valid():
        try:
            intake = application_intake(
                agency=form.cleaned_data["agency"],
                data=form.applicant_data(),
                files=form.cleaned_data["files"],
                form_token=form.cleaned_data.get("form_token", ""),
                channel=form.cleaned_data["channel"],
                received_on=form.cleaned_data["received_on"],
                actor=request.user,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except DROPPED_CONNECTION_ERRORS:
            # Rolled back with the connection; the form is shown again as typed (see public.apply).
            discard_broken_connections()
            form.add_error(None, FORM_NOT_SAVED)
            return retry_later(render(request, "applications/staff/register.html", {"form": form}))
        else:
            application = intake.application
            if intake.created:
                messages.success(request, f"申请已登记，查询码 {application.query_code}，受理回执已生成。")
            else:
                messages.info(request, f"该申请刚才已登记（查询码 {application.query_code}），未重复登记。")
            return redirect("applications_staff:detail", pk=application.pk)
    return render(request, "applications/staff/register.html", {"form": form})


def _findings_context(application) -> dict:
    """The review's warnings on the reply while it is drafted or in review."""
    if application.status_enum not in REPLY_REVIEWED_STATUSES or not application.reply_text:
        return {"findings": []}
    findings = reply_findings(application)
    return {
        "findings": findings,
        "findings_seen": fingerprint(findings),
        "findings_need_decision": bool(needing_decision(findings)),
    }


# The forms of the 期限与暂停 panel: the clock's events and the extension request.
CLOCK_FORMS = frozenset(
    {
        Action.START_CONSULTATION,
        Action.RECORD_CONSULTATION_ANSWER,
        Action.SEND_FEE_NOTICE,
        Action.RECORD_FEE_PAID,
        Action.SUSPEND,
        Action.RESUME,
        Action.REQUEST_EXTENSION,
    }
)


def offered_actions(user, application) -> list[Transition]:
    """Everything the case page offers this user now: the workflow's `available`, nothing else."""
    return case_workflow(application).available(
        application.status_enum, case_actor(user, application), case_facts(application)
    )


def _case_context(request, application):
    user = request.user
    today = timezone.localdate()
    # The clock and its urgency as the queues compute them (selectors.case_row): one computation.
    row = selectors.case_row(application, today, current_calendar())
    clock = row.clock
    available = offered_actions(user, application)
    offered = {t.action.value for t in available}
    return {
        "application": application,
        "clock": clock,
        "urgency": row.urgency,
        "warning": next(iter(clock.warnings), None),
        "events": [(e, EVENT_LABELS.get(e.kind, e.kind)) for e in application.events.all()],
        "notices": application.notices.all(),
        "unprintable": describe_characters(selectors.letter_unprintable_characters(application)),
        "files": application.files.all(),
        "reply_attachments": application.reply_attachments.all(),
        "extensions": application.extensions.all(),
        "appeals": application.appeals.all(),
        "history": audit_events_for(application),
        "actions": [
            {
                "action": t.action.value,
                "label": ACTION_LABELS[t.action],
                "reason": t.reason_required,
                "findings_decision": t.findings_decision,
            }
            for t in available
            if t.action in STATUS_ACTIONS
        ],
        "offered": offered,
        "clock_forms": bool(offered & CLOCK_FORMS),
        "departments": Department.objects.filter(agency_id=application.agency_id),
        "outcome": OUTCOMES.get(application.outcome),
        "reply_form": ReplyDraftForm(
            initial={
                "outcome": application.outcome,
                "reply_text": application.reply_text,
                "withheld_note": application.withheld_note,
            }
        ),
        "is_open": application.status_enum in OPEN_STATUSES,
        "appeal_form": AppealForm(),
        "masked": {
            "id_number": identity.mask_id(application.id_number),
            "phone": identity.mask_phone(application.phone),
            "address": identity.mask_address(application.address),
            "email": _mask_email(application.email),
        },
        **_findings_context(application),
        **notices.delivery_choices(application),
        "unmasked": request.session.get(f"unmask-{application.pk}") is True,
        "may_unmask": handles_case(user, application),
        "max_extension": case_rules(application).max_extension_days,
        "satisfaction": getattr(application, "satisfaction", None),
        "today": today,
    }


def _mask_email(email: str) -> str:
    name, _, domain = email.partition("@")
    return f"{name[:1]}***@{domain}" if domain else ""


@staff_required
def detail(request, pk: int):
    application = selectors.staff_application(request.user, pk)
    services.notifications_mark_read(user=request.user, application=application)
    context = _case_context(request, application)
    response = render(request, "applications/staff/detail.html", context)
    request.session.pop(f"unmask-{application.pk}", None)  # a full view lasts one page
    return response


FIELD_LABELS = {"outcome": "办理结果", "reply_text": "答复内容", "withheld_note": "不予公开的内容和理由"}

OPERATIONS: dict[str, tuple[Callable[[Any, Any], Any], str]] = {
    Action.START_CONSULTATION: (
        lambda r, a: services.consultation_start(
            actor=r.user,
            application=a,
            third_party=_text(r, "third_party"),
            matter=_text(r, "matter"),
            on=_date(r.POST.get("on")),
        ),
        "已发出征求第三方意见函，征求意见期间不计入答复期限。",
    ),
    Action.RECORD_CONSULTATION_ANSWER: (
        lambda r, a: services.consultation_answer(
            actor=r.user, application=a, note=_text(r, "note"), on=_date(r.POST.get("on"))
        ),
        "已记录第三方意见，恢复计时。",
    ),
    Action.SEND_FEE_NOTICE: (
        lambda r, a: services.fee_notice(
            actor=r.user, application=a, amount=_text(r, "amount"), on=_date(r.POST.get("on"))
        ),
        "收费通知已生成。",
    ),
    Action.RECORD_FEE_PAID: (
        lambda r, a: services.fee_paid(actor=r.user, application=a, on=_date(r.POST.get("on"))),
        "已记录缴费，恢复计时。",
    ),
    Action.FEE_LAPSE: (
        lambda r, a: services.fee_lapse(actor=r.user, application=a),
        "申请人逾期未缴费，已终止办理。",
    ),
    Action.SUSPEND: (
        lambda r, a: services.suspend(
            actor=r.user, application=a, reason=_text(r, "reason"), on=_date(r.POST.get("on"))
        ),
        "已中止办理，中止通知书已生成。",
    ),
    Action.RESUME: (
        lambda r, a: services.resume(actor=r.user, application=a, on=_date(r.POST.get("on"))),
        "已恢复办理，恢复办理通知书已生成。",
    ),
    Action.REQUEST_EXTENSION: (
        lambda r, a: services.extension_request(
            actor=r.user,
            application=a,
            days=_whole_number(r, "days", label="延长天数（工作日）", default=0),
            reason=_text(r, "reason"),
        ),
        "延期申请已提交，等待审批。",
    ),
    Action.TO_CATALOGUE: (
        lambda r, a: services.reply_to_catalogue(actor=r.user, application=a),
        "已生成主动公开信息草稿，请在信息管理中完善后提交审核。",
    ),
}


@staff_required
@require_POST
def operate(request, pk: int, op: str):
    application = selectors.staff_application(request.user, pk)
    if op not in OPERATIONS:
        raise PermissionDenied("未知的操作。")
    call, done = OPERATIONS[op]
    result = perform(request, lambda: call(request, application), done)
    if op == Action.TO_CATALOGUE and result is not None:
        return redirect("catalogue_staff:detail", pk=result.pk)
    return redirect("applications_staff:detail", pk=application.pk)


def _action(request) -> Action:
    value = request.POST.get("action", "")
    if value not in Action._value2member_map_:
        raise TransitionRefused("未知的操作，请从案件页面上的按钮办理。")
    return Action(value)


def _department(request) -> Department | None:
    pk = int_param(request.POST.get("department", ""))
    if pk is None:
        return None
    return Department.objects.filter(pk=pk, agency=request.user.agency).first()


def _transition(request, application) -> Any:
    action = _action(request)
    return services.application_transition(
        actor=request.user,
        application=application,
        action=action,
        reason=_text(request, "reason"),
        department=_department(request),
        on=_date(request.POST.get("on")),
        decision=Decision(
            confirmed=request.POST.get("findings_confirmed") == "on",
            note=request.POST.get("findings_note", "")[:500],
            seen=request.POST.get("findings_seen", "")[:64],
        ),
        correction_days=_whole_number(request, "correction_days", label="补正期限（工作日）", default=10),
        corrected_description=_text(request, "corrected_description"),
        files=request.FILES.getlist("files"),
    )


@staff_required
@require_POST
def transition(request, pk: int):
    application = selectors.staff_application(request.user, pk)
    perform(
        request,
        lambda: _transition(request, application),
        lambda done: f"已{ACTION_LABELS[_action(request)]}，当前状态：{done.status_label}。",
    )
    return redirect("applications_staff:detail", pk=application.pk)


@staff_required
@require_POST
def reply_draft(request, pk: int):
    application = selectors.staff_application(request.user, pk)
    form = ReplyDraftForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择办理结果并填写答复内容。")
        return redirect("applications_staff:detail", pk=application.pk)
    perform(
        request,
        lambda: services.reply_draft_save(
            actor=request.user,
            application=application,
            outcome_code=form.cleaned_data["outcome"],
            reply_text=form.cleaned_data["reply_text"],
            withheld_note=form.cleaned_data["withheld_note"],
        ),
        "答复稿已保存。",
        field_labels=FIELD_LABELS,
    )
    return redirect("applications_staff:detail", pk=application.pk)


@staff_required
@require_POST
def extension_decide(request, pk: int, extension_pk: int):
    application = selectors.staff_application(request.user, pk)
    extension = get_object_or_404(ExtensionRequest, pk=extension_pk, application=application)
    perform(
        request,
        lambda: services.extension_decide(
            actor=request.user,
            extension=extension,
            approve=request.POST.get("decision") == "approve",
            note=_text(request, "note"),
        ),
        "已审批延期申请。",
    )
    return redirect("applications_staff:detail", pk=application.pk)


@staff_required
@require_POST
def appeal(request, pk: int):
    application = selectors.staff_application(request.user, pk)
    form = AppealForm(request.POST)
    existing = None
    if request.POST.get("appeal"):
        appeal_pk = int_param(request.POST["appeal"])
        existing = Appeal.objects.filter(pk=appeal_pk, application=application).first() if appeal_pk else None
        if existing is None:
            messages.error(request, "要修改的复议或诉讼记录不存在，请刷新页面后重试。")
            return redirect("applications_staff:detail", pk=application.pk)
    if not form.is_valid():
        messages.error(request, "请完整填写复议或诉讼信息。")
    else:
        perform(
            request,
            lambda: services.appeal_record(
                actor=request.user, application=application, appeal=existing, **form.cleaned_data
            ),
            "复议或诉讼情况已记录。",
        )
    return redirect("applications_staff:detail", pk=application.pk)


@staff_required
@require_POST
def unmask(request, pk: int):
    application = selectors.staff_application(request.user, pk)
    services.personal_data_viewed(actor=request.user, application=application)
    request.session[f"unmask-{application.pk}"] = True
    return redirect("applications_staff:detail", pk=application.pk)


@staff_required
def application_file(request, pk: int, file_pk: int):
    application = selectors.staff_application(request.user, pk)
    stored = get_object_or_404(application.files, pk=file_pk)
    services.personal_data_viewed(actor=request.user, application=application, what=stored.original_name)
    return attachment_response(stored)


@staff_required
@require_http_methods(["GET", "POST"])
def notice_templates(request):
    agency = request.user.agency
    is_office = request.user.has_role(Role.OFFICE)
    # A refused template comes back as typed, with the message next to it (nothing is lost).
    typed: dict[str, str] = {}
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not is_office:
            raise PermissionDenied("只有政务公开办公室可以修改文书模板。")
        kind, body = request.POST.get("kind", ""), request.POST.get("body", "")
        try:
            if message := refusal_message(body):
                raise ValidationError({"body": f"模板{message}"})
            services.notice_template_save(actor=request.user, agency=agency, kind=kind, body=body)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            if kind in NoticeKind.values:
                typed[kind], errors[kind] = body, "；".join(exc.messages)
        else:
            messages.success(request, "文书模板已保存，新出具的文书将使用新的措辞。")
            return redirect("applications_staff:templates")
    custom = {t.kind: t.body for t in NoticeTemplate.objects.filter(agency=agency)}
    rows = [
        {
            "kind": kind,
            "label": label,
            "body": typed.get(kind, custom.get(kind, DEFAULT_TEMPLATES[kind])),
            "custom": kind in custom,
            "error": errors.get(kind, ""),
            "placeholders": placeholders_for(kind),
        }
        for kind, label in NoticeKind.choices
    ]
    return render(request, "applications/staff/templates.html", {"rows": rows, "is_office": is_office})
