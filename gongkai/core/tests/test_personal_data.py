"""The personal-data scanner: a table of positive and negative cases, and properties."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.core.personal_data import (
    Kind,
    find_personal_data,
    is_valid_resident_id,
    luhn_valid,
    mask_personal_data,
    resident_check_char,
)

TODAY = dt.date(2025, 6, 30)


def _id(birth: str, area: str = "440881", seq: str = "123") -> str:
    body = area + birth + seq
    return body + resident_check_char(body)


def _wrong(number: str) -> str:
    return number[:17] + ("0" if number[17] != "0" else "1")


def _luhn(body: str) -> str:
    return next(body + d for d in "0123456789" if luhn_valid(body + d))


ID = _id("19850214")  # 440881198502141236 style: a valid check character
ID_X = "11010519491231002X"
CARD16 = _luhn("622202123456789")
CARD19 = _luhn("621700001234567890")
CARD16_BAD = CARD16[:-1] + str((int(CARD16[-1]) + 1) % 10)

FOUND = [
    # (text, kind, the exact span found)
    (f"身份证号{ID}。", Kind.RESIDENT_ID, ID),
    (f"身份证号{ID_X}", Kind.RESIDENT_ID, ID_X),
    (f"身份证号{ID_X.lower()}", Kind.RESIDENT_ID, ID_X.lower()),
    (f"号码 {ID[:6]} {ID[6:14]} {ID[14:]} 已核对", Kind.RESIDENT_ID, f"{ID[:6]} {ID[6:14]} {ID[14:]}"),
    ("旧身份证440881850214123作废", Kind.RESIDENT_ID, "440881850214123"),
    ("电话13812345678", Kind.MOBILE, "13812345678"),
    ("电话138 1234 5678。", Kind.MOBILE, "138 1234 5678"),
    ("电话138-1234-5678", Kind.MOBILE, "138-1234-5678"),
    ("请拨+86 139 0000 1111", Kind.MOBILE, "+86 139 0000 1111"),
    ("请拨008613900001111", Kind.MOBILE, "008613900001111"),
    ("请拨(+86)13900001111", Kind.MOBILE, "(+86)13900001111"),
    ("手机：１３８１２３４５６７８", Kind.MOBILE, "１３８１２３４５６７８"),
    ("电话0759-3212345", Kind.LANDLINE, "0759-3212345"),
    ("电话010-87654321转801", Kind.LANDLINE, "010-87654321转801"),
    ("电话（020）87654321", Kind.LANDLINE, "（020）87654321"),
    ("电话(0759) 3212345-12", Kind.LANDLINE, "(0759) 3212345-12"),
    ("电话0759 3212345", Kind.LANDLINE, "0759 3212345"),
    ("电话０７５９－３２１２３４５", Kind.LANDLINE, "０７５９－３２１２３４５"),
    (f"工资卡{CARD16}", Kind.BANK_CARD, CARD16),
    (f"卡号{CARD19}。", Kind.BANK_CARD, CARD19),
    (
        f"卡号 {CARD19[:4]} {CARD19[4:8]} {CARD19[8:12]} {CARD19[12:16]} {CARD19[16:]}",
        Kind.BANK_CARD,
        f"{CARD19[:4]} {CARD19[4:8]} {CARD19[8:12]} {CARD19[12:16]} {CARD19[16:]}",
    ),
    ("家住阳江市江城区东风二路18号3栋201室。", Kind.ADDRESS, "东风二路18号3栋201室"),
    ("住址：平安镇幸福村12号", Kind.ADDRESS, "幸福村12号"),
    ("阳光小区3栋2单元501室", Kind.ADDRESS, "阳光小区3栋2单元501室"),
    ("建设大道1-3号", Kind.ADDRESS, "建设大道1-3号"),
]

NOT_FOUND = [
    "粤人社发〔2025〕3号",
    "国办函〔2020〕109号",
    "第12号令",
    "2025-11-30",
    "2025年11月30日",
    "20251130",
    "会议于2025-11-30 09:30举行",
    _wrong(ID),  # wrong check character
    _wrong(ID).lower(),
    _id("19850231"),  # 31 February
    _id("18990101"),  # born before 1900
    _id("20300101"),  # born in the future
    _id("19850214", area="990881"),  # no such province
    f"流水号1234567{ID}",  # an ID inside a 25-digit serial
    f"流水号{ID}1234567",
    f"订单{ID}A",  # inside a code of digits and letters
    f"编号AB{ID}",
    "金额13812345678901元",  # a mobile inside a longer number
    "编号1381234567",  # ten digits
    "编号213812345678",
    "编号12-13812345678",
    "号段13812345678-9",
    "电话12345678",  # a local number without area code
    "0759-1234",
    "0759-0123456",  # a local number never starts with 0
    CARD16_BAD,  # Luhn fails
    "1234567812345670",  # passes Luhn, but no card issuer starts with 1
    f"{CARD16}12345",  # a card inside a longer run
    "第三条第二款",
    "东风路口",
    "路18号",  # a bare road token with no name
    "",
]


@pytest.mark.parametrize(("text", "kind", "span"), FOUND)
def test_it_finds(text, kind, span):
    findings = find_personal_data(text, today=TODAY)
    assert [(f.kind, text[f.start : f.end]) for f in findings] == [(kind, span)]


@pytest.mark.parametrize("text", NOT_FOUND)
def test_it_does_not_find(text):
    assert find_personal_data(text, today=TODAY) == []
    assert mask_personal_data(text, today=TODAY) == text


MASKED = [
    (f"身份证{ID}", f"身份证{ID[:6]}********{ID[-4:]}"),
    ("电话13812345678", "电话138****5678"),
    ("电话 +86 138 1234 5678", "电话 +86 138 **** 5678"),
    ("电话0759-3212345转801", "电话0759-*****45转***"),
    (f"卡号{CARD16}", f"卡号{CARD16[:4]}{'*' * 8}{CARD16[-4:]}"),
    ("阳江市江城区东风二路18号3栋201室", "阳江市江城区东风二路**号*栋***室"),
    ("姓名𠮷田，电话13812345678。", "姓名𠮷田，电话138****5678。"),
]


@pytest.mark.parametrize(("text", "masked"), MASKED)
def test_it_masks(text, masked):
    assert mask_personal_data(text, today=TODAY) == masked


def test_findings_carry_a_label_and_a_masked_excerpt_never_the_number():
    text = f"申请人张三，身份证{ID}，手机13812345678，住东风二路18号。"
    findings = find_personal_data(text, today=TODAY)
    assert [f.label for f in findings] == ["居民身份证号码", "手机号码", "详细地址"]
    for finding in findings:
        assert ID not in finding.excerpt and "13812345678" not in finding.excerpt
        assert "*" in finding.masked
    assert findings[0].masked == f"{ID[:6]}********{ID[-4:]}"
    assert findings[1].excerpt == f"…***{ID[-4:]}，手机138****5678，住东风二路**号。"


def test_an_excerpt_is_never_cut_inside_a_grapheme():
    # 'é' written as e + U+0301 just where the excerpt's left edge would fall.
    text = "ae\u0301" + "汉" * 8 + "13812345678"
    excerpt = find_personal_data(text, today=TODAY)[0].excerpt
    assert excerpt.startswith("…e\u0301")
    text = "13812345678" + "汉" * 9 + "e\u0301z"
    assert find_personal_data(text, today=TODAY)[0].excerpt.endswith("e\u0301…")


def test_overlapping_matches_keep_the_id():
    # A valid ID that also passes Luhn is reported once, as an ID.
    number = next(
        n for n in (_id(f"1985{m:02d}{d:02d}") for m in range(1, 13) for d in range(1, 28)) if luhn_valid(n)
    )
    findings = find_personal_data(f"号码{number}", today=TODAY)
    assert [f.kind for f in findings] == [Kind.RESIDENT_ID]


def test_the_checks():
    assert is_valid_resident_id(ID_X, today=TODAY)
    assert is_valid_resident_id(ID_X.lower(), today=TODAY)
    assert not is_valid_resident_id(_wrong(ID_X), today=TODAY)
    assert not is_valid_resident_id("１" * 18, today=TODAY)
    assert luhn_valid("79927398713")  # the textbook example
    assert not luhn_valid("79927398710")
    assert not luhn_valid("")


# -- Properties ----------------------------------------------------------------------------------

births = st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY)
areas = st.sampled_from(["110105", "440881", "320102", "510107", "650102"])
valid_ids = st.builds(lambda b, a, s: _id(f"{b:%Y%m%d}", a, f"{s:03d}"), births, areas, st.integers(0, 999))
mobiles = st.builds(lambda p, r: f"1{p}{r:09d}", st.sampled_from("3456789"), st.integers(0, 999_999_999))
# Free text around a number: Chinese, punctuation, spaces, but no digits or Latin letters.
filler = st.text(alphabet="申请公开的信息，。：（）、我住在关于 𠮷", max_size=20)


@given(valid_ids, filler, filler)
def test_a_valid_id_is_found_wherever_it_stands(number, before, after):
    text = before + number + after
    findings = [f for f in find_personal_data(text, today=TODAY) if f.kind == Kind.RESIDENT_ID]
    assert [text[f.start : f.end] for f in findings] == [number]
    masked = mask_personal_data(text, today=TODAY)
    assert len(masked) == len(text) and number not in masked
    assert masked.startswith(before) and masked.endswith(after)


@given(valid_ids, st.integers(0, 8), filler)
def test_a_wrong_check_character_is_never_an_id(number, shift, after):
    wrong = "0123456789X"[("0123456789X".index(number[17]) + 1 + shift) % 11]
    text = f"流水号{number[:17]}{wrong}{after}"
    assert all(f.kind != Kind.RESIDENT_ID for f in find_personal_data(text, today=TODAY))


@given(st.one_of(valid_ids, mobiles), st.text(alphabet="0123456789", min_size=1, max_size=8), st.booleans())
def test_a_number_inside_a_longer_run_of_digits_is_never_found(number, digits, in_front):
    run = digits + number if in_front else number + digits
    # The whole run may happen to be something (a card number); a part of it never is.
    for finding in find_personal_data(f"编号{run}。", today=TODAY):
        assert (finding.start, finding.end) == (2, 2 + len(run))


@given(mobiles, filler, filler)
def test_masking_keeps_length_and_everything_but_the_middle_digits(number, before, after):
    text = before + number + after
    masked = mask_personal_data(text, today=TODAY)
    assert masked == before + number[:3] + "****" + number[-4:] + after
    assert mask_personal_data(masked, today=TODAY) == masked
