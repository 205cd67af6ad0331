"""Uploads are checked through the whole file: active PDFs, fake PDFs, macros and zip bombs are refused.

Issue 10, §4 'Uploads': PDFs carrying JavaScript, launch actions or embedded files, and files that start
with %PDF but do not parse, are refused (catalogue attachments and applicants' files alike); attachment
names longer than the limit keep their extension.
"""

from __future__ import annotations

import datetime
import io
import zipfile
import zlib

import docx
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from gongkai.applications.models import ApplicationFile
from gongkai.catalogue import services
from gongkai.catalogue.models import Attachment
from gongkai.documents.render import Letter, render_pdf
from gongkai.documents.upload_content import ZIP_MAX_MEMBERS
from gongkai.documents.uploads import NAME_MAX, UploadRejected, check_upload, fit_name
from gongkai.testing import builders
from gongkai.testing.attachment_files import raw_pdf
from gongkai.testing.files import minimal_pdf, pdf_upload

LIMIT = 20 * 1024 * 1024


# ------------------------------------------------------------------------------------------- makers


def page_pdf(catalog: bytes = b"", page: bytes = b"", *more: bytes) -> bytes:
    """One page; ``catalog`` and ``page`` are extra dictionary entries; ``more`` are objects 4, 5, …"""
    return raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] " + page + b" >>",
        *more,
    )


def object_stream_pdf(hidden: bytes) -> bytes:
    """A PDF 1.5 file whose object 5 (the /OpenAction) sits compressed inside an object stream,
    listed only by a cross-reference stream: invisible to a scan of the raw bytes."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}

    def put(number: int, body: bytes) -> None:
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")

    put(1, b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>")
    put(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    put(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>")
    inner = b"5 0 " + hidden
    packed = zlib.compress(inner)
    put(
        4,
        b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n" % len(packed)
        + packed
        + b"\nendstream",
    )
    xref_at = out.tell()
    rows = [b"\x00\x00\x00\x00\x00\xff\xff"]
    for number in (1, 2, 3, 4):
        rows.append(b"\x01" + offsets[number].to_bytes(4, "big") + b"\x00\x00")
    rows.append(b"\x02" + (4).to_bytes(4, "big") + b"\x00\x00")  # object 5: in stream 4, index 0
    rows.append(b"\x01" + xref_at.to_bytes(4, "big") + b"\x00\x00")  # object 6: this stream
    data = b"".join(rows)
    out.write(
        b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % len(data)
        + data
        + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at
    )
    return out.getvalue()


def docx_bytes(extra: dict[str, bytes] | None = None, *, drop: str = "", content_types=None) -> bytes:
    document = docx.Document()
    document.add_paragraph("各股室：现将有关事项通知如下。")
    buffer = io.BytesIO()
    document.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename == drop:
                continue
            data = source.read(info)
            if info.filename == "[Content_Types].xml" and content_types:
                data = content_types(data)
            target.writestr(info.filename, data)
        for name, data in (extra or {}).items():
            target.writestr(name, data)
    return out.getvalue()


def check(name: str, data: bytes):
    return check_upload(name, io.BytesIO(data), len(data), max_bytes=LIMIT)


def refused(name: str, data: bytes) -> str:
    with pytest.raises(UploadRejected) as caught:
        check(name, data)
    return caught.value.message


# ------------------------------------------------------------------------------------------- PDF

JS = "JavaScript脚本"


@pytest.mark.parametrize(
    ("data", "what"),
    [
        pytest.param(
            page_pdf(b"/OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >>"), JS, id="open-action"
        ),
        pytest.param(
            page_pdf(
                b"/Names << /JavaScript 4 0 R >>", b"", b"<< /Names [(a) 5 0 R] >>", b"<< /S /JavaScript >>"
            ),
            JS,
            id="name-tree",
        ),
        pytest.param(page_pdf(b"", b"/AA << /O << /S /JavaScript /JS 4 0 R >> >>", b"(x)"), JS, id="page-aa"),
        pytest.param(
            page_pdf(
                b"/AcroForm << /Fields [4 0 R] >>",
                b"/Annots [4 0 R]",
                b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (f) /Rect [0 0 9 9] /P 3 0 R "
                b"/AA << /K << /S /JavaScript /JS (event.value=1) >> >> >>",
            ),
            JS,
            id="field-aa",
        ),
        # Name escapes: /J#61vaScript is /JavaScript, /J#53 is /JS, once parsed.
        pytest.param(page_pdf(b"/OpenAction << /S /J#61vaScript /J#53 (x) >>"), JS, id="escaped-name"),
        pytest.param(
            page_pdf(b"/OpenAction << /S /#4a#61#76#61#53#63#72#69#70#74 >>"), JS, id="escaped-value"
        ),
        pytest.param(object_stream_pdf(b"<< /S /JavaScript /JS (x) >>"), JS, id="in-object-stream"),
        pytest.param(page_pdf(b"/OpenAction << /S /Launch /F (calc.exe) >>"), "启动外部程序", id="launch"),
        pytest.param(
            page_pdf(b"/OpenAction << /S /L#61unch /F (cmd.exe) >>"), "启动外部程序", id="escaped-launch"
        ),
        pytest.param(
            page_pdf(
                b"/Names << /EmbeddedFiles << /Names [(a.exe) 4 0 R] >> >>",
                b"",
                b"<< /Type /Filespec /F (a.exe) /EF << /F 5 0 R >> >>",
                b"<< /Type /EmbeddedFile /Length 2 >>\nstream\nMZ\nendstream",
            ),
            "嵌入文件",
            id="embedded-files",
        ),
        pytest.param(
            page_pdf(
                b"",
                b"/Annots [4 0 R]",
                b"<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 9 9] /FS << /F (a.exe) >> >>",
            ),
            "文件附件",
            id="file-attachment-annotation",
        ),
    ],
)
def test_it_refuses_pdfs_carrying_scripts_launch_actions_or_embedded_files(data, what):
    message = refused("通知.pdf", data)
    assert message.startswith("附件“通知.pdf”：PDF文件含有") and what in message


def test_it_refuses_a_pdf_with_an_attachment_written_by_a_pdf_library():
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_attachment("说明.txt", b"hidden")
    out = io.BytesIO()
    writer.write(out)
    assert "嵌入文件" in refused("通知.pdf", out.getvalue())


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"%PDF-1.4\nThis is a plain text note, not a PDF.\n" * 20, id="text"),
        pytest.param(b"%PDF-1.7\n" + bytes(range(256)) * 40, id="binary"),
        pytest.param(minimal_pdf()[:200], id="truncated"),
        pytest.param(raw_pdf(b"<< /Type /Pages /Kids [] /Count 0 >>"), id="root-not-a-catalog"),
    ],
)
def test_it_refuses_files_that_start_like_a_pdf_but_do_not_parse(data):
    message = refused("扫描件.pdf", data)
    assert "无法按PDF格式解析" in message


def test_it_accepts_clean_pdfs_including_the_demo_form_and_a_letter_with_rare_characters():
    from gongkai.demo.builder import _form_pdf

    for data in (
        minimal_pdf(),
        minimal_pdf(pages=30),
        _form_pdf(),
        render_pdf(
            Letter("答复书", "1号", "张𠮷：", ("正文。",), "示范县人民政府", datetime.date(2026, 1, 5))
        ),
        page_pdf(b"/OpenAction [3 0 R /Fit]"),  # an ordinary open action (go to page 1)
    ):
        assert check("通知.pdf", data).content_type == "application/pdf"


def test_it_does_not_inflate_page_content_while_checking():
    # 100 pages sharing one content stream that inflates to 200 MB: pypdf refuses to decode more than
    # 75 MB, so the file would be refused as broken if the check decoded content; it must not.
    packer = zlib.compressobj(9)
    packed = b"".join(packer.compress(b"\x00" * (1024 * 1024)) for _ in range(200)) + packer.flush()
    kids = b" ".join(b"%d 0 R" % n for n in range(4, 104))
    pages = [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 3 0 R >>"] * 100
    data = raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count 100 >>",
        b"<< /Filter /FlateDecode /Length %d >>\nstream\n" % len(packed) + packed + b"\nendstream",
        *pages,
    )
    assert len(data) < 1024 * 1024
    assert check("通知.pdf", data).name == "通知.pdf"


def test_a_refused_pdf_is_stored_nowhere(team):
    item = team.draft()
    bad = page_pdf(b"/OpenAction << /S /JavaScript /JS (x) >>")
    with pytest.raises(ValidationError, match="JavaScript"):
        services.attachment_add(actor=team.clerk, item=item, upload=SimpleUploadedFile("通知.pdf", bad))
    assert not Attachment.objects.exists()


# ------------------------------------------------------------------------------------------- DOCX / XLSX


def test_it_accepts_an_ordinary_docx():
    assert check("通知.docx", docx_bytes()).content_type.endswith("wordprocessingml.document")


def test_it_refuses_office_files_with_macros():
    assert "含有宏" in refused(
        "通知.docx", docx_bytes({"word/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\0" * 60})
    )

    def macro_type(data: bytes) -> bytes:
        return data.replace(
            b"wordprocessingml.document.main+xml", b"application/vnd.ms-word.document.macroEnabled.main+xml"
        )

    assert "含有宏" in refused("通知.docx", docx_bytes(content_types=macro_type))


def test_it_refuses_a_zip_that_is_not_ooxml():
    message = refused("通知.docx", docx_bytes(drop="[Content_Types].xml"))
    assert "不是有效的DOCX文档" in message or "内容与扩展名" in message


def test_it_refuses_zip_bombs():
    # 64 MB of zeros deflates to ~64 KB: a ratio near 1000.
    assert "压缩炸弹" in refused("通知.docx", docx_bytes({"word/media/big.bin": b"\0" * (64 * 1024 * 1024)}))
    many = {f"word/media/{n}.xml": b"" for n in range(ZIP_MAX_MEMBERS + 1)}
    assert "部件过多" in refused("通知.docx", docx_bytes(many))


# ------------------------------------------------------------------------------------------- names


def test_fit_name_cuts_the_stem_and_keeps_the_extension():
    long = "关于" + "很长" * 150 + "的通知.pdf"
    fitted = fit_name(long)
    assert len(fitted) == NAME_MAX and fitted.endswith(".pdf") and fitted.startswith("关于很长")
    assert fit_name("短名.pdf") == "短名.pdf"
    # Never a dangling joiner, a trailing dot or space before the extension.
    assert fit_name("a" * 195 + "\u200d" + "b" * 10 + ".pdf") == "a" * 195 + ".pdf"
    assert fit_name("a" * 195 + " . " + "b" * 10 + ".pdf") == "a" * 195 + ".pdf"
    # Characters outside the BMP count as one character and are never split.
    fitted = fit_name("𠮷" * 300 + ".docx")
    assert fitted == "𠮷" * 195 + ".docx"


def test_a_long_attachment_name_keeps_its_extension(team):
    name = "关于" + "城乡居民基本养老保险" * 30 + ".pdf"
    attachment = services.attachment_add(
        actor=team.clerk, item=team.draft(), upload=SimpleUploadedFile(name, minimal_pdf())
    )
    assert len(attachment.original_name) == NAME_MAX
    assert attachment.original_name.endswith(".pdf")
    assert attachment.file.name.endswith(".pdf")


def test_an_applicants_long_file_name_keeps_its_extension(team):
    name = "身份证明" * 80 + ".pdf"
    application = builders.register(team, channel="online", files=[pdf_upload(name)])
    stored = ApplicationFile.objects.get(application=application)
    assert len(stored.original_name) == NAME_MAX and stored.original_name.endswith(".pdf")
    assert stored.file.name.endswith(".pdf")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(page_pdf(b"/OpenAction << /S /J#61vaScript /JS (x) >>"), "JavaScript", id="script"),
        pytest.param(b"%PDF-1.4\nnot really a pdf\n", "无法按PDF格式解析", id="fake"),
    ],
)
def test_an_applicant_cannot_upload_an_active_or_fake_pdf(team, data, expected):
    with pytest.raises(ValidationError) as caught:
        builders.register(team, channel="online", files=[pdf_upload("身份证明.pdf", data)])
    assert expected in caught.value.message_dict["files"][0]
    assert not ApplicationFile.objects.exists()


# ------------------------------------------------------------------------------------------- encrypted PDF


def encrypted_pdf(user_password: str, *, script: bool = False) -> bytes:
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    if script:
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
        )
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_pdf_encrypted_only_for_permissions_is_checked_and_accepted():
    assert check("通知.pdf", encrypted_pdf("")).content_type == "application/pdf"
    assert "JavaScript" in refused("通知.pdf", encrypted_pdf("", script=True))


def test_a_pdf_that_needs_a_password_to_open_is_refused_with_a_reason():
    assert "打开密码" in refused("通知.pdf", encrypted_pdf("secret"))
