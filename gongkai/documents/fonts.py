"""Where the Chinese font for PDF letters comes from.

The font is Noto Serif SC (思源宋体, a Song/Ming face with Simplified Chinese glyph shapes, SIL Open Font
License 1.1), shipped inside the wheel of the PyPI package ``pylopdf-fonts-zh-cn``: it installs with
``pip`` like any other dependency, needs no system package and downloads nothing at run time.

公文 fonts first. The Word documents name the faces of GB/T 9704 (body 仿宋_GB2312, title 方正小标宋简体);
where such a face is installed on the server (the usual font folders, or the folders listed in
``GONGKAI_FONT_DIRS``), the PDF embeds that same face, so both look alike. Otherwise it embeds Noto
Serif SC, which is metric-compatible for Chinese text: every ideograph and full-width punctuation
mark is one em wide in it as in 仿宋_GB2312, so a line holds the same 28 characters and breaks at the
same place (``official_face``, ``title_font_path``).

An operator may point ``GONGKAI_CJK_FONT`` at another single-face TrueType/OpenType file (for instance a
licensed 仿宋 face); it is checked for Simplified Chinese glyphs like the default one.

Rare characters (CJK Extension B and later, common in personal names: 𠮷, 𡒄 …) are mostly missing from
the Simplified Chinese face (it maps 52 of the 42,720 Extension B characters). The renderer falls back,
character by character, to further faces, in this order:

1. Noto Serif TC (package ``pylopdf-fonts-zh-tw``, OFL 1.1): 1,705 Extension B characters (the Hong Kong
   and Taiwan sets, many of them used in names), 574 Extension A;
2. Noto Serif JP (package ``pylopdf-fonts-cjk``, OFL 1.1): 353 Extension B characters (JIS X 0213, 𠮷 …);
3. any files listed in ``GONGKAI_CJK_FALLBACK_FONTS`` (paths separated by ``os.pathsep``), for instance
   Debian's HanaMinB.ttf (``fonts-hanazono``), which covers Extensions B to F.

All faces are Song/Ming serif faces of the same design family, embedded as subsets (only the glyphs a
letter uses). ``missing_characters`` names what no face covers, so the clerk is warned before a letter
prints 〓 in its place.

Pure module: no Django import.
"""

from __future__ import annotations

import functools
import os
import pathlib
from collections.abc import Iterable

FONT_ENV_VAR = "GONGKAI_CJK_FONT"
FONT_DIRS_ENV_VAR = "GONGKAI_FONT_DIRS"
# Family names of the GB/T 9704 faces, as their files name them, most specific first.
OFFICIAL_BODY_FAMILIES = ("仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong", "华文仿宋", "STFangsong")
OFFICIAL_TITLE_FAMILIES = (
    "方正小标宋简体",
    "方正小标宋_GBK",
    "FZXiaoBiaoSong-B05S",
    "FZXiaoBiaoSong-B05",
    "方正小标宋",
)
_SYSTEM_FONT_DIRS = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.local/share/fonts",
    "~/.fonts",
    "/Library/Fonts",
    "~/Library/Fonts",
    "C:/Windows/Fonts",
)
_MAX_FONT_FILES = 5000  # a folder of fonts is scanned once per process; never without bound
FALLBACK_ENV_VAR = "GONGKAI_CJK_FALLBACK_FONTS"
FONT_PACKAGE = "pylopdf-fonts-zh-cn"
FONT_MODULE = "pylopdf_fonts_zh_cn"
FONT_FILE = "NotoSerifSC-Regular.otf"
# (module, file) of the packaged fallback faces, in the order they are tried.
PACKAGED_FALLBACKS = (
    ("pylopdf_fonts_zh_tw", "NotoSerifTC-Regular.otf"),
    ("pylopdf_fonts_cjk", "NotoSerifJP-Regular.otf"),
)

# Characters every official letter uses: a font without them cannot set Simplified Chinese.
_PROBE = "政府信息公开申请答复书关于号年月日们这"


class CJKFontNotFound(RuntimeError):
    """No usable Simplified Chinese font file; the message says how to install one."""


def _fix_hint() -> str:
    return (
        f"Install the font package with `make install` (it is the dependency {FONT_PACKAGE!r} in "
        f"pyproject.toml; by hand: pip install {FONT_PACKAGE}), or set {FONT_ENV_VAR} to the path of a "
        "TrueType/OpenType font file with Simplified Chinese glyphs."
    )


def _packaged_font(module: str = FONT_MODULE, file: str = FONT_FILE) -> pathlib.Path | None:
    try:
        from importlib import resources

        path = pathlib.Path(str(resources.files(module).joinpath(file)))
    except ModuleNotFoundError:
        return None
    return path if path.is_file() else None


def has_simplified_chinese(path: pathlib.Path) -> bool:
    """True when the font file maps every probe character (read from its cmap only)."""
    from fontTools.ttLib import TTFont, TTLibError

    try:
        with TTFont(str(path), lazy=True, fontNumber=0) as font:
            cmap = font.getBestCmap() or {}
    except (OSError, TTLibError):
        return False
    return all(ord(ch) in cmap for ch in _PROBE)


def _font_dirs() -> list[pathlib.Path]:
    listed = os.environ.get(FONT_DIRS_ENV_VAR)
    entries = listed.split(os.pathsep) if listed is not None else list(_SYSTEM_FONT_DIRS)
    return [pathlib.Path(e.strip()).expanduser() for e in entries if e.strip()]


def _family_names(path: pathlib.Path) -> set[str]:
    """The family names (name IDs 1, 4 and 16, every language) a single-face font file gives itself."""
    from fontTools.ttLib import TTFont, TTLibError

    try:
        with TTFont(str(path), lazy=True, fontNumber=0) as font:
            return {str(record).strip() for record in font["name"].names if record.nameID in (1, 4, 16)}
    except (OSError, TTLibError, KeyError, UnicodeDecodeError):
        return set()


@functools.cache
def installed_families() -> dict[str, pathlib.Path]:
    """Family name → file of the single-face TrueType/OpenType fonts in the font folders (the system's,
    or those listed in GONGKAI_FONT_DIRS; an empty list searches none)."""
    found: dict[str, pathlib.Path] = {}
    seen = 0
    for folder in _font_dirs():
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.suffix.lower() not in {".ttf", ".otf"} or not path.is_file():
                continue
            seen += 1
            if seen > _MAX_FONT_FILES:
                return found
            for name in _family_names(path):
                found.setdefault(name, path)
    return found


def official_face(families: Iterable[str]) -> pathlib.Path | None:
    """The installed file of the first of ``families`` that has Simplified Chinese glyphs, or None."""
    installed = installed_families()
    for family in families:
        path = installed.get(family)
        if path is not None and has_simplified_chinese(path):
            return path
    return None


@functools.cache
def title_font_path() -> pathlib.Path:
    """The face of a PDF's title: the installed 小标宋 face the Word document names, else the body face."""
    return official_face(OFFICIAL_TITLE_FAMILIES) or cjk_font_path()


@functools.cache
def cjk_font_path() -> pathlib.Path:
    """The font file the PDF renderer embeds (subset) for Chinese text: GONGKAI_CJK_FONT, else the
    installed 仿宋 face the Word document names, else the packaged Noto Serif SC.

    Raises CJKFontNotFound, naming the fix, when no usable file is found.
    """
    override = os.environ.get(FONT_ENV_VAR, "").strip()
    if override:
        path = pathlib.Path(override).expanduser()
        if not path.is_file():
            raise CJKFontNotFound(f"{FONT_ENV_VAR}={override!r} is not a file. {_fix_hint()}")
        if path.suffix.lower() in {".ttc", ".otc"}:
            raise CJKFontNotFound(
                f"{FONT_ENV_VAR}={override!r} is a font collection; point it at a single-face .ttf/.otf file."
            )
        if not has_simplified_chinese(path):
            raise CJKFontNotFound(
                f"{FONT_ENV_VAR}={override!r} has no Simplified Chinese glyphs. {_fix_hint()}"
            )
        return path
    official = official_face(OFFICIAL_BODY_FAMILIES)
    if official is not None:
        return official
    packaged = _packaged_font()
    if packaged is None:
        raise CJKFontNotFound(f"The Chinese font for PDF letters ({FONT_FILE}) is missing. {_fix_hint()}")
    return packaged


@functools.cache
def fallback_font_paths() -> tuple[pathlib.Path, ...]:
    """The fallback faces for characters the main face lacks, in the order they are tried.

    The packaged faces first (Noto Serif SC when the main face is another, then TC and JP; those not
    installed are skipped), then the files named in
    ``GONGKAI_CJK_FALLBACK_FONTS``. Raises CJKFontNotFound when a listed file is missing or a collection.
    """
    # An installed 公文 face (or an operator's font) as the main face: the packaged Simplified Chinese
    # face is the first fallback for what it lacks.
    packaged = ((FONT_MODULE, FONT_FILE), *PACKAGED_FALLBACKS)
    paths = [p for p in (_packaged_font(m, f) for m, f in packaged) if p is not None]
    for entry in os.environ.get(FALLBACK_ENV_VAR, "").split(os.pathsep):
        if not entry.strip():
            continue
        path = pathlib.Path(entry.strip()).expanduser()
        if not path.is_file():
            raise CJKFontNotFound(f"{FALLBACK_ENV_VAR}: {entry.strip()!r} is not a file.")
        if path.suffix.lower() in {".ttc", ".otc"}:
            raise CJKFontNotFound(
                f"{FALLBACK_ENV_VAR}: {entry.strip()!r} is a font collection; list single-face .ttf/.otf."
            )
        paths.append(path)
    main = cjk_font_path()
    return tuple(dict.fromkeys(p for p in paths if p != main))


@functools.cache
def font_cmap(path: pathlib.Path) -> frozenset[int]:
    """The code points a font file maps (its best cmap), read once per process."""
    from fontTools.ttLib import TTFont

    with TTFont(str(path), lazy=True, fontNumber=0) as font:
        return frozenset((font.getBestCmap() or {}).keys())


def font_faces() -> tuple[pathlib.Path, ...]:
    """The main face followed by the fallback faces."""
    return (cjk_font_path(), *fallback_font_paths())


def covered(ch: str) -> bool:
    """True when some face has a glyph for the single character ``ch`` (whitespace always counts)."""
    return ch.isspace() or any(ord(ch) in font_cmap(path) for path in font_faces())


def is_variation_selector(ch: str) -> bool:
    """True for VS1–VS16 and the ideographic variation selectors VS17–VS256 (U+E0100–U+E01EF).

    The PDF renderer drops them (it has no variation sequences; the base character prints) and the
    Word document keeps them."""
    cp = ord(ch)
    return 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF


def missing_characters(*texts: str) -> tuple[str, ...]:
    """The distinct characters of ``texts`` that no PDF face can print, in order of first appearance.

    Control and format characters (which the renderer drops) are not reported. E.g.
    ``missing_characters("张\ue000三")`` is ``("\ue000",)``.
    """
    import unicodedata

    seen: dict[str, None] = {}
    for text in texts:
        for ch in text or "":
            if ch in seen or is_variation_selector(ch) or unicodedata.category(ch) in {"Cc", "Cf", "Cs"}:
                continue
            if not covered(ch):
                seen[ch] = None
    return tuple(seen)


def describe_characters(chars: Iterable[str]) -> str:
    """'𡒄（U+21484）、\ue000（U+E000）': the characters with their code points, for a warning."""
    return "、".join(f"{ch}（U+{ord(ch):04X}）" for ch in chars)
