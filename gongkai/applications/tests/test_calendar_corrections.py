"""A calendar correction after the fact: stored history the new calendar would not allow is shown
with a warning, deadlines always render, and each open case whose deadline moved records it."""

import datetime

import pytest
import time_machine

from gongkai.applications import services
from gongkai.applications.models import ExtensionRequest
from gongkai.applications.workflow import Action
from gongkai.audit.models import AuditEvent
from gongkai.core.roles import Role
from gongkai.testing.factories import staff
from gongkai.testing.pages import case_page
from gongkai.workdays import services as calendar_services
from gongkai.workdays.models import CalendarDay

from .test_clock_ui import cell, go, moment, queue_codes, register

QUEUES = ("mine", "new", "due_soon", "overdue", "paused", "open", "done")


def extend_on_due_date(team, application, days=10):
    request = services.extension_request(
        actor=team.office, application=application, days=days, reason="需要调取档案"
    )
    return services.extension_decide(actor=team.leader, extension=request, approve=True)


def add_day(admin, day: str, kind=CalendarDay.Kind.WORKDAY, name="调休上班"):
    return calendar_services.calendar_day_save(
        actor=admin, day=CalendarDay(day=datetime.date.fromisoformat(day), kind=kind, name=name)
    )


@pytest.fixture
def traveller():
    with time_machine.travel(moment("2025-09-26"), tick=False) as traveller:
        yield traveller


@pytest.fixture
def admin(team):
    return staff(team.agency, Role.ADMIN)


def test_an_extension_approved_on_its_due_date_survives_an_adjusted_working_day_added_later(
    client, team, traveller, admin
):
    application = register(team, "2025-09-26")  # due 2025-10-30
    go(traveller, "2025-10-30")
    extension = extend_on_due_date(team, application)
    assert extension.state == ExtensionRequest.State.APPROVED
    assert cell(case_page(client, team.office, application), "答复期限").startswith("2025年11月13日")

    go(traveller, "2025-11-03")
    # Saturday 18 October becomes a working day: the original due date moves to 29 October,
    # so the extension decided on 30 October was, by the new calendar, after the deadline.
    add_day(admin, "2025-10-18")

    page = case_page(client, team.office, application)
    assert cell(page, "答复期限").startswith("2025年11月12日")
    assert "按现行工作日历" in page and "延长答复期限" in page
    for name in QUEUES:
        queue_codes(client, team.office, name)  # every queue answers 200
    # The deadline move is recorded on the case, from what to what.
    moved = AuditEvent.objects.get(action="application_deadline_moved", target_id=str(application.pk))
    assert "2025年11月13日" in moved.comment and "2025年11月12日" in moved.comment
    assert moved.data["reply"] == {"from": "2025-11-13", "to": "2025-11-12"}
    assert "2025年11月13日" in page and "2025年11月12日" in page

    # Work goes on: new events are judged on their own, not refused for the stored history.
    services.consultation_start(
        actor=team.office, application=application, third_party="某公司", matter="商业秘密"
    )
    assert cell(case_page(client, team.office, application), "计时") == "暂停：征求第三方意见"


def test_a_case_closed_for_no_correction_survives_a_holiday_added_later(client, team, traveller, admin):
    application = register(team, "2025-09-26")
    go(traveller, "2025-09-29")
    services.application_transition(
        actor=team.office,
        application=application,
        action=Action.REQUEST_CORRECTION,
        reason="请写明年份",
        correction_days=5,
    )  # correction due add(09-29, 5) = 10-13: 9-30, 10-9, 10-10, 10-11 (worked Saturday), 10-13
    go(traveller, "2025-10-14")
    services.application_transition(actor=team.office, application=application, action=Action.LAPSE)

    go(traveller, "2025-10-20")
    # 13 October becomes a holiday: the correction period now ends on 14 October, the lapse's day.
    add_day(admin, "2025-10-13", kind=CalendarDay.Kind.HOLIDAY, name="补休")

    page = case_page(client, team.office, application)
    assert "逾期未补正" in page and "按现行工作日历" in page
    for name in QUEUES:
        queue_codes(client, team.office, name)
    # A closed case is not an open one: its deadline move is not recorded.
    assert not AuditEvent.objects.filter(action="application_deadline_moved").exists()
