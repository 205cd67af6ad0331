"""Text cells of exported workbooks are never formulas (documents.spreadsheet.put_text)."""

import io

import openpyxl
import pytest

from gongkai.documents.spreadsheet import EXCEL_CELL_LIMIT, put_text


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://evil.example/","x")', "+1+2", "-1", "@SUM(A1)", "|cmd", "\t=1", "\r=1", " =1"],
)
def test_text_that_starts_like_a_formula_stays_text(text):
    book = openpyxl.Workbook()
    put_text(book.active["A1"], text)
    out = io.BytesIO()
    book.save(out)

    cell = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active["A1"]
    assert cell.data_type == "s"
    assert cell.quotePrefix
    assert cell.value.strip() == text.replace("\t", " ").replace("\r", "\n").strip()


def test_plain_text_is_stored_as_typed_and_cut_at_the_cell_limit():
    book = openpyxl.Workbook()
    put_text(book.active["A1"], "本县低保资金\x07发放情况")
    put_text(book.active["A2"], "字" * (EXCEL_CELL_LIMIT + 10))
    assert book.active["A1"].value == "本县低保资金发放情况"
    assert not book.active["A1"].quotePrefix
    assert len(book.active["A2"].value) == EXCEL_CELL_LIMIT
