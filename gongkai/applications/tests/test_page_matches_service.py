"""The case page offers exactly what the services accept (issue 12 §2: the table is the whole truth).

For a case in every state (and with a pause open, a fee notice out, an extension pending, a
suspected repeat), and for a person in every role (the case's department and another), the
actions the page offers — buttons and forms, read from the HTML as staff see it — are compared
with the actions the services accept when tried with valid input (each try rolled back). A guard
a view applied but the table did not, or a button the service would refuse, fails here.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse

from gongkai.applications import services
from gongkai.applications.intake import application_intake
from gongkai.applications.models import Application, Channel, ExtensionRequest
from gongkai.applications.workflow import Action, Status, TransitionRefused
from gongkai.core.review_findings import Decision
from gongkai.testing.world import PERSONAS, Team

RECEIVED = datetime.date(2025, 9, 26)  # a Friday
CHINA_TEN = datetime.datetime(2025, 9, 26, 2, 0, tzinfo=datetime.UTC)  # 10:00 in Beijing
REPLY = "经检索，现将本机关掌握的有关情况答复如下。"


def _applicant(name: str) -> dict:
    """A distinct applicant per name (same name: the same person, so a same-day repeat)."""
    n = sum(map(ord, name)) % 10_000
    return {
        "applicant_type": "natural",
        "name": name,
        "id_type": "passport",
        "id_number": f"E{n:08d}",
        "phone": f"1380013{n:04d}",
        "medium": "paper",
        "delivery": "pickup",
        "description": f"2024年本县城乡居民基本养老保险基金收支情况（{name}）",
    }


class _Rollback(Exception):
    pass


@dataclass
class Case:
    label: str
    application: Application


class World:
    """One agency, a case in every state, built through the services as staff would."""

    def __init__(self, team: Team) -> None:
        self.team = team
        self.cases: list[Case] = []

    def _submit(self, name: str, note: str = "") -> Application:
        return application_intake(
            agency=self.team.agency,
            data={**_applicant(name), "purpose_note": note},
            files=[],
            channel=Channel.WINDOW,
            received_on=RECEIVED,
            actor=self.team.office,
        ).application

    def _go(self, application: Application, actor, action: Action, **kwargs) -> Application:
        return services.application_transition(actor=actor, application=application, action=action, **kwargs)

    def _forwarded(self, name: str) -> Application:
        application = self._submit(name)
        return self._go(application, self.team.office, Action.FORWARD, department=self.team.department)

    def _in_review(self, name: str, outcome: str, until: Status) -> Application:
        t = self.team
        application = self._forwarded(name)
        withheld = "涉及个人隐私，依法不予公开。" if outcome != "disclosed" else ""
        services.reply_draft_save(
            actor=t.clerk,
            application=application,
            outcome_code=outcome,
            reply_text=REPLY,
            withheld_note=withheld,
        )
        steps = {
            Status.FORWARDED: (t.clerk, Action.SUBMIT_REPLY),
            Status.DEPT_REVIEW: (t.dept_head, Action.DEPT_APPROVE),
            Status.SECRECY_REVIEW: (t.secrecy, Action.SECRECY_APPROVE),
            Status.LEADER_REVIEW: (t.leader, Action.LEADER_SIGN),
            Status.APPROVED: (t.office, Action.ISSUE_REPLY),
        }
        while application.status_enum != until and application.status_enum in steps:
            actor, action = steps[application.status_enum]
            application = self._go(application, actor, action)
        assert application.status_enum == until, (name, application.status)
        return application

    def build(self) -> "World":
        t = self.team
        add = lambda label, application: self.cases.append(Case(label, application))  # noqa: E731
        registered = self._submit("甲")
        services.reply_draft_save(
            actor=t.office, application=registered, outcome_code="disclosed", reply_text=REPLY
        )
        add("registered, reply drafted, day of receipt", registered)
        add("registered, no draft", self._submit("乙"))
        correction = self._submit("丙")
        add(
            "awaiting correction",
            self._go(correction, t.office, Action.REQUEST_CORRECTION, reason="请补充所需信息的名称。"),
        )
        add("forwarded", self._forwarded("丁"))
        drafted = self._forwarded("午")
        services.reply_draft_save(
            actor=t.clerk, application=drafted, outcome_code="disclosed", reply_text=REPLY
        )
        add("forwarded, reply drafted", drafted)
        consulting = self._forwarded("戊")
        services.consultation_start(
            actor=t.office, application=consulting, third_party="某公司", matter="商业秘密"
        )
        add("forwarded, consultation open", consulting)
        fee = self._forwarded("己")
        services.fee_notice(actor=t.office, application=fee, amount="100")
        add("forwarded, fee notice out", fee)
        suspended = self._forwarded("庚")
        services.suspend(actor=t.office, application=suspended, reason="洪涝灾害")
        add("forwarded, suspended", suspended)
        extension = self._forwarded("辛")
        services.extension_request(actor=t.clerk, application=extension, days=5, reason="需调取档案")
        add("forwarded, extension pending", extension)
        add("dept review", self._in_review("壬", "disclosed", Status.DEPT_REVIEW))
        add("secrecy review", self._in_review("癸", "disclosed", Status.SECRECY_REVIEW))
        add("leader review (partial)", self._in_review("子", "partial", Status.LEADER_REVIEW))
        add("approved", self._in_review("丑", "disclosed", Status.APPROVED))
        add("replied (disclosed)", self._in_review("寅", "disclosed", Status.REPLIED))
        add("replied (refused)", self._in_review("卯", "nd_state_secret", Status.REPLIED))
        first = self._submit("辰")
        repeat = self._submit("辰", note="再次提交")
        assert repeat.duplicate_of_id == first.pk
        add("registered, suspected repeat", repeat)
        voided = self._submit("辰", note="第三次提交")
        add("voided", self._go(voided, t.office, Action.VOID, reason="重复提交。"))
        return self


def _tries(world: World) -> dict[Action, Callable[[object, Application], object]]:
    """A valid call of the service behind each action (what a member of staff would submit)."""
    t = world.team
    decision = Decision(confirmed=True, note="已核对", seen="")

    def go(action: Action, **kwargs):
        return lambda actor, a: services.application_transition(
            actor=actor, application=a, action=action, **kwargs
        )

    def decide(approve: bool):
        def call(actor, a):
            pending = a.extensions.filter(state=ExtensionRequest.State.PENDING).first()
            if pending is None:
                raise TransitionRefused("没有待审批的延期申请。")
            return services.extension_decide(actor=actor, extension=pending, approve=approve, note="不同意")

        return call

    def deliver(actor, a):
        notice = a.notices.order_by("pk").first()
        if notice is None:
            raise TransitionRefused("没有文书。")
        return services.notice_mark_delivered(actor=actor, notice=notice, method="邮寄", on=RECEIVED)

    return {
        Action.REQUEST_CORRECTION: go(Action.REQUEST_CORRECTION, reason="请补充。"),
        Action.RECEIVE_CORRECTION: go(Action.RECEIVE_CORRECTION),
        Action.LAPSE: go(Action.LAPSE),
        Action.FORWARD: go(Action.FORWARD, department=t.other_department),
        Action.ANSWER_ON_SPOT: go(Action.ANSWER_ON_SPOT),
        Action.SUBMIT_REPLY: go(Action.SUBMIT_REPLY),
        Action.DEPT_APPROVE: go(Action.DEPT_APPROVE),
        Action.SECRECY_APPROVE: go(Action.SECRECY_APPROVE, decision=decision),
        Action.LEADER_SIGN: go(Action.LEADER_SIGN, decision=decision),
        Action.RETURN: go(Action.RETURN, reason="请修改。"),
        Action.ISSUE_REPLY: go(Action.ISSUE_REPLY),
        Action.FEE_LAPSE: go(Action.FEE_LAPSE),
        Action.VOID: go(Action.VOID, reason="重复提交。"),
        Action.SAVE_REPLY_DRAFT: lambda actor, a: services.reply_draft_save(
            actor=actor, application=a, outcome_code="disclosed", reply_text=REPLY
        ),
        Action.START_CONSULTATION: lambda actor, a: services.consultation_start(
            actor=actor, application=a, third_party="某公司", matter="商业秘密"
        ),
        Action.RECORD_CONSULTATION_ANSWER: lambda actor, a: services.consultation_answer(
            actor=actor, application=a, note="同意公开"
        ),
        Action.SEND_FEE_NOTICE: lambda actor, a: services.fee_notice(
            actor=actor, application=a, amount="100"
        ),
        Action.RECORD_FEE_PAID: lambda actor, a: services.fee_paid(actor=actor, application=a),
        Action.SUSPEND: lambda actor, a: services.suspend(actor=actor, application=a, reason="洪涝灾害"),
        Action.RESUME: lambda actor, a: services.resume(actor=actor, application=a),
        Action.REQUEST_EXTENSION: lambda actor, a: services.extension_request(
            actor=actor, application=a, days=5, reason="需调取档案"
        ),
        Action.APPROVE_EXTENSION: decide(True),
        Action.REJECT_EXTENSION: decide(False),
        Action.RECORD_DELIVERY: deliver,
        Action.RECORD_APPEAL: lambda actor, a: services.appeal_record(
            actor=actor, application=a, kind="reconsideration", filed_on=RECEIVED, result="pending"
        ),
        Action.TO_CATALOGUE: lambda actor, a: services.reply_to_catalogue(actor=actor, application=a),
    }


def accepted(world: World, actor, application: Application) -> set[str]:
    """The actions the services accept for this actor now (each try rolled back)."""
    result = set()
    for action, call in _tries(world).items():
        try:
            with transaction.atomic():
                call(actor, Application.objects.get(pk=application.pk))
                raise _Rollback
        except _Rollback:
            result.add(action.value)
        except TransitionRefused:
            pass
    return result


_BUTTON = re.compile(r'name="action" value="(\w+)"')
_FORM = re.compile(r'<form[^>]*action="([^"]+)"')


def offered(client, user, application: Application) -> set[str]:
    """The actions the case page offers ``user``, read from its buttons and forms."""
    client.force_login(user)
    response = client.get(reverse("applications_staff:detail", args=[application.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    found = set(_BUTTON.findall(html))
    base = reverse("applications_staff:detail", args=[application.pk])
    for url in _FORM.findall(html):
        if url.startswith(base + "do/"):
            found.add(url[len(base + "do/") :].strip("/"))
        elif url == reverse("applications_staff:reply", args=[application.pk]):
            found.add(Action.SAVE_REPLY_DRAFT.value)
        elif "/extensions/" in url:
            found |= {Action.APPROVE_EXTENSION.value, Action.REJECT_EXTENSION.value}
        elif "/delivered/" in url or url.endswith("/delivered"):
            found.add(Action.RECORD_DELIVERY.value)
        elif url == reverse("applications_staff:appeal", args=[application.pk]):
            found.add(Action.RECORD_APPEAL.value)
    return found


@pytest.mark.django_db
def test_the_case_page_offers_exactly_what_the_services_accept(client, team):
    with time_machine.travel(CHINA_TEN, tick=False):
        world = World(team).build()
        mismatches = []
        seen: set[str] = set()
        for case in world.cases:
            for persona in PERSONAS:
                user = getattr(team, persona)
                page = offered(client, user, case.application)
                service = accepted(world, user, case.application)
                seen |= service
                if page != service:
                    mismatches.append(
                        f"{case.label} / {persona}: page only {sorted(page - service)}, "
                        f"service only {sorted(service - page)}"
                    )
        assert not mismatches, "\n".join(mismatches)
        # The walk reaches every action (a row no case reaches would go untested); the two lapses
        # need their periods to run out and are walked in test_workflow_rules.
        assert seen == {a.value for a in Action} - {Action.LAPSE.value, Action.FEE_LAPSE.value}
