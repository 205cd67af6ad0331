"""Generated letters name only the agency and their real generation time; rare characters in names print.

Issue 10, §1 point 4 (python-docx's template metadata: creator 'python-docx', 2013-12-23, 'Microsoft
Macintosh Word') and §4 'Rare characters' (𠮷 printed as 〓 without warning).
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile

import pytest
import time_machine
from defusedxml import ElementTree
from docx import Document
from pypdf import PdfReader

from gongkai.documents import fonts
from gongkai.documents.render import MISSING_GLYPH, Letter, render_docx, render_pdf

AGENCY = "示范县人力资源和社会保障局"
# 2026-11-30 00:25:38 UTC is 08:25:38 in Beijing.
MOMENT = datetime.datetime(2026, 11, 30, 0, 25, 38, 123456, tzinfo=datetime.UTC)
BEIJING_STAMP = "2026-11-30T08:25:38+08:00"

CORE = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
DC = "{http://purl.org/dc/elements/1.1/}"
DCTERMS = "{http://purl.org/dc/terms/}"
EXTENDED = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"

# Names with characters outside the main (Simplified Chinese) face: 𠮷 (U+20BB7, Ext B, JIS X 0213),
# 𠀾 (U+2003E, Ext B, Hong Kong set); 䶮 (U+4DAE, Ext A, 刘䶮) and 𫖯 (U+2B5AF, Ext C) are in the main face.
COVERED_RARE = "𠮷𠀾䶮𫖯"
# A private-use code point and an Ext B character no bundled face has.
UNCOVERED = "\ue000"


def letter(**changes) -> Letter:
    base = Letter(
        title="政府信息公开申请答复书",
        number="示人社依申〔2026〕第12号",
        recipient="张三：",
        paragraphs=("本机关于2026年11月2日收到您提交的政府信息公开申请，现答复如下。",),
        issuer=AGENCY,
        issued_on=datetime.date(2026, 11, 23),
    )
    return Letter(**{**base.__dict__, **changes})


def squash(text: str) -> str:
    return re.sub(r"[\s\x00]+", "", text)


def pdf_text(data: bytes) -> str:
    return "".join(squash(page.extract_text()) for page in PdfReader(io.BytesIO(data)).pages)


def pdf_font_names(data: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():  # type: ignore[index]  # PdfObject (pypdf's types)
            font = font.get_object()
            for desc in font.get("/DescendantFonts", [font]):
                names.add(str(desc.get_object()["/BaseFont"]).split("+")[-1])
    return names


# ------------------------------------------------------------------------------------------- metadata


@time_machine.travel(MOMENT, tick=False)
def test_docx_metadata_names_the_agency_and_the_generation_time_only():
    data = render_docx(letter())
    package = zipfile.ZipFile(io.BytesIO(data))
    core = ElementTree.fromstring(package.read("docProps/core.xml"))
    fields = {child.tag: (child.text or "") for child in core}
    assert fields == {
        f"{DC}title": "政府信息公开申请答复书",
        f"{DC}creator": AGENCY,
        f"{CORE}lastModifiedBy": AGENCY,
        f"{DC}language": "zh-CN",
        f"{DCTERMS}created": BEIJING_STAMP,
        f"{DCTERMS}modified": BEIJING_STAMP,
    }
    app = ElementTree.fromstring(package.read("docProps/app.xml"))
    assert [(child.tag, child.text) for child in app] == [(f"{EXTENDED}Company", AGENCY)]
    # No template thumbnail, no trace of the library or of 2013 anywhere in the package's properties.
    assert not [name for name in package.namelist() if "thumbnail" in name.lower()]
    for name in ("docProps/core.xml", "docProps/app.xml", "[Content_Types].xml", "_rels/.rels"):
        raw = package.read(name).decode()
        for trace in ("python-docx", "2013", "Microsoft", "Normal.dotm", "thumbnail"):
            assert trace not in raw, (name, trace)
    # Word (through python-docx) reads the same instant back.
    created = Document(io.BytesIO(data)).core_properties.created
    assert created == MOMENT.replace(microsecond=0)


@time_machine.travel(MOMENT, tick=False)
def test_pdf_metadata_names_the_agency_and_the_generation_time_only():
    data = render_pdf(letter())
    reader = PdfReader(io.BytesIO(data))
    assert dict(reader.metadata) == {
        "/Title": "政府信息公开申请答复书",
        "/Author": AGENCY,
        "/Creator": AGENCY,
        "/Producer": AGENCY,
        "/CreationDate": "D:20261130082538+08'00'",
        "/ModDate": "D:20261130082538+08'00'",
    }
    assert reader.metadata.creation_date == MOMENT.replace(microsecond=0)
    assert "/Metadata" not in reader.trailer["/Root"]  # no XMP packet naming a tool
    assert not re.search(rb"(?i)fpdf|python|reportlab", data)


def test_an_explicit_generation_time_is_used_and_must_be_aware():
    when = datetime.datetime(2027, 1, 4, 9, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
    assert PdfReader(io.BytesIO(render_pdf(letter(), generated_at=when))).metadata.creation_date == when
    assert Document(io.BytesIO(render_docx(letter(), generated_at=when))).core_properties.created == when
    with pytest.raises(ValueError):
        render_pdf(letter(), generated_at=datetime.datetime(2027, 1, 4, 9, 30))


# ------------------------------------------------------------------------------------------- rare characters


def test_rare_characters_in_names_print_from_a_fallback_face():
    name = f"张{COVERED_RARE}"
    assert fonts.missing_characters(name) == ()
    data = render_pdf(letter(recipient=f"{name}：", paragraphs=(f"申请人{name}的申请已收到。",)))
    text = pdf_text(data)
    assert f"{name}：" in text and f"申请人{name}的申请已收到。" in text  # round-trips through ToUnicode
    assert MISSING_GLYPH not in text
    used = pdf_font_names(data)
    assert "NotoSerifSC" in used and ("NotoSerifJP" in used or "NotoSerifTC" in used)
    # Each face is a subset: the whole letter stays small.
    assert len(data) < 60_000


def test_a_letter_without_rare_characters_embeds_the_main_face_only():
    data = render_pdf(letter())
    assert pdf_font_names(data) == {"NotoSerifSC"}


def test_a_character_no_face_has_is_reported_and_printed_as_the_missing_mark():
    name = f"李{UNCOVERED}明"
    assert fonts.missing_characters(name, "张三", name) == (UNCOVERED,)
    assert fonts.describe_characters((UNCOVERED,)) == f"{UNCOVERED}（U+E000）"
    text = pdf_text(render_pdf(letter(recipient=f"{name}：")))
    assert f"李{MISSING_GLYPH}明：" in text
    # The Word document keeps the real character.
    assert any(
        p.text == f"{name}："
        for p in Document(io.BytesIO(render_docx(letter(recipient=f"{name}：")))).paragraphs
    )


def test_what_missing_characters_reports_is_exactly_what_prints_as_the_mark():
    # Every Extension B character in one stretch (and the other extensions' first characters): either a
    # face has it and it prints, or missing_characters names it and it prints as 〓, never silently.
    sample = (
        "".join(chr(cp) for cp in range(0x20B80, 0x20BC0))
        + "\U0002a700\U0002b740\U0002b820\U0002ceb0\U00030000"
    )
    missing = set(fonts.missing_characters(sample))
    assert "𠮷" not in missing and missing  # some are still uncovered: the warning is not dead code
    text = pdf_text(render_pdf(letter(paragraphs=(sample,))))
    expected = "".join(MISSING_GLYPH if ch in missing else ch for ch in sample)
    assert expected in text


def test_ideographic_variation_selectors_do_not_print_the_mark():
    name = "葛\U000e0100飾"  # 葛 with an IVS, as Japanese-style name registers write it
    assert fonts.missing_characters(name) == ()
    text = pdf_text(render_pdf(letter(recipient=f"{name}：")))
    assert "葛飾：" in text and MISSING_GLYPH not in text


def test_a_listed_fallback_file_that_is_missing_is_refused(monkeypatch, tmp_path):
    fonts.fallback_font_paths.cache_clear()
    monkeypatch.setenv(fonts.FALLBACK_ENV_VAR, str(tmp_path / "nope.ttf"))
    try:
        with pytest.raises(fonts.CJKFontNotFound, match=fonts.FALLBACK_ENV_VAR):
            fonts.fallback_font_paths()
    finally:
        monkeypatch.delenv(fonts.FALLBACK_ENV_VAR)
        fonts.fallback_font_paths.cache_clear()


def test_the_bundled_fallback_faces_are_installed():
    names = [path.name for path in fonts.fallback_font_paths()]
    assert names[:2] == ["NotoSerifTC-Regular.otf", "NotoSerifJP-Regular.otf"]
