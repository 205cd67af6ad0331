"""Taking a request in: the public form, the office's registration form, the receipt and the status page.

A refused submission answers 200 with a clear Chinese message, keeps what was typed, and stores
nothing at all (no request, event, letter, audit row or file). A stored one shows its query code.
"""

import datetime
import io
import os
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from gongkai.applications import identity
from gongkai.applications.lookup import LOOKUP_LIMIT
from gongkai.applications.models import Application, ApplicationFile, CaseEvent, Notice
from gongkai.audit.models import AuditEvent
from gongkai.testing.files import minimal_pdf, pdf_upload

PDF_BYTES = minimal_pdf()
HTML_BYTES = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
NAME = "孙丽萍"
DESCRIPTION = "本镇2024年农村危房改造补助资金的发放名单和标准"
ID_NUMBER = identity.make_resident_id(datetime.date(1980, 5, 6))
BAD_ID_NUMBER = ID_NUMBER[:-1] + ("0" if ID_NUMBER[-1] != "0" else "1")
CREDIT_CODE = identity.make_credit_code()
BAD_CREDIT_CODE = CREDIT_CODE[:-1] + ("1" if CREDIT_CODE[-1] != "1" else "2")
# Passes GB 32100 (position 18) but not GB 11714 (positions 9-17): the check before issue 10 took it.
ORG_CHECK_ONLY_WRONG = "91440881MA4UKL2Y02"
# A valid 居民身份证 number whose 18th character also fits GB 32100.
ID_PASSING_GB32100 = "440881198511020258"
NOT_SUBMITTED = "申请未提交：请按提示修改标红的内容。已填写的内容都保留在表单中。"
NOT_SUBMITTED_FILES_LOST = (
    "申请未提交：请按提示修改标红的内容。已填写的文字内容保留在表单中；您选择的附件未保存，请重新选择文件。"
)
NOT_FOUND = "没有找到对应的申请。请核对查询码和联系电话后四位。"


pytestmark = pytest.mark.usefixtures("fresh_cache")


def natural(**overrides) -> dict:
    data = {
        "applicant_type": "natural",
        "name": NAME,
        "id_type": "resident_id",
        "id_number": ID_NUMBER,
        "phone": "13712345678",
        "address": "广东省阳江市阳东区东城镇建设路12号",
        "postcode": "529900",
        "email": "sunliping@example.com",
        "description": DESCRIPTION,
        "medium": "electronic",
        "delivery": "email",
    }
    return {**data, **overrides}


def legal(**overrides) -> dict:
    organisation = {
        "applicant_type": "legal",
        "name": "阳江市海岸线律师事务所",
        "id_type": "",
        "id_number": "",
        "org_type": "legal_service",
        "credit_code": CREDIT_CODE,
        "legal_representative": "周正",
        "contact_person": "黄律师",
    }
    return natural(**{**organisation, **overrides})


def stored_files(settings) -> list[str]:
    root = settings.MEDIA_ROOT
    if not os.path.isdir(root):
        return []
    return [os.path.join(d, f) for d, _, files in os.walk(root) for f in files]


def assert_nothing_stored(settings) -> None:
    assert Application.objects.count() == 0
    assert CaseEvent.objects.count() == 0
    assert Notice.objects.count() == 0
    assert ApplicationFile.objects.count() == 0
    assert not AuditEvent.objects.filter(action="application_submit").exists()
    assert stored_files(settings) == []


# Each bad submission: (what is wrong, the form data, the files, the message on the page).
BAD = [
    ("bad-id-check-digit", natural(id_number=BAD_ID_NUMBER), [], "身份证号码校验位不正确，请核对后重新填写"),
    ("short-id", natural(id_number=ID_NUMBER[:-2]), [], "身份证号码应为18位"),
    ("no-id-type", natural(id_type=""), [], "请选择证件类型。"),
    (
        "bad-credit-code",
        legal(credit_code=BAD_CREDIT_CODE),
        [],
        "统一社会信用代码校验位不正确，请核对后重新填写",
    ),
    ("credit-code-letter-o", legal(credit_code="O" + CREDIT_CODE[1:]), [], "统一社会信用代码含有无效字符：O"),
    (
        "credit-code-with-bad-organisation-check",
        legal(credit_code=ORG_CHECK_ONLY_WRONG),
        [],
        "统一社会信用代码第9至17位（组织机构代码）的校验位不正确，请核对后重新填写",
    ),
    (
        "id-number-as-credit-code",
        legal(credit_code=ID_PASSING_GB32100),
        [],
        "这像是居民身份证号码，不是统一社会信用代码",
    ),
    (
        "credit-code-as-id-number",
        natural(id_number=CREDIT_CODE),
        [],
        "这像是统一社会信用代码，不是居民身份证号码",
    ),
    ("no-contact-person", legal(contact_person=""), [], "请填写联系人。"),
    ("no-org-type", legal(org_type=""), [], "请选择组织类型。"),
    ("no-applicant-type", natural(applicant_type=""), [], "请选择申请人类型。"),
    ("no-name", natural(name=""), [], "请填写姓名或名称。"),
    ("no-phone", natural(phone=""), [], "请填写联系电话。"),
    ("bad-phone", natural(phone="12345"), [], "请填写有效的手机号码或固定电话"),
    ("bad-postcode", natural(postcode="5299"), [], "邮政编码应为6位数字。"),
    ("empty-description", natural(description=""), [], "请描述所需政府信息的内容。"),
    ("blank-description", natural(description="  \n  "), [], "请描述所需政府信息的内容。"),
    ("huge-description", natural(description="申" * 2001), [], "内容描述不能超过2000字，请精简或分次申请。"),
    ("email-without-address", natural(email=""), [], "选择电子邮件获取的，请填写电子邮箱。"),
    ("bad-email", natural(email="sunliping@"), [], "请填写有效的电子邮箱。"),
    ("post-without-address", natural(delivery="post", address=""), [], "选择邮寄的，请填写通信地址。"),
    (
        "disguised-attachment",
        natural(),
        [("伪装.pdf", HTML_BYTES)],
        "附件“伪装.pdf”的内容与扩展名“.pdf”不符，可能已损坏或被伪装，请检查后重新上传。",
    ),
    ("oversize-attachment", natural(), [("扫描件.pdf", PDF_BYTES + b"%" * 2048)], "超过1KB的大小限制"),
    ("unknown-attachment-type", natural(), [("程序.exe", b"MZ\x90\x00")], "不支持的附件类型“.exe”"),
    ("six-attachments", natural(), [(f"材料{i}.pdf", PDF_BYTES) for i in range(6)], "最多上传5个附件。"),
]


def upload(files: list[tuple[str, bytes]]) -> list[SimpleUploadedFile]:
    return [pdf_upload(name, content) for name, content in files]


def kept_values(data: dict) -> list[str]:
    """What the person typed that must still be in the form when it comes back."""
    values = [data["name"], data["phone"], data["description"].strip()]
    if data.get("credit_code"):
        values.append(data["credit_code"])
    elif data.get("id_number"):
        values.append(data["id_number"])
    return [v for v in values if v]


@pytest.mark.parametrize(("data", "files", "message"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_it_refuses_a_bad_online_application_and_keeps_what_was_typed(
    client, team, settings, data, files, message
):
    settings.ATTACHMENT_MAX_BYTES = 1024

    response = client.post(
        reverse("applications:apply"), {**data, "agency": team.agency.pk, "files": upload(files)}
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    # Browsers drop chosen files from a form shown again: it must not claim everything was kept.
    assert (NOT_SUBMITTED_FILES_LOST if files else NOT_SUBMITTED) in content
    if files:
        assert "您选择的附件未保存，请重新选择文件" in content
        assert NOT_SUBMITTED not in content
    for value in kept_values(data):
        assert value in content, value
    assert f'<option value="{team.agency.pk}" selected>' in content
    assert_nothing_stored(settings)


@pytest.mark.parametrize(("data", "files", "message"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_it_refuses_a_bad_window_registration_and_keeps_what_was_typed(
    client, team, settings, data, files, message
):
    settings.ATTACHMENT_MAX_BYTES = 1024
    client.force_login(team.office)

    response = client.post(
        reverse("applications_staff:register"),
        {
            **data,
            "agency": team.agency.pk,
            "channel": "post",
            "received_on": timezone.localdate().isoformat(),
            "files": upload(files),
        },
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert "请按提示修改标红的内容。" in content
    for value in kept_values(data):
        assert value in content, value
    assert 'value="post" selected' in content
    assert_nothing_stored(settings)


@pytest.mark.parametrize(
    ("received_on", "message"),
    [
        ("", "请填写收到申请的日期。"),
        ("2025-02-30", "日期格式不正确。"),
        ("tomorrow", "收到申请的日期不能晚于今天。"),
    ],
    ids=["missing", "impossible", "tomorrow"],
)
def test_it_needs_a_real_received_date_to_register(client, team, settings, received_on, message):
    if received_on == "tomorrow":
        received_on = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    client.force_login(team.office)

    response = client.post(
        reverse("applications_staff:register"),
        {**natural(), "agency": team.agency.pk, "channel": "window", "received_on": received_on},
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert NAME in content
    assert_nothing_stored(settings)


def test_it_does_not_take_an_online_application_for_an_inactive_agency(client, team, settings):
    team.agency.is_active = False
    team.agency.save()

    response = client.post(reverse("applications:apply"), {**natural(), "agency": team.agency.pk})

    assert response.status_code == 200
    assert "请选择受理机关。" in response.content.decode()
    assert_nothing_stored(settings)


def test_it_reports_every_problem_in_one_go(client, team, settings):
    response = client.post(
        reverse("applications:apply"),
        {**natural(phone="", id_number=BAD_ID_NUMBER), "agency": team.agency.pk},
    )

    content = response.content.decode()
    assert "请填写联系电话。" in content
    assert "身份证号码校验位不正确" in content


# A stored submission


def test_it_stores_an_online_application_and_shows_its_query_code(client, team, settings):
    response = client.post(
        reverse("applications:apply"),
        {**natural(), "agency": team.agency.pk, "files": [pdf_upload("身份证复印件.pdf")]},
        follow=True,
    )

    assert response.status_code == 200
    application = Application.objects.get()
    assert response.redirect_chain == [(reverse("applications:receipt", args=[application.query_code]), 302)]
    content = response.content.decode()
    assert "申请已提交" in content
    assert application.query_code in content
    assert f"{application.received_on.year}年{application.received_on.month}月" in content
    assert application.channel == "online"
    assert application.received_on == timezone.localdate()
    assert application.id_number == ID_NUMBER
    assert [e.kind for e in application.events.all()] == ["received"]
    assert [n.kind for n in application.notices.all()] == ["receipt"]
    stored = application.files.get()
    assert stored.original_name == "身份证复印件.pdf"
    assert stored.size == len(PDF_BYTES)
    assert len(stored_files(settings)) == 2  # the attachment and the receipt DOCX (PDF on download)
    assert "no-store" in response["Cache-Control"]


def test_it_normalises_identity_numbers_typed_with_a_chinese_keyboard(client, team):
    full_width_id = ID_NUMBER.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789X"})

    client.post(
        reverse("applications:apply"),
        {**natural(id_number=full_width_id, phone="137 1234 5678"), "agency": team.agency.pk},
    )

    application = Application.objects.get()
    assert application.id_number == ID_NUMBER
    assert application.phone == "13712345678"


def test_it_gives_the_receipt_pdf_only_to_the_browser_that_applied(client, team):
    client.post(reverse("applications:apply"), {**natural(), "agency": team.agency.pk})
    application = Application.objects.get()
    receipt_url = reverse("applications:receipt", args=[application.query_code])
    pdf_url = reverse("applications:receipt_pdf", args=[application.query_code])

    page = client.get(receipt_url).content.decode()
    assert pdf_url in page
    response = client.get(pdf_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    text = re.sub(
        r"[\s\x00]+", "", PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages[0].extract_text()
    )
    assert "受理回执" in text
    assert application.query_code in text
    assert NAME in text

    stranger = Client()
    assert stranger.get(receipt_url).status_code == 404
    assert stranger.get(pdf_url).status_code == 404


# The status page


def lookup(client, code: str, tail: str):
    return client.post(reverse("applications:status"), {"query_code": code, "phone_tail": tail})


@pytest.fixture
def applied(team) -> Application:
    Client().post(reverse("applications:apply"), {**natural(), "agency": team.agency.pk})
    return Application.objects.get()


def test_it_shows_the_status_for_the_right_code_and_phone_digits(client, applied):
    response = lookup(client, applied.query_code.lower(), "5678")

    assert response.status_code == 200
    content = response.content.decode()
    assert "办理情况" in content
    assert "已受理" in content
    assert applied.agency.name in content
    assert "no-store" in response["Cache-Control"]
    # Nothing personal on the public page.
    assert NAME not in content
    assert "13712345678" not in content
    assert ID_NUMBER not in content


def test_it_gives_the_same_answer_for_a_wrong_code_and_a_wrong_phone(client, applied):
    wrong_tail = lookup(client, applied.query_code, "1234")
    wrong_code = lookup(client, "23456789ABCD", "5678")

    assert wrong_tail.status_code == wrong_code.status_code == 404
    for response in (wrong_tail, wrong_code):
        content = response.content.decode()
        assert NOT_FOUND in content
        assert "办理情况" not in content
        assert applied.agency.name not in content


def test_it_refuses_a_client_after_too_many_wrong_guesses(client, applied):
    for n in range(LOOKUP_LIMIT):
        assert lookup(client, f"23456789{n:04d}", "5678").status_code == 404

    refused = lookup(client, "23456789ABCD", "5678")
    assert refused.status_code == 429
    assert "查询失败次数过多，请15分钟后再试。" in refused.content.decode()

    # The right code is refused too until the window passes: guessing must not pay.
    assert lookup(client, applied.query_code, "5678").status_code == 429
    satisfaction = client.post(
        reverse("applications:satisfaction"),
        {"query_code": applied.query_code, "phone_tail": "5678", "rating": "satisfied"},
    )
    assert satisfaction.status_code == 429


def test_it_counts_wrong_guesses_per_client(applied):
    guesser = Client(REMOTE_ADDR="203.0.113.7")
    for n in range(LOOKUP_LIMIT):
        lookup(guesser, f"23456789{n:04d}", "5678")
    assert lookup(guesser, applied.query_code, "5678").status_code == 429

    applicant = Client(REMOTE_ADDR="198.51.100.23")
    assert lookup(applicant, applied.query_code, "5678").status_code == 200


def test_it_asks_for_the_four_phone_digits_in_chinese(client, applied):
    response = lookup(client, applied.query_code, "56a8")

    assert response.status_code == 200
    assert "请填写联系电话的后四位数字。" in response.content.decode()


def test_it_does_not_take_a_rating_before_the_reply(client, applied):
    response = client.post(
        reverse("applications:satisfaction"),
        {"query_code": applied.query_code, "phone_tail": "5678", "rating": "satisfied"},
    )

    assert "申请答复后才能评价" in response.content.decode()
    assert not hasattr(Application.objects.get(pk=applied.pk), "satisfaction")
