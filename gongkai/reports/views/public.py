"""Public pages of published annual reports: one page per published version.

Only AnnualReportVersion rows are served, and they exist only once a version is signed off and
published (gongkai.reports.services.report_transition): a draft, a report in review or a pending
correction has no public URL at all (invariant 1). The current version is also the catalogue
item in the 政府信息公开年报 column; earlier versions stay readable here.
"""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from gongkai.reports import selectors
from gongkai.reports.models import AnnualReportVersion


@require_safe
def version(request, agency: str, year: int, number: int):
    version = get_object_or_404(
        AnnualReportVersion.objects.select_related("report__agency", "report__item"),
        report__agency__slug=agency,
        report__agency__is_active=True,
        report__item__is_public=True,  # withdrawn from the column: withdrawn here too
        report__year=year,
        number=number,
    )
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
        },
    )
