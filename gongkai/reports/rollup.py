"""The county roll-up: a parent agency's view of its agencies' reports for one year.

Regulation art. 49: departments publish by 31 January; the county government consolidates by
31 March. The consolidated tables 三 and 四 are the exact sum, cell by cell, of the published
departmental versions (unpublished reports are listed, never summed).
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from gongkai.organisation.models import Agency
from gongkai.reports import selectors
from gongkai.reports.format import Figures, empty_table3, empty_table4
from gongkai.reports.models import AnnualReport


@dataclass
class RollupRow:
    agency: Agency
    report: AnnualReport | None
    published: bool
    published_at: datetime.datetime | None
    late: bool
    blocking_failures: int
    failures: int


@dataclass
class Rollup:
    agency: Agency
    year: int
    figures: Figures  # tables 三 and 四 summed over the published versions
    rows: list[RollupRow] = field(default_factory=list)
    published_count: int = 0


def descendants(agency: Agency) -> list[Agency]:
    """Every active agency below ``agency`` (children, their children, …), in order."""
    result: list[Agency] = []
    level = list(Agency.objects.filter(parent=agency, is_active=True).order_by("order", "id"))
    seen = {agency.pk}
    while level:
        result.extend(a for a in level if a.pk not in seen)
        seen.update(a.pk for a in level)
        level = list(
            Agency.objects.filter(parent__in=level, is_active=True)
            .exclude(pk__in=seen)
            .order_by("order", "id")
        )
    return result


def sum_tables(parts: list[Figures], *, agency_id: int, year: int) -> Figures:
    """Tables 三 and 四 summed cell by cell (table 二 left at 0: it is not consolidated here)."""
    total = Figures(agency_id=agency_id, year=year, table3=empty_table3(), table4=empty_table4())
    for part in parts:
        for row, cols in part.table3.items():
            for col, n in cols.items():
                total.table3[row][col] += int(n)
        for group, cols in part.table4.items():
            for col, n in cols.items():
                total.table4[group][col] += int(n)
    return total


def _late(version, year: int, today: datetime.date) -> bool:
    """Not published by 31 January, or first published after it."""
    due = selectors.due_date(year)
    if version is None:
        return today > due
    first = version.report.versions.order_by("number").first()
    return timezone.localtime(first.published_at).date() > due


def county_rollup(agency: Agency, year: int, today: datetime.date) -> Rollup:
    """Each agency below ``agency``: its report's state for ``year``, and the consolidated tables."""
    rows: list[RollupRow] = []
    published_parts: list[Figures] = []
    for child in descendants(agency):
        report = AnnualReport.objects.filter(agency=child, year=year).first()
        version = selectors.published_version(child, year)
        failures: list = []
        if report is not None and version is None:
            failures = selectors.report_review(report).failures
        elif version is not None:
            published_parts.append(selectors.version_figures(version))
        rows.append(
            RollupRow(
                agency=child,
                report=report,
                published=version is not None,
                published_at=version.published_at if version else None,
                late=_late(version, year, today),
                blocking_failures=sum(1 for f in failures if f.blocking),
                failures=len(failures),
            )
        )
    return Rollup(
        agency=agency,
        year=year,
        figures=sum_tables(published_parts, agency_id=agency.pk, year=year),
        rows=rows,
        published_count=len(published_parts),
    )
