"""Requests for disclosure from the window (or the web form) to the written reply, through the staff UI.

Every step is a POST to the URL the case page's own form posts to, signed in as the person whose
job it is; the letters are downloaded from the case page's links and read as DOCX and as PDF.
Time is frozen on real dates around the 2025 National Day holiday (1–8 October, with Sunday
28 September and Saturday 11 October worked), so the clock is checked against the real calendar.
"""

import datetime
import io
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from docx import Document
from pypdf import PdfReader

from gongkai.applications import identity
from gongkai.applications.letters import REMEDIES, address
from gongkai.applications.models import Application, ExtensionRequest, Notice
from gongkai.applications.outcomes import OUTCOMES, Group, outcome
from gongkai.catalogue.models import Item

CHINA = ZoneInfo("Asia/Shanghai")
FRIDAY = datetime.date(2025, 9, 26)  # received: due 20 working days later, 2025-10-30
DESCRIPTION = "2024年本县城乡居民基本养老保险基金收支情况及审计报告"
WITHHELD = "审计报告第三部分涉及参保人员个人信息，依法不予公开"
REPLY_TEXT = "经检索，现将本机关掌握的有关情况答复如下。"


def moment(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=CHINA)


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def cn(d: datetime.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


@pytest.fixture
def traveller():
    with time_machine.travel(moment(FRIDAY), tick=False) as traveller:
        yield traveller


def go(traveller, text: str) -> None:
    traveller.move_to(moment(day(text)))


def squash(text: str) -> str:
    # pypdf reads the embedded CID font's text with a NUL before each character (as in documents/tests).
    return re.sub(r"[\s\x00]+", "", text)


def applicant(**overrides) -> dict:
    data = {
        "applicant_type": "natural",
        "name": "李明华",
        "id_type": "resident_id",
        "id_number": identity.make_resident_id(datetime.date(1980, 5, 6)),
        "phone": "13812345678",
        "address": "广东省阳江市江城区东风路8号",
        "postcode": "529500",
        "email": "liminghua@example.com",
        "description": DESCRIPTION,
        "medium": "electronic",
        "delivery": "email",
    }
    return {**data, **overrides}


class Desk:
    """The staff UI of one agency, used the way its pages' forms use it."""

    def __init__(self, client: Client, team) -> None:
        self.client = client
        self.team = team

    def sign_in(self, user) -> None:
        self.client.force_login(user)

    def register(
        self, *, received_on: str | None = None, channel: str = "window", **overrides
    ) -> Application:
        self.sign_in(self.team.office)
        data = {
            **applicant(**overrides),
            "agency": self.team.agency.pk,
            "channel": channel,
            "received_on": received_on or timezone.localdate().isoformat(),
        }
        before = set(Application.objects.values_list("pk", flat=True))
        response = self.post(self.team.office, reverse("applications_staff:register"), data)
        assert response.status_code == 302, response.content.decode()[:3000]
        application = Application.objects.exclude(pk__in=before).get()
        assert response["Location"] == reverse("applications_staff:detail", args=[application.pk])
        assert f"查询码 {application.query_code}" in " ".join(self.messages(response))
        return application

    def page(self, user, application: Application) -> str:
        self.sign_in(user)
        response = self.client.get(reverse("applications_staff:detail", args=[application.pk]))
        assert response.status_code == 200
        return response.content.decode()

    def post(self, user, url: str, data: dict | None = None):
        self.sign_in(user)
        response = self.client.post(url, data or {})
        # Read the flash messages now and drop them, as the case page would on the redirect.
        # The test's own note on the response.
        response.flashed = [  # type: ignore[attr-defined]
            (m.level, m.message) for m in get_messages(response.wsgi_request)
        ]
        self.client.cookies.pop("messages", None)
        return response

    @staticmethod
    def messages(response) -> list[str]:
        return [text for _, text in response.flashed]

    @staticmethod
    def errors(response) -> list[str]:
        return [text for level, text in response.flashed if level == message_levels.ERROR]

    def ok(self, response, application: Application) -> list[str]:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert response["Location"] == reverse("applications_staff:detail", args=[application.pk])
        assert self.errors(response) == []
        return self.messages(response)

    def refused(self, response, application: Application) -> str:
        """A refusal renders the case page again (nothing typed is lost), saying why."""
        assert response.status_code == 200, response.get("Location")
        page = response.content.decode()
        assert f"政府信息公开申请 {application.query_code}" in page
        errors = self.errors(response)
        assert errors, "expected the action to be refused with a message"
        for error in errors:
            assert escape(error) in page
        return " ".join(errors)

    def act(self, user, application: Application, action: str, **data):
        url = reverse("applications_staff:action", args=[application.pk])
        return self.post(user, url, {"action": action, "reason": "", **data})

    def do(self, user, application: Application, op: str, **data):
        return self.post(user, reverse("applications_staff:operate", args=[application.pk, op]), data)

    def draft(self, user, application: Application, code: str, text: str = REPLY_TEXT, withheld: str = ""):
        url = reverse("applications_staff:reply", args=[application.pk])
        return self.post(user, url, {"outcome": code, "reply_text": text, "withheld_note": withheld})

    def status(self, application: Application) -> str:
        return Application.objects.get(pk=application.pk).status

    def letters(self, user, application: Application, title: str) -> list[tuple[str, str]]:
        """(PDF link, DOCX link) of each letter of this kind listed on the case page."""
        html = self.page(user, application)
        rows = re.findall(r"<tr><td>(.*?)</td>(.*?)</tr>", html, flags=re.S)
        links = []
        for label, rest in rows:
            if label != title:
                continue
            pdf = re.search(r'href="([^"]+/pdf/)"', rest)
            docx = re.search(r'href="([^"]+/docx/)"', rest)
            assert pdf and docx, rest
            links.append((pdf.group(1), docx.group(1)))
        return links

    def letter_texts(self, user, application: Application, title: str) -> tuple[str, str]:
        """The last letter of this kind, downloaded from the case page: (DOCX text, PDF text), squashed."""
        links = self.letters(user, application, title)
        assert links, f"no {title} on the case page"
        pdf_url, docx_url = links[-1]
        self.sign_in(user)
        pdf = self.client.get(pdf_url)
        assert pdf.status_code == 200
        assert pdf["Content-Type"] == "application/pdf"
        docx = self.client.get(docx_url)
        assert docx.status_code == 200
        assert docx["Content-Type"].endswith("wordprocessingml.document")
        # Both are FileResponses, streamed.
        return (
            docx_text(b"".join(docx.streaming_content)),  # type: ignore[attr-defined]
            pdf_text(b"".join(pdf.streaming_content)),  # type: ignore[attr-defined]
        )


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return squash("".join(parts))


def pdf_text(data: bytes) -> str:
    text = squash("".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))
    # The page footer ('— 1 —') comes out wherever the page broke, even mid-sentence.
    return re.sub(r"—\d+—", "", text)


@pytest.fixture
def desk(client, team) -> Desk:
    return Desk(client, team)


def forward(desk: Desk, application: Application, department=None) -> None:
    department = department or desk.team.department
    desk.ok(desk.act(desk.team.office, application, "forward", department=department.pk), application)


def approve_chain(desk: Desk, application: Application) -> None:
    """Department head, then secrecy review, then (when the outcome needs it) the leader's signature."""
    team = desk.team
    desk.ok(desk.act(team.clerk, application, "submit_reply"), application)
    desk.ok(desk.act(team.dept_head, application, "dept_approve"), application)
    desk.ok(desk.act(team.secrecy, application, "secrecy_approve"), application)
    if outcome(Application.objects.get(pk=application.pk).outcome).needs_leader_signoff:
        assert desk.status(application) == "leader_review"
        desk.ok(desk.act(team.leader, application, "leader_sign"), application)
    assert desk.status(application) == "approved"


def reply_to(desk: Desk, application: Application, code: str, withheld: str = "") -> None:
    """Forward, draft, review and issue: the usual path of a request that is not answered on the spot."""
    team = desk.team
    forward(desk, application)
    desk.ok(desk.draft(team.clerk, application, code, withheld=withheld), application)
    approve_chain(desk, application)
    desk.ok(desk.act(team.office, application, "issue_reply"), application)
    assert desk.status(application) == "replied"


def assert_reply_letter(desk: Desk, application: Application, code: str, withheld: str = "") -> None:
    result = outcome(code)
    for text in desk.letter_texts(desk.team.office, application, "政府信息公开申请答复书"):
        assert "政府信息公开申请答复书" in text
        assert application.name in text
        assert squash(application.description) in text
        assert squash(REPLY_TEXT) in text
        # The basis addresses the applicant as the letters do: 您, or 你单位 for an organisation.
        assert squash(address(result.basis, application.is_organisation)) in text
        assert squash(REMEDIES) in text
        assert "行政复议" in text
        if result.withholds:
            assert squash(withheld) in text
        assert desk.team.agency.name in text
        assert application.query_code in text


REPLY_CODES = [code for code, o in OUTCOMES.items() if o.group is not Group.OTHER]


def test_it_parametrises_every_reply_outcome_of_the_five_groups():
    groups = {OUTCOMES[code].group for code in REPLY_CODES}
    assert groups == {
        Group.DISCLOSED,
        Group.PARTIAL,
        Group.NOT_DISCLOSED,
        Group.CANNOT_PROVIDE,
        Group.NOT_PROCESSED,
    }
    assert {c for c in REPLY_CODES if c.startswith("nd_")} == {c for c in OUTCOMES if c.startswith("nd_")}


@pytest.mark.parametrize("code", REPLY_CODES)
def test_it_takes_a_window_request_to_a_written_reply(desk, team, traveller, code):
    result = outcome(code)
    withheld = WITHHELD if result.withholds else ""
    application = desk.register(received_on="2025-09-26")

    page = desk.page(team.office, application)
    assert "已登记，待处理" in page
    assert "2025年10月30日" in page  # Friday + 20 working days across the National Day holiday

    go(traveller, "2025-09-29")
    forward(desk, application)
    assert desk.status(application) == "forwarded"
    desk.sign_in(team.clerk)
    assert application.query_code in desk.client.get(reverse("applications_staff:queue")).content.decode()

    go(traveller, "2025-10-09")
    desk.ok(desk.draft(team.clerk, application, code, withheld=withheld), application)
    page = desk.page(team.clerk, application)
    assert result.label in page
    assert ("须领导签发（否定报备）" in page) == result.needs_leader_signoff

    desk.ok(desk.act(team.clerk, application, "submit_reply"), application)
    desk.ok(desk.act(team.dept_head, application, "dept_approve"), application)
    desk.ok(desk.act(team.secrecy, application, "secrecy_approve"), application)
    if result.needs_leader_signoff:
        assert desk.status(application) == "leader_review"
        assert "待领导签发" in desk.page(team.leader, application)
        desk.ok(desk.act(team.leader, application, "leader_sign"), application)
    else:
        # A disclosure goes straight from secrecy review to the office: no leader's signature.
        assert desk.status(application) == "approved"
        assert 'value="leader_sign"' not in desk.page(team.leader, application)
        refusal = desk.refused(desk.act(team.leader, application, "leader_sign"), application)
        assert "不能执行“领导签发”" in refusal
    assert desk.status(application) == "approved"

    go(traveller, "2025-10-10")
    desk.ok(desk.act(team.office, application, "issue_reply"), application)
    application.refresh_from_db()
    assert application.status == "replied"
    assert application.outcome == code
    assert application.replied_on == day("2025-10-10")
    assert "已于2025年10月10日办结" in desk.page(team.office, application)

    assert_reply_letter(desk, application, code, withheld)
    reply = application.notices.get(kind="reply")
    assert reply.issued_on == day("2025-10-10")
    assert reply.number.startswith(f"{team.agency.short_name}依申〔2025〕第")
    docx, pdf = desk.letter_texts(team.office, application, "政府信息公开申请答复书")
    for text in (docx, pdf):
        assert reply.number in text
        assert "2025年10月10日" in text


def test_it_takes_an_online_application_by_a_company_to_a_partial_disclosure(client, desk, team, traveller):
    citizen = Client()
    credit_code = identity.make_credit_code()
    response = citizen.post(
        reverse("applications:apply"),
        {
            **applicant(
                applicant_type="legal",
                name="阳江市海晨贸易有限公司",
                id_type="",
                id_number="",
                org_type="commercial",
                credit_code=credit_code,
                legal_representative="陈海",
                contact_person="王小燕",
                phone="0662-3456789",
            ),
            "agency": team.agency.pk,
        },
    )
    assert response.status_code == 302
    application = Application.objects.get()
    assert response["Location"] == reverse("applications:receipt", args=[application.query_code])
    assert application.channel == "online"
    assert application.received_on == FRIDAY
    assert application.credit_code == credit_code

    page = desk.page(team.office, application)
    assert "网上申请" in page
    assert "商业企业" in page
    assert "2025年10月30日" in page

    go(traveller, "2025-09-30")
    reply_to(desk, application, "partial", withheld=WITHHELD)
    assert_reply_letter(desk, application, "partial", WITHHELD)

    status = citizen.post(
        reverse("applications:status"), {"query_code": application.query_code, "phone_tail": "6789"}
    )
    assert status.status_code == 200
    content = status.content.decode()
    assert "已答复" in content
    assert "2025年9月30日" in content


def test_it_answers_on_the_spot_on_the_day_of_registration(desk, team, traveller):
    application = desk.register(received_on="2025-09-26")

    desk.ok(desk.draft(team.office, application, "disclosed"), application)
    messages = desk.ok(desk.act(team.office, application, "answer_on_spot"), application)

    assert "已当场答复" in " ".join(messages)
    application.refresh_from_db()
    assert application.status == "replied"
    assert application.replied_on == application.received_on == FRIDAY
    assert application.department is None
    assert "已于2025年9月26日办结" in desk.page(team.office, application)
    assert_reply_letter(desk, application, "disclosed")


def test_it_refuses_to_answer_a_refusal_on_the_spot(desk, team, traveller):
    application = desk.register(received_on="2025-09-26")
    desk.ok(desk.draft(team.office, application, "nd_process_info", withheld=WITHHELD), application)

    refusal = desk.refused(desk.act(team.office, application, "answer_on_spot"), application)

    assert "当场答复只适用于予以公开等无需领导签发的结果" in refusal
    assert desk.status(application) == "registered"
    assert not application.notices.filter(kind="reply").exists()


def test_it_restarts_the_clock_from_the_corrected_request(desk, team, traveller):
    application = desk.register(received_on="2025-09-26")

    go(traveller, "2025-09-29")
    refusal = desk.refused(desk.act(team.office, application, "request_correction", reason=""), application)
    assert "须填写理由或内容" in refusal
    desk.ok(
        desk.act(
            team.office,
            application,
            "request_correction",
            reason="请写明所需信息的年份和文件名称",
            correction_days="10",
        ),
        application,
    )
    assert desk.status(application) == "awaiting_correction"
    page = desk.page(team.office, application)
    assert "暂停：等待申请人补正" in page
    docx, pdf = desk.letter_texts(team.office, application, "补正告知书")
    for text in (docx, pdf):
        assert "请写明所需信息的年份和文件名称" in text
        assert "自收到本告知书之日起10个工作日内" in text  # the period runs from delivery
        assert "第三十条" in text

    go(traveller, "2025-10-13")
    desk.ok(desk.act(team.office, application, "receive_correction", on="2025-10-13"), application)
    assert desk.status(application) == "registered"

    page = desk.page(team.office, application)
    assert "2025年10月13日" in page  # the new starting day
    assert "2025年11月10日" in page  # 20 working days after the corrected request
    assert "2025年10月30日" not in page
    assert "计时中" in page

    # Corrections are asked for once (art. 30): no second notice.
    refusal = desk.refused(
        desk.act(team.office, application, "request_correction", reason="再补一次"), application
    )
    assert "一次性告知" in refusal
    assert application.notices.filter(kind="correction").count() == 1


def test_it_closes_an_uncorrected_request_only_after_the_correction_period(desk, team, traveller):
    application = desk.register(received_on="2025-09-26")
    go(traveller, "2025-09-29")
    desk.ok(
        desk.act(
            team.office, application, "request_correction", reason="请补充身份证明", correction_days="10"
        ),
        application,
    )

    go(traveller, "2025-10-20")  # the last day of the period
    refusal = desk.refused(desk.act(team.office, application, "lapse"), application)
    assert "补正期限尚未届满" in refusal
    assert desk.status(application) == "awaiting_correction"

    go(traveller, "2025-10-21")
    desk.ok(desk.act(team.office, application, "lapse"), application)

    application.refresh_from_db()
    assert application.status == "closed"
    assert application.outcome == "other_no_correction"
    assert application.replied_on == day("2025-10-21")
    page = desk.page(team.office, application)
    assert "已终止" in page
    assert "逾期未补正" in page


def test_it_pauses_for_a_fee_and_carries_on_when_it_is_paid(desk, team, traveller):
    application = desk.register(received_on="2025-09-26")
    go(traveller, "2025-09-29")

    assert "请填写收费金额" in desk.refused(
        desk.do(team.office, application, "fee_notice", amount="0"), application
    )
    desk.ok(desk.do(team.office, application, "fee_notice", amount="35.5"), application)
    docx, pdf = desk.letter_texts(team.office, application, "收费通知")
    for text in (docx, pdf):
        assert "35.50元" in text
        assert "自收到本通知之日起20个工作日内缴纳" in text  # the period runs from delivery

    go(traveller, "2025-10-13")
    assert "暂停：等待缴费" in desk.page(team.office, application)

    desk.ok(desk.do(team.office, application, "fee_paid", on="2025-10-13"), application)
    page = desk.page(team.office, application)
    assert "计时中" in page
    # Paused from 29 September to 13 October: 30 Sep, 9, 10, 11 and 13 Oct are not counted.
    assert "2025年11月6日" in page
    assert application.events.filter(kind="fee_paid").exists()


def test_it_closes_a_request_whose_fee_is_not_paid_in_time(desk, team, traveller):
    application = desk.register(received_on="2025-09-26")
    go(traveller, "2025-09-29")
    desk.ok(desk.do(team.office, application, "fee_notice", amount="120"), application)

    go(traveller, "2025-11-03")  # the last day to pay
    assert "终止办理（逾期未缴费）" not in desk.page(team.office, application)
    assert "缴费期限尚未届满" in desk.refused(desk.do(team.office, application, "fee_lapse"), application)
    assert desk.status(application) == "registered"

    go(traveller, "2025-11-04")
    assert "终止办理（逾期未缴费）" in desk.page(team.office, application)
    desk.ok(desk.do(team.office, application, "fee_lapse"), application)

    application.refresh_from_db()
    assert application.status == "closed"
    assert application.outcome == "other_fee_unpaid"
    assert application.replied_on == day("2025-11-04")


def test_it_stops_the_clock_while_a_third_party_is_consulted(desk, team, traveller):
    application = desk.register(received_on="2025-09-26")
    go(traveller, "2025-09-29")

    desk.ok(
        desk.do(
            team.office,
            application,
            "consultation_start",
            third_party="阳江市海晨贸易有限公司",
            matter="申请公开的审计报告涉及贵公司的经营数据",
        ),
        application,
    )
    docx, pdf = desk.letter_texts(team.office, application, "征求第三方意见函")
    for text in (docx, pdf):
        assert "阳江市海晨贸易有限公司" in text
        assert "申请公开的审计报告涉及贵公司的经营数据" in text
        assert "第三十二条" in text
        assert "15个工作日" in text

    go(traveller, "2025-10-13")
    assert "暂停：征求第三方意见" in desk.page(team.office, application)

    desk.ok(
        desk.do(team.office, application, "consultation_answer", note="不同意公开", on="2025-10-13"),
        application,
    )
    page = desk.page(team.office, application)
    assert "计时中" in page
    assert "2025年11月6日" in page  # 2025-10-30 moved by the five working days paused
    assert "2025年10月30日" not in page


def test_it_suspends_and_resumes_with_a_letter_each_time(desk, team, traveller):
    application = desk.register(received_on="2025-09-26")
    go(traveller, "2025-09-29")

    assert "不可抗力事由" in desk.refused(
        desk.do(team.office, application, "suspend", reason=""), application
    )
    desk.ok(
        desk.do(team.office, application, "suspend", reason="台风“桦加沙”正面登陆，机关停止办公"), application
    )
    for text in desk.letter_texts(team.office, application, "中止通知书"):
        assert "台风“桦加沙”正面登陆，机关停止办公" in text
        assert "2025年9月29日" in text

    go(traveller, "2025-10-10")
    assert "暂停：不可抗力中止" in desk.page(team.office, application)
    desk.ok(desk.do(team.office, application, "resume"), application)

    page = desk.page(team.office, application)
    assert "计时中" in page
    # Paused 29 Sep – 10 Oct: 30 Sep, 9 and 10 Oct not counted, so the due date moves three working days.
    assert "2025年11月4日" in page
    for text in desk.letter_texts(team.office, application, "恢复办理通知书"):
        assert "2025年10月10日" in text
        assert "2025年11月4日" in text


def test_it_extends_with_the_leaders_approval_under_the_local_rules(desk, team, traveller):
    team.agency.rule_set = "seed-local"
    team.agency.save()
    application = desk.register(received_on="2025-09-26")
    forward(desk, application)
    go(traveller, "2025-10-20")

    refusal = desk.refused(
        desk.do(team.clerk, application, "extension_request", days="16", reason="需调取档案"), application
    )
    assert "延长期限最长不得超过15个工作日" in refusal
    assert not application.extensions.exists()

    desk.ok(
        desk.do(team.clerk, application, "extension_request", days="15", reason="需调取历年档案"), application
    )
    extension = application.extensions.get()
    decide = reverse("applications_staff:extension_decide", args=[application.pk, extension.pk])

    for outsider in (team.clerk, team.office):
        refusal = desk.refused(desk.post(outsider, decide, {"decision": "approve"}), application)
        assert "“批准延期”须由局领导办理" in refusal
    assert ExtensionRequest.objects.get(pk=extension.pk).state == "pending"
    assert "批准</button>" not in desk.page(team.office, application)

    desk.sign_in(team.leader)
    waiting = desk.client.get(reverse("applications_staff:queue")).content.decode()
    assert "待我审批的延期申请" in waiting
    assert application.query_code in waiting
    assert "批准</button>" in desk.page(team.leader, application)
    desk.ok(desk.post(team.leader, decide, {"decision": "approve"}), application)

    assert ExtensionRequest.objects.get(pk=extension.pk).state == "approved"
    page = desk.page(team.office, application)
    assert "2025年11月20日" in page  # 2025-10-30 + 15 working days
    assert "含延期15个工作日" in page
    for text in desk.letter_texts(team.office, application, "延期答复告知书"):
        assert "需调取历年档案" in text
        assert "15个工作日" in text
        assert "局领导" in text
        assert "2025年11月20日" in text

    # Nothing more: the 15 days are used up.
    refusal = desk.refused(
        desk.do(team.clerk, application, "extension_request", days="1", reason="仍需时间"), application
    )
    assert "合计16个工作日" in refusal


def test_it_extends_with_the_offices_approval_under_the_national_rules(desk, team, traveller):
    assert team.agency.rule_set == "national-2019"
    application = desk.register(received_on="2025-09-26")
    forward(desk, application)
    go(traveller, "2025-10-20")

    refusal = desk.refused(
        desk.do(team.clerk, application, "extension_request", days="21", reason="需调取档案"), application
    )
    assert "延长期限最长不得超过20个工作日" in refusal

    desk.ok(
        desk.do(team.clerk, application, "extension_request", days="20", reason="需调取历年档案"), application
    )
    extension = application.extensions.get()
    decide = reverse("applications_staff:extension_decide", args=[application.pk, extension.pk])
    refusal = desk.refused(desk.post(team.clerk, decide, {"decision": "approve"}), application)
    assert "政务公开工作机构负责人" in refusal

    desk.ok(desk.post(team.office, decide, {"decision": "approve"}), application)

    page = desk.page(team.office, application)
    assert "2025年11月27日" in page  # 2025-10-30 + 20 working days
    for text in desk.letter_texts(team.office, application, "延期答复告知书"):
        assert "政务公开工作机构负责人" in text
        assert "2025年11月27日" in text


def test_it_needs_a_reason_to_turn_an_extension_down(desk, team, traveller):
    application = desk.register(received_on="2025-09-26")
    forward(desk, application)
    desk.ok(desk.do(team.clerk, application, "extension_request", days="5", reason="需调取档案"), application)
    extension = application.extensions.get()
    decide = reverse("applications_staff:extension_decide", args=[application.pk, extension.pk])

    assert "“不批准延期”须填写理由" in desk.refused(
        desk.post(team.office, decide, {"decision": "reject"}), application
    )
    desk.ok(desk.post(team.office, decide, {"decision": "reject", "note": "期限内可以办结"}), application)

    extension.refresh_from_db()
    assert extension.state == "rejected"
    assert "期限内可以办结" in desk.page(team.office, application)
    assert not application.notices.filter(kind="extension").exists()
    assert "2025年10月30日" in desk.page(team.office, application)


def test_it_sends_a_returned_reply_back_to_the_department_with_the_reason(desk, team, traveller):
    application = desk.register(received_on="2025-09-26")
    forward(desk, application)
    desk.ok(desk.draft(team.clerk, application, "disclosed"), application)
    desk.ok(desk.act(team.clerk, application, "submit_reply"), application)
    desk.ok(desk.act(team.dept_head, application, "dept_approve"), application)

    assert "须填写理由" in desk.refused(desk.act(team.secrecy, application, "return"), application)
    desk.ok(desk.act(team.secrecy, application, "return", reason="答复内容含有内部文号，请删除"), application)

    assert desk.status(application) == "forwarded"
    assert "退回理由：答复内容含有内部文号，请删除" in desk.page(team.clerk, application)
    desk.ok(desk.draft(team.clerk, application, "disclosed", text="经检索，现提供有关信息。"), application)
    desk.ok(desk.act(team.clerk, application, "submit_reply"), application)
    assert "退回理由" not in desk.page(team.clerk, application)


def test_it_records_the_delivery_of_a_letter(desk, team, traveller):
    application = desk.register(received_on="2025-09-26")
    go(traveller, "2025-09-29")
    receipt = application.notices.get(kind="receipt")
    url = reverse("applications_staff:notice_delivered", args=[application.pk, receipt.pk])

    assert "送达方式" in desk.refused(
        desk.post(team.office, url, {"method": "", "on": "2025-09-29"}), application
    )
    assert "送达日期" in desk.refused(
        desk.post(team.office, url, {"method": "邮寄", "on": "2025-09-30"}), application
    )
    assert "送达日期" in desk.refused(
        desk.post(team.office, url, {"method": "邮寄", "on": "2025-09-25"}), application
    )
    desk.ok(
        desk.post(team.office, url, {"method": "邮寄", "proof": "EMS 1234567890", "on": "2025-09-29"}),
        application,
    )

    receipt.refresh_from_db()
    assert receipt.delivered_on == day("2025-09-29")
    assert receipt.delivery_method == "邮寄"
    assert "2025年9月29日 邮寄（EMS 1234567890）" in desk.page(team.office, application)


def test_it_records_an_appeal_about_a_reply_and_its_result(desk, team, traveller):
    application = desk.register(received_on="2025-09-26")
    url = reverse("applications_staff:appeal", args=[application.pk])
    appeal = {"kind": "reconsideration", "filed_on": "2025-10-20", "result": "pending", "note": ""}

    assert "不能执行“记录行政复议或行政诉讼”" in desk.refused(
        desk.post(team.office, url, appeal), application
    )

    reply_to(desk, application, "nd_process_info", withheld=WITHHELD)
    go(traveller, "2025-10-20")
    assert "审结日期" in desk.refused(
        desk.post(team.office, url, {**appeal, "result": "maintained"}), application
    )
    desk.ok(desk.post(team.office, url, appeal), application)
    record = application.appeals.get()
    assert record.result == "pending"

    desk.ok(
        desk.post(
            team.office,
            url,
            {**appeal, "appeal": record.pk, "result": "maintained", "decided_on": "2025-10-20"},
        ),
        application,
    )
    record.refresh_from_db()
    assert record.result == "maintained"
    assert application.appeals.count() == 1
    assert "行政复议（2025年10月20日）：结果维持，2025年10月20日审结" in desk.page(team.office, application)


def test_it_takes_the_applicants_satisfaction_from_the_status_page(desk, team, traveller):
    application = desk.register(received_on="2025-09-26")
    citizen = Client()
    lookup = {"query_code": application.query_code, "phone_tail": "5678"}

    early = citizen.post(reverse("applications:status"), lookup).content.decode()
    assert "请对本次答复作出评价" not in early

    reply_to(desk, application, "disclosed")
    page = citizen.post(reverse("applications:status"), lookup).content.decode()
    assert "已答复" in page
    assert "请对本次答复作出评价" in page

    response = citizen.post(
        reverse("applications:satisfaction"),
        {**lookup, "rating": "basically", "comment": "答复及时，希望更详细"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "感谢您的评价" in content
    assert "您已评价" in content
    assert application.satisfaction.rating == "basically"
    assert "申请人评价：基本满意——答复及时，希望更详细" in desk.page(team.office, application)

    again = citizen.post(reverse("applications:satisfaction"), {**lookup, "rating": "dissatisfied"})
    assert "您已评价过" in again.content.decode()
    application.refresh_from_db()
    assert application.satisfaction.rating == "basically"


def test_it_turns_a_disclosed_reply_into_a_catalogue_draft(desk, team, traveller):
    application = desk.register(received_on="2025-09-26")
    reply_to(desk, application, "disclosed")
    assert "转为主动公开" in desk.page(team.office, application)

    response = desk.do(team.office, application, "to_catalogue")

    item = Item.objects.get(agency=team.agency, source_note__contains=application.query_code)
    assert response.status_code == 302
    assert response["Location"] == reverse("catalogue_staff:detail", args=[item.pk])
    assert item.status == "draft"
    assert item.department == team.department
    assert DESCRIPTION[:20] in item.title
    assert "现将本机关掌握的有关情况答复如下" in item.body
    assert not item.is_public


def test_it_does_not_offer_a_refusal_for_the_catalogue(desk, team, traveller):
    application = desk.register(received_on="2025-09-26")
    reply_to(desk, application, "cp_not_held")

    assert "转为主动公开" not in desk.page(team.office, application)
    refusal = desk.refused(desk.do(team.office, application, "to_catalogue"), application)

    assert "只有已答复且予以公开" in refusal
    assert not Item.objects.filter(agency=team.agency).exists()


def test_it_turns_an_on_the_spot_reply_into_a_catalogue_draft(desk, team, traveller):
    application = desk.register(received_on="2025-09-26")
    desk.ok(desk.draft(team.office, application, "disclosed"), application)
    desk.ok(desk.act(team.office, application, "answer_on_spot"), application)
    assert "转为主动公开" in desk.page(team.office, application)

    response = desk.do(team.office, application, "to_catalogue")

    assert desk.errors(response) == []
    assert Item.objects.filter(agency=team.agency, source_note__contains=application.query_code).exists()


def test_it_keeps_every_letter_of_a_case_numbered_in_order(desk, team, traveller):
    application = desk.register(received_on="2025-09-26")
    go(traveller, "2025-09-29")
    desk.ok(
        desk.do(team.office, application, "consultation_start", third_party="某公司", matter="经营数据"),
        application,
    )
    desk.ok(desk.do(team.office, application, "consultation_answer", note="同意"), application)
    reply_to(desk, application, "disclosed")

    numbers = list(
        Notice.objects.filter(application=application).order_by("id").values_list("number", flat=True)
    )
    prefix = f"{team.agency.short_name}依申〔2025〕第"
    assert numbers == [f"{prefix}{n}号" for n in (1, 2, 3)]
    page = desk.page(team.office, application)
    for label in ("受理回执", "征求第三方意见函", "政府信息公开申请答复书"):
        assert desk.letters(team.office, application, label)
    for number in numbers:
        assert number in page


# Found while writing the journeys: each test says what should happen; the reason says what does.


def test_it_quotes_a_long_request_in_the_reply_without_cutting_it_silently(desk, team, traveller):
    description = "请公开以下信息：" + "；".join(
        f"第{n}项，2024年度第{n}批项目的资金拨付文件及验收报告" for n in range(1, 16)
    )
    assert 300 < len(description) <= 2000
    application = desk.register(received_on="2025-09-26", description=description)
    reply_to(desk, application, "disclosed")

    for text in desk.letter_texts(team.office, application, "政府信息公开申请答复书"):
        assert squash(description) in text or "……”" in text


@pytest.mark.parametrize("how", ["lapse", "fee_lapse"])
def test_it_writes_a_letter_when_it_closes_a_lapsed_request(desk, team, traveller, how):
    application = desk.register(received_on="2025-09-26")
    go(traveller, "2025-09-29")
    if how == "lapse":
        desk.ok(desk.act(team.office, application, "request_correction", reason="请补充"), application)
        go(traveller, "2025-10-21")
        desk.ok(desk.act(team.office, application, "lapse"), application)
    else:
        desk.ok(desk.do(team.office, application, "fee_notice", amount="10"), application)
        go(traveller, "2025-11-04")
        desk.ok(desk.do(team.office, application, "fee_lapse"), application)

    application.refresh_from_db()
    assert application.status == "closed"
    for text in desk.letter_texts(team.office, application, "政府信息公开申请答复书"):
        assert squash(outcome(application.outcome).basis) in text


@pytest.mark.parametrize("code", ["other_no_correction", "other_fee_unpaid"])
def test_it_keeps_the_lapse_outcomes_out_of_a_drafted_reply(desk, team, traveller, code):
    application = desk.register(received_on="2025-09-26")
    forward(desk, application)

    desk.refused(desk.draft(team.clerk, application, code), application)

    assert Application.objects.get(pk=application.pk).outcome == ""


def test_it_keeps_the_applicants_query_code_out_of_the_consultation_letter(desk, team, traveller):
    application = desk.register(received_on="2025-09-26")
    desk.ok(
        desk.do(team.office, application, "consultation_start", third_party="某公司", matter="经营数据"),
        application,
    )

    for text in desk.letter_texts(team.office, application, "征求第三方意见函"):
        assert application.query_code not in text
        assert application.name not in text


def test_it_cites_article_33_as_the_basis_of_an_extension(desk, team, traveller):
    application = desk.register(received_on="2025-09-26")
    forward(desk, application)
    desk.ok(
        desk.do(team.clerk, application, "extension_request", days="10", reason="需调取档案"), application
    )
    decide = reverse(
        "applications_staff:extension_decide", args=[application.pk, application.extensions.get().pk]
    )
    desk.ok(desk.post(team.office, decide, {"decision": "approve"}), application)

    for text in desk.letter_texts(team.office, application, "延期答复告知书"):
        assert "第三十三条" in text
        assert "第四十二条" not in text
        assert "第三十条（补正）" not in text


def test_it_drops_a_pending_extension_from_the_approvers_list_once_the_case_is_replied(desk, team, traveller):
    application = desk.register(received_on="2025-09-26")
    forward(desk, application)
    desk.ok(desk.do(team.clerk, application, "extension_request", days="5", reason="需调取档案"), application)
    desk.ok(desk.draft(team.clerk, application, "disclosed"), application)
    approve_chain(desk, application)
    desk.ok(desk.act(team.office, application, "issue_reply"), application)

    desk.sign_in(team.office)
    content = desk.client.get(reverse("applications_staff:queue")).content.decode()

    assert "待我审批的延期申请" not in content


def test_it_does_not_tell_the_applicant_the_reply_was_delivered_before_it_was(desk, team, traveller):
    application = desk.register(received_on="2025-09-26")
    reply_to(desk, application, "disclosed")
    assert application.notices.get(kind="reply").delivered_on is None

    page = Client().post(
        reverse("applications:status"), {"query_code": application.query_code, "phone_tail": "5678"}
    )

    assert "已答复" in page.content.decode()
    assert "送达。" not in page.content.decode()
