"""The letter renderer: DOCX, PDF (embedded Chinese font) and plain text say the same thing."""

from __future__ import annotations

import datetime
import io
import re
import subprocess
import sys

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from fontTools.ttLib import TTFont
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from gongkai.documents import fonts
from gongkai.documents.render import (
    MISSING_GLYPH,
    NO_LINE_END,
    NO_LINE_START,
    Letter,
    chinese_date,
    letter_text,
    render_docx,
    render_pdf,
    wrap,
)

ISSUED = datetime.date(2026, 11, 23)
ODD_TEXT = "原勞動保障部门文件《关于“㐀”与“𠀀”的说明》、附件；——以上。"

# 3,000 Chinese characters, no two neighbours alike, with Chinese punctuation sprinkled in so that line
# ends meet commas, full stops, brackets and quotes.
_POOL = "政府信息公开申请答复书示范县人力资源和社会保障局关于城乡居民基本养老保险基金收支情况报告依法予以受理"


def _long_paragraph() -> str:
    out: list[str] = []
    for i in range(3000):
        out.append(_POOL[(i * 7) % len(_POOL)])
        if i % 37 == 36:
            out.append("，")
        elif i % 101 == 100:
            out.append("。")
        elif i % 211 == 210:
            out.append("《")
        elif i % 211 == 3:
            out.append("》")
    return "".join(out)


LONG = _long_paragraph()


def make_letter(**changes) -> Letter:
    base = Letter(
        title="政府信息公开申请答复书",
        number="示人社依申〔2026〕第12号",
        recipient="张三：",
        paragraphs=(
            "本机关于2026年11月2日收到您提交的政府信息公开申请，经审查，现答复如下：",
            "您申请获取的信息属于公开范围，现将《示范县2025年度城乡居民基本养老保险基金收支情况报告》提供给您。",
            "联系地址：示范县人民路1号\n邮政编码：450000",
        ),
        issuer="示范县人力资源和社会保障局",
        issued_on=ISSUED,
        footer_lines=("（联系人：李四，电话：0371-12345678）", "（此件依申请公开）"),
        table=(
            ("查询码", "GK-2026-7F3K-9QXD"),
            ("受理日期", "2026年11月2日"),
            ("答复期限", "2026年11月30日"),
        ),
    )
    return Letter(**{**base.__dict__, **changes})


def squash(text: str) -> str:
    """Text without whitespace. pypdf also reads a NUL before each character of fpdf2's two-byte CID
    encoding (a pypdf quirk: poppler's pdftotext reads the same file cleanly), so NULs go too."""
    return re.sub(r"[\s\x00]+", "", text)


def assert_in_order(haystack: str, needles) -> None:
    pos = 0
    for needle in needles:
        found = haystack.find(needle, pos)
        assert found >= 0, f"{needle!r} missing (or out of order) after position {pos}"
        pos = found + len(needle)


def pdf_text(data: bytes) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(io.BytesIO(data))
    return reader, [squash(page.extract_text()) for page in reader.pages]


def pdf_fonts(reader: PdfReader):
    """(BaseFont, FontDescriptor) of every font a page uses (Type0 fonts through their descendants)."""
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():  # type: ignore[index]  # PdfObject (pypdf's types)
            font = font.get_object()
            for desc in font.get("/DescendantFonts", [font]):
                desc = desc.get_object()
                yield str(desc["/BaseFont"]), desc["/FontDescriptor"].get_object()


@pytest.fixture(scope="module")
def letter() -> Letter:
    return make_letter()


@pytest.fixture(scope="module")
def long_letter() -> Letter:
    return make_letter(paragraphs=("下面是一段很长的说明：", LONG, "以上。"))


@pytest.fixture(scope="module")
def long_pdf(long_letter) -> bytes:
    return render_pdf(long_letter)


@pytest.fixture(scope="module")
def font_cmap() -> dict[int, str]:
    with TTFont(str(fonts.cjk_font_path()), lazy=True) as font:
        return dict(font.getBestCmap())


# ------------------------------------------------------------------------------------------- plain text


def test_it_writes_dates_the_chinese_way():
    assert chinese_date(datetime.date(2026, 1, 5)) == "2026年1月5日"
    assert chinese_date(ISSUED) == "2026年11月23日"


def test_it_gives_the_plain_text_of_everything_in_order(letter):
    text = letter_text(letter)
    assert_in_order(
        text,
        [
            letter.title,
            letter.number,
            letter.recipient,
            *letter.paragraphs,
            "查询码：GK-2026-7F3K-9QXD",
            "受理日期：2026年11月2日",
            "答复期限：2026年11月30日",
            letter.issuer,
            "2026年11月23日",
            *letter.footer_lines,
        ],
    )
    assert text.endswith("\n") and not text.startswith("\n")


def test_it_keeps_rare_and_traditional_characters_in_the_plain_text():
    assert ODD_TEXT in letter_text(make_letter(paragraphs=(ODD_TEXT,)))


# ------------------------------------------------------------------------------------------- docx


def test_it_renders_a_docx_with_everything_in_order(letter):
    doc = Document(io.BytesIO(render_docx(letter)))
    body = "\n".join(p.text for p in doc.paragraphs)
    assert_in_order(
        body,
        [
            letter.title,
            letter.number,
            letter.recipient,
            *letter.paragraphs,
            letter.issuer,
            "2026年11月23日",
            *letter.footer_lines,
        ],
    )
    by_text = {p.text: p for p in doc.paragraphs}
    assert by_text[letter.title].alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert by_text[letter.number].alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert by_text[letter.issuer].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert by_text["2026年11月23日"].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert doc.core_properties.title == letter.title
    # Word keeps the signature with the end of the body (it never stands alone on a page).
    assert by_text[letter.issuer].paragraph_format.keep_with_next
    assert all(
        row_cell.paragraphs[0].paragraph_format.keep_with_next for row_cell in doc.tables[0].rows[-1].cells
    )


def test_it_lays_the_docx_out_on_a4_with_official_fonts(letter):
    doc = Document(io.BytesIO(render_docx(letter)))
    section = doc.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1) and abs(section.page_height - Mm(297)) < Mm(1)

    title = doc.paragraphs[0]
    assert title.text == letter.title
    for run in title.runs:
        assert run.bold and run.font.size == Pt(22)
        assert run._element.rPr.rFonts.get(qn("w:eastAsia")) in {"方正小标宋简体", "宋体"}

    body = next(p for p in doc.paragraphs if p.text == letter.paragraphs[0])
    assert body.paragraph_format.first_line_indent == Pt(32)  # two characters of 16pt
    assert body._p.pPr.ind.get(qn("w:firstLineChars")) == "200"
    runs = [r for p in doc.paragraphs[1:] for r in p.runs if r.text]
    assert runs
    for run in runs:
        assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
        assert run.font.size == Pt(16)
    normal = doc.styles["Normal"].element.rPr
    assert normal.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_it_turns_line_breaks_into_docx_line_breaks(letter):
    doc = Document(io.BytesIO(render_docx(letter)))
    para = next(p for p in doc.paragraphs if p.text.startswith("联系地址"))
    assert para.text == "联系地址：示范县人民路1号\n邮政编码：450000"
    assert para._p.findall(".//" + qn("w:br"))


def test_it_puts_the_table_in_a_real_docx_table(letter):
    doc = Document(io.BytesIO(render_docx(letter)))
    assert len(doc.tables) == 1
    table = doc.tables[0]
    assert [(row.cells[0].text, row.cells[1].text) for row in table.rows] == list(letter.table)
    assert [round(column.width / Mm(1)) for column in table.columns] == [45, 111]  # fills the type area
    for row in table.rows:
        for cell in row.cells:
            for run in cell.paragraphs[0].runs:
                assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_it_numbers_docx_pages_with_fields(letter):
    doc = Document(io.BytesIO(render_docx(letter)))
    footer = doc.sections[0].footer._element
    instr = " ".join(el.text for el in footer.iter(qn("w:instrText")))
    assert instr.split() == ["PAGE"]
    # '— 1 —' as GB/T 9704 numbers pages, centred, as the PDF prints it.
    assert "".join(el.text for el in footer.iter(qn("w:t"))) == "— 1 —"
    assert doc.sections[0].footer.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_it_renders_a_docx_without_a_table():
    doc = Document(io.BytesIO(render_docx(make_letter(table=(), footer_lines=()))))
    assert not doc.tables
    assert doc.paragraphs[-1].text == "2026年11月23日"


# ------------------------------------------------------------------------------------------- pdf


def test_it_renders_a_pdf_with_everything_in_order(letter):
    data = render_pdf(letter)
    assert data.startswith(b"%PDF")
    reader, pages = pdf_text(data)
    assert_in_order(
        "".join(pages),
        [
            letter.title,
            letter.number,
            letter.recipient,
            *(squash(p) for p in letter.paragraphs),
            "查询码",
            "GK-2026-7F3K-9QXD",
            "答复期限",
            letter.issuer,
            "2026年11月23日",
            *(squash(f) for f in letter.footer_lines),
        ],
    )
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    assert reader.metadata.title == letter.title


def test_it_embeds_a_subset_of_the_chinese_font(letter):
    data = render_pdf(letter)
    reader, _ = pdf_text(data)
    used = list(pdf_fonts(reader))
    assert used
    for base_font, descriptor in used:
        assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, base_font
        assert re.match(r"/[A-Z]{6}\+", base_font), f"{base_font} is not a subset"
    assert len(data) < fonts.cjk_font_path().stat().st_size / 20


def test_it_wraps_a_long_paragraph_across_pages_without_losing_a_character(long_pdf, long_letter):
    reader, pages = pdf_text(long_pdf)
    assert len(reader.pages) > 1
    # The page footers ('— N —') sit between the pages' text; take them out to read the body whole.
    everything = "".join(re.sub(r"—\d+—$", "", page) for page in pages)
    assert LONG in everything
    assert_in_order(
        everything, ["下面是一段很长的说明：", LONG, "以上。", long_letter.issuer, "2026年11月23日"]
    )


def test_it_numbers_every_pdf_page(long_pdf):
    reader, pages = pdf_text(long_pdf)
    total = len(reader.pages)
    assert total > 1
    for number, text in enumerate(pages, start=1):
        assert text.endswith(f"—{number}—")
    raw = [page.extract_text().replace("\x00", "") for page in reader.pages]
    assert all(f"— {number} —" in text for number, text in enumerate(raw, start=1))


def test_it_never_leaves_the_signature_alone_on_a_page():
    # One-line paragraphs, more and more of them: at some count the signature no longer fits on page
    # one, and then it takes the last lines of the body over with it.
    two_pages = 0
    for count in range(12, 20):
        letter = make_letter(
            paragraphs=tuple(f"第{i}项说明。" for i in range(count)), table=(), footer_lines=()
        )
        _, pages = pdf_text(render_pdf(letter))
        two_pages += len(pages) > 1
        body = re.sub(r"—\d+—$", "", pages[-1])
        assert not body.startswith(letter.issuer), (count, body)
        assert body.endswith(letter.issuer + "2026年11月23日")
    assert two_pages


def test_it_keeps_the_last_table_row_with_the_signature():
    letter = make_letter(paragraphs=("正文。",) * 12, table=(("项目", "内容"),) * 4, footer_lines=())
    for rows in range(2, 9):
        _, pages = pdf_text(render_pdf(Letter(**{**letter.__dict__, "table": (("项目", "内容"),) * rows})))
        body = re.sub(r"—\d+—$", "", pages[-1])
        assert not body.startswith(letter.issuer), (rows, body)


def test_it_renders_traditional_rare_characters_and_punctuation(font_cmap):
    letter = make_letter(title="关于勞動保障的《通知》", paragraphs=(ODD_TEXT,), recipient="李四：")
    _, pages = pdf_text(render_pdf(letter))
    text = "".join(pages)
    assert "关于勞動保障的《通知》" in text
    for ch in ODD_TEXT:
        if ord(ch) in font_cmap:
            assert ch in text
        else:  # not in the font: shown as the 缺字 mark, never dropped or crashing
            assert ch == "𠀀"
            assert ch not in text
            assert text.count(MISSING_GLYPH) >= 1
    expected = "".join(ch if ord(ch) in font_cmap else MISSING_GLYPH for ch in ODD_TEXT)
    assert expected in text
    # The Word document keeps the real character: Word picks a font that has it.
    doc = Document(io.BytesIO(render_docx(letter)))
    assert any(p.text == ODD_TEXT for p in doc.paragraphs)


def test_it_copes_with_empty_and_odd_input():
    letter = make_letter(
        number="",
        recipient="",
        paragraphs=("", "tab\there\r\nand a control\x07 char", "x" * 400, "——" * 40),
        table=(("很长的键" * 10, "值" * 300),),
        footer_lines=(),
    )
    _, pages = pdf_text(render_pdf(letter))
    text = "".join(pages)
    assert "tabhere" in text and "andacontrolchar" in text
    assert "x" * 400 in text and "值" * 300 in text and "——" * 40 in text
    assert render_docx(letter).startswith(b"PK")


# ------------------------------------------------------------------------------------------- line breaking


def width_of(text: str) -> float:
    return sum(1.0 if ch >= "\u2e80" or ch in "——……" else 0.5 for ch in text)


def test_it_follows_chinese_line_breaking_rules():
    text = "甲乙丙丁戊，己庚辛壬癸（子丑寅卯）辰巳午未申——酉戌亥甲乙“丙丁戊”己庚辛壬。" * 6
    for width in (5, 6, 7, 8, 9, 10, 11, 13):
        lines = wrap(text, width, width_of)
        assert "".join(line for line, _ in lines) == text
        for line, _ in lines[1:]:
            assert line[0] not in NO_LINE_START, (width, line)
        for line, _ in lines[:-1]:
            assert line[-1] not in NO_LINE_END, (width, line)
            assert not line.endswith("—") or line.endswith("——")
        assert all(width_of(line) <= width for line, _ in lines)
        assert [full for _, full in lines] == [True] * (len(lines) - 1) + [False]


def test_it_keeps_numbers_whole_unless_they_would_leave_a_gap():
    lines = wrap("受理日期为2026年第12345号文件", 10, width_of)
    assert "".join(line for line, _ in lines) == "受理日期为2026年第12345号文件"
    assert any("12345" in line for line, _ in lines)
    long_word = "甲" + "a" * 100
    lines = wrap(long_word, 10, width_of)
    assert "".join(line for line, _ in lines) == long_word
    assert all(width_of(line) <= 10 for line, _ in lines)


def test_it_honours_hard_line_breaks_and_the_first_line_indent():
    lines = wrap("甲乙丙丁戊己\n庚辛", 4, width_of, first_indent=2)
    assert lines == [("甲乙", True), ("丙丁戊己", False), ("庚辛", False)]


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(
        alphabet=st.sampled_from([*"政府信息公开ab12 .,，。、；：（）《》“”-/", "\n"]), max_size=200
    ),
    width=st.integers(min_value=3, max_value=30),
)
def test_it_never_loses_a_character_when_wrapping(text, width):
    lines = wrap(text, width, width_of)
    assert "".join(line for line, _ in lines).replace(" ", "") == text.replace(" ", "").replace("\n", "")
    assert len(lines) >= text.count("\n") + 1
    assert all(width_of(line) <= width for line, _ in lines)


# ------------------------------------------------------------------------------------------- fonts


def test_it_finds_a_font_with_simplified_chinese_glyphs(font_cmap):
    path = fonts.cjk_font_path()
    assert path.is_file() and fonts.has_simplified_chinese(path)
    # Simplified shapes exist as their own code points (not only the traditional ones).
    assert all(ord(ch) in font_cmap for ch in "开门说书劳动")


def test_it_names_the_fix_when_the_font_is_missing(monkeypatch):
    fonts.cjk_font_path.cache_clear()
    monkeypatch.setattr(fonts, "_packaged_font", lambda: None)
    monkeypatch.delenv(fonts.FONT_ENV_VAR, raising=False)
    try:
        with pytest.raises(fonts.CJKFontNotFound, match="make install") as exc:
            fonts.cjk_font_path()
        assert fonts.FONT_PACKAGE in str(exc.value)
    finally:
        fonts.cjk_font_path.cache_clear()


def test_it_rejects_a_bad_font_override(monkeypatch, tmp_path):
    not_a_font = tmp_path / "plain.ttf"
    not_a_font.write_bytes(b"not a font")
    for value, message in (
        (str(tmp_path / "missing.ttf"), "is not a file"),
        (str(not_a_font), "no Simplified"),
    ):
        fonts.cjk_font_path.cache_clear()
        monkeypatch.setenv(fonts.FONT_ENV_VAR, value)
        try:
            with pytest.raises(fonts.CJKFontNotFound, match=message):
                fonts.cjk_font_path()
        finally:
            fonts.cjk_font_path.cache_clear()


def test_it_accepts_a_good_font_override(monkeypatch):
    real = fonts.cjk_font_path()
    fonts.cjk_font_path.cache_clear()
    monkeypatch.setenv(fonts.FONT_ENV_VAR, str(real))
    try:
        assert fonts.cjk_font_path() == real
    finally:
        fonts.cjk_font_path.cache_clear()


def test_it_renders_without_importing_django():
    code = (
        "import sys, datetime\n"
        "from gongkai.documents.render import Letter, render_pdf, render_docx, letter_text\n"
        "l = Letter('题', '号', '人：', ('正文',), '局', datetime.date(2026, 1, 1))\n"
        "render_pdf(l); render_docx(l); letter_text(l)\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'django'], 'django imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)  # noqa: S603
