"""Finding and masking personal data in free text. Pure Python: no Django import.

What is found (each ``Finding`` has a kind, a Chinese label, offsets and a masked excerpt):

- 居民身份证号码: 18 characters whose last is the GB 11643-1999 check character (ISO 7064
  MOD 11-2), with a province code and a birth date from 1900 to today; also the old 15-digit form
  (GB 11643-1989: no check character, so a province code and a 19xx birth date must fit).
- 手机号码: 1[3-9] and 9 more digits, optionally after +86, 0086, 86 or (+86), grouped 3-4-4 with
  spaces or dashes or not at all.
- 固定电话号码: an area code (010, 02x, 03xx–09xx) written with a dash, a space or in brackets, then a
  local number of 7 or 8 digits starting 2–9, optionally an extension (-801, 转801, 分机801, x801, #801).
- 银行卡号: 16–19 digits passing the Luhn check (ISO/IEC 7812), written together or in groups of 4
  separated by one space or dash.
- 详细地址: a road, lane, village or estate name directly followed by a house or building number
  (东风二路18号, 幸福村12号, 阳光小区3栋201室).

A number is only a match on its own: a run that continues with more digits or letters (a serial
number, an order code) never contains a match, e.g. an 18-digit ID inside a 25-digit serial.
Full-width digits, brackets, dashes and the ideographic space count as their ASCII forms; the
mapping is one character for one, so offsets always refer to the text as given.

``mask_personal_data`` replaces digits (and the X of an ID) inside every finding by '*', keeping
the same parts the structured fields keep (see ``gongkai.applications.identity``): an ID its first 6
and last 4, a mobile its first 3 and last 4, a landline its area code and last 2, a card its first
and last 4, an address its road name. Masking works on whole code points and never changes the
length of the text, so it cannot split a character (a CJK Extension B character is one ``str``
element); excerpts are cut only between grapheme clusters (never before a combining mark, a
variation selector or a joiner).
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

__all__ = [
    "Finding",
    "Kind",
    "find_personal_data",
    "grapheme_end",
    "grapheme_start",
    "is_valid_resident_id",
    "luhn_valid",
    "mask_personal_data",
    "resident_check_char",
]

CHINA = ZoneInfo("Asia/Shanghai")
EXCERPT_CONTEXT = 10  # characters of context on each side of a finding in its excerpt


class Kind(StrEnum):
    RESIDENT_ID = "resident_id"
    MOBILE = "mobile"
    LANDLINE = "landline"
    BANK_CARD = "bank_card"
    ADDRESS = "address"


LABELS: dict[Kind, str] = {
    Kind.RESIDENT_ID: "居民身份证号码",
    Kind.MOBILE: "手机号码",
    Kind.LANDLINE: "固定电话号码",
    Kind.BANK_CARD: "银行卡号",
    Kind.ADDRESS: "详细地址",
}

# When two findings overlap, the one earlier in this list wins (an 18-digit ID may pass Luhn too).
_PRIORITY = (Kind.RESIDENT_ID, Kind.BANK_CARD, Kind.MOBILE, Kind.LANDLINE, Kind.ADDRESS)


@dataclass(frozen=True)
class Finding:
    """One piece of personal data: ``text[start:end]`` of the scanned text, never kept in full."""

    kind: Kind
    start: int
    end: int
    masked: str  # the matched text with its digits masked
    excerpt: str  # up to EXCERPT_CONTEXT characters either side, every finding in it masked

    @property
    def label(self) -> str:
        return LABELS[self.kind]


# -- Check characters ----------------------------------------------------------------------------

# GB 11643-1999: the weight of position i (0-based, left to right) is 2^(17-i) mod 11.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"  # check character for (weighted sum mod 11) = 0..10
# GB/T 2260 province-level codes, plus 71 (Taiwan) and 81–83 (residence permits of HK, Macao, Taiwan).
_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 "  # noqa: SIM905 (a table)
    "50 51 52 53 54 61 62 63 64 65 71 81 82 83".split()
)


def resident_check_char(body17: str) -> str:
    """The GB 11643-1999 check character ('0'–'9' or 'X') of 17 ASCII digits."""
    return _ID_CHECK[sum(int(c) * w for c, w in zip(body17, _ID_WEIGHTS, strict=True)) % 11]


def _today() -> datetime.date:
    return datetime.datetime.now(CHINA).date()


def _birth(year: int, month: int, day: int, today: datetime.date) -> bool:
    try:
        born = datetime.date(year, month, day)
    except ValueError:
        return False
    return year >= 1900 and born <= today


def is_valid_resident_id(number: str, *, today: datetime.date | None = None) -> bool:
    """True for an 18-character ID (ASCII digits, upper- or lower-case X) that could be real.

    Checks the province code, the birth date (1900 to ``today``, default today in China) and the
    check character. The 15-digit form is not accepted here (see ``find_personal_data``).
    """
    if len(number) != 18 or not number[:17].isascii() or not number[:17].isdigit():
        return False
    if number[:2] not in _PROVINCES:
        return False
    if not _birth(int(number[6:10]), int(number[10:12]), int(number[12:14]), today or _today()):
        return False
    return resident_check_char(number[:17]) == number[17].upper()


def luhn_valid(digits: str) -> bool:
    """The Luhn (mod 10) check of ISO/IEC 7812 over ASCII digits, the last being the check digit."""
    if not digits or not digits.isascii() or not digits.isdigit():
        return False
    total = 0
    for i, char in enumerate(reversed(digits)):
        value = int(char)
        if i % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


# -- Patterns ------------------------------------------------------------------------------------

# One character for one, so offsets in the translated text are offsets in the original.
_ASCII = str.maketrans(
    {
        **{0xFF10 + i: str(i) for i in range(10)},
        0xFF38: "X",
        0xFF58: "x",
        0xFF0B: "+",
        0xFF08: "(",
        0xFF09: ")",
        0x3000: " ",
        0x00A0: " ",
        0xFF03: "#",
        **dict.fromkeys((0xFF0D, 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2212, 0xFE63), "-"),
    }
)

_ALONE_BEFORE = r"(?<![0-9A-Za-z])(?<![0-9]-)"
_ALONE_AFTER = r"(?![0-9A-Za-z])(?!-[0-9])"
_DATE8 = r"(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"

_ID18 = re.compile(rf"{_ALONE_BEFORE}([1-9][0-9]{{5}}) ?({_DATE8}) ?([0-9]{{3}}[0-9Xx]){_ALONE_AFTER}")
_ID15 = re.compile(
    rf"{_ALONE_BEFORE}[1-9][0-9]{{5}}[0-9]{{2}}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{{3}}{_ALONE_AFTER}"
)
_MOBILE = re.compile(
    rf"{_ALONE_BEFORE}(?<!\+)(?:(?:\+|00)?86[ -]?|\(\+?86\) ?)?"
    rf"(1[3-9][0-9])[ -]?([0-9]{{4}})[ -]?([0-9]{{4}}){_ALONE_AFTER}"
)
_AREA = r"0(?:10|2[0-9]|[3-9][0-9]{2})"
_LANDLINE = re.compile(
    rf"{_ALONE_BEFORE}(?:\(({_AREA})\)[ -]?|({_AREA})[ -])([2-9][0-9]{{6,7}})"
    rf"(?:(?:-|转|分机|[Ee][Xx][Tt]\.?|[Xx]|#)([0-9]{{1,6}}))?{_ALONE_AFTER}"
)
# Issuer numbers: 2221–2720 (Mastercard), 3 (JCB, Amex), 4 (Visa), 5 (Mastercard), 6 (UnionPay 62,
# Discover), 9 (older domestic cards such as 9558). Other leading digits are serials, not cards.
_ISSUER = r"(?:2[2-7]|[34569][0-9])"
_CARD_JOINED = re.compile(rf"{_ALONE_BEFORE}{_ISSUER}[0-9]{{14,17}}{_ALONE_AFTER}")
_CARD_GROUPED = re.compile(
    rf"{_ALONE_BEFORE}(?<![0-9] ){_ISSUER}[0-9]{{2}}([ -])[0-9]{{4}}\1[0-9]{{4}}\1[0-9]{{4}}"
    rf"(?:\1[0-9]{{1,3}})?(?![0-9A-Za-z])(?![ -][0-9])"
)

# Ideographs of the BMP, Extension A and Extensions B–H.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003134f"
_PLACE = "路|大道|大街|街|巷|弄|胡同|道|新村|村|社区|小区|花园|公寓|大厦|苑"
_UNIT = "号楼|号院|号|栋|幢|座|单元|楼|层|室|房|户"
_ADDRESS = re.compile(
    rf"(?:{_PLACE})(?P<number>[0-9]{{1,5}}(?:[-之][0-9]{{1,4}})?(?:号楼|号|栋|幢|弄)"
    rf"(?:[0-9A-Za-z]{{1,5}}(?:{_UNIT}))*)(?![0-9])"
)
_NAME_CHAR = re.compile(rf"[{_HAN}0-9]")
_ROAD_NAME_MAX = 6  # characters of a road or estate name kept before its token
# Characters a road name never contains: the end of a division or a word that introduces a place.
_NAME_STOPS = frozenset("省市县区旗乡镇州盟道在住于址是到至从的与和及为向往即或")


def _candidates(text: str, today: datetime.date) -> list[tuple[Kind, int, int, frozenset[int]]]:
    """(kind, start, end, positions to mask) for every match, before overlaps are resolved."""
    found: list[tuple[Kind, int, int, frozenset[int]]] = []

    def digits_between(start: int, end: int, keep_head: int, keep_tail: int) -> frozenset[int]:
        positions = [i for i in range(start, end) if text[i] in "0123456789Xx"]
        return frozenset(positions[keep_head : len(positions) - keep_tail])

    for m in _ID18.finditer(text):
        number = "".join(m.groups())
        if is_valid_resident_id(number, today=today):
            found.append((Kind.RESIDENT_ID, m.start(), m.end(), digits_between(m.start(), m.end(), 6, 4)))
    for m in _ID15.finditer(text):
        number = m.group()
        born = (1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))
        if number[:2] in _PROVINCES and _birth(*born, today):
            found.append((Kind.RESIDENT_ID, m.start(), m.end(), digits_between(m.start(), m.end(), 6, 3)))
    for pattern in (_CARD_JOINED, _CARD_GROUPED):
        for m in pattern.finditer(text):
            digits = re.sub(r"[^0-9]", "", m.group())
            # An ID-shaped number with a wrong check character is a typo or a serial, not a card.
            if len(digits) == 18 and _ID18.fullmatch(digits) and digits[:2] in _PROVINCES:
                continue
            if 16 <= len(digits) <= 19 and luhn_valid(digits):
                found.append((Kind.BANK_CARD, m.start(), m.end(), digits_between(m.start(), m.end(), 4, 4)))
    for m in _MOBILE.finditer(text):
        found.append((Kind.MOBILE, m.start(), m.end(), digits_between(m.start(1), m.end(), 3, 4)))
    for m in _LANDLINE.finditer(text):
        local_end = m.end(3)
        masked = digits_between(m.start(3), local_end, 0, 2)
        if m.group(4):
            masked |= digits_between(m.start(4), m.end(4), 0, 0)
        found.append((Kind.LANDLINE, m.start(), m.end(), masked))
    for m in _ADDRESS.finditer(text):
        start = m.start()
        while start > 0 and m.start() - start < _ROAD_NAME_MAX:
            char = text[start - 1]
            if not _NAME_CHAR.match(char) or char in _NAME_STOPS:
                break
            start -= 1
        if start == m.start():
            continue  # a bare 路/村 with no name is not an address
        number_start = m.start("number")
        masked = frozenset(
            i
            for i in range(start, m.end())
            if text[i] in "0123456789" or (i >= number_start and text[i].isascii() and text[i].isalpha())
        )
        found.append((Kind.ADDRESS, start, m.end(), masked))
    return found


def _resolve(
    candidates: list[tuple[Kind, int, int, frozenset[int]]],
) -> list[tuple[Kind, int, int, frozenset[int]]]:
    """Keep the higher-priority, then earlier, then longer match wherever two overlap."""
    ranked = sorted(candidates, key=lambda c: (_PRIORITY.index(c[0]), c[1], -(c[2] - c[1])))
    kept: list[tuple[Kind, int, int, frozenset[int]]] = []
    for candidate in ranked:
        if all(candidate[2] <= other[1] or candidate[1] >= other[2] for other in kept):
            kept.append(candidate)
    return sorted(kept, key=lambda c: c[1])


def _attached(char: str) -> bool:
    """A code point that belongs to the grapheme before it (combining mark, selector, joiner)."""
    return (
        unicodedata.category(char) in ("Mn", "Mc", "Me")
        or "\ufe00" <= char <= "\ufe0f"
        or "\U000e0100" <= char <= "\U000e01ef"
        or char in "\u200d\u200c"
        or "\U0001f3fb" <= char <= "\U0001f3ff"  # skin-tone modifiers
    )


def grapheme_start(text: str, index: int) -> int:
    """Move ``index`` left until it is not inside a grapheme cluster."""
    while 0 < index < len(text) and (_attached(text[index]) or text[index - 1] == "\u200d"):
        index -= 1
    return index


def grapheme_end(text: str, index: int) -> int:
    """Move ``index`` right until it is not inside a grapheme cluster."""
    while 0 < index < len(text) and (_attached(text[index]) or text[index - 1] == "\u200d"):
        index += 1
    return index


def _apply(text: str, positions: set[int]) -> str:
    return "".join("*" if i in positions else c for i, c in enumerate(text))


def find_personal_data(text: str, *, today: datetime.date | None = None) -> list[Finding]:
    """Every piece of personal data in ``text``, in order of appearance, none overlapping.

    ``today`` (default: today in China) bounds the birth date of an ID number. Offsets are indices
    into ``text`` as given. Never raises; an empty or None text has no findings.
    """
    if not text:
        return []
    plain = text.translate(_ASCII)
    kept = _resolve(_candidates(plain, today or _today()))
    positions: set[int] = set()
    for _, _, _, masked in kept:
        positions |= masked
    masked_text = _apply(text, positions)
    findings = []
    for kind, start, end, _ in kept:
        left = grapheme_start(masked_text, max(0, start - EXCERPT_CONTEXT))
        right = grapheme_end(masked_text, min(len(masked_text), end + EXCERPT_CONTEXT))
        excerpt = " ".join(masked_text[left:right].split())
        excerpt = ("…" if left > 0 else "") + excerpt + ("…" if right < len(masked_text) else "")
        findings.append(Finding(kind, start, end, masked_text[start:end], excerpt))
    return findings


def mask_personal_data(text: str, *, today: datetime.date | None = None) -> str:
    """``text`` with the digits of every finding masked by '*'; same length, nothing else changed."""
    if not text:
        return text or ""
    plain = text.translate(_ASCII)
    positions: set[int] = set()
    for _, _, _, masked in _resolve(_candidates(plain, today or _today())):
        positions |= masked
    return _apply(text, positions) if positions else text
