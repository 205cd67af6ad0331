"""Who may reach and do what on the staff pages of requests for disclosure, and where personal data shows.

The ladder for every URL of urls_staff: anonymous → sign-in page; signed in without an agency role
→ 403; staff of another agency → 404 for anything of a case (page, letter, file) and nothing of ours
in their lists; same agency, wrong role → 403 or a refusal message with nothing changed; the right
role → the page, or the redirect and the change. Cases are set up with the services the pages call.

Time is frozen on Thursday 20 November 2025 so that cases received in September can have lapsed.
"""

import datetime
import io
from collections.abc import Callable
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.html import escape

from gongkai.applications import identity, intake, services
from gongkai.applications.ledger import XLSX_TYPE
from gongkai.applications.models import (
    Application,
    ApplicationFile,
    ExtensionRequest,
    Notice,
    NoticeTemplate,
    ReplyAttachment,
)
from gongkai.applications.selectors import QUEUES
from gongkai.applications.views.case import OPERATIONS
from gongkai.applications.workflow import STATUS_ACTIONS, Action
from gongkai.audit.models import AuditEvent
from gongkai.catalogue.models import Item
from gongkai.testing import builders
from gongkai.testing.factories import UserFactory
from gongkai.testing.files import pdf_upload
from gongkai.testing.ladder import Case, call, case_ids
from gongkai.testing.world import OUTSIDERS, PERSONAS, World, superuser

CHINA = ZoneInfo("Asia/Shanghai")
TODAY = datetime.date(2025, 11, 20)
ID_NUMBER = identity.make_resident_id(datetime.date(1980, 5, 6))
PHONE = "13812345678"
ADDRESS = "广东省阳江市江城区东风路8号3栋502房"

OFFICE = frozenset({"office"})
# The people who handle a case forwarded to team.department (services.personal_data_viewed).
HANDLERS = frozenset({"office", "clerk", "dept_head", "leader", "secrecy"})


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(datetime.datetime(2025, 11, 20, 10, tzinfo=CHINA), tick=False):
        yield


class RequestWorld(World):
    """The cases a staff URL points at, each built (through the services) only when asked for."""

    def _register(self, label: str, *, received_on: datetime.date = TODAY, files=()) -> Application:
        return builders.register(
            self.team,
            received_on=received_on,
            files=files,
            name=f"申请人{label}",
            id_number=ID_NUMBER,
            phone=PHONE,
            address=ADDRESS,
            description=f"{self.team.agency.short_name}的{label}申请所需信息",
        )

    def _move(self, application: Application, actor, action: Action, **kwargs) -> Application:
        return services.application_transition(actor=actor, application=application, action=action, **kwargs)

    def _draft(self, application: Application, actor, code: str = "disclosed") -> Application:
        withheld = "涉及个人隐私的部分不予公开" if code != "disclosed" else ""
        return services.reply_draft_save(
            actor=actor,
            application=application,
            outcome_code=code,
            reply_text="现答复如下。",
            withheld_note=withheld,
        )

    @cached_property
    def registered(self) -> Application:
        return self._register("已登记", files=[pdf_upload("身份证复印件.pdf")])

    @cached_property
    def registered_file(self) -> ApplicationFile:
        return self.registered.files.get()

    @cached_property
    def receipt(self) -> Notice:
        return self.registered.notices.get(kind="receipt")

    @cached_property
    def drafted(self) -> Application:
        return self._draft(self._register("待当场答复"), self.team.office)

    @cached_property
    def awaiting_correction(self) -> Application:
        application = self._register("待补正")
        return self._move(application, self.team.office, Action.REQUEST_CORRECTION, reason="请写明年份")

    @cached_property
    def correction_lapsed(self) -> Application:
        application = self._register("逾期未补正", received_on=datetime.date(2025, 9, 26))
        return self._move(
            application,
            self.team.office,
            Action.REQUEST_CORRECTION,
            reason="请写明年份",
            on=datetime.date(2025, 9, 29),
        )

    def _forwarded(self, label: str, code: str = "disclosed") -> Application:
        application = builders.forward(self.team, self._register(label))
        return self._draft(application, self.team.clerk, code)

    @cached_property
    def forwarded(self) -> Application:
        return self._forwarded("承办中")

    @cached_property
    def reply_attachment(self) -> ReplyAttachment:
        """A file of the disclosed information attached to the reply being drafted."""
        application = self._forwarded("附答复附件")
        return services.reply_attachments_add(
            actor=self.team.clerk, application=application, files=[pdf_upload("公开的信息.pdf")]
        )[0]

    @cached_property
    def dept_review(self) -> Application:
        return builders.advance_case(self.team, self._forwarded("待股室审核"), to="dept_review")

    @cached_property
    def secrecy_review(self) -> Application:
        return builders.advance_case(self.team, self._forwarded("待保密审查"), to="secrecy_review")

    @cached_property
    def leader_review(self) -> Application:
        return builders.advance_case(self.team, self._forwarded("待领导签发", "partial"), to="leader_review")

    @cached_property
    def approved(self) -> Application:
        return builders.advance_case(self.team, self._forwarded("待出具答复"), to="approved")

    @cached_property
    def replied(self) -> Application:
        application = self._draft(self._register("已答复"), self.team.office)
        return self._move(application, self.team.office, Action.ANSWER_ON_SPOT)

    @cached_property
    def replied_forwarded(self) -> Application:
        return builders.advance_case(self.team, self._forwarded("已答复转主动公开"), to="replied")

    @cached_property
    def repeat(self) -> Application:
        """A same-day repeat by the same applicant: flagged 疑似重复, so the office may void it."""
        first = self._register("首次提交")
        data = builders.applicant(
            name=first.name, id_number=ID_NUMBER, phone=PHONE, description="同日再次提交的申请"
        )
        application = intake.application_intake(agency=self.team.agency, data=data).application
        assert application.duplicate_of_id
        return application

    @cached_property
    def consulting(self) -> Application:
        application = self._register("征求意见中")
        services.consultation_start(
            actor=self.team.office, application=application, third_party="某公司", matter="经营数据"
        )
        return application

    @cached_property
    def fee_due(self) -> Application:
        application = self._register("待缴费")
        services.fee_notice(actor=self.team.office, application=application, amount="30")
        return application

    @cached_property
    def fee_lapsed(self) -> Application:
        application = self._register("逾期未缴费", received_on=datetime.date(2025, 9, 26))
        services.fee_notice(
            actor=self.team.office, application=application, amount="30", on=datetime.date(2025, 9, 29)
        )
        return application

    @cached_property
    def suspended(self) -> Application:
        application = self._register("中止中")
        services.suspend(actor=self.team.office, application=application, reason="台风")
        return application

    @cached_property
    def extension(self) -> ExtensionRequest:
        return services.extension_request(
            actor=self.team.clerk, application=self._forwarded("待审批延期"), days=10, reason="需调取档案"
        )


def status_of(application: Application) -> str:
    return Application.objects.get(pk=application.pk).status


def events_of(application: Application, kind: str) -> int:
    return application.events.filter(kind=kind).count()


def unmask_views(application: Application) -> int:
    return AuditEvent.objects.filter(action="personal_data_view", target_id=str(application.pk)).count()


def case_page(
    w_application: Callable[[RequestWorld], Application],
) -> Callable[[RequestWorld], dict[str, int]]:
    return lambda w: {"pk": w_application(w).pk}


def action_case(
    action: Action, source: str, target: str, allowed: set[str], *, reason: str = "", suffix: str = ""
) -> Case:
    def application(w: RequestWorld) -> Application:
        return getattr(w, source)

    return Case(
        id=f"action-{action.value}{suffix}",
        name="applications_staff:action",
        method="post",
        kwargs=case_page(application),
        allowed=frozenset(allowed),
        data=lambda w, user: {
            "action": action.value,
            "reason": reason,
            "department": w.team.department.pk,
            "correction_days": "10",
        },
        observe=lambda w: status_of(application(w)),
        expected=target,
    )


def operate_case(op: str, source: str, allowed: set[str], data: dict, observe, expected, **extra) -> Case:
    def application(w: RequestWorld) -> Application:
        return getattr(w, source)

    return Case(
        id=f"operate-{op}",
        name="applications_staff:operate",
        method="post",
        kwargs=lambda w: {"pk": application(w).pk, "op": op},
        allowed=frozenset(allowed),
        data=lambda w, user: dict(data),
        observe=lambda w: observe(application(w)),
        expected=expected,
        **extra,
    )


def register_data(w: RequestWorld, user) -> dict[str, Any]:
    return {
        "agency": w.team.agency.pk,
        "channel": "window",
        "received_on": TODAY.isoformat(),
        **builders.applicant(
            name="窗口登记人", id_number=ID_NUMBER, phone=PHONE, description="窗口登记的申请"
        ),
    }


def template_body(w: RequestWorld) -> str | None:
    row = NoticeTemplate.objects.filter(agency=w.team.agency, kind="receipt").first()
    return row.body if row else None


def notice_file(fmt: str) -> Case:
    return Case(
        f"notice-{fmt}",
        "applications_staff:notice_file",
        "get",
        kwargs=lambda w: {"pk": w.registered.pk, "notice_pk": w.receipt.pk, "fmt": fmt},
    )


CASES = [
    Case("queue", "applications_staff:queue", "get", kind="list"),
    Case("ledger-export", "applications_staff:ledger_export", "get", kind="list"),
    Case(
        "register-get",
        "applications_staff:register",
        "get",
        kind="create",
        allowed=OFFICE,
        refusal="forbidden",
    ),
    Case(
        "register-post",
        "applications_staff:register",
        "post",
        kind="create",
        allowed=OFFICE,
        refusal="forbidden",
        data=register_data,
        observe=lambda w: Application.objects.filter(agency=w.team.agency, name="窗口登记人").count(),
        expected=1,
        redirect=lambda w: reverse(
            "applications_staff:detail", args=[Application.objects.get(name="窗口登记人").pk]
        ),
    ),
    Case("templates-get", "applications_staff:templates", "get", kind="list"),
    Case(
        "templates-post",
        "applications_staff:templates",
        "post",
        kind="create",
        allowed=OFFICE,
        refusal="forbidden",
        data=lambda w, user: {"kind": "receipt", "body": "本机关已收到{申请人}的申请。"},
        observe=template_body,
        expected="本机关已收到{申请人}的申请。",
        redirect=lambda w: reverse("applications_staff:templates"),
    ),
    Case("detail", "applications_staff:detail", "get", kwargs=case_page(lambda w: w.registered)),
    action_case(Action.FORWARD, "registered", "forwarded", {"office"}),
    action_case(
        Action.REQUEST_CORRECTION, "registered", "awaiting_correction", {"office"}, reason="请写明年份"
    ),
    action_case(Action.RECEIVE_CORRECTION, "awaiting_correction", "registered", {"office"}),
    action_case(Action.LAPSE, "correction_lapsed", "closed", {"office"}),
    action_case(Action.ANSWER_ON_SPOT, "drafted", "replied", {"office"}),
    action_case(Action.SUBMIT_REPLY, "forwarded", "dept_review", {"clerk", "office"}),
    action_case(Action.DEPT_APPROVE, "dept_review", "secrecy_review", {"dept_head"}),
    action_case(Action.SECRECY_APPROVE, "secrecy_review", "approved", {"secrecy"}),
    action_case(Action.LEADER_SIGN, "leader_review", "approved", {"leader"}),
    action_case(
        Action.RETURN, "dept_review", "forwarded", {"dept_head"}, reason="请补充检索情况", suffix="-dept"
    ),
    action_case(
        Action.RETURN, "secrecy_review", "forwarded", {"secrecy"}, reason="含内部文号", suffix="-secrecy"
    ),
    action_case(
        Action.RETURN, "leader_review", "forwarded", {"leader"}, reason="理由不充分", suffix="-leader"
    ),
    action_case(Action.ISSUE_REPLY, "approved", "replied", {"office"}),
    action_case(Action.FEE_LAPSE, "fee_lapsed", "closed", {"office"}),
    action_case(Action.VOID, "repeat", "voided", {"office"}, reason="与同日申请重复，已电话确认"),
    Case(
        "reply",
        "applications_staff:reply",
        "post",
        kwargs=case_page(lambda w: w.forwarded),
        allowed=frozenset({"clerk", "office"}),
        data=lambda w, user: {
            "outcome": "cp_not_held",
            "reply_text": "经检索，本机关未制作该信息。",
            "withheld_note": "",
        },
        observe=lambda w: Application.objects.get(pk=w.forwarded.pk).reply_text,
        expected="经检索，本机关未制作该信息。",
    ),
    operate_case(
        "consultation_start",
        "registered",
        {"office"},
        {"third_party": "某公司", "matter": "经营数据"},
        lambda a: events_of(a, "consultation_started"),
        1,
    ),
    operate_case(
        "consultation_answer",
        "consulting",
        {"office"},
        {"note": "同意"},
        lambda a: events_of(a, "consultation_answered"),
        1,
    ),
    operate_case(
        "fee_notice", "registered", {"office"}, {"amount": "20"}, lambda a: events_of(a, "fee_notice_sent"), 1
    ),
    operate_case("fee_paid", "fee_due", {"office"}, {}, lambda a: events_of(a, "fee_paid"), 1),
    operate_case("fee_lapse", "fee_lapsed", {"office"}, {}, status_of, "closed"),
    operate_case(
        "suspend", "registered", {"office"}, {"reason": "洪水"}, lambda a: events_of(a, "suspended"), 1
    ),
    operate_case("resume", "suspended", {"office"}, {}, lambda a: events_of(a, "resumed"), 1),
    operate_case(
        "extension_request",
        "forwarded",
        {"clerk", "office"},
        {"days": "5", "reason": "需调取档案"},
        lambda a: a.extensions.count(),
        1,
    ),
    # The department's own clerk may draft catalogue items for it anyway; the item goes through review.
    operate_case(
        "to_catalogue",
        "replied_forwarded",
        {"office", "clerk"},
        {},
        lambda a: Item.objects.filter(source_note__contains=a.query_code).count(),
        1,
        redirect=lambda w: reverse(
            "catalogue_staff:detail",
            args=[Item.objects.get(source_note__contains=w.replied_forwarded.query_code).pk],
        ),
    ),
    Case(
        "extension-decide",
        "applications_staff:extension_decide",
        "post",
        kwargs=lambda w: {"pk": w.extension.application_id, "extension_pk": w.extension.pk},
        allowed=frozenset({"office", "leader"}),
        data=lambda w, user: {"decision": "approve"},
        observe=lambda w: ExtensionRequest.objects.get(pk=w.extension.pk).state,
        expected="approved",
    ),
    Case(
        "appeal",
        "applications_staff:appeal",
        "post",
        kwargs=case_page(lambda w: w.replied),
        allowed=OFFICE,
        data=lambda w, user: {"kind": "reconsideration", "filed_on": TODAY.isoformat(), "result": "pending"},
        observe=lambda w: w.replied.appeals.count(),
        expected=1,
    ),
    Case(
        "unmask",
        "applications_staff:unmask",
        "post",
        kwargs=case_page(lambda w: w.forwarded),
        allowed=HANDLERS,
        refusal="forbidden",
        observe=lambda w: unmask_views(w.forwarded),
        expected=1,
    ),
    # The applicant's files (e.g. a copy of the ID card) are personal data: handling staff only,
    # audited; a case not yet forwarded has no department, so its clerks and heads are not handling it.
    Case(
        "file",
        "applications_staff:file",
        "get",
        kwargs=lambda w: {"pk": w.registered.pk, "file_pk": w.registered_file.pk},
        allowed=frozenset({"office", "leader", "secrecy"}),
        refusal="forbidden",
    ),
    Case(
        "notice-delivered",
        "applications_staff:notice_delivered",
        "post",
        kwargs=lambda w: {"pk": w.registered.pk, "notice_pk": w.receipt.pk},
        allowed=OFFICE,
        data=lambda w, user: {"method": "当面领取", "proof": "签收单", "on": TODAY.isoformat()},
        observe=lambda w: Notice.objects.get(pk=w.receipt.pk).delivered_on,
        expected=TODAY,
    ),
    Case(
        "notice-failed",
        "applications_staff:notice_failed",
        "post",
        kwargs=lambda w: {"pk": w.registered.pk, "notice_pk": w.receipt.pk},
        allowed=OFFICE,
        data=lambda w, user: {"reason": "returned", "method": "邮寄", "on": TODAY.isoformat()},
        observe=lambda w: Notice.objects.get(pk=w.receipt.pk).delivery_state,
        expected="failed",
    ),
    notice_file("pdf"),
    notice_file("docx"),
    # The reply's attachments change with the draft: the office or the drafting department's clerk.
    Case(
        "reply-attachment-add",
        "applications_staff:reply_attachment_add",
        "post",
        kwargs=case_page(lambda w: w.forwarded),
        allowed=frozenset({"office", "clerk"}),
        data=lambda w, user: {"attachments": [pdf_upload("公开的信息.pdf")]},
        observe=lambda w: w.forwarded.reply_attachments.count(),
        expected=1,
    ),
    Case(
        "reply-attachment-remove",
        "applications_staff:reply_attachment_remove",
        "post",
        kwargs=lambda w: {"pk": w.reply_attachment.application_id, "attachment_pk": w.reply_attachment.pk},
        allowed=frozenset({"office", "clerk"}),
        observe=lambda w: ReplyAttachment.objects.filter(pk=w.reply_attachment.pk).exists(),
        expected=False,
    ),
    Case(
        "reply-attachment",
        "applications_staff:reply_attachment",
        "get",
        kwargs=lambda w: {"pk": w.reply_attachment.application_id, "attachment_pk": w.reply_attachment.pk},
    ),
    # 待打印/待送达文书 and its batch print: the office of the agency only.
    Case(
        "deliveries", "applications_staff:deliveries", "get", kind="list", allowed=OFFICE, refusal="forbidden"
    ),
    Case(
        "deliveries-print",
        "applications_staff:deliveries_print",
        "get",
        kind="list",
        allowed=OFFICE,
        refusal="forbidden",
        # Printing audits each letter as a full view (test_notice_delivery), so nothing to observe.
        data=lambda w, user: {"notice": [w.receipt.pk]},
    ),
]

POST_CASES = [c for c in CASES if c.method == "post"]
POST_ONLY = {
    "applications_staff:action",
    "applications_staff:reply",
    "applications_staff:operate",
    "applications_staff:extension_decide",
    "applications_staff:appeal",
    "applications_staff:unmask",
    "applications_staff:notice_delivered",
    "applications_staff:reply_attachment_add",
    "applications_staff:reply_attachment_remove",
    "applications_staff:notice_failed",
}
ALLOWED_POSTS = [(c, who) for c in POST_CASES for who in sorted(c.allowed)]


@pytest.fixture
def world(team, other_team) -> RequestWorld:
    return RequestWorld(team, other_team)


def errors(response) -> list[str]:
    return [m.message for m in get_messages(response.wsgi_request) if m.level == message_levels.ERROR]


def response_text(response) -> str:
    """The page, or every cell of an XLSX download (the ledger), as text."""
    if response["Content-Type"] != XLSX_TYPE:
        return response.content.decode()
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return " ".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value)


def our_codes(w: RequestWorld) -> list[str]:
    return list(Application.objects.filter(agency=w.team.agency).values_list("query_code", flat=True))


def test_it_covers_every_staff_url_action_and_operation_in_the_table():
    from gongkai.applications import urls_staff

    names = {f"applications_staff:{p.name}" for p in urls_staff.urlpatterns}
    assert names <= {c.name for c in CASES}
    assert {c.name for c in POST_CASES} >= POST_ONLY
    # The other actions (draft, clock events, extensions, delivery, appeal) have URLs of their own.
    assert {a.value for a in STATUS_ACTIONS} <= {c.id.removeprefix("action-").split("-")[0] for c in CASES}
    assert set(OPERATIONS) <= {c.id.removeprefix("operate-") for c in CASES if c.id.startswith("operate-")}


@pytest.mark.parametrize("case", CASES, ids=case_ids(CASES))
def test_it_keeps_out_everyone_but_the_right_roles(client, world, case, subtests):
    """Every rung below 'the right role does it', on one set of cases (building them writes letters)."""
    url = reverse(case.name, kwargs=case.kwargs(world))

    with subtests.test("anonymous"):
        _, before, response = call(client, case, world)
        assert response.status_code == 302
        # (followed by the query string, for a GET that has one)
        assert response["Location"].startswith(f"{reverse('workbench:login')}?next={url}")
        assert case.observe(world) == before

    no_role = UserFactory(agency=world.team.agency, department=world.team.department)
    for label, user in (("no agency role", no_role), ("superuser", superuser())):
        with subtests.test(label):
            _, before, response = call(client, case, world, user)
            assert response.status_code == 403
            assert case.observe(world) == before

    codes = our_codes(world)
    for who in OUTSIDERS:
        with subtests.test(who):
            _, before, response = call(client, case, world, world.person(who))
            if case.kind == "object":
                assert response.status_code == 404
            else:
                content = response_text(response) if response.status_code == 200 else ""
                for code in codes:
                    assert code not in content
            assert case.observe(world) == before

    for who in PERSONAS:
        if case.method == "post" and who in case.allowed:
            continue  # test_it_lets_the_right_role_do_it, each on fresh cases
        with subtests.test(who):
            _, before, response = call(client, case, world, world.person(who))
            if who in case.allowed:
                assert response.status_code == 200
                assert "no-store" in response["Cache-Control"]
            elif case.refusal == "forbidden" or case.method == "get":
                assert response.status_code == 403
            else:
                # Refused: the case page again (nothing typed is lost), saying why beside the form.
                assert response.status_code == 200
                assert "no-store" in response["Cache-Control"]
                assert errors(response), "a refusal must say why"
                page = response.content.decode()
                for error in errors(response):
                    assert escape(error) in page
            assert case.observe(world) == before

    if case.name in POST_ONLY:
        with subtests.test("GET"):
            client.force_login(world.team.office)
            before = case.observe(world)
            assert client.get(url).status_code == 405
            assert case.observe(world) == before


@pytest.mark.parametrize(("case", "who"), ALLOWED_POSTS, ids=[f"{c.id}-{who}" for c, who in ALLOWED_POSTS])
def test_it_lets_the_right_role_do_it(client, world, case, who):
    _, before, response = call(client, case, world, world.person(who))

    assert response.status_code == 302, response.content.decode()[:2000]
    assert errors(response) == []
    assert case.observe(world) == case.expected != before
    expected = (
        case.redirect(world)
        if case.redirect
        else reverse("applications_staff:detail", args=[case.kwargs(world)["pk"]])
    )
    assert response["Location"] == expected


def test_it_does_not_serve_our_letters_files_or_extensions_under_another_agencys_case(client, world):
    theirs = RequestWorld(world.other_team, world.team).registered
    client.force_login(world.other_team.office)
    ours = world.registered

    for url in (
        reverse("applications_staff:notice_file", args=[theirs.pk, world.receipt.pk, "pdf"]),
        reverse("applications_staff:notice_file", args=[theirs.pk, world.receipt.pk, "docx"]),
        reverse("applications_staff:file", args=[theirs.pk, world.registered_file.pk]),
    ):
        assert client.get(url).status_code == 404, url
    for url, data in (
        (
            reverse("applications_staff:notice_delivered", args=[theirs.pk, world.receipt.pk]),
            {"method": "邮寄"},
        ),
        (
            reverse("applications_staff:extension_decide", args=[theirs.pk, world.extension.pk]),
            {"decision": "approve"},
        ),
    ):
        assert client.post(url, data).status_code == 404, url
    assert Notice.objects.get(pk=world.receipt.pk).delivered_on is None
    assert ExtensionRequest.objects.get(pk=world.extension.pk).state == "pending"
    assert status_of(ours) == "registered"


def test_it_does_not_let_the_office_forward_to_another_agencys_department(client, world):
    client.force_login(world.team.office)
    application = world.registered

    response = client.post(
        reverse("applications_staff:action", args=[application.pk]),
        {"action": "forward", "department": world.other_team.department.pk},
    )

    assert "请选择本机关的承办股室" in " ".join(errors(response))
    assert status_of(application) == "registered"


# Personal data


def test_it_masks_the_id_number_phone_and_address_on_the_case_page(client, world):
    client.force_login(world.team.office)

    content = client.get(reverse("applications_staff:detail", args=[world.registered.pk])).content.decode()

    assert identity.mask_id(ID_NUMBER) in content
    assert identity.mask_phone(PHONE) in content
    assert identity.mask_address(ADDRESS) in content
    assert ID_NUMBER not in content
    assert PHONE not in content
    assert ADDRESS not in content
    assert "查看完整个人信息（将记录留痕）" in content


def test_it_shows_personal_data_in_full_once_to_the_office_and_records_it(client, world):
    application = world.registered
    url = reverse("applications_staff:detail", args=[application.pk])
    client.force_login(world.team.office)

    response = client.post(reverse("applications_staff:unmask", args=[application.pk]))
    assert response.status_code == 302
    assert response["Location"] == url

    content = client.get(url).content.decode()
    assert ID_NUMBER in content
    assert PHONE in content
    assert ADDRESS in content
    event = AuditEvent.objects.get(action="personal_data_view")
    assert event.actor == world.team.office
    assert event.target_id == str(application.pk)
    assert event.agency == world.team.agency

    again = client.get(url).content.decode()
    assert ID_NUMBER not in again
    assert PHONE not in again
    assert AuditEvent.objects.filter(action="personal_data_view").count() == 1


@pytest.mark.parametrize("who", ["supervisor", "leading_group", "other_clerk", "other_dept_head"])
def test_it_does_not_unmask_for_staff_not_handling_the_case(client, world, who):
    application = world.forwarded
    client.force_login(world.person(who))

    response = client.post(reverse("applications_staff:unmask", args=[application.pk]))

    assert response.status_code == 403
    content = client.get(reverse("applications_staff:detail", args=[application.pk])).content.decode()
    assert ID_NUMBER not in content
    assert PHONE not in content
    assert not AuditEvent.objects.filter(action="personal_data_view").exists()


def test_it_does_not_unmask_a_case_not_yet_forwarded_for_a_department_clerk(client, world):
    client.force_login(world.team.clerk)

    response = client.post(reverse("applications_staff:unmask", args=[world.registered.pk]))

    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="personal_data_view").exists()


@pytest.mark.parametrize("who", ["supervisor", "leading_group", "other_clerk"])
def test_it_keeps_the_applicants_identity_documents_to_the_staff_handling_the_case(client, world, who):
    client.force_login(world.person(who))

    response = client.get(
        reverse("applications_staff:file", args=[world.registered.pk, world.registered_file.pk])
    )

    assert response.status_code == 403


def test_it_keeps_personal_data_off_the_queues_and_out_of_the_letters(client, world):
    replied = world.replied
    client.force_login(world.team.office)

    for name in QUEUES:
        content = client.get(reverse("applications_staff:queue"), {"queue": name}).content.decode()
        assert ID_NUMBER not in content, name
        assert PHONE not in content, name
        assert ADDRESS not in content, name
    for notice in Notice.objects.filter(application=replied):
        assert ID_NUMBER not in notice.text
        assert PHONE not in notice.text


# Leaks


def public_urls(team) -> list[str]:
    slug = team.agency.slug
    return [
        reverse("portal:home"),
        reverse("portal:agencies"),
        *[reverse("portal:column", args=[s]) for s in ("guide", "rules", "statutory", "annual-reports")],
        "/items/",
        f"/items/?agency={slug}",
        reverse("feed_rss"),
        reverse("feed_atom"),
        reverse("sitemap"),
        reverse("applications:apply"),
        reverse("applications:status"),
    ]


@pytest.mark.parametrize("viewer", ["anonymous", "outsider_clerk", "outsider_office"])
def test_it_never_shows_applications_on_public_pages(client, world, viewer):
    applications = [world.registered, world.replied, world.forwarded]
    if viewer != "anonymous":
        client.force_login(world.person(viewer))
    markers = [ID_NUMBER, PHONE, ADDRESS]
    for a in applications:
        markers += [a.name, a.description, a.query_code]

    for url in public_urls(world.team):
        response = client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        for marker in markers:
            assert marker not in content, (url, marker)
    for a in applications:
        assert client.get(reverse("applications:receipt", args=[a.query_code])).status_code == 404
        assert client.get(reverse("applications:receipt_pdf", args=[a.query_code])).status_code == 404


@pytest.mark.parametrize("who", OUTSIDERS)
def test_it_keeps_our_applications_out_of_another_agencys_queues(client, world, who):
    ours = [
        world.registered,
        world.forwarded,
        world.leader_review,
        world.replied,
        world.extension.application,
    ]
    theirs = RequestWorld(world.other_team, world.team).registered
    client.force_login(world.person(who))

    for name in QUEUES:
        content = client.get(reverse("applications_staff:queue"), {"queue": name}).content.decode()
        for application in ours:
            assert application.query_code not in content, name
            assert application.description not in content, name
    open_queue = client.get(reverse("applications_staff:queue"), {"queue": "open"}).content.decode()
    assert theirs.query_code in open_queue
    assert world.team.agency.name not in client.get(reverse("workbench:home")).content.decode()
