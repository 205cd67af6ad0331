"""Attachments: accepted by their content, refused with a clear message, never left half-stored."""

import hashlib
import io
import re
import zipfile
from pathlib import Path

import docx
import filetype
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.audit.models import AuditEvent
from gongkai.catalogue import services
from gongkai.catalogue.models import Attachment
from gongkai.catalogue.workflow import Action, Status, TransitionRefused
from gongkai.search.services import attachment_extract
from gongkai.testing.files import minimal_pdf

PDF = minimal_pdf()
PNG = (
    b"\x89PNG\r\n\x1a\n"
    b"\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 48
    + b"This program cannot be run"
)
GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"
HTML = b"<!DOCTYPE html><html><body><script>document.location='https://evil.example/'</script></body></html>"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def docx_bytes() -> bytes:
    document = docx.Document()
    document.add_heading("关于做好社会保险工作的通知", level=1)
    document.add_paragraph("各股室：现将有关事项通知如下。")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    """A minimal spreadsheet: the parts Excel needs, in the order Excel writes them."""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="xl/workbook.xml" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="收费标准" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/worksheet"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>项目</t></is></c>'
            '<c r="B1"><v>20</v></c></row></sheetData></worksheet>'
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text.encode())
    return buffer.getvalue()


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not an office document")
    return buffer.getvalue()


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def add(team, item, name: str, content: bytes, actor=None):
    return services.attachment_add(
        actor=actor or team.clerk, item=item, upload=SimpleUploadedFile(name, content)
    )


# -- accepted --------------------------------------------------------------------------------


def test_it_builds_office_files_that_filetype_recognises():
    assert filetype.guess_mime(docx_bytes()) == DOCX_MIME
    assert filetype.guess_mime(xlsx_bytes()) == XLSX_MIME
    assert filetype.guess_mime(zip_bytes()) == "application/zip"


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        pytest.param("通知全文.pdf", PDF, "application/pdf", id="pdf"),
        pytest.param("通知全文.docx", docx_bytes(), DOCX_MIME, id="docx"),
        pytest.param("收费标准.xlsx", xlsx_bytes(), XLSX_MIME, id="xlsx"),
        pytest.param("办事流程图.png", PNG, "image/png", id="png"),
        pytest.param("现场照片.jpg", JPEG, "image/jpeg", id="jpg"),
        pytest.param("现场照片.jpeg", JPEG, "image/jpeg", id="jpeg"),
        pytest.param("扫描件.PDF", PDF, "application/pdf", id="upper-case-pdf"),
    ],
)
def test_it_stores_an_accepted_file_with_its_checksum_and_audits_it(
    team, settings, name, content, content_type
):
    item = team.draft()
    attachment = add(team, item, name, content)

    attachment = Attachment.objects.get(pk=attachment.pk)
    assert attachment.item == item
    assert attachment.revision is None
    assert attachment.original_name == name
    assert attachment.content_type == content_type
    assert attachment.size == len(content)
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.uploaded_by == team.clerk
    assert re.fullmatch(rf"attachments/{team.agency.pk}/[0-9a-f]{{32}}\.\w+", attachment.file.name)
    assert attachment.file.name.endswith(Path(name).suffix.lower())
    with attachment.file.open("rb") as stored:
        assert stored.read() == content
    assert stored_files(settings) == [Path(settings.MEDIA_ROOT) / attachment.file.name]

    event = AuditEvent.objects.get(action="attachment_add", target_id=str(item.pk))
    assert event.actor == team.clerk
    assert event.data == {"attachment": attachment.pk, "name": name, "sha256": attachment.sha256}


def test_it_keeps_only_the_base_name_of_an_uploaded_path(team):
    attachment = add(team, team.draft(), "..\\..\\windows\\system32\\报告.pdf", PDF)
    assert attachment.original_name == "报告.pdf"
    assert attachment.file.name.startswith(f"attachments/{team.agency.pk}/")


def test_it_accepts_attachments_on_a_returned_item_and_from_the_office(team):
    item = team.advance(team.draft(), to=Status.DEPT_REVIEW)
    item = services.item_transition(actor=team.dept_head, item=item, action=Action.RETURN, reason="缺附件")
    add(team, item, "补充材料.pdf", PDF)
    add(team, item, "办公室补充.pdf", PDF, actor=team.office)
    assert item.attachments.count() == 2


# -- refused ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        pytest.param(
            "setup.exe", EXE, "不支持的附件类型“.exe”，只接受PDF、DOCX、XLSX、JPG、PNG文件。", id="exe"
        ),
        pytest.param("通知.pdf.exe", EXE, "不支持的附件类型“.exe”", id="double-extension"),
        pytest.param("脚本.html", HTML, "不支持的附件类型“.html”", id="html"),
        pytest.param("通知全文", PDF, "不支持的附件类型“无扩展名”", id="no-extension"),
        pytest.param(
            "通知.pdf", HTML, "附件“通知.pdf”的内容与扩展名“.pdf”不符，可能已损坏或被伪装", id="html-as-pdf"
        ),
        pytest.param("通知.pdf", EXE, "内容与扩展名“.pdf”不符", id="exe-as-pdf"),
        pytest.param("通知.docx", zip_bytes(), "内容与扩展名“.docx”不符", id="zip-as-docx"),
        pytest.param("通知.docx", PDF, "内容与扩展名“.docx”不符", id="pdf-as-docx"),
        pytest.param("表格.xlsx", docx_bytes(), "内容与扩展名“.xlsx”不符", id="docx-as-xlsx"),
        pytest.param("照片.jpg", PNG, "内容与扩展名“.jpg”不符", id="png-as-jpg"),
        pytest.param("照片.png", GIF, "内容与扩展名“.png”不符", id="gif-as-png"),
        pytest.param("空白.pdf", b"", "附件“空白.pdf”是空文件。", id="empty"),
    ],
)
def test_it_refuses_unsupported_disguised_or_empty_files_and_stores_nothing(
    team, settings, name, content, expected
):
    item = team.draft()
    with pytest.raises(ValidationError) as caught:
        add(team, item, name, content)
    [message] = caught.value.messages
    assert expected in message
    assert not Attachment.objects.exists()
    assert stored_files(settings) == []
    assert not AuditEvent.objects.filter(action="attachment_add").exists()


def test_it_refuses_a_file_over_the_size_limit(team, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    item = team.draft()
    big = PDF + b"0" * (1024 * 1024 + 1 - len(PDF))
    with pytest.raises(ValidationError) as caught:
        add(team, item, "大文件.pdf", big)
    assert caught.value.messages == ["附件“大文件.pdf”超过1MB的大小限制。"]
    assert not Attachment.objects.exists()
    assert stored_files(settings) == []

    just_fits = big[:-1]
    assert add(team, item, "刚好.pdf", just_fits).size == 1024 * 1024


def test_it_states_a_limit_below_one_megabyte_truthfully(team, settings):
    settings.ATTACHMENT_MAX_BYTES = 500 * 1024
    with pytest.raises(ValidationError) as caught:
        add(team, team.draft(), "大文件.pdf", PDF + b"0" * (600 * 1024))
    assert "0MB" not in caught.value.messages[0]


@pytest.mark.parametrize(
    "state",
    [Status.DEPT_REVIEW, Status.SECRECY_REVIEW, Status.LEADER_REVIEW, Status.PUBLISHED, Status.FILED],
)
def test_it_refuses_attachments_outside_draft_and_returned(team, settings, state):
    item = team.advance(team.draft(), to=state)
    with pytest.raises(TransitionRefused) as caught:
        add(team, item, "补充.pdf", PDF, actor=team.office)
    assert "只能为草稿或已退回的信息添加附件" in caught.value.message
    assert not Attachment.objects.exists()
    assert stored_files(settings) == []


def test_it_refuses_attachments_from_another_department_or_agency(team, other_team, settings):
    item = team.draft()
    for actor in (team.other_clerk, team.dept_head, team.secrecy, other_team.clerk, other_team.office):
        with pytest.raises(PermissionDenied):
            add(team, item, "越权.pdf", PDF, actor=actor)
    assert not Attachment.objects.exists()
    assert stored_files(settings) == []


# -- removal ---------------------------------------------------------------------------------


def test_it_removes_an_attachment_of_a_draft_and_its_file_after_commit(
    team, settings, django_capture_on_commit_callbacks
):
    item = team.draft()
    attachment = add(team, item, "作废.pdf", PDF)
    path = Path(settings.MEDIA_ROOT) / attachment.file.name
    assert path.exists()

    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_remove(actor=team.clerk, attachment=attachment)

    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not path.exists()
    event = AuditEvent.objects.get(action="attachment_remove", target_id=str(item.pk))
    assert (event.actor, event.data) == (team.clerk, {"name": "作废.pdf"})


def test_it_refuses_to_remove_an_attachment_once_the_item_is_submitted_or_published(team, settings):
    for state in (Status.DEPT_REVIEW, Status.PUBLISHED):
        item = team.draft()
        attachment = add(team, item, "正式.pdf", PDF)
        attachment_extract(attachment_id=attachment.pk)  # as after the upload's commit: reviewed as read
        team.advance(item, to=state)
        with pytest.raises(TransitionRefused, match="不能删除"):
            services.attachment_remove(actor=team.office, attachment=attachment)
        assert Attachment.objects.filter(pk=attachment.pk).exists()
        assert (Path(settings.MEDIA_ROOT) / attachment.file.name).exists()


def test_it_refuses_removal_by_another_department_or_agency(team, other_team):
    attachment = add(team, team.draft(), "正式.pdf", PDF)
    for actor in (team.other_clerk, team.leader, other_team.office):
        with pytest.raises(PermissionDenied):
            services.attachment_remove(actor=actor, attachment=attachment)
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_it_removes_a_revision_attachment_only_while_the_revision_is_editable(team):
    item = team.published()
    revision = services.revision_save(note="测试修订", actor=team.clerk, item=item, summary="换附件")
    removable = services.attachment_add(
        actor=team.clerk, item=item, revision=revision, upload=SimpleUploadedFile("旧稿.pdf", PDF)
    )
    kept = services.attachment_add(
        actor=team.clerk, item=item, revision=revision, upload=SimpleUploadedFile("新稿.pdf", PDF)
    )
    services.attachment_remove(actor=team.clerk, attachment=removable)
    assert not Attachment.objects.filter(pk=removable.pk).exists()

    services.revision_transition(actor=team.clerk, revision=revision, action=Action.SUBMIT)
    kept.refresh_from_db()
    with pytest.raises(TransitionRefused):
        services.attachment_remove(actor=team.clerk, attachment=kept)
    assert Attachment.objects.filter(pk=kept.pk).exists()
