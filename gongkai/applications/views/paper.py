"""The printable 申请表 and 申请须知 for applicants who apply by post or at the window."""

from dataclasses import dataclass

from django.shortcuts import render
from django.views.decorators.http import require_safe

from gongkai.applications.applicant import FIELDS, ApplicantField, When
from gongkai.applications.models import ApplicantType
from gongkai.applications.services.intake import MAX_FILES
from gongkai.organisation.models import Agency
from gongkai.workdays.rules import rule_set


@dataclass(frozen=True)
class PaperRow:
    """One line of the paper form: a label, its boxes to tick (a choice) or lines to write on."""

    label: str
    required: bool
    condition: str
    boxes: tuple[str, ...]
    lines: int


def _row(spec: ApplicantField) -> PaperRow:
    boxes = tuple(str(label) for _, label in spec.choices.choices) if spec.choices is not None else ()
    condition = ""
    if isinstance(spec.required, When) and spec.required.field != "applicant_type":
        condition = f"{spec.required.wording}必填"
    label = spec.short_label if spec.applies_to else spec.label
    lines = 6 if spec.name == "description" else 1
    return PaperRow(label, spec.required is not False, condition, boxes, lines)


def paper_sections() -> list[tuple[str, list[PaperRow]]]:
    """The form's sections, from the same field declarations as the online form."""
    asked = [spec for spec in FIELDS if spec.asked]
    request_part = {"description", "medium", "delivery"}
    common = [s for s in asked if s.applies_to is None and s.name not in request_part]
    return [
        ("申请人信息", [_row(s) for s in common]),
        ("自然人填写", [_row(s) for s in asked if s.applies_to == ApplicantType.NATURAL]),
        ("法人或其他组织填写", [_row(s) for s in asked if s.applies_to == ApplicantType.LEGAL]),
        ("所需政府信息", [_row(s) for s in asked if s.name in request_part]),
    ]


def _agency(request) -> Agency | None:
    value = request.GET.get("agency", "")
    if not value.isdigit() or len(value) > 12:
        return None
    return Agency.objects.filter(pk=int(value), is_active=True).first()


@require_safe
def paper_form(request):
    agency = _agency(request)
    context = {"agency": agency, "sections": paper_sections(), "max_files": MAX_FILES}
    return render(request, "applications/public/paper_form.html", context)


@require_safe
def instructions(request):
    agency = _agency(request)
    rules = rule_set(agency.rule_set) if agency else rule_set("national-2019")
    context = {
        "agency": agency,
        "agencies": Agency.objects.filter(is_active=True).order_by("order", "name") if agency is None else [],
        "rules": rules,
    }
    return render(request, "applications/public/instructions.html", context)
