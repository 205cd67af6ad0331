"""Rules the state machine used to leave to views and services, tried through the staff URLs and the
services (issue 10 §4): each one is now a row or a guard of applications/workflow.py.
"""

import pytest
import time_machine
from django.urls import reverse

from gongkai.applications import services
from gongkai.applications.models import Application, ExtensionRequest
from gongkai.applications.tests.test_journeys import FRIDAY, Desk, forward, go, moment
from gongkai.applications.workflow import Action, TransitionRefused
from gongkai.audit.models import AuditEvent

ON_THE_DAY_ONLY = "当场答复只能在收到申请的当日作出"


@pytest.fixture
def traveller():
    with time_machine.travel(moment(FRIDAY), tick=False) as traveller:
        yield traveller


@pytest.fixture
def desk(client, team) -> Desk:
    return Desk(client, team)


def test_it_answers_on_the_spot_on_the_day_of_receipt(desk: Desk, team, traveller):
    application = desk.register(received_on="2025-09-26")
    desk.ok(desk.draft(team.office, application, "disclosed"), application)

    assert "当场答复</button>" in desk.page(team.office, application)
    desk.ok(desk.act(team.office, application, "answer_on_spot"), application)
    assert desk.status(application) == "replied"


def test_it_refuses_a_direct_post_to_answer_on_the_spot_eight_days_later(desk, team, traveller):
    application = desk.register(received_on="2025-09-26")
    desk.ok(desk.draft(team.office, application, "disclosed"), application)
    go(traveller, "2025-10-04")  # eight days after receipt
    assert "当场答复</button>" not in desk.page(team.office, application)

    for on in ({}, {"on": "2025-10-04"}, {"on": "2025-09-29"}):
        refusal = desk.refused(desk.act(team.office, application, "answer_on_spot", **on), application)
        assert ON_THE_DAY_ONLY in refusal

    assert desk.status(application) == "registered"
    assert not application.notices.filter(kind="reply").exists()
    assert not application.events.filter(kind="replied").exists()


def test_an_answer_given_at_the_window_may_be_recorded_later_dated_the_day_of_receipt(desk, team, traveller):
    application = desk.register(received_on="2025-09-26")
    desk.ok(desk.draft(team.office, application, "disclosed"), application)
    go(traveller, "2025-09-29")

    desk.ok(desk.act(team.office, application, "answer_on_spot", on=FRIDAY.isoformat()), application)

    application.refresh_from_db()
    assert (application.status, application.replied_on) == ("replied", FRIDAY)


def test_the_service_refuses_an_answer_on_the_spot_after_the_day_of_receipt(desk: Desk, team, traveller):
    application = desk.register(received_on="2025-09-26")
    desk.ok(desk.draft(team.office, application, "disclosed"), application)
    go(traveller, "2025-10-04")

    with pytest.raises(TransitionRefused) as info:
        services.application_transition(
            actor=team.office, application=application, action=Action.ANSWER_ON_SPOT
        )

    assert info.value.message.startswith(ON_THE_DAY_ONLY)
    assert Application.objects.get(pk=application.pk).status == "registered"


def test_an_unpaid_fee_closes_the_case_through_the_table(desk: Desk, team, traveller):
    application = desk.register(received_on="2025-09-26")
    forward(desk, application)
    go(traveller, "2025-09-29")
    desk.ok(desk.do(team.office, application, "fee_notice", amount="120"), application)

    go(traveller, "2025-11-03")  # the last day to pay
    refusal = desk.refused(desk.act(team.office, application, "fee_lapse"), application)
    assert "缴费期限尚未届满" in refusal
    go(traveller, "2025-11-04")
    refusal = desk.refused(desk.act(team.clerk, application, "fee_lapse"), application)
    assert "须由政务公开办公室办理" in refusal

    desk.ok(desk.act(team.office, application, "fee_lapse"), application)

    application.refresh_from_db()
    assert (application.status, application.outcome) == ("closed", "other_fee_unpaid")
    event = AuditEvent.objects.get(action="application_fee_lapse")
    assert (event.from_state, event.to_state) == ("forwarded", "closed")
    refusal = desk.refused(desk.act(team.office, application, "fee_lapse"), application)
    assert "当前状态为“已终止”" in refusal


def test_the_transition_url_takes_only_status_actions(desk: Desk, team, traveller):
    application = desk.register(received_on="2025-09-26")
    for action in ("extension_approve", "save_reply_draft", "suspend"):
        refusal = desk.refused(desk.act(team.office, application, action, reason="理由"), application)
        assert "该操作不能在此办理" in refusal
    assert desk.status(application) == "registered"


def test_an_extension_is_approved_only_while_open_but_may_be_turned_down_after(desk: Desk, team, traveller):
    application = desk.register(received_on="2025-09-26")
    forward(desk, application)
    desk.ok(desk.do(team.clerk, application, "extension_request", days="5", reason="需调取档案"), application)
    refusal = desk.refused(
        desk.do(team.clerk, application, "extension_request", days="5", reason="再次申请"), application
    )
    assert "已有一份待审批的延期申请" in refusal
    extension = application.extensions.get()
    Application.objects.filter(pk=application.pk).update(status="closed")
    decide = reverse("applications_staff:extension_decide", args=[application.pk, extension.pk])

    refusal = desk.refused(desk.post(team.office, decide, {"decision": "approve"}), application)
    assert "不能执行“批准延期”" in refusal
    desk.ok(desk.post(team.office, decide, {"decision": "reject", "note": "已办结"}), application)

    assert ExtensionRequest.objects.get(pk=extension.pk).state == "rejected"
    refusal = desk.refused(
        desk.post(team.office, decide, {"decision": "reject", "note": "再次"}), application
    )
    assert "该延期申请已审批" in refusal
