"""Attachment text is what a reader of the file sees; what the file hides is reported, not indexed."""

import io
import zipfile

from gongkai.search.extract import DOCX, HIDDEN_KINDS, PDF, XLSX, Limits, extract
from gongkai.testing.attachment_files import (
    HIDDEN_ID,
    HIDDEN_NAME,
    HIDDEN_PHONE,
    docx_with_hidden_text,
    pdf,
    xlsx_with_hidden_cells,
)


def parts_by_kind(result) -> dict[str, list[dict[str, str]]]:
    found: dict[str, list[dict[str, str]]] = {}
    for part in result.hidden_parts:
        assert set(part) == {"kind", "where", "text"} and part["kind"] in HIDDEN_KINDS
        found.setdefault(part["kind"], []).append(part)
    return found


def test_it_reads_only_the_visible_cells_of_a_workbook():
    result = extract(xlsx_with_hidden_cells(), XLSX)

    assert result.state == "done"
    assert result.text == "公示\n姓名 补助金额\n公示人乙 300"
    for hidden in (
        HIDDEN_NAME,
        HIDDEN_ID,
        HIDDEN_PHONE,
        "110101199003074514",
        "隐藏人丙",
        "隐藏人丁",
        "名单",
    ):
        assert hidden not in result.text


def test_it_reports_hidden_sheets_rows_columns_and_comments_with_where():
    parts = parts_by_kind(extract(xlsx_with_hidden_cells(), XLSX))

    assert [(p["where"], p["text"]) for p in parts["hidden_row"]] == [
        ("工作表“公示”第3行（隐藏行）", f"{HIDDEN_NAME} 400 {HIDDEN_ID}")
    ]
    assert [(p["where"], p["text"]) for p in parts["hidden_column"]] == [
        ("工作表“公示”第C列（隐藏列）", "身份证号\n110101199003074514")
    ]
    assert [(p["where"], p["text"]) for p in parts["hidden_sheet"]] == [
        ("工作表“名单”（隐藏工作表）", "隐藏人丙 13800138000"),
        ("工作表“底稿”（深度隐藏工作表）", "隐藏人丁 13700137000"),
    ]
    assert [(p["where"], p["text"]) for p in parts["comment"]] == [
        ("工作表“公示”单元格A1的批注", f"联系电话{HIDDEN_PHONE}")
    ]


def test_it_reads_a_document_as_shown_with_headers_footers_tables_and_insertions():
    result = extract(docx_with_hidden_text(), DOCX)

    assert result.state == "done"
    assert (
        result.text == "页眉可见文字\n正文可见文字。\n保留的文字插入的可见文字\n表格左 表格右\n页脚可见文字"
    )


def test_it_reports_comments_tracked_deletions_and_hidden_text_of_a_document():
    result = extract(docx_with_hidden_text(), DOCX)
    parts = parts_by_kind(result)

    assert [(p["where"], p["text"]) for p in parts["comment"]] == [
        ("批注（第1条）", f"批注电话{HIDDEN_PHONE}")
    ]
    assert [(p["where"], p["text"]) for p in parts["tracked_change"]] == [
        ("修订（已删除的文字）", f"删除的身份证号{HIDDEN_ID}")
    ]
    assert [(p["where"], p["text"]) for p in parts["hidden_text"]] == [("隐藏文字", f"隐藏文字{HIDDEN_NAME}")]
    for hidden in (HIDDEN_NAME, HIDDEN_ID, HIDDEN_PHONE):
        assert hidden not in result.text


def test_it_reads_pdf_page_text_and_reports_annotations_apart():
    data = pdf(["Visible page one", "Visible page two"], annotations={1: f"注释{HIDDEN_NAME}{HIDDEN_PHONE}"})
    result = extract(data, PDF)

    assert result.state == "done"
    assert result.text == "Visible page one\nVisible page two"
    assert result.hidden_parts == [
        {"kind": "annotation", "where": "PDF注释（第2页）", "text": f"注释{HIDDEN_NAME}{HIDDEN_PHONE}"}
    ]


def test_it_reports_a_workbook_embedded_in_a_document_with_its_text():
    source = zipfile.ZipFile(io.BytesIO(docx_with_hidden_text()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for info in source.infolist():
            package.writestr(info, source.read(info))
        package.writestr("word/embeddings/名单.xlsx", xlsx_with_hidden_cells())
    result = extract(out.getvalue(), DOCX)

    (embedded,) = parts_by_kind(result)["embedded_file"]
    assert embedded["where"] == "嵌入文件“名单.xlsx”"
    assert "公示人乙" in embedded["text"] and HIDDEN_ID in embedded["text"]  # its hidden row, too
    assert "公示人乙" not in result.text


def test_hidden_parts_are_bounded_and_the_cut_is_marked():
    import openpyxl

    book = openpyxl.Workbook()
    for row in range(1, 401):
        book.active.append([f"第{row}行隐藏内容" * 5])
        book.active.row_dimensions[row * 2 - 1].hidden = True  # every other row: separate groups
        book.active.append(["可见"])
    buffer = io.BytesIO()
    book.save(buffer)

    result = extract(buffer.getvalue(), XLSX, Limits(hidden_chars=1000))

    assert result.state == "truncated" and result.limit == "hidden_chars"
    assert sum(len(p["text"]) for p in result.hidden_parts) <= 1000 + 1  # the cut one ends with "…"
    assert result.text.startswith("Sheet\n可见") and "隐藏内容" not in result.text


def test_a_damaged_file_fails_and_keeps_nothing_hidden_in_the_text():
    data = bytearray(xlsx_with_hidden_cells())
    data[len(data) // 2 : len(data) // 2 + 200] = b"\0" * 200
    result = extract(bytes(data), XLSX)

    assert result.state in ("failed", "done", "truncated")
    assert HIDDEN_ID not in result.text and "隐藏人丙" not in result.text
