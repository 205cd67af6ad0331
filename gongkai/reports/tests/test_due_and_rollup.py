"""The workbench's due/late notice, the history marks and the county roll-up."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from gongkai.reports.history import detect_format, report_year
from gongkai.reports.rollup import county_rollup
from gongkai.reports.selectors import published_version, version_figures
from gongkai.testing.builders import advance_report, new_report
from gongkai.testing.factories import AgencyFactory
from gongkai.testing.world import Team

pytestmark = pytest.mark.django_db
CST = datetime.timezone(datetime.timedelta(hours=8))


def home(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("workbench:home")).content.decode()


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        # Before 1 January the year is not over: its report is not due yet (last year's is late).
        (datetime.datetime(2025, 12, 31, 23, 0, tzinfo=CST), "2024年度政府信息公开工作年度报告已逾期"),
        (datetime.datetime(2026, 1, 1, 0, 30, tzinfo=CST), "2025年度政府信息公开工作年度报告待发布"),
        (datetime.datetime(2026, 1, 31, 23, 30, tzinfo=CST), "2025年度政府信息公开工作年度报告待发布"),
        (datetime.datetime(2026, 2, 1, 0, 30, tzinfo=CST), "2025年度政府信息公开工作年度报告已逾期"),
    ],
)
def test_the_office_sees_last_years_report_as_due_then_late(client, team, moment, expected):
    with time_machine.travel(moment, tick=False):
        content = home(client, team.office)
    assert expected in content
    if moment.year == 2025:
        assert "2025年度政府信息公开工作年度报告" not in content


def test_only_the_office_is_told_and_a_published_report_is_no_longer_due(client, team):
    with time_machine.travel(datetime.datetime(2026, 1, 10, 9, tzinfo=CST), tick=False):
        assert "年度报告待发布" not in home(client, team.clerk)
        advance_report(team, new_report(team, 2025), to="published")
        assert "年度报告待发布" not in home(client, team.office)
    with time_machine.travel(datetime.datetime(2026, 3, 1, 9, tzinfo=CST), tick=False):
        assert "已逾期" not in home(client, team.office)


def test_reviewers_see_the_report_waiting_for_them(client, team):
    with time_machine.travel(datetime.datetime(2026, 1, 10, 9, tzinfo=CST), tick=False):
        advance_report(team, new_report(team, 2025), to="secrecy_review")
        assert "等待我办理的年度报告" in home(client, team.secrecy)
        assert "等待我办理的年度报告" not in home(client, team.leader)


def test_it_recognises_the_year_and_the_2019_table_format_of_an_old_report():
    assert report_year("蓬莱市人力资源和社会保障局2013年度政府信息公开工作报告") == 2013
    assert detect_format("一、总体情况……（一）主动公开").kind == "free"
    old = detect_format("规范性文件 本年新制作数量 本年新公开数量 对外公开总数量", year=2023)
    assert old.kind == "2019"
    assert "2023年度报告应使用国办公开办函〔2021〕30号格式" in old.warning
    assert detect_format("本年制发件数 本年废止件数 现行有效件数", year=2023).kind == "2021"


def test_the_roll_up_sums_the_published_reports_exactly(team):
    county = AgencyFactory(name="示范县人民政府办公室", short_name="县政府办")
    team.agency.parent = county
    team.agency.save()
    second = Team(AgencyFactory(parent=county))
    third = Team(AgencyFactory(parent=county))
    county_office = Team(county).office
    with time_machine.travel(datetime.datetime(2026, 1, 10, 9, tzinfo=CST), tick=False):
        advance_report(team, new_report(team, 2025), to="published")
        advance_report(second, new_report(second, 2025), to="published")
        advance_report(third, new_report(third, 2025), to="dept_review")
    # Make the frozen figures non-zero so the sum means something.
    for t, n in ((team, 3), (second, 4)):
        version = published_version(t.agency, 2025)
        version.figures["raw"]["table3"]["new"]["natural"] = n
        version.save()

    with time_machine.travel(datetime.datetime(2026, 2, 5, 9, tzinfo=CST), tick=False):
        rollup = county_rollup(county, 2025, datetime.date(2026, 2, 5))

    rows = {r.agency.pk: r for r in rollup.rows}
    assert rows[team.agency.pk].published and not rows[team.agency.pk].late
    assert not rows[third.agency.pk].published and rows[third.agency.pk].late
    assert rollup.published_count == 2
    parts = [version_figures(published_version(t.agency, 2025)) for t in (team, second)]
    for row, cols in rollup.figures.table3.items():
        for col, value in cols.items():
            assert value == sum(p.table3[row][col] for p in parts)
    assert rollup.figures.table3["new"]["natural"] == 7
    assert county_office is not None


def test_old_reports_stay_in_the_column_marked_with_their_year_and_staff_see_the_2019_warning(client, team):
    from gongkai.catalogue.reviewed_elsewhere import annual_report_category

    old = team.published(
        "某局2013年度政府信息公开工作报告",
        category=annual_report_category(team.agency),
        body="<p>一、概述</p>",
    )
    team.published(
        "某局2021年政府信息公开工作年度报告",
        category=annual_report_category(team.agency),
        body="<table><tr><td>本年新制作数量</td><td>本年新公开数量</td></tr></table>",
    )

    column = client.get("/column/annual-reports/").content.decode()
    assert "2013年度</span>" in column and old.title in column

    client.force_login(team.office)
    listing = client.get(reverse("reports_staff:list")).content.decode()
    assert "文字报告（无统计表格）" in listing
    assert "2021年度报告应使用国办公开办函〔2021〕30号格式" in listing
