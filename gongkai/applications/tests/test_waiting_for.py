"""Whom a request waits for: the 我的待办 queue and the due-soon reminder give the workflow's one
answer (issue 12 §1), and the clock's one pause table drives the page and the reminders."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from gongkai.applications import reminders, services
from gongkai.applications.clockview import case_clock
from gongkai.applications.intake import application_intake
from gongkai.applications.models import Channel, Reminder
from gongkai.applications.workflow import Action
from gongkai.core.roles import Role
from gongkai.testing.factories import staff
from gongkai.workdays.clock import PAUSES, EventKind

RECEIVED = datetime.date(2025, 9, 26)
MORNING = datetime.datetime(2025, 9, 26, 2, 0, tzinfo=datetime.UTC)
REPLY = "经检索，现将本机关掌握的有关情况答复如下。"


def _submit(team, n: int):
    return application_intake(
        agency=team.agency,
        data={
            "applicant_type": "natural",
            "name": f"申请人{n}",
            "id_type": "passport",
            "id_number": f"E{n:08d}",
            "phone": f"1390000{n:04d}",
            "medium": "paper",
            "delivery": "pickup",
            "description": f"第{n}项政府信息",
        },
        files=[],
        channel=Channel.WINDOW,
        received_on=RECEIVED,
        actor=team.office,
    ).application


def _go(team, application, actor, action, **kwargs):
    return services.application_transition(actor=actor, application=application, action=action, **kwargs)


@pytest.fixture
def cases(team):
    with time_machine.travel(MORNING, tick=False):
        registered = _submit(team, 1)
        mine = _go(team, _submit(team, 2), team.office, Action.FORWARD, department=team.department)
        theirs = _go(team, _submit(team, 3), team.office, Action.FORWARD, department=team.other_department)
        review = _go(team, _submit(team, 4), team.office, Action.FORWARD, department=team.department)
        services.reply_draft_save(
            actor=team.clerk, application=review, outcome_code="disclosed", reply_text=REPLY
        )
        review = _go(team, review, team.clerk, Action.SUBMIT_REPLY)
        yield {"registered": registered, "mine": mine, "theirs": theirs, "review": review}


def _queue(client, user) -> set[str]:
    client.force_login(user)
    html = client.get(reverse("applications_staff:queue") + "?queue=mine").content.decode()
    return html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        # The office: everything it takes the next step on (registration, and forwarded cases,
        # which it may answer for any department).
        ("office", {"registered", "mine", "theirs"}),
        # A clerk: the cases forwarded to their own department only.
        ("clerk", {"mine"}),
        ("other_clerk", {"theirs"}),
        # A department head: their department's replies in review.
        ("dept_head", {"review"}),
        ("other_dept_head", set()),
        # Leaders approve extensions and sign refusals; an open case is not theirs by default.
        ("leader", set()),
        ("secrecy", set()),
    ],
)
def test_my_queue_holds_what_the_workflow_says_waits_for_me(client, team, cases, persona, expected):
    with time_machine.travel(MORNING, tick=False):
        html = _queue(client, getattr(team, persona))
    shown = {name for name, case in cases.items() if case.query_code in html}
    assert shown == expected


@pytest.mark.django_db
def test_a_due_soon_reminder_goes_to_whom_the_case_waits_for(team, cases):
    with time_machine.travel(MORNING, tick=False):
        assert reminders.recipients(cases["mine"], Reminder.Kind.DUE_SOON) == [team.clerk]
        assert reminders.recipients(cases["theirs"], Reminder.Kind.DUE_SOON) == [team.other_clerk]
        assert reminders.recipients(cases["review"], Reminder.Kind.DUE_SOON) == [team.dept_head]
        assert reminders.recipients(cases["registered"], Reminder.Kind.DUE_SOON) == [team.office]
        # A department with nobody in the role: the office is told instead.
        team.clerk.roles.all().delete()
        assert reminders.recipients(cases["mine"], Reminder.Kind.DUE_SOON) == [team.office]
        # Overdue: escalated to the office and the leaders, whoever the case waits for.
        assert set(reminders.recipients(cases["mine"], Reminder.Kind.OVERDUE)) == {team.office, team.leader}


@pytest.mark.django_db
def test_the_clock_reports_its_open_pauses_from_the_one_table(team, cases):
    assert [p.start for p in PAUSES] == [
        EventKind.CONSULTATION_STARTED,
        EventKind.FEE_NOTICE_SENT,
        EventKind.SUSPENDED,
    ]
    assert [p.end for p in PAUSES] == [EventKind.CONSULTATION_ANSWERED, EventKind.FEE_PAID, EventKind.RESUMED]
    application = cases["mine"]
    with time_machine.travel(MORNING, tick=False):
        services.consultation_start(
            actor=team.office, application=application, third_party="某公司", matter="商业秘密"
        )
        services.suspend(actor=team.office, application=application, reason="洪涝灾害")
        state = case_clock(application)
        assert state.open_pauses == (
            (EventKind.CONSULTATION_STARTED, RECEIVED),
            (EventKind.SUSPENDED, RECEIVED),
        )
        assert state.paused_reason == "征求第三方意见、不可抗力中止"
        services.consultation_answer(actor=team.office, application=application, note="同意")
        assert case_clock(application).open_pauses == ((EventKind.SUSPENDED, RECEIVED),)


@pytest.mark.django_db
def test_a_user_with_two_roles_sees_the_union(client, team, cases):
    both = staff(team.agency, Role.CLERK, Role.DEPT_HEAD, department=team.department)
    with time_machine.travel(MORNING, tick=False):
        html = _queue(client, both)
    shown = {name for name, case in cases.items() if case.query_code in html}
    assert shown == {"mine", "review"}
