"""Reads for the annual report: its figures and checks as they stand, versions, due dates, roll-up."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from gongkai.core.tasks import waiting_filter
from gongkai.organisation.models import Agency
from gongkai.reports.checks import Failure, check
from gongkai.reports.figures import report_figures
from gongkai.reports.format import Figures, as_json
from gongkai.reports.models import AnnualReport, AnnualReportVersion
from gongkai.reports.sections import SECTIONS, placeholder_sections
from gongkai.reports.workflow import REPORT_WORKFLOW, ReportFacts, Status

# Regulation art. 49: departments publish their report for the year before by 31 January.
DUE_MONTH, DUE_DAY = 1, 31


def figures_raw(figures: Figures) -> dict:
    """The three tables as JSON-safe dicts (the fee amount, a Decimal, as a string)."""

    def safe(table: dict) -> dict:
        return {
            row: {col: (str(v) if isinstance(v, Decimal) else v) for col, v in cols.items()}
            for row, cols in table.items()
        }

    return {"table2": safe(figures.table2), "table3": safe(figures.table3), "table4": safe(figures.table4)}


def figures_from_raw(*, agency_id: int, year: int, raw: dict) -> Figures:
    """The inverse of ``figures_raw``."""
    table2 = {
        row: {col: (Decimal(v) if isinstance(v, str) else v) for col, v in cols.items()}
        for row, cols in raw["table2"].items()
    }
    return Figures(agency_id=agency_id, year=year, table2=table2, table3=raw["table3"], table4=raw["table4"])


def version_figures(version: AnnualReportVersion) -> Figures:
    report = version.report
    return figures_from_raw(agency_id=report.agency_id, year=report.year, raw=version.figures["raw"])


def latest_version(report: AnnualReport) -> AnnualReportVersion | None:
    return report.versions.order_by("-number").first()


def published_version(agency: Agency | int, year: int) -> AnnualReportVersion | None:
    """The newest published version of an agency's report for ``year``, or None."""
    agency_id = agency if isinstance(agency, int) else agency.pk
    return (
        AnnualReportVersion.objects.filter(report__agency_id=agency_id, report__year=year)
        .select_related("report")
        .order_by("-number")
        .first()
    )


@dataclass
class ReportReview:
    """A report as staff see it: the live figures, the checks on them, and what was published."""

    report: AnnualReport
    figures: Figures
    failures: list[Failure]
    previous: Figures | None
    version: AnnualReportVersion | None  # the newest published version, if any
    published_figures: Figures | None = None
    changed_since_publication: bool = False
    blocking: list[Failure] = field(default_factory=list)

    @property
    def facts(self) -> ReportFacts:
        return ReportFacts(blocking_failures=len(self.blocking))


def placeholder_failures(text: dict[str, str]) -> list[Failure]:
    """Sections still holding the first draft's 【…】 prompts: blocking, the text is not written yet."""
    headings = {s.key: s.heading or s.hint for s in SECTIONS}
    return [
        Failure(
            code="text_placeholder",
            message=f"文字部分“{headings[key]}”仍有【】内的待填写提示，请改写为本年度的实际情况。",
            rows=[key],
            columns=[],
            blocking=True,
            table="text",
        )
        for key in placeholder_sections(text)
    ]


def report_checks(
    figures: Figures, text: dict[str, str], *, agency_id: int, year: int
) -> tuple[Figures | None, list[Failure]]:
    """Last year's published figures (or None) and every failure of the report as it stands."""
    previous_version = published_version(agency_id, year - 1)
    previous = version_figures(previous_version) if previous_version else None
    previous_text = previous_version.text if previous_version else None
    failures = check(figures, previous=previous, text=text, previous_text=previous_text)
    return previous, [*failures, *placeholder_failures(text)]


def report_review(report: AnnualReport) -> ReportReview:
    """Figures derived now, the checks on them with the current text, and the published version."""
    figures = report_figures(agency=report.agency, year=report.year)
    previous, failures = report_checks(figures, report.text, agency_id=report.agency_id, year=report.year)
    version = latest_version(report)
    review = ReportReview(
        report=report,
        figures=figures,
        failures=failures,
        previous=previous,
        version=version,
        blocking=[f for f in failures if f.blocking],
    )
    if version is not None:
        review.published_figures = version_figures(version)
        review.changed_since_publication = figures_raw(figures) != version.figures["raw"]
    return review


def reports_of(agency: Agency) -> QuerySet[AnnualReport]:
    return AnnualReport.objects.filter(agency=agency).order_by("-year")


def due_date(year: int) -> datetime.date:
    """The day the report for ``year`` must be published by (31 January of the next year)."""
    return datetime.date(year + 1, DUE_MONTH, DUE_DAY)


@dataclass(frozen=True)
class Due:
    year: int
    due_on: datetime.date
    late: bool
    report: AnnualReport | None


def report_due(agency: Agency, today: datetime.date) -> Due | None:
    """Last year's report while it is not published: due from 1 January, late after 31 January."""
    year = today.year - 1
    if published_version(agency, year) is not None:
        return None
    return Due(
        year=year,
        due_on=due_date(year),
        late=today > due_date(year),
        report=AnnualReport.objects.filter(agency=agency, year=year).first(),
    )


def summary_payload(figures: Figures) -> dict:
    """What a published version freezes: the raw tables and their labelled JSON."""
    return {"raw": figures_raw(figures), "json": as_json(figures)}


def is_published(report: AnnualReport) -> bool:
    return report.status == Status.PUBLISHED


def report_tasks(user) -> QuerySet[AnnualReport]:
    """The reports of the user's own agency waiting for one of the user's roles."""
    if not getattr(user, "agency_id", None):
        return AnnualReport.objects.none()
    waiting = waiting_filter(REPORT_WORKFLOW, user, author_field=None)
    return AnnualReport.objects.filter(waiting, agency_id=user.agency_id).order_by("-year")
