"""Personal data typed into free text: masked for staff as the structured fields are, and the reply's
confidentiality review is warned about it."""

import datetime
import io
from zoneinfo import ZoneInfo

import docx
import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from gongkai.applications import identity, reminders, services
from gongkai.applications.models import Application, NoticeKind
from gongkai.applications.workflow import Action, Status, TransitionRefused
from gongkai.audit.models import AuditEvent
from gongkai.core.review_findings import DECISION_MISSING, Decision
from gongkai.testing import builders
from gongkai.testing.pages import staff_page

CHINA = ZoneInfo("Asia/Shanghai")
TODAY = datetime.date(2025, 11, 20)
ID_NUMBER = identity.make_resident_id(datetime.date(1980, 5, 6))
OWN_PHONE = "13812345678"
# Typed into the description: another ID and mobile, a landline, a card number and a house number.
TYPED_ID = "11010519491231002X"
TYPED_MOBILE = "13900001111"
TYPED_LANDLINE = "0759-3212345"
DESCRIPTION = (
    f"我是张三，身份证{TYPED_ID}，手机{TYPED_MOBILE}，座机{TYPED_LANDLINE}，"
    "家住东风二路18号。申请公开2025年城乡低保发放名单（文号阳府〔2025〕12号）。"
)
SECRETS = (TYPED_ID, TYPED_MOBILE, TYPED_LANDLINE, "东风二路18号")


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(datetime.datetime(2025, 11, 20, 10, tzinfo=CHINA), tick=False):
        yield


def _submit(team, description: str = DESCRIPTION, **extra) -> Application:
    return builders.register(
        team,
        received_on=TODAY,
        name="张三",
        id_number=ID_NUMBER,
        phone=OWN_PHONE,
        description=description,
        **extra,
    )


def _forwarded(team, description: str = DESCRIPTION) -> Application:
    return builders.forward(team, _submit(team, description))


# -- masking -------------------------------------------------------------------------------------


def test_another_staff_member_sees_the_description_masked_on_the_queue_and_case_page(client, team):
    application = _forwarded(team)
    # other_clerk: same agency, another department, does not handle the case.
    assert not services.handles_case(team.other_clerk, application)
    for url in (
        reverse("applications_staff:queue") + "?queue=open",
        reverse("applications_staff:detail", args=[application.pk]),
    ):
        page = staff_page(client, team.other_clerk, url)
        for secret in SECRETS:
            assert secret not in page, (url, secret)
    page = staff_page(client, team.other_clerk, reverse("applications_staff:detail", args=[application.pk]))
    assert "139****1111" in page and "110105********002X" in page and "0759-*****45" in page
    assert "阳府〔2025〕12号" in page  # ordinary text stays as typed
    assert "查看完整个人信息" not in page
    client.force_login(team.other_clerk)
    response = client.post(reverse("applications_staff:unmask", args=[application.pk]))
    assert response.status_code == 403


def test_staff_of_another_agency_see_nothing_of_the_case(client, team, other_team):
    application = _forwarded(team)
    client.force_login(other_team.office)
    assert client.get(reverse("applications_staff:detail", args=[application.pk])).status_code == 404
    page = staff_page(client, other_team.office, reverse("applications_staff:queue") + "?queue=open")
    assert application.query_code not in page and TYPED_MOBILE not in page
    for fmt in ("pdf", "docx"):
        notice = application.notices.get(kind=NoticeKind.RECEIPT)
        url = reverse("applications_staff:notice_file", args=[application.pk, notice.pk, fmt])
        assert client.get(url).status_code == 404


def test_a_handler_sees_it_masked_by_default_and_in_full_after_the_audited_reveal(client, team):
    application = _forwarded(team)
    url = reverse("applications_staff:detail", args=[application.pk])
    page = staff_page(client, team.clerk, url)
    assert TYPED_MOBILE not in page and "139****1111" in page
    client.post(reverse("applications_staff:unmask", args=[application.pk]))
    page = client.get(url).content.decode()
    assert TYPED_MOBILE in page and TYPED_ID in page
    assert AuditEvent.objects.filter(action="personal_data_view", actor=team.clerk).count() == 1
    page = client.get(url).content.decode()  # a reveal lasts one page
    assert TYPED_MOBILE not in page


def _docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def _pdf_text(data: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return text.replace("\x00", "")


def _download(client, application, notice, fmt: str, full: bool = False):
    url = reverse("applications_staff:notice_file", args=[application.pk, notice.pk, fmt])
    return client.get(url + ("?full=1" if full else ""))


def test_the_receipt_staff_download_is_masked_and_the_full_one_is_for_handlers_audited(client, team):
    application = _forwarded(team)
    notice = application.notices.get(kind=NoticeKind.RECEIPT)
    assert TYPED_MOBILE in notice.text  # the applicant's own receipt quotes their text as typed

    client.force_login(team.other_clerk)
    for fmt, read in (("docx", _docx_text), ("pdf", _pdf_text)):
        response = _download(client, application, notice, fmt)
        assert response.status_code == 200
        text = read(b"".join(response.streaming_content))
        assert "139****1111" in text.replace(" ", "")
        for secret in (TYPED_ID, TYPED_MOBILE):
            assert secret not in text.replace(" ", "")
    assert _download(client, application, notice, "docx", full=True).status_code == 403

    client.force_login(team.office)
    response = _download(client, application, notice, "docx", full=True)
    assert TYPED_MOBILE in _docx_text(b"".join(response.streaming_content))
    event = AuditEvent.objects.get(action="personal_data_view", actor=team.office)
    assert notice.number in event.data["what"]


def test_the_applicants_own_receipt_shows_their_text(client, team):
    response = client.post(
        reverse("applications:apply"),
        {
            "agency": team.agency.pk,
            "applicant_type": "natural",
            "name": "张三",
            "id_type": "resident_id",
            "id_number": ID_NUMBER,
            "phone": OWN_PHONE,
            "description": DESCRIPTION,
            "medium": "paper",
            "delivery": "pickup",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    application = Application.objects.get()
    pdf = client.get(reverse("applications:receipt_pdf", args=[application.query_code]))
    assert TYPED_MOBILE in _pdf_text(b"".join(pdf.streaming_content)).replace(" ", "")


def test_satisfaction_comments_and_reminder_subjects_are_masked(client, team):
    application = _submit(team, description=f"请联系{TYPED_LANDLINE}，卡号6222021234567890128退费")
    assert TYPED_LANDLINE not in reminders.request_subject(application)
    assert "0759-*****45" in reminders.request_subject(application)
    services.reply_draft_save(
        actor=team.office, application=application, outcome_code="disclosed", reply_text="现予公开。"
    )
    application = services.application_transition(
        actor=team.office, application=application, action=Action.ANSWER_ON_SPOT
    )
    services.satisfaction_submit(application=application, rating="satisfied", comment=f"有事打{TYPED_MOBILE}")
    page = staff_page(client, team.other_clerk, reverse("applications_staff:detail", args=[application.pk]))
    assert TYPED_MOBILE not in page and "139****1111" in page


def test_a_reply_turned_into_a_catalogue_draft_carries_no_identifier_in_its_title(team):
    application = _submit(team, description=f"本人{TYPED_MOBILE}申请低保名单")
    services.reply_draft_save(
        actor=team.office, application=application, outcome_code="disclosed", reply_text="现予公开。"
    )
    application = services.application_transition(
        actor=team.office, application=application, action=Action.ANSWER_ON_SPOT
    )
    item = services.reply_to_catalogue(actor=team.office, application=application)
    assert TYPED_MOBILE not in item.title and "139****1111" in item.title


# -- the reply's confidentiality review ---------------------------------------------------------


def _in_secrecy_review(team, reply_text: str) -> Application:
    application = _submit(team, description="申请公开2025年低保名单")
    return builders.advance_case(team, application, to="secrecy_review", text=reply_text)


def test_a_reply_with_personal_data_needs_the_reviewers_recorded_decision(client, team):
    application = _in_secrecy_review(team, f"经查，低保对象李四（电话{TYPED_MOBILE}）的信息如下。")
    with pytest.raises(TransitionRefused) as refused:
        services.application_transition(
            actor=team.secrecy, application=application, action=Action.SECRECY_APPROVE
        )
    assert refused.value.message == DECISION_MISSING

    page = staff_page(client, team.secrecy, reverse("applications_staff:detail", args=[application.pk]))
    assert "保密审查提示" in page and "答复内容" in page and "已核对上述提示，确认可以公开" in page
    client.post(reverse("applications_staff:action", args=[application.pk]), {"action": "secrecy_approve"})
    assert Application.objects.get(pk=application.pk).status == Status.SECRECY_REVIEW

    client.post(
        reverse("applications_staff:action", args=[application.pk]),
        {"action": "secrecy_approve", "findings_confirmed": "on", "findings_note": "申请人本人的电话"},
    )
    assert Application.objects.get(pk=application.pk).status == Status.APPROVED
    event = AuditEvent.objects.get(action="application_secrecy_approve")
    assert event.data["findings_note"] == "申请人本人的电话"
    assert event.data["findings_acknowledged"][0]["label"] == "手机号码"
    assert TYPED_MOBILE not in str(event.data)


def test_a_reply_without_personal_data_passes_as_before(team):
    application = _in_secrecy_review(team, "经查，该信息已主动公开，请登录政务公开网站查阅。")
    application = services.application_transition(
        actor=team.secrecy, application=application, action=Action.SECRECY_APPROVE
    )
    assert application.status == Status.APPROVED


def test_the_leader_decides_too_when_the_reply_goes_up(team):
    application = builders.advance_case(
        team,
        _submit(team, description="申请公开低保名单"),
        to="secrecy_review",
        outcome="partial",
        text=f"部分公开。联系人手机{TYPED_MOBILE}。",
        withheld_note="涉及个人隐私的部分不予公开",
    )
    decision = Decision(confirmed=True)
    application = services.application_transition(
        actor=team.secrecy, application=application, action=Action.SECRECY_APPROVE, decision=decision
    )
    assert application.status == Status.LEADER_REVIEW
    with pytest.raises(TransitionRefused):
        services.application_transition(actor=team.leader, application=application, action=Action.LEADER_SIGN)
    application = services.application_transition(
        actor=team.leader, application=application, action=Action.LEADER_SIGN, decision=decision
    )
    assert application.status == Status.APPROVED
