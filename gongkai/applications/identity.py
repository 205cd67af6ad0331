"""Checking and masking applicants' identity data. Pure Python: no Django import.

- 居民身份证 (GB 11643-1999): 17 digits and a check character by ISO 7064 MOD 11-2.
- 统一社会信用代码 (GB 32100-2015): 18 characters from a 31-character alphabet, the last one a
  check character by MOD 31 with weights 3^i; characters 9-17 are a 组织机构代码 (GB 11714-1997)
  with its own MOD 11 check character.
- Mainland mobile and landline numbers, normalised for storage and for the query-code lookup.
- Masking for lists and pages. Finding personal data in free text has one home,
  ``gongkai.core.personal_data``; ``looks_like_personal_data`` here is a thin wrapper over it.

Every error is an ``IdentityError`` whose ``message`` is Chinese and can be shown to the applicant.
Input is NFKC-normalised first, so full-width digits and letters typed with a Chinese IME work.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from zoneinfo import ZoneInfo

from gongkai.core.personal_data import Kind, find_personal_data, resident_check_char

__all__ = [
    "IdentityError",
    "check_credit_code",
    "check_mobile_or_phone",
    "check_resident_id",
    "looks_like_personal_data",
    "make_credit_code",
    "make_resident_id",
    "mask_address",
    "mask_id",
    "mask_name",
    "mask_phone",
    "phone_tail",
]

CHINA = ZoneInfo("Asia/Shanghai")


class IdentityError(ValueError):
    """A value the applicant typed is not valid; ``message`` is Chinese and user-facing."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _clean(value: str) -> str:
    """NFKC (full-width → ASCII) and drop every kind of whitespace."""
    return "".join(unicodedata.normalize("NFKC", value or "").split())


# -- 居民身份证 ------------------------------------------------------------------------------------

_ID_SHAPE = re.compile(r"\d{17}[\dX]")

ID_LENGTH_MESSAGE = "身份证号码应为18位"
ID_CHARS_MESSAGE = "身份证号码只能由数字组成，最后一位可以是X"
ID_BIRTH_MESSAGE = "身份证号码的出生日期无效"
ID_CHECK_MESSAGE = "身份证号码校验位不正确，请核对后重新填写"


def _resident_check_digit(body17: str) -> str:
    return resident_check_char(body17)


def _today() -> datetime.date:
    return datetime.datetime.now(CHINA).date()


def check_resident_id(value: str, *, today: datetime.date | None = None) -> str:
    """Return the normalised 18-character 居民身份证 number (upper-case X) or raise IdentityError.

    ``today`` (default: today in China) bounds the birth date; tests pass it explicitly. A value
    with letters inside that is a valid 统一社会信用代码 is refused with a message saying so.
    """
    number = _clean(value).upper()
    try:
        return _checked_resident_id(number, today)
    except IdentityError as exc:
        # Only a value with letters inside: an all-digit one is far more likely a mistyped ID.
        if exc.message == ID_CHARS_MESSAGE and _is_credit_code(number):
            raise IdentityError(ID_LOOKS_LIKE_CREDIT_MESSAGE) from None
        raise


def _is_resident_id(number: str) -> bool:
    try:
        _checked_resident_id(number, None)
    except IdentityError:
        return False
    return True


def _checked_resident_id(number: str, today: datetime.date | None) -> str:
    if len(number) != 18:
        raise IdentityError(ID_LENGTH_MESSAGE)
    if not _ID_SHAPE.fullmatch(number):
        raise IdentityError(ID_CHARS_MESSAGE)
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdentityError(ID_BIRTH_MESSAGE) from None
    if birth.year < 1900 or birth > (today or _today()):
        raise IdentityError(ID_BIRTH_MESSAGE)
    if _resident_check_digit(number[:17]) != number[17]:
        raise IdentityError(ID_CHECK_MESSAGE)
    return number


def make_resident_id(birth: datetime.date, area: str = "440881", seq: int = 123) -> str:
    """Test-data helper: a valid 居民身份证 number for ``birth`` (odd ``seq`` = male, even = female)."""
    if not re.fullmatch(r"\d{6}", area) or not 0 <= seq <= 999:
        raise ValueError("area must be 6 digits and seq 0–999")
    body = f"{area}{birth:%Y%m%d}{seq:03d}"
    return body + _resident_check_digit(body)


# -- 统一社会信用代码 -------------------------------------------------------------------------------

# GB 32100-2015 alphabet: digits and capitals without I, O, S, V, Z; a character's value is its index.
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_VALUE = {c: i for i, c in enumerate(CREDIT_ALPHABET)}
# Weight of position i (0-based) is 3^i mod 31.
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# Characters 9-17 of a credit code are the 组织机构代码 (GB 11714-1997): 8 body characters, each
# worth its digit or 10-35 for A-Z, weighted 3,7,9,10,5,8,4,2; check value 11 - sum mod 11,
# written X for 10 and 0 for 11.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_SHAPE = re.compile(r"([0-9A-Z]{8})-?([0-9X])")

CREDIT_LENGTH_MESSAGE = "统一社会信用代码应为18位（当前为{n}位）"
CREDIT_CHARS_MESSAGE = "统一社会信用代码含有无效字符：{chars}（只能使用数字和除I、O、S、V、Z以外的大写字母）"
CREDIT_CHECK_MESSAGE = "统一社会信用代码校验位不正确，请核对后重新填写"
CREDIT_ORG_CHECK_MESSAGE = "统一社会信用代码第9至17位（组织机构代码）的校验位不正确，请核对后重新填写"
CREDIT_LOOKS_LIKE_ID_MESSAGE = (
    "这像是居民身份证号码，不是统一社会信用代码；请填写营业执照或登记证书上的18位统一社会信用代码"
)
CREDIT_LOOKS_LIKE_ORG_MESSAGE = (
    "这像是9位组织机构代码，不是统一社会信用代码；请填写营业执照或登记证书上的18位统一社会信用代码"
)
ID_LOOKS_LIKE_CREDIT_MESSAGE = "这像是统一社会信用代码，不是居民身份证号码；公民请填写18位居民身份证号码"


def _credit_check_char(body17: str) -> str:
    total = sum(_CREDIT_VALUE[c] * w for c, w in zip(body17, _CREDIT_WEIGHTS, strict=True))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def _org_check_char(body8: str) -> str:
    total = sum(int(c, 36) * w for c, w in zip(body8, _ORG_WEIGHTS, strict=True))
    value = 11 - total % 11
    return "X" if value == 10 else "0" if value == 11 else str(value)


def _credit_invalid_chars(code: str) -> str:
    return "、".join(dict.fromkeys(c for c in code if c not in _CREDIT_VALUE))


def _checked_credit_code(code: str) -> str:
    if len(code) != 18:
        raise IdentityError(CREDIT_LENGTH_MESSAGE.format(n=len(code)))
    if bad := _credit_invalid_chars(code):
        raise IdentityError(CREDIT_CHARS_MESSAGE.format(chars=bad))
    if _credit_check_char(code[:17]) != code[17]:
        raise IdentityError(CREDIT_CHECK_MESSAGE)
    if _org_check_char(code[8:16]) != code[16]:
        raise IdentityError(CREDIT_ORG_CHECK_MESSAGE)
    return code


def _is_credit_code(code: str) -> bool:
    try:
        _checked_credit_code(code)
    except IdentityError:
        return False
    return True


def _is_organisation_code(code: str) -> bool:
    """A 9-character 组织机构代码 ('70846113-6' or '708461136') with a valid GB 11714 check."""
    m = _ORG_SHAPE.fullmatch(code)
    return m is not None and _org_check_char(m.group(1)) == m.group(2)


def check_credit_code(value: str) -> str:
    """Return the normalised (upper-case) 统一社会信用代码 or raise IdentityError.

    Both checks must hold: the GB 32100-2015 check character (position 18) and the GB 11714-1997
    check of the organisation code in positions 9-17. A value that fails and is a valid 居民身份证
    number or a bare 组织机构代码 is refused with a message saying what it looks like.
    """
    code = _clean(value).upper()
    try:
        return _checked_credit_code(code)
    except IdentityError:
        if _is_resident_id(code):
            raise IdentityError(CREDIT_LOOKS_LIKE_ID_MESSAGE) from None
        if _is_organisation_code(code):
            raise IdentityError(CREDIT_LOOKS_LIKE_ORG_MESSAGE) from None
        raise


def make_credit_code(body16: str = "91440881MA4UKL2Y") -> str:
    """Test-data helper: a valid code from its first 16 characters (both check characters added).

    ``body16`` is the registration authority and type (2), the area code (6) and the 8-character
    body of the organisation code, from the GB 32100 alphabet; raises ValueError otherwise.
    """
    body = body16.upper()
    if len(body) != 16 or _credit_invalid_chars(body):
        raise ValueError("body16 must be 16 characters from the GB 32100 alphabet")
    body17 = body + _org_check_char(body[8:])
    return body17 + _credit_check_char(body17)


# -- 电话 ----------------------------------------------------------------------------------------

PHONE_MESSAGE = "请填写有效的手机号码或固定电话"

_MOBILE = re.compile(r"(?:\+?86|0086)?(1[3-9]\d{9})")
# Area codes: 010 and 020–029 have three digits, all others four (03xx–09xx), so a number written
# without a separator can still be split. Local numbers have 7 or 8 digits and never start with 0.
_AREA = r"0(?:10|2\d|[3-9]\d{2})"
_LOCAL = r"[1-9]\d{6,7}"
_EXT = r"(?:(?:-|转|ext\.?|x|#)(\d{1,6}))?"
_LANDLINE_SEPARATED = re.compile(rf"(?:\(({_AREA})\)|({_AREA})-)({_LOCAL}){_EXT}", re.IGNORECASE)
_LANDLINE_JOINED = re.compile(rf"({_AREA})({_LOCAL}){_EXT}", re.IGNORECASE)
# Outputs of mask_phone, so masking twice changes nothing.
_MASKED_MOBILE = re.compile(r"1[3-9]\d\*{4}\d{4}")
_MASKED_LANDLINE = re.compile(rf"{_AREA}-\*{{5,6}}\d{{2}}(?:-\**)?")


def _parse_phone(value: str) -> tuple[str, str, str] | None:
    """(area, number, extension) — area is '' for a mobile; None when not a valid number."""
    text = _clean(value).replace("－", "-").replace("—", "-")
    if m := _MOBILE.fullmatch(text.replace("-", "")):
        return "", m.group(1), ""
    if m := _LANDLINE_SEPARATED.fullmatch(text):
        return m.group(1) or m.group(2), m.group(3), m.group(4) or ""
    # Without a bracket or dash the area code must be read off the digits themselves.
    if m := _LANDLINE_JOINED.fullmatch(text):
        return m.group(1), m.group(2), m.group(3) or ""
    return None


def check_mobile_or_phone(value: str) -> str:
    """Normalise a mobile ('13812345678') or landline ('0759-1234567', '0759-1234567-801').

    Accepts +86/86/0086 before a mobile, spaces and dashes anywhere in a mobile, and for a
    landline the forms 0759-1234567, 075912345678, (0759)1234567 with an optional extension
    written -801, 转801, ext801, x801 or #801. Raises IdentityError otherwise.
    """
    parsed = _parse_phone(value)
    if parsed is None:
        raise IdentityError(PHONE_MESSAGE)
    area, number, ext = parsed
    if not area:
        return number
    return f"{area}-{number}" + (f"-{ext}" if ext else "")


def phone_tail(value: str) -> str:
    """The last 4 digits of the phone number itself (never of the extension), for the query page.

    Never raises: for a stored value that is not a valid number it falls back to the last 4 digits
    found in it, and returns '' when there are fewer than 4 (so no typed tail can match).
    """
    parsed = _parse_phone(value)
    if parsed is not None:
        return parsed[1][-4:]
    digits = "".join(c for c in _clean(value) if c.isdigit())
    return digits[-4:] if len(digits) >= 4 else ""


# -- Masking -------------------------------------------------------------------------------------


def _keep_ends(text: str, head: int, tail: int) -> str:
    return text[:head] + "*" * (len(text) - head - tail) + text[len(text) - tail :]


def mask_id(value: str) -> str:
    """'440881********123X' for 18-character numbers; other documents keep the first and last 2."""
    text = _clean(value)
    if len(text) == 18:
        return _keep_ends(text, 6, 4)
    if len(text) > 4:
        return _keep_ends(text, 2, 2)
    return "*" * len(text)


def mask_phone(value: str) -> str:
    """'138****5678'; a landline keeps its area code and last 2 digits: '0759-*****67'."""
    text = _clean(value)
    if not text:
        return ""
    if _MASKED_MOBILE.fullmatch(text) or _MASKED_LANDLINE.fullmatch(text):
        return text
    parsed = _parse_phone(text)
    if parsed is None:
        # Not a number we understand (legacy data): keep at most 3 leading and 2 trailing digits.
        digits = [i for i, c in enumerate(text) if c.isdigit()]
        keep = set(digits[:3] + digits[-2:]) if len(digits) > 5 else set()
        return "".join(c if (i in keep or not c.isdigit()) else "*" for i, c in enumerate(text))
    area, number, ext = parsed
    if not area:
        return _keep_ends(number, 3, 4)
    return f"{area}-{_keep_ends(number, 0, 2)}" + (f"-{'*' * len(ext)}" if ext else "")


def _pairs(text: str) -> frozenset[str]:
    return frozenset(text[i : i + 2] for i in range(0, len(text), 2))


# Words ending in 市/县/区 that are not administrative divisions (a residential estate, a market …).
_NOT_DIVISIONS = _pairs("小区社区园区校区街区景区厂区营区片区库区超市菜市夜市集市")
_DIVISION_SEARCH_LIMIT = 12  # '黑龙江省大兴安岭地区' is 10 characters; beyond this it is a street


def mask_address(value: str) -> str:
    """Keep up to the first 市/县/区 (e.g. '广东省阳江市****'), else the first 6 characters.

    Trailing '*' are ignored, so masking an already masked address changes nothing.
    """
    text = (value or "").strip().rstrip("*")
    if not value or not value.strip():
        return ""
    for i, char in enumerate(text[:_DIVISION_SEARCH_LIMIT]):
        if i >= 1 and char in "市县区" and text[i - 1 : i + 1] not in _NOT_DIVISIONS:
            return text[: i + 1] + "****"
    # A short address without a division keeps only half of itself so it is never fully revealed.
    length = len(value.strip())
    keep = 6 if length > 6 else length // 2
    return text[:keep].rstrip("*") + "****"


# 复姓: a two-character surname is kept whole when a given name follows it.
COMPOUND_SURNAMES = _pairs(
    "欧阳司马上官诸葛东方皇甫尉迟公孙慕容长孙宇文司徒夏侯轩辕令狐端木南宫西门独孤呼延"
    "万俟澹台公冶太史申屠钟离闻人赫连濮阳单于拓跋百里东郭微生梁丘左丘第五司空司寇亓官"
    "仲孙羊舌子车颛孙巫马公西漆雕乐正壤驷公良谷梁宰父段干闾丘东门公羊"
)


def mask_name(value: str) -> str:
    """A natural person's name: '张*', '王**', '欧阳**' (separators such as '·' are kept)."""
    text = (value or "").strip()
    if len(text) <= 1:
        return "*" * len(text)
    head = 2 if len(text) >= 3 and text[:2] in COMPOUND_SURNAMES else 1
    return text[:head] + "".join(c if c in "·• " else "*" for c in text[head:])


# -- Personal data in free text ------------------------------------------------------------------


def looks_like_personal_data(text: str) -> list[str]:
    """Resident ID numbers and mobile numbers found in ``text`` (see ``gongkai.core.personal_data``).

    Returns each distinct match once, in order of appearance, as written (after NFKC).
    """
    normalised = unicodedata.normalize("NFKC", text or "")
    spans = [
        normalised[f.start : f.end]
        for f in find_personal_data(normalised)
        if f.kind in (Kind.RESIDENT_ID, Kind.MOBILE)
    ]
    return list(dict.fromkeys(spans))
