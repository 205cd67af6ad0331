"""The confidentiality review of the report's text: personal data needs a recorded decision at
the review and the sign-off, as for catalogue items (gongkai.core.review_findings)."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from gongkai.audit.models import AuditEvent
from gongkai.core.review_findings import Decision, fingerprint
from gongkai.reports import services
from gongkai.reports.review import text_findings
from gongkai.reports.workflow import Action, TransitionRefused
from gongkai.testing.builders import advance_report, new_report, write_text

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 1, 20, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
PERSONAL = (
    "群众王小明（手机13800138000）反映栏目更新不及时，已当面答复并建立栏目更新台账。上年度问题已整改完毕。"
)
CONFIRMED = Decision(confirmed=True, note="已征得本人同意")


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def personal(team):
    report = write_text(new_report(team, 2025), team.office, problems=PERSONAL)
    return advance_report(team, report, to="secrecy_review")


def _event(report, action):
    return AuditEvent.objects.get(action=f"report_{action}", target_id=str(report.pk))


def test_it_finds_the_mobile_number_in_the_named_section(team):
    findings = text_findings({"problems": PERSONAL, "proactive": "无个人信息。"})

    assert [(f.where, f.kind) for f in findings] == [("五、存在的主要问题及改进情况", "mobile")]
    assert "138****8000" in findings[0].excerpts[0]
    assert "13800138000" not in findings[0].excerpts[0]
    assert text_findings({"proactive": "手机13800138000"})[0].where == "一、总体情况（一）主动公开"


def test_the_review_and_the_sign_off_are_refused_without_the_decision(team, personal):
    with pytest.raises(TransitionRefused, match="保密审查提示"):
        services.report_transition(actor=team.secrecy, report=personal, action=Action.SECRECY_APPROVE)
    with pytest.raises(TransitionRefused, match="保密审查提示"):
        services.report_transition(
            actor=team.secrecy, report=personal, action=Action.SECRECY_APPROVE, decision=Decision()
        )
    personal.refresh_from_db()
    assert personal.status == "secrecy_review"

    report = services.report_transition(
        actor=team.secrecy, report=personal, action=Action.SECRECY_APPROVE, decision=CONFIRMED
    )
    assert report.status == "leader_review"
    with pytest.raises(TransitionRefused, match="保密审查提示"):
        services.report_transition(actor=team.leader, report=report, action=Action.LEADER_SIGN)

    report = services.report_transition(
        actor=team.leader, report=report, action=Action.LEADER_SIGN, decision=CONFIRMED
    )
    assert report.status == "published"
    for action in ("secrecy_approve", "leader_sign"):
        data = _event(report, action).data
        assert data["findings_note"] == "已征得本人同意"
        [row] = data["findings_acknowledged"]
        assert row["where"] == "五、存在的主要问题及改进情况"
        assert row["kind"] == "mobile"
        assert "13800138000" not in str(data)
    assert _event(report, "leader_sign").data["version"] == 1


def test_a_decision_made_on_other_findings_is_refused(team, personal):
    with pytest.raises(TransitionRefused, match="刷新页面"):
        services.report_transition(
            actor=team.secrecy,
            report=personal,
            action=Action.SECRECY_APPROVE,
            decision=Decision(confirmed=True, seen="0000000000000000"),
        )


def test_a_report_without_personal_data_needs_no_decision(team):
    report = advance_report(team, new_report(team, 2025), to="published")

    assert text_findings(report.text) == []
    for action in ("secrecy_approve", "leader_sign"):
        assert "findings_acknowledged" not in _event(report, action).data


def test_the_staff_post_needs_the_decision(client, team, personal):
    url = reverse("reports_staff:action", args=[personal.pk])
    client.force_login(team.secrecy)

    response = client.post(url, {"action": "secrecy_approve", "reason": ""}, follow=True)
    personal.refresh_from_db()
    assert personal.status == "secrecy_review"
    assert "保密审查提示" in response.content.decode()

    seen = fingerprint(text_findings(personal.text))
    client.post(
        url,
        {
            "action": "secrecy_approve",
            "findings_confirmed": "on",
            "findings_seen": seen,
            "findings_note": "核对无误",
        },
    )
    personal.refresh_from_db()
    assert personal.status == "leader_review"
    assert _event(personal, "secrecy_approve").data["findings_note"] == "核对无误"

    client.force_login(team.leader)
    client.post(url, {"action": "leader_sign"})
    personal.refresh_from_db()
    assert personal.status == "leader_review"
    client.post(url, {"action": "leader_sign", "findings_confirmed": "on", "findings_seen": seen})
    personal.refresh_from_db()
    assert personal.status == "published"

    client.force_login(team.office)
    page = client.get(reverse("reports_staff:detail", args=[personal.pk])).content.decode()
    assert "已核对1项保密审查提示并确认可以公开" in page


def test_the_report_page_lists_the_finding_and_asks_for_the_decision(client, team, personal):
    client.force_login(team.secrecy)
    page = client.get(reverse("reports_staff:detail", args=[personal.pk])).content.decode()

    assert 'id="findings-h"' in page
    assert "五、存在的主要问题及改进情况" in page
    assert "138****8000" in page
    assert 'name="findings_confirmed"' in page
    assert f'name="findings_seen" value="{fingerprint(text_findings(personal.text))}"' in page


def test_the_report_page_shows_no_panel_without_personal_data(client, team):
    report = advance_report(team, new_report(team, 2025), to="secrecy_review")
    client.force_login(team.secrecy)
    page = client.get(reverse("reports_staff:detail", args=[report.pk])).content.decode()

    assert 'id="findings-h"' not in page
    assert 'name="findings_confirmed"' not in page
