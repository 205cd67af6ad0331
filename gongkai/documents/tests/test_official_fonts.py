"""PDFs use the 公文 faces the Word documents name when they are installed (issue 13, point 6).

A 仿宋_GB2312 or 方正小标宋简体 file in the font folders is embedded instead of the packaged Noto Serif
SC, which stays the face where none is installed (it is metric-compatible for Chinese: every ideograph
one em wide, as in 仿宋_GB2312). The faces here are tiny fonts built for the test under those names.
"""

from __future__ import annotations

import datetime
import io

import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from gongkai.documents import fonts
from gongkai.documents.render import DOCX_BODY_FONT, DOCX_TITLE_FONT, Letter, render_pdf

TEXT = "政府信息公开申请答复书关于号年月日们这示范县局张三：。本机关已收到你的"


def build_face(path, family: str, postscript: str, chars: str = TEXT) -> None:
    """A TrueType face with a square glyph, one em wide, for each of ``chars``."""
    names = [".notdef"] + [f"uni{ord(ch):04X}" for ch in dict.fromkeys(chars)]
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({ord(ch): f"uni{ord(ch):04X}" for ch in chars})
    pen = TTGlyphPen(None)
    pen.moveTo((100, -100))
    pen.lineTo((100, 800))
    pen.lineTo((900, 800))
    pen.lineTo((900, -100))
    pen.closePath()
    square = pen.glyph()
    builder.setupGlyf(dict.fromkeys(names, square))
    builder.setupHorizontalMetrics(dict.fromkeys(names, (1000, 100)))
    builder.setupHorizontalHeader(ascent=880, descent=-120)
    builder.setupNameTable({"familyName": family, "styleName": "Regular", "psName": postscript})
    builder.setupOS2(sTypoAscender=880, sTypoDescender=-120, usWinAscent=880, usWinDescent=120)
    builder.setupPost()
    builder.save(str(path))


def used_fonts(data: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():  # type: ignore[index]
            font = font.get_object()
            for desc in font.get("/DescendantFonts", [font]):
                names.add(str(desc.get_object()["/BaseFont"]).split("+")[-1])
    return names


@pytest.fixture
def font_dir(monkeypatch, tmp_path):
    monkeypatch.setenv(fonts.FONT_DIRS_ENV_VAR, str(tmp_path))
    monkeypatch.delenv(fonts.FONT_ENV_VAR, raising=False)

    def clear():
        for cached in (fonts.installed_families, fonts.cjk_font_path, fonts.title_font_path):
            cached.cache_clear()
        fonts.fallback_font_paths.cache_clear()

    clear()
    yield tmp_path
    monkeypatch.delenv(fonts.FONT_DIRS_ENV_VAR)
    clear()


def letter() -> Letter:
    return Letter(
        title="政府信息公开申请答复书",
        number="",
        recipient="张三：",
        paragraphs=("本机关已收到你的申请。",),
        issuer="示范县局",
        issued_on=datetime.date(2026, 3, 2),
    )


def test_without_an_installed_official_face_the_packaged_face_is_embedded(font_dir):
    assert fonts.cjk_font_path().name == fonts.FONT_FILE
    assert used_fonts(render_pdf(letter())) == {"NotoSerifSC"}


def test_the_installed_fangsong_and_xiaobiaosong_faces_are_embedded(font_dir):
    build_face(font_dir / "fs.ttf", DOCX_BODY_FONT, "FangSong-GB2312")
    build_face(font_dir / "xbs.ttf", DOCX_TITLE_FONT, "FZXiaoBiaoSong-B05S")
    assert fonts.cjk_font_path() == font_dir / "fs.ttf"
    assert fonts.title_font_path() == font_dir / "xbs.ttf"
    used = used_fonts(render_pdf(letter()))
    assert {DOCX_BODY_FONT, DOCX_TITLE_FONT} <= used  # the digits of the date come from Noto Serif SC


def test_what_the_official_face_lacks_comes_from_the_packaged_face(font_dir):
    build_face(font_dir / "fs.ttf", "仿宋", "FangSong")
    rare = letter()
    rare = Letter(**{**rare.__dict__, "paragraphs": ("本机关已收到你的申请，谢谢。",)})  # 谢 is not in it
    used = used_fonts(render_pdf(rare))
    assert used == {"仿宋", "NotoSerifSC"}


def test_the_packaged_face_is_metric_compatible_for_chinese():
    font = TTFont(str(fonts._packaged_font()), lazy=True)
    em = font["head"].unitsPerEm
    metrics, cmap = font["hmtx"].metrics, font.getBestCmap()
    for ch in "政府信息公开申请答复书，。：；“”（）《》、":
        assert metrics[cmap[ord(ch)]][0] == em, ch
