"""Written notices (受理回执, 补正告知书, 答复书 …) as DOCX, PDF and plain text.

One ``Letter`` value renders three ways with the same content in the same order:

- ``render_docx``: python-docx, A4, laid out after GB/T 9704 (党政机关公文格式): title in 2号 (22pt) bold
  小标宋, number centred under it, body in 3号 (16pt) 仿宋_GB2312 with a two-character first-line indent
  and 28.95pt exact line spacing, issuer and date at the right, an optional key/value table as a real
  Word table, page numbers in the footer. East Asian font names are set (w:eastAsia) so Word picks a
  Chinese face.
- ``render_pdf``: fpdf2 with the Chinese font from ``fonts.cjk_font_path()`` embedded as a subset; our
  own line breaker wraps at any character (no character is lost at a line end), keeps Latin words and
  numbers whole when they fit, follows the usual Chinese line-breaking rules (no closing punctuation at
  the start of a line, no opening bracket at its end, —— and …… never split) and justifies full lines.
  Pages break automatically; every page carries '— N —'.
- ``letter_text``: the plain text, for storing with the case and for search.

Pure module: no Django import.
"""

from __future__ import annotations

import dataclasses
import datetime
import io
import unicodedata
from collections.abc import Callable, Sequence
from typing import cast
from xml.sax.saxutils import escape

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_PARAGRAPH_ALIGNMENT
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from fpdf import FPDF
from fpdf.enums import TextMode
from fpdf.fonts import TTFFont
from fpdf.output import OutputProducer, PDFInfo
from lxml import etree

from .fonts import cjk_font_path, fallback_font_paths, font_cmap, is_variation_selector, title_font_path

__all__ = [
    "MISSING_GLYPH",
    "Letter",
    "chinese_date",
    "docx_metadata",
    "generation_time",
    "letter_text",
    "pdf_metadata",
    "render_docx",
    "render_pdf",
    "wrap",
]


@dataclasses.dataclass(frozen=True)
class Letter:
    title: str  # e.g. '政府信息公开申请答复书'
    number: str  # e.g. '示人社依申〔2026〕第12号'
    recipient: str  # the salutation line, e.g. '张三：'
    paragraphs: tuple[str, ...]  # body paragraphs; '\n' inside one is a hard line break
    issuer: str  # e.g. '示范县人力资源和社会保障局'
    issued_on: datetime.date
    footer_lines: tuple[str, ...] = ()  # contact, '（此件依申请公开）', remedies note …
    table: tuple[tuple[str, str], ...] = ()  # optional two-column key/value table (receipts)
    attachments: tuple[str, ...] = ()  # names of the files sent with it: the 附件 line before the signature


def attachment_lines(names: Sequence[str]) -> list[str]:
    """The 附件 note of GB/T 9704-2012 §7.3.4: '附件：1. 名称' then '2. 名称' … (one file: no number);
    an attachment's name takes no punctuation after it."""
    items = _attachment_items(names)
    return [("附件：" if i == 0 else "") + label + name for i, (label, name) in enumerate(items)]


def _attachment_items(names: Sequence[str]) -> list[tuple[str, str]]:
    """(number label, name) of each attachment: '1. ', '2. ' … when there are several, '' for one."""
    cleaned = [" ".join(_clean(n).split()).rstrip("。，；、.,;") for n in names]
    cleaned = [n for n in cleaned if n]
    if len(cleaned) == 1:
        return [("", cleaned[0])]
    return [(f"{i + 1}. ", name) for i, name in enumerate(cleaned)]


def chinese_date(day: datetime.date) -> str:
    """'2026年11月23日' (Arabic numerals, no leading zeros, as GB/T 9704-2012 writes dates)."""
    return f"{day.year}年{day.month}月{day.day}日"


def _clean(text: str) -> str:
    """Normalise line ends and drop control characters other than '\n' (they would print as boxes)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch) not in {"Cc", "Cf", "Cs"})


# --------------------------------------------------------------------------------------------- metadata

# China Standard Time (北京时间): UTC+8 all year, no daylight saving since 1991.
BEIJING = datetime.timezone(datetime.timedelta(hours=8), "CST")


def generation_time(when: datetime.datetime | None) -> datetime.datetime:
    """``when`` (or now) in Beijing time, to the second. Raises ValueError for a naive datetime."""
    if when is None:
        return datetime.datetime.now(BEIJING).replace(microsecond=0)
    if when.tzinfo is None:
        raise ValueError("generated_at must be timezone-aware")
    return when.astimezone(BEIJING).replace(microsecond=0)


def _pdf_metadata(pdf: FPDF, letter: Letter, when: datetime.datetime) -> None:
    pdf_metadata(pdf, title=letter.title, agency=letter.issuer, when=when)


def pdf_metadata(pdf: FPDF, *, title: str, agency: str, when: datetime.datetime) -> None:
    """/Title the document's title; /Author, /Creator and /Producer the agency; /CreationDate and
    /ModDate ``when`` with its +08'00' offset. Nothing names a library (fpdf2 writes no /Producer or
    XMP of its own)."""
    agency = _clean(agency)
    pdf.set_title(_clean(title))
    pdf.set_author(agency)
    pdf.set_creator(agency)
    pdf.set_producer(agency)
    pdf.set_creation_date(when)  # also /ModDate: see _DatedOutput


class _DatedOutput(OutputProducer):
    """fpdf2's writer, with /ModDate (the generation time, as /CreationDate) in the document info."""

    def _add_info(self) -> PDFInfo:
        info = super()._add_info()
        # An attribute fpdf2 serialises as /ModDate (snake_case → CamelCase), like its /CreationDate.
        setattr(info, "mod_date", info.creation_date)  # noqa: B010
        return info


def pdf_bytes(pdf: FPDF) -> bytes:
    """``pdf.output()`` with the metadata ``pdf_metadata`` set, /ModDate included."""
    return bytes(pdf.output(output_producer_class=_DatedOutput))


# --------------------------------------------------------------------------------------------- text


def letter_text(letter: Letter) -> str:
    """The letter as plain text, in reading order (one block per line, table rows as '键：值')."""
    lines: list[str] = [_clean(letter.title)]
    if letter.number:
        lines.append(_clean(letter.number))
    lines.append("")
    if letter.recipient:
        lines.append(_clean(letter.recipient))
    lines.extend(_clean(p) for p in letter.paragraphs)
    if letter.table:
        lines.append("")
        lines.extend(f"{_clean(k)}：{_clean(v)}" for k, v in letter.table)
    if letter.attachments:
        lines.append("")
        lines.extend(attachment_lines(letter.attachments))
    lines.append("")
    lines.append(_clean(letter.issuer))
    lines.append(chinese_date(letter.issued_on))
    if letter.footer_lines:
        lines.append("")
        lines.extend(_clean(f) for f in letter.footer_lines)
    return "\n".join(lines).strip("\n") + "\n"


# --------------------------------------------------------------------------------------------- layout

# A4 and the GB/T 9704 type area (156 mm × 225 mm), in points.
MM = 72 / 25.4
PAGE_W, PAGE_H = 210 * MM, 297 * MM
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 37 * MM, 35 * MM, 28 * MM, 26 * MM
TITLE_SIZE = 22.0  # 二号
BODY_SIZE = 16.0  # 三号
TABLE_SIZE = 14.0  # 四号
PAGE_NO_SIZE = 14.0  # 四号 (GB/T 9704: page numbers in 4号 半角 Song digits)
PAGE_DASH = "—"  # the 一字线 either side of the page number
# The page number's baseline sits 7 mm below the type area: 35 mm bottom margin less 7 mm, less the
# line's height, from the page edge.
PAGE_NO_FOOTER_MM = 21
LINE = 28.95  # exact line spacing that gives 22 lines on the type area
TITLE_LINE = 36.0
TABLE_LINE = 22.0

DOCX_TITLE_FONT = "方正小标宋简体"
DOCX_BODY_FONT = "仿宋_GB2312"
DOCX_LATIN_FONT = "Times New Roman"
DOCX_PAGE_FONT = "宋体"

# Printed instead of a character the embedded font has no glyph for (〓, the customary 缺字 mark);
# letter_text() and the DOCX keep the real character.
MISSING_GLYPH = "〓"


# --------------------------------------------------------------------------------------------- docx


def append_element(parent: etree._Element, child: etree._Element) -> None:
    """``parent.append(child)`` for any two elements (types-lxml types ``append`` as taking an
    element of the parent's own class, which python-docx's element classes never are)."""
    parent.append(child)


def _docx_font(run: Run, east_asia: str, size: float, *, bold: bool = False) -> None:
    run.font.name = DOCX_LATIN_FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), DOCX_LATIN_FONT)
    rfonts.set(qn("w:eastAsia"), east_asia)


def _docx_text(paragraph: Paragraph, text: str, east_asia: str, size: float, *, bold: bool = False) -> None:
    """Add text as runs; '\n' becomes a line break inside the paragraph."""
    for i, part in enumerate(_clean(text).split("\n")):
        run = paragraph.add_run()
        _docx_font(run, east_asia, size, bold=bold)
        if i:
            run.add_break()
        run.add_text(part)


# What follows w:wordWrap in w:pPr (ECMA-376 CT_PPrBase order).
_PPR_AFTER_WORD_WRAP = tuple(
    f"w:{tag}"
    for tag in [
        "overflowPunct",
        "topLinePunct",
        "autoSpaceDE",
        "autoSpaceDN",
        "bidi",
        "adjustRightInd",
        "snapToGrid",
        "spacing",
        "ind",
        "contextualSpacing",
        "mirrorIndents",
        "suppressOverlap",
        "jc",
        "textDirection",
        "textAlignment",
        "textboxTightWrap",
        "outlineLvl",
        "divId",
        "cnfStyle",
        "rPr",
        "sectPr",
        "pPrChange",
    ]
)


def _docx_spacing(
    paragraph: Paragraph, *, line: float = LINE, first_line_chars: int = 0, right_chars: float = 0
) -> None:
    fmt = paragraph.paragraph_format
    # w:wordWrap=0 is Word's 允许西文在单词中间换行: a long e-mail address or URL fills the line instead
    # of leaving a gap that justification would spread across the Chinese characters.
    ppr = paragraph._p.get_or_add_pPr()
    if ppr.find(qn("w:wordWrap")) is None:
        wrap_el = OxmlElement("w:wordWrap")
        wrap_el.set(qn("w:val"), "0")
        # python-docx types OxmlElement()'s result as a plain lxml element, which it is not.
        ppr.insert_element_before(wrap_el, *_PPR_AFTER_WORD_WRAP)  # type: ignore[arg-type]
    # No automatic space between Chinese and Latin text or digits (Word's and LibreOffice's default):
    # '2026年3月2日' as GB/T 9704 writes it and as the PDF prints it, not '2026 年 3 月 2 日'.
    for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):
        if ppr.find(qn(tag)) is None:
            el = OxmlElement(tag)
            el.set(qn("w:val"), "0")
            after = _PPR_AFTER_WORD_WRAP[_PPR_AFTER_WORD_WRAP.index(tag) + 1 :]
            ppr.insert_element_before(el, *after)  # type: ignore[arg-type]
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(line)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    # Indents in characters (w:*Chars, what Word's 字符 unit writes) with the point values as fallback.
    if first_line_chars:
        fmt.first_line_indent = Pt(BODY_SIZE * first_line_chars)
        ppr.get_or_add_ind().set(qn("w:firstLineChars"), str(first_line_chars * 100))
    if right_chars:
        fmt.right_indent = Pt(BODY_SIZE * right_chars)
        ppr.get_or_add_ind().set(qn("w:rightChars"), str(round(right_chars * 100)))


def _em_width(text: str) -> float:
    """Approximate width in ems: full-width characters 1, the rest ½."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text)


def _signature_offsets(issuer: str, date: str) -> tuple[float, float]:
    """Right indents (in ems) of issuer and date, after GB/T 9704-2012 §7.3.5.2.

    The issuer sits two characters from the right margin and the date starts two characters to the
    right of the issuer's first character; a date longer than that sits two characters from the right
    and pushes the issuer left instead.
    """
    wi, wd = _em_width(issuer), _em_width(date)
    if wd + 2 <= wi:
        return 2.0, 2.0 + (wi - wd - 2)
    return 2.0 + (wd + 2 - wi), 2.0


def _docx_page_field(paragraph: Paragraph, instr: str) -> None:
    """A PAGE or NUMPAGES field (Word fills in the number when it lays out the pages)."""

    def run_with(tag: str, **attrs: str) -> None:
        run = paragraph.add_run()
        _docx_font(run, DOCX_PAGE_FONT, PAGE_NO_SIZE)
        el = OxmlElement(tag)
        for name, value in attrs.items():
            if name == "text":
                el.text = value
            else:
                el.set(qn(name), value)
        append_element(run._element, el)

    run_with("w:fldChar", **{"w:fldCharType": "begin"})
    run_with("w:instrText", **{"xml:space": "preserve", "text": f" {instr} "})
    run_with("w:fldChar", **{"w:fldCharType": "separate"})
    run_with("w:t", text="1")
    run_with("w:fldChar", **{"w:fldCharType": "end"})


def page_number_text(number: int | str) -> str:
    """'— 1 —': the page number between two 一字线 (GB/T 9704-2012 §7.5), as both formats print it."""
    return f"{PAGE_DASH} {number} {PAGE_DASH}"


def docx_page_numbers(section: Section) -> None:
    """The section's footer: the page number as '— 1 —', centred, in 4号 Song face (a PAGE field)."""
    section.footer_distance = Mm(PAGE_NO_FOOTER_MM)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _docx_text(footer, f"{PAGE_DASH} ", DOCX_PAGE_FONT, PAGE_NO_SIZE)
    _docx_page_field(footer, "PAGE")
    _docx_text(footer, f" {PAGE_DASH}", DOCX_PAGE_FONT, PAGE_NO_SIZE)


def _docx_metadata(doc: DocxDocument, letter: Letter, when: datetime.datetime) -> None:
    docx_metadata(doc, title=letter.title, agency=letter.issuer, when=when)


def docx_metadata(doc: DocxDocument, *, title: str, agency: str, when: datetime.datetime) -> None:
    """Core and extended properties naming only the agency (author and last modified by), the title
    and the generation time.

    python-docx's template carries its own (creator 'python-docx', created 2013-12-23, description
    'generated by python-docx', an application 'Microsoft Macintosh Word', a thumbnail): all of it goes.
    Times are written in Beijing time with their offset (W3CDTF, e.g. 2026-11-30T08:23:10+08:00).
    """
    core = doc.core_properties
    element = core._element
    for child in list(element):
        element.remove(child)
    core.title = _clean(title)
    core.author = core.last_modified_by = _clean(agency)
    core.language = "zh-CN"
    stamp = when.isoformat(timespec="seconds")
    for name in ("created", "modified"):
        setattr(core, name, when)
        element.find(qn(f"dcterms:{name}")).text = stamp

    package = doc.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype in (RT.THUMBNAIL, RT.EXTENDED_PROPERTIES):
            package.rels.pop(rid)
    company = escape(_clean(agency))
    app_xml = (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        f'<Properties xmlns="{_EXTENDED_NS}"><Company>{company}</Company></Properties>'
    )
    app = Part(PackURI("/docProps/app.xml"), CT.OFC_EXTENDED_PROPERTIES, app_xml.encode(), package)
    package.relate_to(app, RT.EXTENDED_PROPERTIES)


_EXTENDED_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"


def render_docx(letter: Letter, *, generated_at: datetime.datetime | None = None) -> bytes:
    """The letter as a Word document (A4, GB/T 9704 layout).

    Metadata: see ``_docx_metadata``; ``generated_at`` (aware) defaults to now, in Beijing time.
    """
    doc = Document()
    _docx_metadata(doc, letter, generation_time(generated_at))

    normal = doc.styles["Normal"]
    normal.font.name = DOCX_LATIN_FONT
    normal.font.size = Pt(BODY_SIZE)
    rpr = normal.element.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), DOCX_BODY_FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)

    docx_page_numbers(section)

    def para(
        text: str = "",
        *,
        font: str = DOCX_BODY_FONT,
        size: float = BODY_SIZE,
        align: WD_PARAGRAPH_ALIGNMENT | None = None,
        bold: bool = False,
        first_line_chars: int = 0,
        right_chars: float = 0,
    ) -> Paragraph:
        p = doc.add_paragraph()
        if align is not None:
            p.alignment = align
        _docx_spacing(p, first_line_chars=first_line_chars, right_chars=right_chars)
        if text:
            _docx_text(p, text, font, size, bold=bold)
        return p

    # python-docx's template starts with one empty paragraph: use it for the title.
    first = doc.paragraphs[0] if doc.paragraphs else doc.add_paragraph()
    first.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _docx_spacing(first, line=TITLE_LINE)
    _docx_text(first, letter.title, DOCX_TITLE_FONT, TITLE_SIZE, bold=True)
    if letter.number:
        para(letter.number, align=WD_ALIGN_PARAGRAPH.CENTER)
    para()
    if letter.recipient:
        para(letter.recipient)
    body = [para(text, align=WD_ALIGN_PARAGRAPH.JUSTIFY, first_line_chars=2) for text in letter.paragraphs]

    if letter.table:
        para()
        table = doc.add_table(rows=0, cols=2)
        table.style = doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        widths = (Mm(45), Mm(111))
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
        for key, value in letter.table:
            cells = table.add_row().cells
            for cell, text, width in zip(cells, (key, value), widths, strict=True):
                cell.width = width
                p = cell.paragraphs[0]
                _docx_spacing(p, line=TABLE_LINE)
                _docx_text(p, text, DOCX_BODY_FONT, TABLE_SIZE)
        body = [cell.paragraphs[0] for cell in table.rows[-1].cells]

    if letter.attachments:
        # GB/T 9704 §7.3.4: one blank line under the body, 附件 two characters in, the names of later
        # attachments aligned under the first one's.
        para()
        body = []
        for i, (label, name) in enumerate(_attachment_items(letter.attachments)):
            # The name's first character at 5 characters plus the number ('1. ': digits ½ em, '. ' ½).
            label_em = 0.5 * (len(label) - 2) + 0.5 if label else 0.0
            hanging = label_em + (3 if i == 0 else 0)
            p = para(("附件：" if i == 0 else "") + label + name, align=WD_ALIGN_PARAGRAPH.LEFT)
            fmt = p.paragraph_format
            fmt.left_indent = Pt(BODY_SIZE * (5 + label_em))
            ind = p._p.get_or_add_pPr().get_or_add_ind()
            ind.set(qn("w:leftChars"), str(round((5 + label_em) * 100)))
            if hanging:
                fmt.first_line_indent = Pt(-BODY_SIZE * hanging)
                ind.set(qn("w:hangingChars"), str(round(hanging * 100)))
            fmt.keep_with_next = True
            body.append(p)

    # GB/T 9704: the signature never stands alone on a page; Word keeps it with the end of the body.
    for p in body[-1:] if not letter.table or letter.attachments else body:
        p.paragraph_format.keep_with_next = True
    date = chinese_date(letter.issued_on)
    issuer_right, date_right = _signature_offsets(_clean(letter.issuer), date)
    para().paragraph_format.keep_with_next = True
    para(
        letter.issuer, align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=issuer_right
    ).paragraph_format.keep_with_next = True
    para(date, align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=date_right)
    if letter.footer_lines:
        para()
        for text in letter.footer_lines:
            para(text, align=WD_ALIGN_PARAGRAPH.JUSTIFY, first_line_chars=2)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# --------------------------------------------------------------------------------------------- line breaking

# Chinese line-breaking rules (after CLREQ / GB/T 15834): these may not start a line …
NO_LINE_START = frozenset(
    "，。、；：？！）》」』】〕〗〉］｝”’…·・%％‰℃,.;:?!)]}>〞﹐﹑﹒﹔﹕﹖﹗﹚﹜﹞｡､ー々〻ゝゞ"
)
# … and these may not end one.
NO_LINE_END = frozenset("（《「『【〔〖〈［｛“‘([{<〝﹙﹛﹝")
# Doubled, these are one unit ('——', '……') that is never split across lines.
UNSPLIT_RUNS = frozenset("—…")
# ASCII word characters kept together on one line when they fit (numbers, codes, URLs, phone numbers).
_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-/_@#&+=:%'")


def _tokens(text: str) -> list[str]:
    """Split one line of text into units a line break may fall between."""
    tokens: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        j = i + 1
        if ch in _WORD_CHARS:
            while j < n and text[j] in _WORD_CHARS:
                j += 1
        elif ch in UNSPLIT_RUNS and i + 1 < n and text[i + 1] == ch:
            j = i + 2  # '——' and '……' are one unit each
        tokens.append(text[i:j])
        i = j
    return tokens


def _fit(text: str, avail: float, measure: Callable[[str], float]) -> int:
    """How many leading characters of text fit in avail."""
    taken, cut = 0.0, 0
    while cut < len(text) and taken + measure(text[cut]) <= avail + 1e-6:
        taken += measure(text[cut])
        cut += 1
    return cut


def wrap(
    text: str, width: float, measure: Callable[[str], float], first_indent: float = 0.0
) -> list[tuple[str, bool]]:
    """Break text into lines no wider than ``width``.

    ``measure(s)`` gives the width of a string. Returns (line, is_full) pairs; is_full is True for a line
    ended by wrapping (to be justified) and False for the last line of the text or a line before '\n'.
    The first line is ``first_indent`` narrower. Only spaces at a break are dropped: joining the lines
    gives back every other character of the text.
    """
    em = measure("国")
    lines: list[tuple[str, bool]] = []
    indent = first_indent
    for hard_line in text.split("\n"):
        tokens = _tokens(hard_line)
        if not tokens:
            lines.append(("", False))
            indent = 0.0
            continue
        start = 0
        while start < len(tokens):
            avail = width - indent
            indent = 0.0
            used, end = 0.0, start
            while end < len(tokens) and used + measure(tokens[end]) <= avail + 1e-6:
                used += measure(tokens[end])
                end += 1
            if end == len(tokens):
                lines.append(("".join(tokens[start:]).rstrip(" "), False))
                break
            token = tokens[end]
            if len(token) > 1 and token[0] in _WORD_CHARS and (end == start or avail - used > 2 * em):
                # A Latin word or number that would leave a gap of more than two characters (or that is
                # wider than a whole line): split it, as Chinese typesetting does, rather than stretch.
                cut = _fit(token, avail - used, measure)
                while 0 < cut < len(token) and token[cut] in NO_LINE_START:
                    cut -= 1
                if cut == 0 and end == start:
                    cut = 1
                if cut:
                    tokens[end : end + 1] = [token[:cut], token[cut:]]
                    end += 1
            elif end == start:
                end = start + 1  # a single unit wider than the line ('——' on a tiny width): let it overflow
                if end == len(tokens):
                    lines.append((tokens[start], False))
                    break
            # Move the break back while it would put a closing mark at a line start or an opening one at
            # a line end; give up (break where it overflowed) rather than leave a line with one unit.
            brk = end
            while brk > start + 1 and _bad_break(tokens, brk):
                brk -= 1
            if _bad_break(tokens, brk):
                brk = end
            lines.append(("".join(tokens[start:brk]).rstrip(" "), True))
            start = brk
            while start < len(tokens) and tokens[start] == " ":
                start += 1
    return lines


def _bad_break(tokens: list[str], b: int) -> bool:
    return tokens[b][0] in NO_LINE_START or tokens[b - 1][-1] in NO_LINE_END


# --------------------------------------------------------------------------------------------- pdf


class _LetterPDF(FPDF):
    font_family_name = "cjk"

    def footer(self) -> None:
        self.set_font(self.font_family_name, size=PAGE_NO_SIZE)
        self.set_char_spacing(0)
        self.set_xy(MARGIN_LEFT, PAGE_H - MARGIN_BOTTOM + 7 * MM)
        text = page_number_text(self.page_no())
        self.cell(PAGE_W - MARGIN_LEFT - MARGIN_RIGHT, PAGE_NO_SIZE * 1.2, text, align="C")


class _PdfWriter:
    """Places wrapped lines on A4 pages, starting a new page when the type area is full."""

    def __init__(self, letter: Letter, generated_at: datetime.datetime) -> None:
        pdf = _LetterPDF(unit="pt", format="A4")
        pdf.set_margins(MARGIN_LEFT, MARGIN_TOP, MARGIN_RIGHT)
        pdf.set_auto_page_break(False)
        pdf.add_font(pdf.font_family_name, fname=str(cjk_font_path()))
        # add_font just loaded it from a file: a TrueType font, not one of the PDF core fonts.
        self.cmap: set[int] = set(cast(TTFFont, pdf.fonts[pdf.font_family_name]).cmap)
        self._add_fallbacks(pdf, letter)
        self.title_family = pdf.font_family_name
        title_face = title_font_path()
        if title_face != cjk_font_path() and all(
            ch.isspace() or ord(ch) in font_cmap(title_face) for ch in _clean(letter.title)
        ):
            self.title_family = "cjk-title"
            pdf.add_font(self.title_family, fname=str(title_face))
        _pdf_metadata(pdf, letter, generated_at)
        pdf.set_lang("zh-CN")
        self.pdf = pdf
        self.width = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT
        self.bottom = PAGE_H - MARGIN_BOTTOM
        self.size = BODY_SIZE
        pdf.add_page()
        pdf.set_font(pdf.font_family_name, size=BODY_SIZE)
        self.y = MARGIN_TOP

    def _add_fallbacks(self, pdf: FPDF, letter: Letter) -> None:
        """Embed the fallback faces this letter needs (only those: each one costs time and bytes)."""
        wanted = {ord(ch) for ch in letter_text(letter)} - self.cmap
        names: list[str] = []
        for index, path in enumerate(fallback_font_paths()):
            if not wanted:
                break
            useful = wanted & font_cmap(path)
            if useful:
                name = f"fallback{index}"
                pdf.add_font(name, fname=str(path))
                names.append(name)
                self.cmap |= useful
                wanted -= useful
        if names:
            pdf.set_fallback_fonts(names, exact_match=False)

    # -- text helpers
    def printable(self, text: str) -> str:
        """The text with characters no face has replaced by MISSING_GLYPH (never dropped)."""
        return "".join(
            ch if ch in " \n" or ord(ch) in self.cmap else MISSING_GLYPH
            for ch in _clean(text)
            if not is_variation_selector(ch)  # no glyph of its own: the base character prints
        )

    def set_size(self, size: float) -> None:
        self.size = size
        self.pdf.set_font(self.pdf.font_family_name, size=size)

    def measure(self, text: str) -> float:
        self.pdf.set_char_spacing(0)
        return self.pdf.get_string_width(text)

    def new_page(self) -> None:
        self.pdf.add_page()
        self.y = MARGIN_TOP

    def ensure_room(self, height: float) -> None:
        if self.y + height > self.bottom + 1e-6:
            self.new_page()

    def line(self, text: str, *, x: float, height: float, justify_to: float | None = None) -> None:
        """One line at the current y (after a page break if it does not fit)."""
        self.ensure_room(height)
        natural = self.measure(text)
        spacing = 0.0
        if justify_to is not None and len(text) > 1:
            spacing = max(0.0, (justify_to - natural) / (len(text) - 1))
            spacing = min(spacing, self.size * 0.5)  # a nearly empty line stays readable
        self.pdf.set_char_spacing(spacing)
        self.pdf.set_xy(x, self.y)
        self.pdf.cell(natural + spacing * len(text), height, text)
        self.pdf.set_char_spacing(0)
        self.y += height

    def blank(self, height: float = LINE) -> None:
        if self.y > MARGIN_TOP:  # no empty line at the top of a page
            self.y += height

    # -- blocks
    def _break_before(self, count: int, height: float, keep_with_next: float) -> int | None:
        """Where to force a page break in a block of ``count`` lines so that what follows it (of height
        ``keep_with_next``, e.g. the signature) does not start a page alone: the block's last two lines
        go over with it. None when the natural breaks already do."""
        y, at_top = self.y, []
        for _ in range(count):
            if y + height > self.bottom + 1e-6:
                y = MARGIN_TOP
            at_top.append(y <= MARGIN_TOP + 1e-6)
            y += height
        if not keep_with_next or y + keep_with_next <= self.bottom + 1e-6:
            return None
        k = max(0, count - 2)
        return None if any(at_top[k:]) else k

    def paragraph(
        self,
        text: str,
        *,
        indent_chars: int = 2,
        align: str = "J",
        height: float = LINE,
        keep_with_next: float = 0.0,
    ) -> None:
        indent = self.size * indent_chars
        lines = wrap(self.printable(text), self.width, self.measure, first_indent=indent)
        force = self._break_before(len(lines), height, keep_with_next)
        for i, (line, full) in enumerate(lines):
            if i == force:
                self.new_page()
            offset = indent if i == 0 else 0.0
            if align == "C":
                self.line(line, x=MARGIN_LEFT + (self.width - self.measure(line)) / 2, height=height)
            else:
                target = self.width - offset if full and align == "J" else None
                self.line(line, x=MARGIN_LEFT + offset, height=height, justify_to=target)

    def title(self, text: str) -> None:
        self.size = TITLE_SIZE
        self.pdf.set_font(self.title_family, size=TITLE_SIZE)
        for line, _ in wrap(self.printable(text), self.width, self.measure):
            self.ensure_room(TITLE_LINE)  # outside the local context: the page footer must not inherit it
            # Fill + stroke: the usual stand-in for a bold 小标宋 when the font has a regular face only;
            # the local context brackets it in q … Q so the stroke does not leak into the rest of the page.
            with self.pdf.local_context(text_mode=TextMode.FILL_STROKE, line_width=0.45, draw_color=0):
                x = MARGIN_LEFT + (self.width - self.measure(line)) / 2
                self.line(line, x=x, height=TITLE_LINE)
        self.set_size(BODY_SIZE)

    def signature(self, issuer: str, date: str) -> None:
        issuer, date = self.printable(issuer), self.printable(date)
        wi, wd, em = self.measure(issuer), self.measure(date), self.size
        right = MARGIN_LEFT + self.width - 2 * em
        if wd + 2 * em <= wi:
            xi = right - wi
            xd = xi + 2 * em
        else:
            xd = right - wd
            xi = xd - 2 * em
        if xi < MARGIN_LEFT:  # a very long issuer: wrap it flush right instead
            self.paragraph(issuer, indent_chars=0, align="L")
        else:
            self.ensure_room(2 * LINE)
            self.line(issuer, x=xi, height=LINE)
        self.line(date, x=max(xd, MARGIN_LEFT), height=LINE)

    def attachments(self, names: Sequence[str], *, keep_with_next: float = 0.0) -> None:
        """The 附件 note: '附件：' two characters in, each name (after its number) wrapping under
        its own first character (GB/T 9704-2012 §7.3.4)."""
        em = self.size
        lead = self.measure("附件：")
        start = MARGIN_LEFT + 2 * em + lead
        lines: list[tuple[float, str]] = []
        for label, name in _attachment_items(names):
            name = self.printable(name)
            x_name = start + self.measure(label)
            wrapped = wrap(name, MARGIN_LEFT + self.width - x_name, self.measure)
            for k, (line, _) in enumerate(wrapped):
                lines.append((start, label + line) if k == 0 else (x_name, line))
        # The note stays whole with the signature (as Word keeps its paragraphs with the next one).
        height = len(lines) * LINE + keep_with_next
        if self.y + height > self.bottom + 1e-6 and height <= self.bottom - MARGIN_TOP:
            self.new_page()
        for i, (x, line) in enumerate(lines):
            if i == 0:
                self.ensure_room(LINE)
                self.pdf.set_xy(MARGIN_LEFT + 2 * em, self.y)
                self.pdf.cell(lead, LINE, "附件：")
            self.line(line, x=x, height=LINE)

    def table(self, rows: Sequence[tuple[str, str]], *, keep_with_next: float = 0.0) -> None:
        self.set_size(TABLE_SIZE)
        pad = 1.5 * MM  # close to Word's default cell margins: both tables have rows of one height
        key_w = self.width * 0.3
        cols = ((MARGIN_LEFT, key_w), (MARGIN_LEFT + key_w, self.width - key_w))
        pdf = self.pdf
        pdf.set_line_width(0.6)
        for index, (key, value) in enumerate(rows):
            cells = [
                [line for line, _ in wrap(self.printable(text), w - 2 * pad, self.measure)]
                for text, (_, w) in zip((key, value), cols, strict=True)
            ]
            done, total = 0, max(len(c) for c in cells)
            row_h = total * TABLE_LINE + 2 * pad
            if (
                index == len(rows) - 1
                and len(rows) > 1
                and keep_with_next
                and self.y + row_h <= self.bottom
                and self.y + row_h + keep_with_next > self.bottom
                and row_h + keep_with_next <= self.bottom - MARGIN_TOP
            ):
                self.new_page()  # the last row goes over with the signature
            while done < total:
                fit = int((self.bottom - self.y - 2 * pad) // TABLE_LINE)
                rest = total - done
                if fit < min(rest, 1) or (
                    fit < rest and rest * TABLE_LINE + 2 * pad <= self.bottom - MARGIN_TOP
                ):
                    self.new_page()
                    continue
                chunk = min(fit, rest)
                height = chunk * TABLE_LINE + 2 * pad
                for (x, w), lines in zip(cols, cells, strict=True):
                    pdf.rect(x, self.y, w, height)
                    for k, line in enumerate(lines[done : done + chunk]):
                        pdf.set_xy(x + pad, self.y + pad + k * TABLE_LINE)
                        pdf.cell(self.measure(line), TABLE_LINE, line)
                self.y += height
                done += chunk
        self.set_size(BODY_SIZE)

    def output(self) -> bytes:
        return pdf_bytes(self.pdf)


def render_pdf(letter: Letter, *, generated_at: datetime.datetime | None = None) -> bytes:
    """The letter as a PDF (A4, the Chinese font embedded as a subset, '— N —' on every page).

    Characters the main face lacks come from the fallback faces (``fonts.fallback_font_paths``); any
    that no face has print as MISSING_GLYPH (``fonts.missing_characters`` names them beforehand).
    Metadata: see ``_pdf_metadata``; ``generated_at`` defaults to now (Beijing time).
    """
    w = _PdfWriter(letter, generation_time(generated_at))
    w.title(letter.title)
    if letter.number:
        w.paragraph(letter.number, indent_chars=0, align="C")
    w.blank()
    # GB/T 9704: the signature never stands alone on a page; the last lines of the body go over with it.
    signature_height = 3 * LINE
    if letter.recipient:
        last = not letter.paragraphs and not letter.table
        w.paragraph(letter.recipient, indent_chars=0, align="L", keep_with_next=signature_height * last)
    for i, text in enumerate(letter.paragraphs):
        last = i == len(letter.paragraphs) - 1 and not letter.table and not letter.attachments
        w.paragraph(text, keep_with_next=signature_height if last else 0.0)
    if letter.table:
        w.blank(LINE / 2)
        w.table(letter.table, keep_with_next=signature_height)
    if letter.attachments:
        w.blank()
        w.attachments(letter.attachments, keep_with_next=signature_height)
    w.blank()
    w.signature(letter.issuer, chinese_date(letter.issued_on))
    if letter.footer_lines:
        w.blank()
        for text in letter.footer_lines:
            w.paragraph(text)
    return w.output()
