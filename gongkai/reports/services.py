"""Writes to the annual report. Each public function is one transaction, checks the actor, audits.

The report belongs to its agency's disclosure office (Regulation art. 49; 30号 明确责任): the
office creates it, edits its text and submits it; the review chain (gongkai.reports.workflow)
does the rest. Publication freezes a version and puts the report in the catalogue's
政府信息公开年报 column (gongkai.catalogue.reviewed_elsewhere) in the same transaction.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from gongkai.audit.services import audit_record
from gongkai.catalogue.reviewed_elsewhere import item_publish_reviewed
from gongkai.core.review_findings import Decision, required_decision
from gongkai.core.roles import Role
from gongkai.organisation.models import Agency, User
from gongkai.organisation.permissions import is_staff_of, workflow_actor
from gongkai.reports import selectors
from gongkai.reports.drafting import first_draft
from gongkai.reports.figures import report_figures
from gongkai.reports.format import Figures
from gongkai.reports.models import AnnualReport, AnnualReportVersion
from gongkai.reports.review import text_findings
from gongkai.reports.sections import SECTION_KEYS
from gongkai.reports.workflow import EDITABLE_STATUSES, REPORT_WORKFLOW, Action, Status, TransitionRefused

TEXT_MAX_CHARS = 20000  # per section; a whole county report is a few thousand characters


def _check_office(actor: User, agency_id: int) -> None:
    if not is_staff_of(actor, agency_id):
        raise PermissionDenied("只能办理本机关的年度报告。")
    if not actor.has_role(Role.OFFICE):
        raise PermissionDenied("年度报告由政务公开办公室编制。")


@transaction.atomic
def report_create(*, actor: User, agency: Agency, year: int) -> AnnualReport:
    """Start the report of ``agency`` for ``year`` with a first draft of its text.

    Raises PermissionDenied (not the agency's office), ValidationError (a year not yet over, or a
    report that exists).
    """
    _check_office(actor, agency.pk)
    this_year = timezone.localdate().year
    if not 2008 <= year < this_year:
        raise ValidationError({"year": f"只能编制已经结束的年度（{this_year - 1}年及以前）的年度报告。"})
    if AnnualReport.objects.filter(agency=agency, year=year).exists():
        raise ValidationError({"year": f"{year}年度报告已经存在。"})
    figures = report_figures(agency=agency, year=year)
    report = AnnualReport.objects.create(
        agency=agency,
        year=year,
        created_by=actor,
        status=Status.DRAFT,
        text=first_draft(figures, agency.name),
    )
    audit_record(actor=actor, action="report_create", target=report, agency=agency, to_state=report.status)
    return report


@transaction.atomic
def report_save_text(*, actor: User, report: AnnualReport, text: dict[str, str]) -> AnnualReport:
    """Replace the text sections given (keys of SECTION_KEYS; others are a TypeError).

    Only a draft or returned report may change (TransitionRefused otherwise).
    """
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    _check_office(actor, report.agency_id)
    if report.status_enum not in EDITABLE_STATUSES:
        raise TransitionRefused(f"“{report.status_label}”状态的年度报告不能修改；已发布的请发起更正。")
    unknown = set(text) - set(SECTION_KEYS)
    if unknown:
        raise TypeError(f"unknown report sections: {sorted(unknown)}")
    errors = {
        key: f"不能超过{TEXT_MAX_CHARS}字。" for key, value in text.items() if len(value) > TEXT_MAX_CHARS
    }
    if errors:
        raise ValidationError(errors)
    cleaned = {key: value.replace("\r\n", "\n").strip() for key, value in text.items()}
    changed = sorted(key for key, value in cleaned.items() if report.text.get(key, "") != value)
    report.text = {**report.text, **cleaned}
    report.save(update_fields=["text", "updated_at"])
    audit_record(
        actor=actor,
        action="report_save_text",
        target=report,
        agency=report.agency,
        data={"sections": changed},
    )
    return report


def _public_body(report: AnnualReport, version: AnnualReportVersion) -> str:
    return render_to_string(
        "reports/public/body.html",
        {
            "report": report,
            "version": version,
            "figures": selectors.version_figures(version),
            "versions": list(report.versions.order_by("-number")),
        },
    )


def _publish(actor: User, report: AnnualReport, figures: Figures) -> AnnualReportVersion:
    number = (report.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = AnnualReportVersion.objects.create(
        report=report,
        number=number,
        figures=selectors.summary_payload(figures),
        text=dict(report.text),
        correction_note=report.correction_note if number > 1 else "",
        published_at=timezone.now(),
        signed_by=actor,
    )
    report.item = item_publish_reviewed(
        actor=actor,
        agency=report.agency,
        item=report.item,
        title=report.title,
        body=_public_body(report, version),
        source_note=f"年度报告第{number}版",
    )
    report.correction_note = ""
    return version


@transaction.atomic
def report_transition(
    *, actor: User, report: AnnualReport, action: Action, reason: str = "", decision: Decision | None = None
) -> AnnualReport:
    """The one way a report changes state: checks role, state and the blocking checks, applies, audits.

    Sign-off by the leader publishes a new version (the figures frozen as derived now).
    ``decision``: the reviewer's decision on the review findings of the text (personal data),
    required by the transitions the table marks ``findings_decision`` when there are findings;
    the audit event records the findings acknowledged. Raises TransitionRefused with a Chinese
    message.
    """
    report = AnnualReport.objects.select_for_update().select_related("agency").get(pk=report.pk)
    source = report.status_enum
    review = selectors.report_review(report)
    transition = REPORT_WORKFLOW.check(
        Action(action),
        source,
        workflow_actor(actor, agency_id=report.agency_id, department_id=None),
        reason,
        review.facts,
    )
    acknowledged = required_decision(
        transition.findings_decision, lambda: text_findings(report.text), decision
    )
    report.status = transition.target
    data: dict[str, object] = {}
    if transition.action == Action.RETURN:
        report.return_reason = reason.strip()
    elif transition.action == Action.SUBMIT:
        report.return_reason = ""
    elif transition.action == Action.CORRECT:
        report.correction_note = reason.strip()
    if transition.target == Status.PUBLISHED:
        version = _publish(actor, report, review.figures)
        data = {"version": version.number, "item": report.item_id}
    report.save()
    audit_record(
        actor=actor,
        action=f"report_{transition.action}",
        target=report,
        agency=report.agency,
        from_state=source,
        to_state=report.status,
        comment=reason.strip(),
        data={**data, **acknowledged},
    )
    return report
