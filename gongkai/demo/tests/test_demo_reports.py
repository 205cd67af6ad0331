"""The demo's annual reports: both agencies' reports for the last full year, figures non-zero in
most rows, every check passing, one published and one in review, and the county roll-up."""

from django.utils import timezone

from gongkai.organisation.models import Agency, User
from gongkai.reports.figures import report_figures
from gongkai.reports.format import LEAF_KEYS
from gongkai.reports.models import AnnualReport
from gongkai.reports.rollup import county_rollup
from gongkai.reports.selectors import report_review, version_figures


def test_both_agencies_have_last_years_report_one_published_one_in_review(demo):
    year = timezone.localdate().year - 1
    hrss = AnnualReport.objects.get(agency__slug="hrss", year=year)
    civil = AnnualReport.objects.get(agency__slug="civil-affairs", year=year)

    assert hrss.status == "published"
    assert civil.status == "leader_review"
    for report in (hrss, civil):
        review = report_review(report)
        assert review.failures == [], [f.message for f in review.failures]
        figures = report_figures(agency=report.agency, year=year)
        nonzero = [key for key in LEAF_KEYS if figures.table3[key]["total"]]
        assert figures.table3["new"]["total"] >= 12
        if report.agency.slug == "hrss":
            assert len(nonzero) >= 17, nonzero
            assert figures.table4["reconsideration"]["total"] >= 2
    assert hrss.item.is_public


def test_the_county_office_rolls_up_the_published_report(demo, client):
    year = timezone.localdate().year - 1
    county = Agency.objects.get(slug="county")
    rollup = county_rollup(county, year, timezone.localdate())
    hrss = AnnualReport.objects.get(agency__slug="hrss", year=year)

    assert {r.agency.slug for r in rollup.rows} == {"hrss", "civil-affairs"}
    assert rollup.figures.table3 == version_figures(hrss.versions.get()).table3
    client.force_login(User.objects.get(username="county-office"))
    page = client.get("/staff/reports/rollup/").content.decode()
    assert "示范县人力资源和社会保障局（演示）" in page
    assert "county-office" in demo
