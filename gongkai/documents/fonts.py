"""Where the Chinese font for PDF letters comes from.

The font is Noto Serif SC (思源宋体, a Song/Ming face with Simplified Chinese glyph shapes, SIL Open Font
License 1.1), shipped inside the wheel of the PyPI package ``pylopdf-fonts-zh-cn``: it installs with
``pip`` like any other dependency, needs no system package and downloads nothing at run time.

An operator may point ``GONGKAI_CJK_FONT`` at another single-face TrueType/OpenType file (for instance a
licensed 仿宋 face); it is checked for Simplified Chinese glyphs like the default one.

Pure module: no Django import.
"""

from __future__ import annotations

import functools
import os
import pathlib

FONT_ENV_VAR = "GONGKAI_CJK_FONT"
FONT_PACKAGE = "pylopdf-fonts-zh-cn"
FONT_MODULE = "pylopdf_fonts_zh_cn"
FONT_FILE = "NotoSerifSC-Regular.otf"

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


def _packaged_font() -> pathlib.Path | None:
    try:
        from importlib import resources

        path = pathlib.Path(str(resources.files(FONT_MODULE).joinpath(FONT_FILE)))
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


@functools.cache
def cjk_font_path() -> pathlib.Path:
    """The font file the PDF renderer embeds (subset) for Chinese text.

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
    path = _packaged_font()
    if path is None:
        raise CJKFontNotFound(f"The Chinese font for PDF letters ({FONT_FILE}) is missing. {_fix_hint()}")
    return path
