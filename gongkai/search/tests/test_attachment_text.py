"""Text of PDF, DOCX and XLSX attachments of public items is searchable."""

import io

import docx
import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.catalogue import services
from gongkai.search.extract import attachment_text
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


def publish_with(team, title: str, name: str, data: bytes):
    item = team.draft(title)
    services.attachment_add(actor=team.clerk, item=item, upload=SimpleUploadedFile(name, data))
    return team.advance(item, to="published")


def test_it_reads_docx_and_xlsx_text():
    assert "高龄津贴发放标准" in attachment_text(docx_bytes("高龄津贴发放标准"), DOCX_TYPE)
    assert "临时救助 300" in attachment_text(xlsx_bytes(["临时救助", 300]), XLSX_TYPE)


def test_it_adds_nothing_for_a_broken_or_unknown_file():
    assert attachment_text(b"%PDF-1.4 broken", "application/pdf") == ""
    assert attachment_text(b"\x89PNG", "image/png") == ""


def test_it_finds_an_item_by_the_text_of_its_attachments(team):
    word_item = publish_with(
        team, "关于发放津贴的通知", "标准.docx", docx_bytes("八十周岁以上高龄津贴每月发放")
    )
    sheet_item = publish_with(team, "救助资金统计", "统计.xlsx", xlsx_bytes(["临时救助资金", 1200]))

    assert [h.item for h in search_public("高龄津贴").hits] == [word_item]
    assert [h.item for h in search_public("临时救助资金").hits] == [sheet_item]


def test_it_does_not_search_attachments_of_unpublished_items(team):
    item = team.draft("草稿")
    services.attachment_add(
        actor=team.clerk, item=item, upload=SimpleUploadedFile("a.docx", docx_bytes("草稿附件专用词"))
    )
    assert search_public("草稿附件专用词").hits == []
