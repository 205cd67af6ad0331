"""Characters no text input accepts: the one rule every form field and API schema applies.

Pure Python, no Django. Refused: C0 control characters other than tab, line feed and carriage
return (XML 1.0, and so every DOCX letter, cannot hold them; PostgreSQL cannot store NUL); lone
surrogates U+D800–U+DFFF (not text: they cannot be encoded as UTF-8); and the Unicode
noncharacters U+FDD0–U+FDEF and U+xFFFE/U+xFFFF of every plane (Unicode §23.7: not for
interchange; XML refuses U+FFFE and U+FFFF). Everything else, including rare CJK characters and
emoji, is accepted.
"""

from __future__ import annotations

import re

__all__ = ["refusal_message", "refused_characters"]

_RANGES = [
    (0x00, 0x08),
    (0x0B, 0x0C),
    (0x0E, 0x1F),
    (0xD800, 0xDFFF),
    (0xFDD0, 0xFDEF),
    *((plane + 0xFFFE, plane + 0xFFFF) for plane in range(0, 0x110000, 0x10000)),
]
_REFUSED = re.compile("[" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in _RANGES) + "]")


def refused_characters(text: str) -> list[str]:
    """The distinct refused characters of ``text``, in order of first appearance."""
    return list(dict.fromkeys(_REFUSED.findall(text)))


def refusal_message(text: str) -> str | None:
    """A Chinese message naming the refused characters of ``text`` (code points), or None."""
    found = refused_characters(text)
    if not found:
        return None
    shown = "、".join(f"U+{ord(c):04X}" for c in found[:3]) + ("等" if len(found) > 3 else "")
    return f"含有无法保存的不可见字符（{shown}，如控制字符或非字符码位），请删除后重新填写。"
