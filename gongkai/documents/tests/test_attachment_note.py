"""The 附件 note of a letter, alike in the DOCX and the PDF (issue 13, point 6; GB/T 9704-2012 §7.3.4)."""

import datetime
import io

from docx import Document
from pypdf import PdfReader

from gongkai.documents.render import Letter, letter_text, render_docx, render_pdf


def letter(**changes) -> Letter:
    base = Letter(
        title="政府信息公开申请答复书",
        number="",
        recipient="张三：",
        paragraphs=("本机关已收到你的申请。",),
        issuer="示范县局",
        issued_on=datetime.date(2026, 3, 2),
    )
    return Letter(**{**base.__dict__, **changes})


def test_the_attachment_note_stands_between_the_body_and_the_signature_in_both_formats():
    names = ("2025年低保资金发放明细。", "审计报告.pdf")
    attached = letter(attachments=names)
    paragraphs = [p.text for p in Document(io.BytesIO(render_docx(attached))).paragraphs if p.text]
    at = paragraphs.index("附件：1. 2025年低保资金发放明细")  # no punctuation after a name
    assert paragraphs[at + 1 : at + 4] == ["2. 审计报告.pdf", "示范县局", "2026年3月2日"]
    text = "".join(PdfReader(io.BytesIO(render_pdf(attached))).pages[0].extract_text().split()).replace(
        "\x00", ""
    )
    assert "本机关已收到你的申请。附件：1.2025年低保资金发放明细2.审计报告.pdf示范县局2026年3月2日" in text
    assert "附件：1. 2025年低保资金发放明细\n2. 审计报告.pdf\n\n示范县局" in letter_text(attached)
    single = letter(attachments=("明细表.xlsx",))
    assert "附件：明细表.xlsx" in letter_text(single)
