"""Public pages of published annual reports: one page per published version.

Only AnnualReportVersion rows are served, and they exist only once a version is signed off and
published (gongkai.reports.services.report_transition): a draft, a report in review or a pending
correction has no public URL at all (invariant 1). The current version is also the catalogue
item in the 政府信息公开年报 column; earlier versions stay readable here.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.encoding import escape_uri_path
from django.views.decorators.http import require_safe

from gongkai.reports import export, selectors
from gongkai.reports.models import AnnualReportVersion


def _public_version(agency: str, year: int, number: int) -> AnnualReportVersion:
    return get_object_or_404(
        AnnualReportVersion.objects.select_related("report__agency", "report__item"),
        report__agency__slug=agency,
        report__agency__is_active=True,
        report__item__is_public=True,  # withdrawn from the column: withdrawn here too
        report__year=year,
        number=number,
    )


# The export formats of a published version (gongkai.reports.export), as downloads.
DOWNLOADS = {
    "docx": ("export_docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "pdf": ("export_pdf", "application/pdf"),
    "xlsx": ("export_xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "json": ("export_json", "application/json"),
}

DOWNLOAD_LABELS = (("docx", "Word（DOCX）"), ("pdf", "PDF"), ("xlsx", "Excel（XLSX）"), ("json", "JSON"))


@require_safe
def version(request, agency: str, year: int, number: int):
    version = _public_version(agency, year, number)
    report = version.report
    return render(
        request,
        "reports/public/version.html",
        {
            "report": report,
            "version": version,
            "figures": selectors.version_figures(version),
            "versions": list(report.versions.order_by("-number")),
            "latest": selectors.latest_version(report),
            "downloads": (
                ("docx", "Word（DOCX）"),
                ("pdf", "PDF"),
                ("xlsx", "Excel（XLSX）"),
                ("json", "JSON"),
            ),
        },
    )


@require_safe
def download(request, agency: str, year: int, number: int, fmt: str):
    """The published version as DOCX, PDF, XLSX or JSON, generated from its frozen figures and text."""
    if fmt not in DOWNLOADS:
        raise Http404("不支持该格式。")
    version = _public_version(agency, year, number)
    report = version.report
    function, content_type = DOWNLOADS[fmt]
    data = getattr(export, function)(
        selectors.version_figures(version),
        version.text,
        agency_name=report.agency.name,
        generated_at=version.published_at,
    )
    response = HttpResponse(data, content_type=content_type)
    name = f"{report.agency.name}{report.year}年政府信息公开工作年度报告（第{version.number}版）.{fmt}"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(name)}"
    # A published version is frozen, but DOCX/XLSX/PDF files embed build times, so the validator
    # names the version rather than hashing the bytes (conditional GET in core.cache_headers).
    response["ETag"] = f'"report-version-{version.pk}-{version.published_at.timestamp():.0f}-{fmt}"'
    return response
