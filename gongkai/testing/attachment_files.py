"""Files with hidden content, and files built to exhaust a reader, for the text-extraction tests.

Everything is generated here, small and fast: the bombs inflate to what the test asks for.
"""

from __future__ import annotations

import io
import zipfile
import zlib

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# Hidden personal data planted in the files below (valid-looking, made up).
HIDDEN_NAME = "隐藏人甲"
HIDDEN_ID = "11010119900307803X"
HIDDEN_PHONE = "13912345678"


def raw_pdf(*objects: bytes, root: int = 1, header: bytes = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n") -> bytes:
    """A PDF from object bodies (numbered from 1) with a correct classic cross-reference table."""
    out = io.BytesIO()
    out.write(header)
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    out.write(
        b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    )
    return out.getvalue()


def xlsx_with_hidden_cells() -> bytes:
    """A 公示 sheet with one visible row, a hidden row and a hidden column of ID numbers, a cell
    comment; a hidden and a very hidden sheet with names and phone numbers."""
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.worksheet.worksheet import Worksheet

    book = openpyxl.Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    sheet.title = "公示"
    sheet.append(["姓名", "补助金额", "身份证号"])
    sheet.append(["公示人乙", 300, "110101199003074514"])
    sheet.append([HIDDEN_NAME, 400, HIDDEN_ID])
    sheet.row_dimensions[3].hidden = True
    sheet.column_dimensions["C"].hidden = True
    sheet["A1"].comment = Comment(f"联系电话{HIDDEN_PHONE}", "经办人")
    names = book.create_sheet("名单")
    names.append(["隐藏人丙", "13800138000"])
    names.sheet_state = "hidden"
    deep = book.create_sheet("底稿")
    deep.append(["隐藏人丁", "13700137000"])
    deep.sheet_state = "veryHidden"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def docx_with_hidden_text() -> bytes:
    """Visible body, header, footer and table; a comment, a tracked deletion, hidden (vanish) text,
    and a tracked insertion (shown)."""
    import docx
    from docx.oxml import parse_xml

    from gongkai.documents.render import append_element

    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "页眉可见文字"
    section.footer.paragraphs[0].text = "页脚可见文字"
    paragraph = document.add_paragraph("正文可见文字。")
    paragraph.add_run(f"隐藏文字{HIDDEN_NAME}").font.hidden = True
    changed = document.add_paragraph("保留的文字")
    append_element(
        changed._p,
        parse_xml(
            f'<w:del xmlns:w="{W_NS}" w:id="90" w:author="a" w:date="2025-01-01T00:00:00Z">'
            f"<w:r><w:delText>删除的身份证号{HIDDEN_ID}</w:delText></w:r></w:del>"
        ),
    )
    append_element(
        changed._p,
        parse_xml(
            f'<w:ins xmlns:w="{W_NS}" w:id="91" w:author="a" w:date="2025-01-01T00:00:00Z">'
            "<w:r><w:t>插入的可见文字</w:t></w:r></w:ins>"
        ),
    )
    document.add_comment(paragraph.runs[0], text=f"批注电话{HIDDEN_PHONE}", author="审核人")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "表格左"
    table.cell(0, 1).text = "表格右"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf(
    pages: list[str],
    *,
    annotations: dict[int, str] | None = None,
    shared_stream: bytes | None = None,
    distinct_streams: bytes | None = None,
) -> bytes:
    """A PDF whose pages show Latin text lines (Helvetica), with text annotations ({page index:
    text}); or whose pages all draw one shared compressed content stream; or each its own copy."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog, tree = add(b""), add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    resources = add(b"<< /Font << /F1 %d 0 R >> >>" % font)

    def stream(data: bytes) -> int:
        packed = zlib.compress(data, 9)
        return add(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream")

    shared = stream(shared_stream) if shared_stream is not None else None
    kids = []
    for index, text in enumerate(pages):
        if shared is not None:
            contents = shared
        elif distinct_streams is not None:
            contents = stream(distinct_streams + b"%% page %d\n" % index)
        else:
            contents = stream(b"BT /F1 12 Tf 72 720 Td (" + text.encode("latin-1") + b") Tj ET")
        notes = []
        for page, note in (annotations or {}).items():
            if page == index:
                encoded = ("\ufeff" + note).encode("utf-16-be").hex().encode()
                notes.append(
                    b"%d 0 R"
                    % add(b"<< /Type /Annot /Subtype /Text /Rect [0 0 20 20] /Contents <" + encoded + b"> >>")
                )
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources %d 0 R "
                b"/Contents %d 0 R /Annots [%s] >>" % (tree, resources, contents, b" ".join(notes))
            )
        )
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % tree
    objects[tree - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % kid for kid in kids),
        len(kids),
    )
    return raw_pdf(*objects, header=b"%PDF-1.4\n")


# A content stream that costs pypdf's text extraction about a second per MiB and yields no text.
SLOW_CONTENT_LINE = b"BT /F1 12 Tf () Tj ET\n"


def slow_content(size: int) -> bytes:
    return SLOW_CONTENT_LINE * (size // len(SLOW_CONTENT_LINE))


def pdf_shared_stream_bomb(pages: int, stream_bytes: int) -> bytes:
    """The issue's shape: many pages drawing one highly compressible content stream."""
    return pdf(["x"] * pages, shared_stream=slow_content(stream_bytes))


def pdf_distinct_streams_bomb(pages: int, stream_bytes: int) -> bytes:
    """The harder variant: every page its own copy of such a stream."""
    return pdf(["x"] * pages, distinct_streams=slow_content(stream_bytes))


def docx_inflating(total_bytes: int, *, paragraph: bytes = b"<w:p/>") -> bytes:
    """A small DOCX whose document.xml inflates to about `total_bytes` of repeated `paragraph`,
    after one visible paragraph (开头可见文字)."""
    import docx

    document = docx.Document()
    document.add_paragraph("开头可见文字")
    buffer = io.BytesIO()
    document.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        for info in source.infolist():
            data = source.read(info)
            if info.filename != "word/document.xml":
                package.writestr(info, data)
                continue
            head, tail = data.split(b"</w:body>")[0].rsplit(b"<w:sectPr", 1)
            chunk = paragraph * max(1, (1024 * 1024) // len(paragraph))
            with package.open("word/document.xml", "w", force_zip64=True) as member:
                member.write(head)
                written = 0
                while written < total_bytes:
                    member.write(chunk)
                    written += len(chunk)
                member.write(b"<w:sectPr" + tail + b"</w:body></w:document>")
    return out.getvalue()


def distinct_bigram_text(length: int, *, seed: int = 10) -> str:
    """`length` CJK ideographs drawn (deterministically) from the 20,992 of the URO: almost every
    bigram is a new lexeme, the worst case for a tsvector."""
    import random

    chooser = random.Random(seed)  # noqa: S311 - test data, not a secret
    return "".join(chr(chooser.randrange(0x4E00, 0xA000)) for _ in range(length))


def docx_of(text: str) -> bytes:
    """A DOCX whose body is `text`, in paragraphs of 1,000 characters."""
    import docx

    document = docx.Document()
    for start in range(0, len(text), 1000):
        document.add_paragraph(text[start : start + 1000])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
