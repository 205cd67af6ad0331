"""Several rendered letters combined into one PDF for printing (documents.combine)."""

import datetime
import io
import re

import pytest
from pypdf import PdfReader

from gongkai.documents.combine import combine_pdfs
from gongkai.documents.render import Letter, render_pdf

WHEN = datetime.datetime(2025, 10, 9, 10, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


def letter(number: str, paragraphs: int = 1) -> bytes:
    return render_pdf(
        Letter(
            title="补正告知书",
            number=number,
            recipient="李明华：",
            paragraphs=tuple(
                f"第{i}段：请补充所需信息的名称、文号或形成时间。" * 8 for i in range(paragraphs)
            ),
            issuer="某县人力资源和社会保障局",
            issued_on=WHEN.date(),
        ),
        generated_at=WHEN,
    )


def test_it_keeps_every_page_of_every_part_in_order():
    parts = [("甲", letter("甲〔2025〕第1号")), ("乙", letter("乙〔2025〕第2号", paragraphs=12))]
    combined = PdfReader(io.BytesIO(combine_pdfs(parts, title="待送达文书（2份）", author="某局", when=WHEN)))
    sizes = [len(PdfReader(io.BytesIO(data)).pages) for _, data in parts]
    assert sizes[1] > 1  # the second letter runs over a page
    assert len(combined.pages) == sum(sizes)
    texts = [re.sub(r"[\s\x00]+", "", page.extract_text()) for page in combined.pages]
    assert "甲〔2025〕第1号" in texts[0] and "乙〔2025〕第2号" in texts[sizes[0]]
    assert [item.title for item in combined.outline] == ["甲", "乙"]
    meta = combined.metadata
    assert meta.title == "待送达文书（2份）" and meta.author == "某局"
    assert meta["/CreationDate"] == "D:20251009103000+08'00'"


def test_it_refuses_to_combine_nothing():
    with pytest.raises(ValueError, match="没有要合并"):
        combine_pdfs([], title="空", author="", when=WHEN)
