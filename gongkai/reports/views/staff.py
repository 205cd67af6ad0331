"""Staff pages of the annual report: the agency's reports, one report (tables, checks, review),
its text, the cases behind a cell, and the county roll-up.

Every page: anonymous → sign-in; without an agency role → 403; a role that takes no part in the
report (clerks) → 403; another agency's report → 404.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.audit.selectors import audit_events_for
from gongkai.catalogue.models import Column, Item
from gongkai.core.review_findings import decision_from_post, fingerprint, needing_decision
from gongkai.core.roles import Role
from gongkai.core.views import FORM_ERRORS, Refusal, paginate, perform, refuse, staff_required
from gongkai.organisation.permissions import require_agency, require_role, workflow_actor
from gongkai.reports import rollup as rollup_selectors
from gongkai.reports import selectors, services
from gongkai.reports.figures import drilldown
from gongkai.reports.format import TABLE3_COLUMNS, TABLE3_ROWS, TABLE4_GROUPS, TABLE4_RESULTS
from gongkai.reports.forms import ReportCreateForm, ReportTextForm, TransitionForm
from gongkai.reports.history import detect_format, report_year
from gongkai.reports.models import AnnualReport
from gongkai.reports.presentation import table_rows
from gongkai.reports.review import text_findings
from gongkai.reports.sections import SECTIONS
from gongkai.reports.workflow import (
    ACTION_LABELS,
    EDITABLE_STATUSES,
    REPORT_WORKFLOW,
    REVIEW_STATUSES,
    STATUS_LABELS,
    Action,
    TransitionRefused,
)

# Who reads reports: the office that writes them and everyone in their review chain, plus the
# leading group and supervisors. Clerks do not take part.
READERS = (
    Role.OFFICE,
    Role.DEPT_HEAD,
    Role.SECRECY_REVIEWER,
    Role.LEADER,
    Role.LEADING_GROUP,
    Role.SUPERVISOR,
)
ROLLUP_READERS = (Role.OFFICE, Role.LEADER, Role.SUPERVISOR)


def _report(request, pk: int) -> AnnualReport:
    require_role(request.user, *READERS)
    report = get_object_or_404(AnnualReport.objects.select_related("agency"), pk=pk)
    require_agency(request.user, report.agency_id)
    return report


def _historical(agency) -> list[dict]:
    """Reports published before the platform: items of the 年报 column not made by a report."""
    made = set(
        AnnualReport.objects.filter(agency=agency).exclude(item=None).values_list("item_id", flat=True)
    )
    items = Item.objects.filter(agency=agency, category__column=Column.ANNUAL_REPORT).exclude(pk__in=made)
    rows = []
    for item in items.order_by("-published_at", "-id"):
        year = report_year(item.title)
        rows.append({"item": item, "year": year, "format": detect_format(item.body, year=year)})
    return rows


@staff_required
def report_list(request):
    return _list_page(request)


def _list_page(request, refused: ReportCreateForm | None = None):
    """The report list; ``refused`` is a refused create form, shown again as typed (HTTP 200)."""
    require_role(request.user, *READERS)
    agency = request.user.agency
    return render(
        request,
        "reports/staff/list.html",
        {
            "reports": selectors.reports_of(agency),
            "historical": _historical(agency),
            "create_form": (refused or ReportCreateForm()) if request.user.has_role(Role.OFFICE) else None,
            "create_refused": refused,
            "due": selectors.report_due(agency, timezone.localdate()),
            "has_children": agency.children.exists(),
        },
    )


@staff_required
@require_POST
def report_create(request):
    require_role(request.user, Role.OFFICE)
    form = ReportCreateForm(request.POST)
    if form.is_valid():
        try:
            report = services.report_create(
                actor=request.user, agency=request.user.agency, year=form.cleaned_data["year"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
                form.add_error("year", message)
        else:
            messages.success(request, f"已生成{report.year}年度报告初稿。")
            return redirect("reports_staff:detail", pk=report.pk)
    else:
        messages.error(request, "请填写正确的年度。")
    return _list_page(request, form)


class CellUrl:
    """``(table, row, column) -> URL`` of the cases behind a cell of tables 三 and 四 (None for 二)."""

    do_not_call_in_templates = True

    def __init__(self, report: AnnualReport) -> None:
        self.report = report

    def __call__(self, table: str, row: str, column: str) -> str | None:
        if table not in ("table3", "table4"):
            return None
        return reverse("reports_staff:cases", args=[self.report.pk, table, row, column])


def _history(report: AnnualReport) -> list[dict]:
    """The report's audit events with their actions and states in Chinese."""
    actions = {f"report_{a.value}": label for a, label in ACTION_LABELS.items()}
    actions |= {"report_create": "生成初稿", "report_save_text": "修改文字部分"}
    states = {s.value: label for s, label in STATUS_LABELS.items()}
    return [
        {
            "event": e,
            "action": actions.get(e.action, e.action),
            "from_state": states.get(e.from_state, e.from_state),
            "to_state": states.get(e.to_state, e.to_state),
        }
        for e in audit_events_for(report)
    ]


def _findings_context(report: AnnualReport) -> dict:
    """The review's warnings on the text while it can still change or is in review (not once published)."""
    if report.status_enum not in EDITABLE_STATUSES | REVIEW_STATUSES:
        return {"findings": []}
    findings = text_findings(report.text)
    return {
        "findings": findings,
        "findings_seen": fingerprint(findings),
        "findings_need_decision": bool(needing_decision(findings)),
    }


@staff_required
def report_detail(request, pk: int):
    return _report_page(request, _report(request, pk))


def _report_page(request, report: AnnualReport, refusal: Refusal | None = None):
    """The report page; after a refused action (HTTP 200) with its form as typed and the message."""
    review = selectors.report_review(report)
    actor = workflow_actor(request.user, agency_id=report.agency_id, department_id=None)
    actions = [
        {
            "action": t.action.value,
            "label": ACTION_LABELS[t.action],
            "reason_required": t.reason_required,
            "findings_decision": t.findings_decision,
            "typed": refusal.typed(t.action.value) if refusal else {},
            "errors": refusal.errors_for(t.action.value) if refusal else {},
        }
        for t in REPORT_WORKFLOW.available(report.status_enum, actor, review.facts)
    ]
    shown = (
        review.published_figures
        if report.status == "published" and review.published_figures
        else review.figures
    )
    return render(
        request,
        "reports/staff/detail.html",
        {
            "report": report,
            "review": review,
            "figures": shown,
            "cell_url": CellUrl(report),
            "actions": actions,
            "sections": [{"section": s, "text": report.text.get(s.key, "")} for s in SECTIONS],
            "can_edit": request.user.has_role(Role.OFFICE) and report.status in ("draft", "returned"),
            "versions": report.versions.order_by("-number"),
            "history": _history(report),
            **_findings_context(report),
        },
    )


@staff_required
def report_text(request, pk: int):
    report = _report(request, pk)
    require_role(request.user, Role.OFFICE)
    if request.method == "POST":
        form = ReportTextForm(request.POST)
        if form.is_valid():
            try:
                services.report_save_text(actor=request.user, report=report, text=form.cleaned_data)
            except (TransitionRefused, PermissionDenied) as exc:
                form.add_error(None, getattr(exc, "message", None) or str(exc))
            except ValidationError as exc:
                for key, errors in exc.message_dict.items():
                    form.add_error(key if key in form.fields else None, errors)
            else:
                messages.success(request, "文字部分已保存，检查结果已更新。")
                return redirect("reports_staff:detail", pk=report.pk)
    else:
        form = ReportTextForm(initial={s.key: report.text.get(s.key, "") for s in SECTIONS})
    return render(request, "reports/staff/text.html", {"report": report, "form": form})


@staff_required
@require_POST
def report_action(request, pk: int):
    report = _report(request, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        invalid = refuse(request, {FORM_ERRORS: ["操作无效，请重试。"]})
        return _report_page(request, report, invalid.refusal(request, request.POST.get("action", "")))
    action = Action(form.cleaned_data["action"])
    performed = perform(
        request,
        lambda: services.report_transition(
            actor=request.user,
            report=report,
            action=action,
            reason=form.cleaned_data["reason"],
            decision=decision_from_post(request.POST),
        ),
        lambda done: f"已{ACTION_LABELS[action]}，当前状态：{done.status_label}。",
    )
    if performed.refused:
        return _report_page(request, _report(request, pk), performed.refusal(request, action.value))
    return redirect("reports_staff:detail", pk=report.pk)


@staff_required
def report_cases(request, pk: int, table: str, row: str, column: str):
    report = _report(request, pk)
    try:
        cases = drilldown(agency=report.agency, year=report.year, table=table, row=row, column=column)
    except ValueError:
        raise Http404("未找到该单元格。") from None
    labels = {
        "table3": ({r.key: r.label for r in TABLE3_ROWS}, dict(TABLE3_COLUMNS)),
        "table4": (dict(TABLE4_GROUPS), dict(TABLE4_RESULTS)),
    }[table]
    return render(
        request,
        "reports/staff/cases.html",
        {
            "report": report,
            "table_label": "表三" if table == "table3" else "表四",
            "row_label": labels[0][row],
            "column_label": labels[1][column],
            "page": paginate(request, cases.order_by("received_on", "pk"), per_page=50),
        },
    )


@staff_required
def rollup(request, year: int | None = None):
    require_role(request.user, *ROLLUP_READERS)
    agency = request.user.agency
    if year is None:
        year = timezone.localdate().year - 1
    if not 2008 <= year <= timezone.localdate().year:
        raise Http404("未找到该年度。")
    summary = rollup_selectors.county_rollup(agency, year, timezone.localdate())
    return render(
        request,
        "reports/staff/rollup.html",
        {"rollup": summary, "year": year, "rows": table_rows(summary.figures)},
    )
