"""Letters read as a county office sends them (issue 13, point 6).

- 您 for a natural person, 你单位 for an organisation — in the templates and in the legal-basis wording;
- 经审查 said once, though the template and the staff's reply text (or a basis) both say it;
- the remedies sentence names the agency's 复议机关 and court (the generic sentence when not set);
- a quoted request ending in 。 never prints “……。”。;
- the corrected request (补正) is recorded with its files, audited, and cited by the letters after it;
- the reply lists the disclosed information sent with it on a 附件 line, in the PDF and the DOCX.

Each is checked on the letters staff download from the case page, through the page's own forms.
"""

import datetime
import io
import re
import zipfile
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from gongkai.applications import identity
from gongkai.applications.letters import REMEDIES, address, once_reviewed, quote, remedies, tidy
from gongkai.applications.models import Application, ApplicationFile, Notice, NoticeTemplate
from gongkai.audit.models import AuditEvent
from gongkai.testing import builders
from gongkai.testing.files import pdf_upload

CHINA = ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 3, 2, 10, tzinfo=CHINA)
ENDS_IN_STOP = "请公开本县2025年城乡低保资金发放明细。"
ORGANISATION = {
    "applicant_type": "legal",
    "name": "阳江市海晨贸易有限公司",
    "id_type": "",
    "id_number": "",
    "org_type": "commercial",
    "credit_code": identity.make_credit_code(),
    "legal_representative": "陈海",
    "contact_person": "王小燕",
}


def squash(text: str) -> str:
    return re.sub(r"[\s\x00]+", "", text)


def pdf_text(data: bytes) -> str:
    text = squash("".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))
    return re.sub(r"—\d+—", "", text)  # the page footers, wherever a page broke


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return squash("".join(parts))


def downloaded(client, user, notice: Notice) -> tuple[str, str]:
    """(DOCX text, PDF text) of the letter as issued, from the case page's download links."""
    client.force_login(user)
    texts = []
    for fmt in ("docx", "pdf"):
        url = reverse("applications_staff:notice_file", args=[notice.application_id, notice.pk, fmt])
        response = client.get(f"{url}?full=1")
        assert response.status_code == 200
        data = b"".join(response.streaming_content)
        texts.append(docx_text(data) if fmt == "docx" else pdf_text(data))
    return texts[0], texts[1]


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def reply_of(team, application: Application, text: str = builders.REPLY_TEXT, outcome: str = "disclosed"):
    builders.advance_case(team, application, to="replied", outcome=outcome, text=text)
    return Notice.objects.filter(application=application, kind="reply").get()


# -- pure -----------------------------------------------------------------------------------------


def test_the_address_follows_the_applicant_type():
    template = "本机关收到您（单位）提交的申请，请您补正。"
    assert address(template, organisation=False) == "本机关收到您提交的申请，请您补正。"
    assert address(template, organisation=True) == "本机关收到你单位提交的申请，请你单位补正。"


def test_review_is_said_once():
    paragraphs = [
        "申请收悉。经审查，现答复如下：",
        "经审查，您申请的信息予以公开。",
        "经审查经审查，另告知如下。",
    ]
    assert once_reviewed(paragraphs) == [
        "申请收悉。经审查，现答复如下：",
        "您申请的信息予以公开。",
        "另告知如下。",
    ]


def test_a_quoted_text_carries_no_stop_of_its_own():
    assert quote(ENDS_IN_STOP) == "“请公开本县2025年城乡低保资金发放明细”"
    assert tidy("申请内容为：“明细。”。") == "申请内容为：“明细”。"
    assert tidy("（申请内容：“明细。”）收悉。") == "（申请内容：“明细”）收悉。"
    assert tidy("他说：“好。”") == "他说：“好。”"  # a stop closing a quoted sentence stays


def test_the_remedies_name_the_configured_bodies_or_stay_generic():
    assert remedies("", "") == REMEDIES
    assert remedies("示范县人民政府", "示范县人民法院") == (
        "如对本答复不服，可以自收到本答复之日起六十日内向示范县人民政府申请行政复议，"
        "或者自收到本答复之日起六个月内向示范县人民法院提起行政诉讼。"
    )


# -- the letters ----------------------------------------------------------------------------------


def test_a_person_is_addressed_as_您(client, team, frozen):
    application = builders.register(team, description=ENDS_IN_STOP)
    receipt = application.notices.get(kind="receipt")
    assert "收到您提交的政府信息公开申请" in receipt.text
    assert "您（单位）" not in receipt.text and "你单位" not in receipt.text
    reply = reply_of(team, application)
    docx, pdf = downloaded(client, team.office, reply)
    for text in (reply.text, docx, pdf):
        assert "您于2026年3月2日提交的政府信息公开申请" in squash(text)
        assert "您（单位）" not in text


def test_an_organisation_is_addressed_as_你单位_in_the_template_and_the_basis(client, team, frozen):
    application = builders.register(team, **ORGANISATION)
    receipt = application.notices.get(kind="receipt")
    assert "收到你单位提交的政府信息公开申请" in receipt.text
    assert "你单位可凭查询码" in receipt.text
    reply = reply_of(team, application, outcome="cp_not_held", text="本机关未制作该信息。")
    docx, pdf = downloaded(client, team.office, reply)
    for text in (reply.text, docx, pdf):
        text = squash(text)
        assert "你单位于2026年3月2日提交的政府信息公开申请" in text
        assert "本机关不掌握你单位申请公开的政府信息" in text  # the outcome's legal basis, adapted
        assert "您" not in text


def test_an_older_stored_template_saying_您单位_is_adapted(team, frozen):
    NoticeTemplate.objects.create(
        agency=team.agency, kind="receipt", body="{申请人}：本机关已收到您（单位）的申请，请您留意查询。"
    )
    person = builders.register(team)
    organisation = builders.register(team, **ORGANISATION)
    assert "已收到您的申请，请您留意查询。" in person.notices.get(kind="receipt").text
    assert "已收到你单位的申请，请你单位留意查询。" in organisation.notices.get(kind="receipt").text


def test_the_reply_says_经审查_once(client, team, frozen):
    application = builders.register(team)
    reply = reply_of(team, application, text="经审查，您申请的信息属于本机关公开职责范围，现予公开。")
    docx, pdf = downloaded(client, team.office, reply)
    for text in (reply.text, docx, pdf):
        assert squash(text).count("经审查") == 1
        assert "经审查经审查" not in squash(text)


def test_the_remedies_sentence_names_the_reconsideration_body_and_the_court(client, team, frozen):
    team.agency.reconsideration_body = "示范县人民政府"
    team.agency.court = "示范县人民法院"
    team.agency.save()
    reply = reply_of(team, builders.register(team))
    expected = (
        "如对本答复不服，可以自收到本答复之日起六十日内向示范县人民政府申请行政复议，"
        "或者自收到本答复之日起六个月内向示范县人民法院提起行政诉讼。"
    )
    docx, pdf = downloaded(client, team.office, reply)
    assert expected in reply.text
    assert squash(expected) in docx and squash(expected) in pdf
    assert REMEDIES not in reply.text


def test_without_configured_bodies_the_generic_remedies_sentence_stays(team, frozen):
    reply = reply_of(team, builders.register(team))
    assert REMEDIES in reply.text


def test_an_older_stored_reply_template_gets_the_configured_remedies(team, frozen):
    team.agency.reconsideration_body = "示范县人民政府"
    team.agency.court = "示范县人民法院"
    team.agency.save()
    NoticeTemplate.objects.create(agency=team.agency, kind="reply", body="{答复内容}\n" + REMEDIES)
    reply = reply_of(team, builders.register(team))
    assert "向示范县人民政府申请行政复议" in reply.text and REMEDIES not in reply.text


def test_a_request_ending_in_a_stop_is_quoted_without_a_doubled_stop(client, team, frozen):
    application = builders.register(team, description=ENDS_IN_STOP)
    receipt = application.notices.get(kind="receipt")
    reply = reply_of(team, application)
    for notice in (receipt, reply):
        docx, pdf = downloaded(client, team.office, notice)
        for text in (notice.text, docx, pdf):
            assert "。”。" not in text and "。”）" not in text
            assert "“请公开本县2025年城乡低保资金发放明细”" in text


# -- the corrected request ----------------------------------------------------------------------


def test_the_corrected_request_is_recorded_with_its_files_and_cited_by_the_reply(client, team, frozen):
    application = builders.register(team, description="低保的那些材料。")
    client.force_login(team.office)
    url = reverse("applications_staff:action", args=[application.pk])
    response = client.post(url, {"action": "request_correction", "reason": "请说明所需信息的年度和范围。"})
    assert response.status_code == 302
    page = client.get(reverse("applications_staff:detail", args=[application.pk])).content.decode()
    form = page[
        page.index('value="receive_correction"') - 400 : page.index('value="receive_correction"') + 1500
    ]
    assert 'enctype="multipart/form-data"' in form
    assert 'name="corrected_description"' in form and 'type="file" name="files"' in form
    frozen.move_to(NOW + datetime.timedelta(days=3))
    client.force_login(team.office)  # a new day, a new session
    corrected = "本县2025年第四季度城乡低保资金发放明细表。"
    response = client.post(
        url,
        {
            "action": "receive_correction",
            "on": "2026-03-05",
            "corrected_description": corrected,
            "files": [pdf_upload("补正说明.pdf")],
            "reason": "",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("applications_staff:detail", args=[application.pk])
    assert "已收到补正材料" in " ".join(m.message for m in get_messages(response.wsgi_request))

    application.refresh_from_db()
    assert application.status == "registered"
    assert application.corrected_description == corrected
    assert application.corrected_on == datetime.date(2026, 3, 5)
    stored = ApplicationFile.objects.get(application=application, stage="correction")
    assert stored.original_name == "补正说明.pdf"
    event = AuditEvent.objects.get(action="application_receive_correction")
    assert event.data["corrected_description"] == corrected
    assert event.data["correction_files"] == ["补正说明.pdf"]
    page = client.get(reverse("applications_staff:detail", args=[application.pk])).content.decode()
    assert "补正后的申请内容" in page and "补正说明.pdf" in page

    reply = reply_of(team, application)
    cited = (
        "您于2026年3月2日提交的政府信息公开申请"
        "（补正后的申请内容：“本县2025年第四季度城乡低保资金发放明细表”）"
    )
    docx, pdf = downloaded(client, team.office, reply)
    assert cited in reply.text
    assert squash(cited) in docx and squash(cited) in pdf
    assert "低保的那些材料" not in reply.text


def test_a_refused_correction_file_changes_nothing(client, team, frozen):
    application = builders.register(team)
    client.force_login(team.office)
    url = reverse("applications_staff:action", args=[application.pk])
    client.post(url, {"action": "request_correction", "reason": "请说明年度。"})
    fake = pdf_upload("伪装.pdf", content=b"MZ not a pdf at all")
    response = client.post(
        url, {"action": "receive_correction", "corrected_description": "2025年度", "files": [fake]}
    )
    assert response.status_code == 200  # the page again, the corrected text as typed
    assert "2025年度" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "awaiting_correction"
    assert application.corrected_description == "" and application.corrected_on is None
    assert not ApplicationFile.objects.filter(stage="correction").exists()


# -- the reply's attachments ----------------------------------------------------------------------


def test_the_reply_lists_its_attachments_before_the_signature(client, team, frozen):
    application = builders.forward(team, builders.register(team))
    clerk = team.clerk
    builders.draft_reply(clerk, application)
    client.force_login(clerk)
    response = client.post(
        reverse("applications_staff:reply_attachment_add", args=[application.pk]),
        {"attachments": [pdf_upload("2025年低保资金发放明细.pdf"), pdf_upload("审计报告.pdf")]},
    )
    assert response.status_code == 302
    assert [a.original_name for a in application.reply_attachments.all()] == [
        "2025年低保资金发放明细.pdf",
        "审计报告.pdf",
    ]
    assert AuditEvent.objects.filter(action="reply_attachment_add").exists()

    reply = reply_of(team, application)
    assert "附件：1. 2025年低保资金发放明细.pdf\n2. 审计报告.pdf" in reply.text
    docx, pdf = downloaded(client, team.office, reply)
    agency = team.agency.name
    for text in (docx, pdf):
        at = text.index("附件：1.2025年低保资金发放明细.pdf2.审计报告.pdf")
        assert text.index(squash(REMEDIES)) < at < text.rindex(agency)
    # The attachment itself is downloadable from the case page.
    attachment = application.reply_attachments.first()
    link = reverse("applications_staff:reply_attachment", args=[application.pk, attachment.pk])
    assert link in client.get(reverse("applications_staff:detail", args=[application.pk])).content.decode()
    assert client.get(link).status_code == 200


def test_another_agency_cannot_attach_or_download(client, team, other_team, frozen):
    application = builders.register(team)
    client.force_login(other_team.office)
    response = client.post(
        reverse("applications_staff:reply_attachment_add", args=[application.pk]),
        {"attachments": [pdf_upload("x.pdf")]},
    )
    assert response.status_code == 404
    assert not application.reply_attachments.exists()


# -- the receipt ------------------------------------------------------------------------------------

LONG_REQUEST = (
    "请公开本县2025年度城乡居民最低生活保障资金的发放明细，包括各乡镇发放人数、发放金额、资金来源、审批程序、"
    "公示情况以及对不符合条件人员的清退情况，并提供县财政局拨付低保资金的相关文件、会议纪要和审计报告。"
) * 4


@pytest.mark.parametrize("who", [{}, ORGANISATION])
def test_the_receipt_of_a_long_application_fits_on_one_page(client, team, frozen, who):
    team.agency.phone = "0662-3456789"
    team.agency.save()
    application = builders.register(team, description=LONG_REQUEST, **who)
    receipt = application.notices.get(kind="receipt")
    client.force_login(team.office)
    url = reverse("applications_staff:notice_file", args=[application.pk, receipt.pk, "pdf"])
    data = b"".join(client.get(f"{url}?full=1").streaming_content)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    text = squash(reader.pages[0].extract_text())
    assert text.endswith("—1—")
    assert "申请内容为：“请公开本县2025年度" in text and "……”。" in text
    assert team.agency.name + "2026年3月2日" in text  # the signature, on the same page
    assert "联系电话：0662-3456789" in text


# -- metadata ---------------------------------------------------------------------------------------

TRACES = (b"python-docx", b"fpdf", b"FPDF", b"reportlab", b"ReportLab", b"Microsoft", b"openpyxl", b"2013-")


@pytest.mark.parametrize("full", [True, False])
def test_every_letter_file_names_the_agency_and_its_generation_time(client, team, frozen, full):
    application = builders.register(team)
    reply = reply_of(team, application)
    client.force_login(team.office)
    for notice in (application.notices.get(kind="receipt"), reply):
        for fmt in ("docx", "pdf"):
            url = reverse("applications_staff:notice_file", args=[application.pk, notice.pk, fmt])
            data = b"".join(client.get(url + ("?full=1" if full else "")).streaming_content)
            if fmt == "docx":
                core = Document(io.BytesIO(data)).core_properties
                assert core.author == core.last_modified_by == team.agency.name
                assert core.title == notice.get_kind_display()
                assert core.created == core.modified == NOW
                with zipfile.ZipFile(io.BytesIO(data)) as package:
                    meta = b"".join(package.read(n) for n in package.namelist() if n.startswith("docProps/"))
            else:
                info = PdfReader(io.BytesIO(data)).metadata
                assert info["/Author"] == info["/Creator"] == info["/Producer"] == team.agency.name
                assert info["/Title"] == notice.get_kind_display()
                assert info["/CreationDate"] == info["/ModDate"] == "D:20260302100000+08'00'"
                meta = data
            for trace in TRACES:
                assert trace not in meta, (fmt, trace)


def test_the_correction_and_fee_periods_run_from_receipt_of_the_letter(client, team, frozen):
    """The correction and fee periods start when the letter arrives (the clock counts them from
    delivery), so the letters say so rather than naming a date counted from the day of issue."""
    application = builders.register(team)
    client.force_login(team.office)
    client.post(
        reverse("applications_staff:action", args=[application.pk]),
        {"action": "request_correction", "reason": "请说明所需信息的年度。", "correction_days": "10"},
    )
    correction = Notice.objects.get(application=application, kind="correction")
    docx, pdf = downloaded(client, team.office, correction)
    for text in (docx, pdf):
        assert "请自收到本告知书之日起10个工作日内将补正后的申请提交本机关" in text
    assert "请于" not in squash(correction.text)

    other = builders.register(team)
    client.force_login(team.office)
    client.post(
        reverse("applications_staff:operate", args=[other.pk, "fee_notice"]),
        {"amount": "120", "on": NOW.date().isoformat()},
    )
    fee = Notice.objects.get(application=other, kind="fee")
    assert re.search(r"请自收到本通知之日起\d+个工作日内缴纳", squash(fee.text)), fee.text
