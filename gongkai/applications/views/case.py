"""The case page of a request and its actions (状态流转, 答复稿, 期限事项, 延期审批, 送达, 复议诉讼).

Every action posts one form of the case page. Done, it redirects to the page; refused, the page
is rendered again (HTTP 200) with that form as typed and the refusal beside its field
(``core.views.Refusal``): nothing typed is lost.
"""

import datetime
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.applications import identity, notices, selectors, services
from gongkai.applications.cases import (
    case_actor,
    case_facts,
    case_workflow,
    handles_case,
    sees_postal_address,
)
from gongkai.applications.clockview import case_rules
from gongkai.applications.forms import AppealForm, ReplyDraftForm
from gongkai.applications.models import Appeal, ExtensionRequest
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
from gongkai.core.params import YEAR_MAX, YEAR_MIN, date_param, int_param
from gongkai.core.review_findings import Decision, fingerprint, needing_decision
from gongkai.core.textinput import refusal_message
from gongkai.core.views import FORM_ERRORS, Performed, Refusal, perform, refuse, staff_required
from gongkai.documents.fonts import describe_characters
from gongkai.organisation.models import Department
from gongkai.workdays.clock import EVENT_LABELS
from gongkai.workdays.selectors import current_calendar

# The reply is checked while it is drafted and through its reviews.
REPLY_REVIEWED_STATUSES = frozenset(
    {Status.REGISTERED, Status.FORWARDED, Status.DEPT_REVIEW, Status.SECRECY_REVIEW, Status.LEADER_REVIEW}
)

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

# The names of the case page's forms other than the transitions (whose names are their actions).
REPLY_FORM = "reply"
ATTACHMENTS_FORM = "reply-attachments"
APPEAL_FORM = "appeal"


def extension_form(extension_pk: int) -> str:
    return f"extension-{extension_pk}"


def delivery_form(notice_pk: int) -> str:
    return f"delivered-{notice_pk}"


def failed_delivery_form(notice_pk: int) -> str:
    return f"failed-{notice_pk}"


def _date(value: str | None) -> datetime.date | None:
    if not value:
        return None
    day = date_param(value)
    if day is None:
        raise TransitionRefused(
            f"日期格式不正确，请按“年-月-日”填写{YEAR_MIN}至{YEAR_MAX}年间的日期。", field="on"
        )
    return day


def _text(request, key: str) -> str:
    """A posted text as typed; refused (with the reason, in Chinese) when it holds characters no
    field accepts (``core.textinput``), as every form field refuses them."""
    value = request.POST.get(key, "")
    if message := refusal_message(value):
        raise TransitionRefused(f"填写的内容{message}", field=key)
    return value


def _whole_number(request, key: str, *, label: str, default: int) -> int:
    """A posted whole number (its range is the service's to judge); refused in Chinese otherwise."""
    raw = request.POST.get(key, "").strip()
    if not raw:
        return default
    number = int_param(raw, low=-(10**6), high=10**6)
    if number is None:
        raise TransitionRefused(f"{label}应填写整数，不能填写“{raw[:20]}”。", field=key)
    return number


def offered_actions(user, application) -> list[Transition]:
    """Everything the case page offers this user now: the workflow's `available`, nothing else."""
    return case_workflow(application).available(
        application.status_enum, case_actor(user, application), case_facts(application)
    )


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


def _mask_email(email: str) -> str:
    name, _, domain = email.partition("@")
    return f"{name[:1]}***@{domain}" if domain else ""


def _milestones(clock, urgency, today: datetime.date, is_open: bool) -> list[dict]:
    """Each milestone with how it stands: a deadline of the agency's it missed (已超期) or that falls
    due within 3 working days — both as the queues judge them (``workdays.urgency``) —, or a window
    that passed unused (已过, neutral: not the office's to miss; only while the case is open)."""
    rows = []
    for m in clock.milestones:
        if m in urgency.missed:
            state = "missed"
        elif m in urgency.due_soon:
            state = "due_soon"
        elif m.window and m.done_on is None and m.due < today and is_open:
            state = "window_passed"
        else:
            state = ""
        rows.append({"label": m.label, "due": m.due, "done_on": m.done_on, "state": state})
    return rows


def _with_form(obj: Any, refusal: Refusal | None, name: str) -> Any:
    """``obj`` (a row of the page) with the typed values and errors of its own form, if refused."""
    obj.typed = refusal.typed(name) if refusal else {}
    obj.errors = refusal.errors_for(name) if refusal else {}
    return obj


def _with_delivery_forms(notice: Any, refusal: Refusal | None) -> Any:
    """A letter with the typed values and errors of its two forms: delivered, failed delivery."""
    _with_form(notice, refusal, delivery_form(notice.pk))
    failed = failed_delivery_form(notice.pk)
    notice.failed_typed = refusal.typed(failed) if refusal else {}
    notice.failed_errors = refusal.errors_for(failed) if refusal else {}
    return notice


def _case_context(request, application, refusal: Refusal | None = None) -> dict:
    user = request.user
    today = timezone.localdate()
    # The clock and its urgency as the queues compute them (selectors.case_row): one computation.
    row = selectors.case_row(application, today, current_calendar())
    clock = row.clock
    available = offered_actions(user, application)
    offered = {t.action.value for t in available}
    is_open = application.status_enum in OPEN_STATUSES

    def typed(name: str) -> Any:
        return refusal.typed(name) if refusal else {}

    def errors(name: str) -> Any:
        return refusal.errors_for(name) if refusal else {}

    reply_form = ReplyDraftForm(
        initial={
            "outcome": application.outcome,
            "reply_text": application.reply_text,
            "withheld_note": application.withheld_note,
        }
    )
    appeal_form = AppealForm()
    if refusal and refusal.form == REPLY_FORM:
        reply_form = _bound(ReplyDraftForm(refusal.data), refusal)
    if refusal and refusal.form == APPEAL_FORM:
        appeal_form = _bound(AppealForm(refusal.data), refusal)
    return {
        "application": application,
        "clock": clock,
        "urgency": row.urgency,
        "milestones": _milestones(clock, row.urgency, today, is_open),
        "warning": next(iter(clock.warnings), None),
        "events": [(e, EVENT_LABELS.get(e.kind, e.kind)) for e in application.events.all()],
        "notices": [_with_delivery_forms(n, refusal) for n in application.notices.all()],
        "unprintable": describe_characters(selectors.letter_unprintable_characters(application)),
        "files": application.files.all(),
        "reply_attachments": application.reply_attachments.all(),
        "attachment_errors": errors(ATTACHMENTS_FORM),
        "extensions": [_with_form(e, refusal, extension_form(e.pk)) for e in application.extensions.all()],
        "appeals": application.appeals.all(),
        "history": audit_events_for(application),
        "actions": [
            {
                "action": t.action.value,
                "label": ACTION_LABELS[t.action],
                "reason": t.reason_required,
                "findings_decision": t.findings_decision,
                "typed": typed(t.action.value),
                "errors": errors(t.action.value),
            }
            for t in available
            if t.action in STATUS_ACTIONS
        ],
        "offered": offered,
        "typed": {name: typed(name) for name in offered},
        "errors": {name: errors(name) for name in offered},
        "clock_forms": bool(offered & CLOCK_FORMS),
        "departments": Department.objects.filter(agency_id=application.agency_id),
        "outcome": OUTCOMES.get(application.outcome),
        "reply_form": reply_form,
        "is_open": is_open,
        "appeal_form": appeal_form,
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
        "sees_postal_address": sees_postal_address(user, application),
        "max_extension": case_rules(application).max_extension_days,
        "satisfaction": getattr(application, "satisfaction", None),
        "today": today,
    }


def _bound(form, refusal: Refusal):
    """A Django form bound to what was posted, carrying the refusal's messages beside its fields."""
    form.is_valid()
    for name, texts in refusal.errors.items():
        for text in texts:
            if text not in form.errors.get(name if name in form.fields else "__all__", []):
                form.add_error(name if name in form.fields else None, text)
    return form


@staff_required
def detail(request, pk: int):
    application = selectors.staff_application(request.user, pk)
    services.notifications_mark_read(user=request.user, application=application)
    context = _case_context(request, application)
    response = render(request, "applications/staff/detail.html", context)
    request.session.pop(f"unmask-{application.pk}", None)  # a full view lasts one page
    return response


def _refused(request, application, form: str, done: Performed) -> HttpResponse:
    """The case page again, ``form`` as typed and the refusal beside its fields (nothing lost)."""
    application = selectors.staff_application(request.user, application.pk)  # as it now stands
    context = _case_context(request, application, done.refusal(request, form))
    return render(request, "applications/staff/detail.html", context)


def _answer(request, application, form: str, done: Performed) -> HttpResponse:
    if done.refused:
        return _refused(request, application, form, done)
    return redirect("applications_staff:detail", pk=application.pk)


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
    performed = perform(request, lambda: call(request, application), done)
    if op == Action.TO_CATALOGUE and not performed.refused:
        return redirect("catalogue_staff:detail", pk=performed.result.pk)
    return _answer(request, application, op, performed)


def _action(request) -> Action:
    value = request.POST.get("action", "")
    if value not in Action._value2member_map_:
        raise TransitionRefused("未知的操作，请从案件页面上的按钮办理。")
    return Action(value)


def _department(request) -> Department | None:
    pk = int_param(request.POST.get("department", ""))
    if pk is None:
        return None
    # Whose department it is, the workflow's guard judges (DEPARTMENT_OF_AGENCY), not the view.
    return Department.objects.filter(pk=pk).first()


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
    performed = perform(
        request,
        lambda: _transition(request, application),
        lambda done: f"已{ACTION_LABELS[_action(request)]}，当前状态：{done.status_label}。",
    )
    return _answer(request, application, request.POST.get("action", ""), performed)


@staff_required
@require_POST
def reply_draft(request, pk: int):
    application = selectors.staff_application(request.user, pk)
    form = ReplyDraftForm(request.POST)
    if not form.is_valid():
        invalid = refuse(request, form.errors, field_labels=FIELD_LABELS)
        return _refused(request, application, REPLY_FORM, invalid)
    performed = perform(
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
    return _answer(request, application, REPLY_FORM, performed)


@staff_required
@require_POST
def extension_decide(request, pk: int, extension_pk: int):
    application = selectors.staff_application(request.user, pk)
    extension = get_object_or_404(ExtensionRequest, pk=extension_pk, application=application)
    approve = request.POST.get("decision") == "approve"
    performed = perform(
        request,
        lambda: services.extension_decide(
            actor=request.user,
            extension=extension,
            approve=approve,
            note=_text(request, "note"),
        ),
        "已审批延期申请。",
    )
    if performed.refused and "reason" in performed.errors:
        # The table's "reason" is this form's 不批准理由 (note).
        performed = Performed(errors={"note": performed.errors["reason"]})
    return _answer(request, application, extension_form(extension.pk), performed)


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
            missing = {FORM_ERRORS: ["要修改的复议或诉讼记录不存在，请刷新页面后重试。"]}
            return _refused(request, application, APPEAL_FORM, refuse(request, missing))
    if not form.is_valid():
        return _refused(request, application, APPEAL_FORM, refuse(request, form.errors))
    performed = perform(
        request,
        lambda: services.appeal_record(
            actor=request.user, application=application, appeal=existing, **form.cleaned_data
        ),
        "复议或诉讼情况已记录。",
    )
    return _answer(request, application, APPEAL_FORM, performed)


@staff_required
@require_POST
def unmask(request, pk: int):
    application = selectors.staff_application(request.user, pk)
    services.personal_data_viewed(actor=request.user, application=application)
    request.session[f"unmask-{application.pk}"] = True
    return redirect("applications_staff:detail", pk=application.pk)
