"""Text of PDF, DOCX and XLSX attachments of public items is searchable (once extracted, after the
upload commits: pytest-django runs on_commit callbacks only inside django_capture_on_commit_callbacks)."""

import io

import docx
import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.catalogue import services
from gongkai.search.extract import extract
from gongkai.search.selectors import search_public

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def docx_bytes(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(*rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def publish_with(team, title: str, name: str, data: bytes, capture):
    item = team.draft(title)
    with capture(execute=True):  # the upload commits, then its text is extracted
        services.attachment_add(actor=team.clerk, item=item, upload=SimpleUploadedFile(name, data))
    return team.advance(item, to="published")


def test_it_reads_docx_and_xlsx_text():
    assert "高龄津贴发放标准" in extract(docx_bytes("高龄津贴发放标准"), DOCX_TYPE).text
    assert "临时救助 300" in extract(xlsx_bytes(["临时救助", 300]), XLSX_TYPE).text


def test_it_adds_nothing_for_a_broken_or_unknown_file():
    broken = extract(b"%PDF-1.4 broken", "application/pdf")
    assert (broken.state, broken.text) == ("failed", "")
    assert extract(b"\x89PNG", "image/png").state == "skipped"
    assert extract(b"PK\x03\x04 not a zip", DOCX_TYPE).state == "failed"


def test_it_finds_an_item_by_the_text_of_its_attachments(team, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    word_item = publish_with(
        team, "关于发放津贴的通知", "标准.docx", docx_bytes("八十周岁以上高龄津贴每月发放"), capture
    )
    sheet_item = publish_with(team, "救助资金统计", "统计.xlsx", xlsx_bytes(["临时救助资金", 1200]), capture)

    assert [h.item for h in search_public("高龄津贴").hits] == [word_item]
    assert [h.item for h in search_public("临时救助资金").hits] == [sheet_item]


def test_it_does_not_search_attachments_of_unpublished_items(team, django_capture_on_commit_callbacks):
    item = team.draft("草稿")
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_add(
            actor=team.clerk, item=item, upload=SimpleUploadedFile("a.docx", docx_bytes("草稿附件专用词"))
        )
    assert item.attachments.get().extraction_state == "done"
    assert search_public("草稿附件专用词").hits == []
