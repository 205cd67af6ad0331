"""The report's review chain, its blocking checks, publication into the catalogue and corrections."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.audit.models import AuditEvent
from gongkai.catalogue.models import Column, Item
from gongkai.reports import services
from gongkai.reports.models import AnnualReportVersion
from gongkai.reports.workflow import Action, TransitionRefused
from gongkai.testing.builders import advance_report, new_report, write_text

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 1, 20, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def test_it_drafts_the_text_with_the_figures_inserted(team):
    report = services.report_create(actor=team.office, agency=team.agency, year=2025)

    assert "本年新收政府信息公开申请0件" in report.text["on_request"]
    assert "【" in report.text["problems"]
    assert AuditEvent.objects.filter(action="report_create", target_id=str(report.pk)).exists()


def test_it_lets_only_the_office_create_a_report_for_a_finished_year(team, other_team):
    with pytest.raises(PermissionDenied):
        services.report_create(actor=team.clerk, agency=team.agency, year=2025)
    with pytest.raises(PermissionDenied):
        services.report_create(actor=other_team.office, agency=team.agency, year=2025)
    with pytest.raises(ValidationError):
        services.report_create(actor=team.office, agency=team.agency, year=2026)


def test_it_refuses_to_submit_while_the_first_draft_prompts_remain(team):
    report = services.report_create(actor=team.office, agency=team.agency, year=2025)

    with pytest.raises(TransitionRefused, match="未通过的必查项"):
        services.report_transition(actor=team.office, report=report, action=Action.SUBMIT)

    report.refresh_from_db()
    assert report.status == "draft"


def test_it_refuses_to_submit_when_the_text_disagrees_with_the_tables(team):
    report = new_report(team, 2025)
    write_text(report, team.office, on_request="本年新收政府信息公开申请9件。")

    with pytest.raises(TransitionRefused, match="未通过的必查项"):
        services.report_transition(actor=team.office, report=report, action=Action.SUBMIT)


def test_it_refuses_to_sign_off_when_a_check_fails_during_review(team):
    report = advance_report(team, new_report(team, 2025), to="leader_review")
    # The text cannot change in review, but the records can: simulate a failure appearing.
    report.text = {**report.text, "problems": ""}
    report.save()

    with pytest.raises(TransitionRefused, match="未通过的必查项"):
        services.report_transition(actor=team.leader, report=report, action=Action.LEADER_SIGN)
    assert not AnnualReportVersion.objects.filter(report=report).exists()


def test_it_goes_through_the_review_chain_with_each_role_and_audits_each_step(team):
    report = new_report(team, 2025)
    for actor in (team.clerk, team.dept_head, team.leader):
        with pytest.raises(TransitionRefused):
            services.report_transition(actor=actor, report=report, action=Action.SUBMIT)

    report = advance_report(team, report, to="published")

    actions = list(
        AuditEvent.objects.filter(target_type="reports.annualreport", target_id=str(report.pk))
        .exclude(action__in=["report_create", "report_save_text"])
        .values_list("action", flat=True)
    )
    assert actions == ["report_submit", "report_dept_approve", "report_secrecy_approve", "report_leader_sign"]


def test_a_return_needs_a_reason_and_goes_back_to_the_office(team):
    report = advance_report(team, new_report(team, 2025), to="secrecy_review")
    with pytest.raises(TransitionRefused, match="须填写"):
        services.report_transition(actor=team.secrecy, report=report, action=Action.RETURN)

    report = services.report_transition(
        actor=team.secrecy, report=report, action=Action.RETURN, reason="涉及个人信息"
    )

    assert report.status == "returned"
    assert report.return_reason == "涉及个人信息"
    assert write_text(report, team.office).status == "returned"


def test_publication_puts_the_report_in_the_annual_report_column(team):
    report = advance_report(team, new_report(team, 2025), to="leader_review")
    assert not Item.objects.filter(category__column=Column.ANNUAL_REPORT).exists()

    report = advance_report(team, report, to="published")

    item = Item.objects.public().get(pk=report.item_id)
    assert item.category.column == Column.ANNUAL_REPORT
    assert item.title == report.title
    assert item.index_number.startswith(team.agency.code + "/2026-")
    assert "本年新收政府信息公开申请0件" in item.body
    assert report.versions.get().number == 1


def test_text_cannot_change_in_review_or_after_publication(team):
    report = advance_report(team, new_report(team, 2025), to="dept_review")
    with pytest.raises(TransitionRefused):
        write_text(report, team.office)


def test_a_correction_is_a_new_version_with_its_note_and_the_first_stays(team, client):
    report = advance_report(team, new_report(team, 2025), to="published")
    first_item_body = Item.objects.get(pk=report.item_id).body
    with pytest.raises(TransitionRefused, match="须填写"):
        services.report_transition(actor=team.office, report=report, action=Action.CORRECT)

    report = services.report_transition(
        actor=team.office, report=report, action=Action.CORRECT, reason="更正第一部分的错别字"
    )
    # While the correction is drafted the published version stays public, unchanged.
    assert report.status == "draft"
    assert Item.objects.public().get(pk=report.item_id).body == first_item_body
    report = write_text(report, team.office, platform="更正后的平台建设情况。")
    report = advance_report(team, report, to="published")

    versions = list(report.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].correction_note == ""
    assert versions[1].correction_note == "更正第一部分的错别字"
    assert "更正后的平台建设情况" not in versions[0].text["platform"]
    item = Item.objects.public().get(pk=report.item_id)
    assert "更正第一部分的错别字" in item.body
    assert Item.objects.filter(category__column=Column.ANNUAL_REPORT).count() == 1
    for v in versions:
        response = client.get(f"/annual-reports/{team.agency.slug}/2025/v{v.number}/")
        assert response.status_code == 200
    old = client.get(f"/annual-reports/{team.agency.slug}/2025/v1/").content.decode()
    assert "这是较早发布的版本" in old
    assert "更正后的平台建设情况" not in old


def test_each_published_version_downloads_in_every_format_and_drafts_do_not(team, client):
    report = new_report(team, 2025)
    base = f"/annual-reports/{team.agency.slug}/2025/v1/"
    assert client.get(base + "pdf/").status_code == 404
    advance_report(team, report, to="published")

    for fmt, magic in (("docx", b"PK"), ("xlsx", b"PK"), ("pdf", b"%PDF"), ("json", b"{")):
        response = client.get(base + f"{fmt}/")
        assert response.status_code == 200, fmt
        assert response.content.startswith(magic)
    assert client.get(base + "exe/").status_code == 404
