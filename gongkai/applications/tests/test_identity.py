"""Identity checks and masking (pure; no database).

The check characters are verified against small reference implementations written differently
from the module (weights as powers computed on the spot, not tables):

- 居民身份证, GB 11643-1999: weight of position i (1..17) is 2^(18-i) mod 11; check value is
  (12 - sum mod 11) mod 11, 10 written X. The standard's own example 11010519491231002X passes.
- 统一社会信用代码, GB 32100-2015: value of a character is its index in 0-9A-HJ-NPQRTUWXY; weight of
  position i (1..17) is 3^(i-1) mod 31; check value is 31 - sum mod 31 (31 → 0). Example worked by
  hand: 91350100M000100Y4? — values 9,1,3,5,0,1,0,0,21,0,0,0,1,0,0,30,4 with weights
  1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28 give 9+3+27+135+26+420+8+900+112 = 1640;
  1640 mod 31 = 28; 31 - 28 = 3 → check '3': 91350100M000100Y43.
- 组织机构代码 in positions 9-17, GB 11714-1997: A-Z are worth 10-35, weights 3,7,9,10,5,8,4,2, check
  value 11 - sum mod 11 (10 → X, 11 → 0). Same example: M000100Y gives 22·3 + 1·5 + 34·2 = 139;
  139 mod 11 = 7; 11 - 7 = 4 → '4', which is character 17 of 91350100M000100Y43.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from gongkai.applications.identity import (
    CREDIT_ALPHABET,
    CREDIT_LOOKS_LIKE_ID_MESSAGE,
    CREDIT_LOOKS_LIKE_ORG_MESSAGE,
    ID_LOOKS_LIKE_CREDIT_MESSAGE,
    IdentityError,
    check_credit_code,
    check_mobile_or_phone,
    check_resident_id,
    looks_like_personal_data,
    make_credit_code,
    make_resident_id,
    mask_address,
    mask_id,
    mask_name,
    mask_phone,
    phone_tail,
)

TODAY = dt.date(2025, 6, 30)
ID_CHARS = "0123456789X"


def _ref_id_check(body17: str) -> str:
    total = sum(int(d) * pow(2, 17 - i, 11) for i, d in enumerate(body17))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def _with_check(body17: str) -> str:
    return body17 + _ref_id_check(body17)


def _ref_credit_check(body17: str) -> str:
    total = sum(CREDIT_ALPHABET.index(c) * pow(3, i, 31) for i, c in enumerate(body17))
    value = 31 - total % 31
    return CREDIT_ALPHABET[0 if value == 31 else value]


def _ref_org_check(body8: str) -> str:
    values = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    total = sum(values.index(c) * w for c, w in zip(body8, [3, 7, 9, 10, 5, 8, 4, 2], strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def _message(func, value: str, **kwargs) -> str:
    with pytest.raises(IdentityError) as info:
        func(value, **kwargs)
    assert str(info.value) == info.value.message
    assert isinstance(info.value, ValueError)
    return info.value.message


births = st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY)
areas = st.sampled_from(["110105", "440881", "441702", "650102", "310115", "820000"])
valid_ids = st.builds(make_resident_id, births, areas, st.integers(0, 999))
credit_bodies = st.text(alphabet=CREDIT_ALPHABET, min_size=16, max_size=16)


# -- 居民身份证 ------------------------------------------------------------------------------------


def test_it_accepts_the_standards_example_and_normalises_lower_case_x():
    assert _ref_id_check("11010519491231002") == "X"
    assert check_resident_id("11010519491231002X", today=TODAY) == "11010519491231002X"
    assert check_resident_id("11010519491231002x", today=TODAY) == "11010519491231002X"
    assert check_resident_id(" 110105 19491231 002x ", today=TODAY) == "11010519491231002X"
    assert check_resident_id("１１０１０５１９４９１２３１００２ｘ", today=TODAY) == "11010519491231002X"


def test_it_builds_ids_with_the_birth_date_area_and_sequence():
    number = make_resident_id(dt.date(1990, 3, 7), area="441702", seq=45)
    assert number[:17] == "44170219900307045"
    assert make_resident_id(dt.date(1990, 3, 7))[:17] == "44088119900307123"
    assert number[17] == _ref_id_check(number[:17])
    with pytest.raises(ValueError):
        make_resident_id(dt.date(1990, 3, 7), area="4417", seq=45)


@given(valid_ids)
def test_it_accepts_every_well_formed_id(number):
    assert number[17] == _ref_id_check(number[:17])
    assert check_resident_id(number, today=TODAY) == number
    assert check_resident_id(number.lower(), today=TODAY) == number


@given(valid_ids, st.data())
def test_it_rejects_every_wrong_check_digit(number, data):
    wrong = data.draw(st.sampled_from([c for c in ID_CHARS if c != number[17]]))
    assert _message(check_resident_id, number[:17] + wrong, today=TODAY) == (
        "身份证号码校验位不正确，请核对后重新填写"
    )


@given(valid_ids, st.integers(0, 16), st.data())
def test_it_rejects_every_single_digit_change_in_the_body(number, position, data):
    digit = data.draw(st.sampled_from([c for c in "0123456789" if c != number[position]]))
    with pytest.raises(IdentityError):
        check_resident_id(number[:position] + digit + number[position + 1 :], today=TODAY)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "身份证号码应为18位"),
        ("44088119900101123", "身份证号码应为18位"),
        ("4408811990010112345", "身份证号码应为18位"),
        ("440881199001011", "身份证号码应为18位"),
        ("44088119900101A23X", "身份证号码只能由数字组成，最后一位可以是X"),
        ("X40881199001011234", "身份证号码只能由数字组成，最后一位可以是X"),
        ("44088119900101123Y", "身份证号码只能由数字组成，最后一位可以是X"),
        # 30 February, 13th month, day 00, year 1899, born after TODAY — each with a correct check digit.
        (_with_check("440881" + "19900230" + "123"), "身份证号码的出生日期无效"),
        (_with_check("440881" + "19901301" + "123"), "身份证号码的出生日期无效"),
        (_with_check("440881" + "19900100" + "123"), "身份证号码的出生日期无效"),
        (_with_check("440881" + "18991231" + "123"), "身份证号码的出生日期无效"),
        (_with_check("440881" + "20250701" + "123"), "身份证号码的出生日期无效"),
    ],
)
def test_it_explains_what_is_wrong_with_an_id(value, message):
    assert _message(check_resident_id, value, today=TODAY) == message


def test_it_accepts_a_birth_date_of_today_and_defaults_today_to_china():
    assert check_resident_id(make_resident_id(TODAY), today=TODAY)
    born_in_2200 = make_resident_id(dt.date(2200, 1, 1))
    assert _message(check_resident_id, born_in_2200) == "身份证号码的出生日期无效"


# -- 统一社会信用代码 -------------------------------------------------------------------------------


def test_it_accepts_worked_example_credit_codes():
    for code in ("91350100M000100Y43", "91440300708461136T"):
        assert _ref_credit_check(code[:17]) == code[17]
        assert _ref_org_check(code[8:16]) == code[16]
        assert check_credit_code(code) == code
    assert check_credit_code("91350100m000100y43") == "91350100M000100Y43"
    assert check_credit_code(" 91350100 M000100Y43 ") == "91350100M000100Y43"


# Real-shaped codes (registration authority and type, area, organisation code), each check character
# computed with the reference functions above; 'X' and '0' are the organisation check's two specials.
VALID_CREDIT_CODES = [
    "91350100M000100Y43",
    "91440300708461136T",
    "91440881MA4UKL2Y9X",  # make_credit_code()'s default
    "91441702MA000004XD",  # organisation check value 10 → X
    "91441702MA0000090Q",  # organisation check value 11 → 0
    "1210000040000000XN",
    "53449900MJ00002538",
    "91449900MA00002185",  # the demo's 示范科技有限公司
]


@pytest.mark.parametrize("code", VALID_CREDIT_CODES)
def test_it_accepts_real_shaped_codes_passing_both_checks(code):
    assert _ref_credit_check(code[:17]) == code[17]
    assert _ref_org_check(code[8:16]) == code[16]
    assert check_credit_code(code) == code
    assert check_credit_code(code.lower()) == code


ID_PASSING_GB32100 = "440881198511020258"  # a valid 居民身份证 number whose 18th character also fits GB 32100


@pytest.mark.parametrize(
    ("value", "message"),
    [
        # Position 18 wrong.
        ("91350100M000100Y44", "统一社会信用代码校验位不正确，请核对后重新填写"),
        ("91440881MA4UKL2Y9Y", "统一社会信用代码校验位不正确，请核对后重新填写"),
        # Position 17 (organisation check) wrong, position 18 recomputed so GB 32100 alone passes.
        (
            "91350100M000100Y5" + _ref_credit_check("91350100M000100Y5"),
            "统一社会信用代码第9至17位（组织机构代码）的校验位不正确，请核对后重新填写",
        ),
        (
            "91440881MA4UKL2Y0" + _ref_credit_check("91440881MA4UKL2Y0"),  # the sample before issue 10
            "统一社会信用代码第9至17位（组织机构代码）的校验位不正确，请核对后重新填写",
        ),
        # A resident ID number in the credit-code field, passing GB 32100 or not.
        (ID_PASSING_GB32100, CREDIT_LOOKS_LIKE_ID_MESSAGE),
        ("11010519491231002X", CREDIT_LOOKS_LIKE_ID_MESSAGE),
        ("11010519491231002x", CREDIT_LOOKS_LIKE_ID_MESSAGE),
        # A bare 9-character organisation code.
        ("70846113-6", CREDIT_LOOKS_LIKE_ORG_MESSAGE),
        ("708461136", CREDIT_LOOKS_LIKE_ORG_MESSAGE),
        ("MA4UKL2Y9", CREDIT_LOOKS_LIKE_ORG_MESSAGE),
        # Nine characters with a wrong organisation check are just too short.
        ("708461137", "统一社会信用代码应为18位（当前为9位）"),
        # An 18-digit ID with a wrong check digit is not called an ID.
        ("440881198511020259", "统一社会信用代码校验位不正确，请核对后重新填写"),
    ],
)
def test_it_refuses_a_code_failing_either_check_and_says_what_it_looks_like(value, message):
    assert _message(check_credit_code, value) == message


def test_the_id_number_used_passes_gb32100_but_not_gb11714():
    assert check_resident_id(ID_PASSING_GB32100, today=TODAY) == ID_PASSING_GB32100
    assert _ref_credit_check(ID_PASSING_GB32100[:17]) == ID_PASSING_GB32100[17]
    assert _ref_org_check(ID_PASSING_GB32100[8:16]) != ID_PASSING_GB32100[16]
    assert CREDIT_LOOKS_LIKE_ID_MESSAGE.startswith("这像是居民身份证号码，不是统一社会信用代码")


def test_it_says_when_a_credit_code_is_typed_into_the_id_field():
    for code in VALID_CREDIT_CODES:
        assert _message(check_resident_id, code, today=TODAY) == ID_LOOKS_LIKE_CREDIT_MESSAGE
    # An all-digit value is read as a mistyped ID even if it happens to fit both credit checks.
    all_digits = "110105198305014108"
    assert check_credit_code(all_digits) == all_digits
    assert _message(check_resident_id, all_digits, today=TODAY) == "身份证号码校验位不正确，请核对后重新填写"
    # An invalid credit code keeps the plain ID message.
    assert _message(check_resident_id, "91350100M000100Y44", today=TODAY) == (
        "身份证号码只能由数字组成，最后一位可以是X"
    )


def test_it_makes_credit_codes_from_the_default_and_given_bodies():
    code = make_credit_code()
    assert code == "91440881MA4UKL2Y9X"
    assert code == check_credit_code(code)
    assert make_credit_code("12440800MB000070") == "12440800MB000070" + _with_both_checks("MB000070")[-2:]
    with pytest.raises(ValueError):
        make_credit_code("91440881MA4UKL2O")  # letter O
    with pytest.raises(ValueError):
        make_credit_code("91440881MA4UKL2Y9")  # 17 characters


def _with_both_checks(body8: str) -> str:
    body17 = "12440800" + body8 + _ref_org_check(body8)
    return body17 + _ref_credit_check(body17)


@given(credit_bodies)
def test_it_accepts_every_code_the_helper_makes(body):
    code = make_credit_code(body)
    assert code[16] == _ref_org_check(body[8:])
    assert code[17] == _ref_credit_check(code[:17])
    assert check_credit_code(code.lower()) == code


@given(credit_bodies, st.data())
def test_it_rejects_every_corrupted_check_character(body, data):
    code = make_credit_code(body)
    wrong = data.draw(st.sampled_from([c for c in CREDIT_ALPHABET if c != code[17]]))
    assert _message(check_credit_code, code[:17] + wrong) == "统一社会信用代码校验位不正确，请核对后重新填写"


@given(credit_bodies, st.data())
def test_it_rejects_every_corrupted_organisation_check_even_when_position_18_fits(body, data):
    code = make_credit_code(body)
    wrong = data.draw(st.sampled_from([c for c in "0123456789X" if c != code[16]]))
    body17 = code[:16] + wrong
    assert _message(check_credit_code, body17 + _ref_credit_check(body17)) == (
        "统一社会信用代码第9至17位（组织机构代码）的校验位不正确，请核对后重新填写"
    )


@pytest.mark.parametrize("letter", list("IOSVZ"))
@pytest.mark.parametrize("position", [0, 8, 17])
def test_it_rejects_the_forbidden_letters(letter, position):
    code = make_credit_code()
    message = _message(check_credit_code, code[:position] + letter + code[position + 1 :])
    assert message.startswith("统一社会信用代码含有无效字符")
    assert letter in message


@pytest.mark.parametrize("value", ["", "9144088", "91440881MA4UKL2Y0Q1", "91440881-MA4UKL2Y0Q"])
def test_it_explains_a_credit_code_of_the_wrong_length(value):
    message = _message(check_credit_code, value)
    assert message.startswith("统一社会信用代码应为18位")


def test_it_rejects_punctuation_in_a_credit_code():
    assert "含有无效字符" in _message(check_credit_code, "91440881MA4UKL2-0Q")


# -- 电话 ----------------------------------------------------------------------------------------

VALID_PHONES = [
    ("13812345678", "13812345678"),
    ("138 1234 5678", "13812345678"),
    ("138-1234-5678", "13812345678"),
    ("+86 138 1234 5678", "13812345678"),
    ("+8613812345678", "13812345678"),
    ("8613812345678", "13812345678"),
    ("008613812345678", "13812345678"),
    ("１９９１２３４５６７８", "19912345678"),
    ("0759-1234567", "0759-1234567"),
    ("075912345678", "0759-12345678"),
    ("07592345678", "0759-2345678"),
    ("(0759)1234567", "0759-1234567"),
    ("（0759）1234567", "0759-1234567"),
    ("0759 1234567", "0759-1234567"),
    ("010-12345678", "010-12345678"),
    ("01012345678", "010-12345678"),
    ("020-8765432", "020-8765432"),
    ("0759-1234567-801", "0759-1234567-801"),
    ("0759-1234567转801", "0759-1234567-801"),
    ("0759-1234567 ext 801", "0759-1234567-801"),
    ("0759-1234567#801", "0759-1234567-801"),
]
INVALID_PHONES = [
    "",
    "1234567",  # no area code
    "12812345678",  # 12x is not a mobile prefix
    "1381234567",  # 10 digits
    "138123456789",  # 12 digits
    "+87 13812345678",
    "0759-123456",  # local number too short
    "0759-123456789",  # too long
    "0759-0234567",  # local numbers do not start with 0
    "759-1234567",  # area code without 0
    "07-1234567",
    "0759-1234567-",
    "abc",
    "电话13812345678",
]


@pytest.mark.parametrize(("value", "normalised"), VALID_PHONES)
def test_it_normalises_valid_phones(value, normalised):
    assert check_mobile_or_phone(value) == normalised
    assert check_mobile_or_phone(normalised) == normalised


@pytest.mark.parametrize("value", INVALID_PHONES)
def test_it_rejects_invalid_phones(value):
    assert _message(check_mobile_or_phone, value) == "请填写有效的手机号码或固定电话"


@pytest.mark.parametrize(
    ("value", "tail"),
    [
        ("+86 138 1234 5678", "5678"),
        ("0759-1234567", "4567"),
        ("0759-1234567-801", "4567"),  # the extension is not the phone
        ("(010)12345678", "5678"),
        ("tel 12-34-56-78 legacy", "5678"),  # not a valid number: the last digits still work
        ("旧号 12-34", "1234"),  # exactly 4 digits: still a tail
        ("旧号 12-3", ""),  # 3 digits: no tail
        ("12", ""),
        ("", ""),
    ],
)
def test_it_takes_the_last_four_digits_of_the_phone(value, tail):
    assert phone_tail(value) == tail


# -- Masking -------------------------------------------------------------------------------------


def test_it_masks_ids_as_specified():
    assert mask_id("44088119900101123X") == "440881********123X"
    assert mask_id("E12345678") == "E1*****78"
    assert mask_id("G1234") == "G1*34"
    assert mask_id("AB12") == "****"
    assert mask_id("") == ""


@given(valid_ids)
def test_it_never_reveals_the_birth_date_of_an_id(number):
    masked = mask_id(number)
    assert masked[:6] == number[:6] and masked[-4:] == number[-4:]
    assert masked[6:14] == "********"
    assert len(masked) == len(number)
    assert mask_id(masked) == masked


@given(st.text(alphabet="ABCDEFGHJKLMN0123456789", min_size=5, max_size=17))
def test_it_keeps_only_two_characters_at_each_end_of_other_documents(number):
    masked = mask_id(number)
    assert masked[:2] == number[:2] and masked[-2:] == number[-2:]
    assert set(masked[2:-2]) <= {"*"}
    assert len(masked) == len(number) and mask_id(masked) == masked


def test_it_masks_phones_as_specified():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("+86 138-1234-5678") == "138****5678"
    assert mask_phone("0759-1234567") == "0759-*****67"
    assert mask_phone("(010)12345678") == "010-******78"
    assert mask_phone("0759-1234567-801") == "0759-*****67-***"
    assert mask_phone("") == ""
    assert mask_phone("12-3456-7890") == "12-3***-**90"  # not a valid number: at most 3 + 2 digits


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("123-4", "***-*"),  # 4 digits: none shown
        ("123-45", "***-**"),  # exactly 5 digits: none shown (3 + 2 would reveal them all)
        ("123-456", "123-*56"),  # 6 digits: 3 + 2 shown, one hidden
    ],
)
def test_it_masks_short_unparsable_phones_at_the_five_digit_boundary(value, masked):
    assert mask_phone(value) == masked


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_it_never_reveals_the_middle_of_a_mobile(mobile):
    masked = mask_phone(mobile)
    assert masked == mobile[:3] + "****" + mobile[7:]
    assert mask_phone(masked) == masked


@given(st.from_regex(r"0(10|2[0-9]|[3-9][0-9]{2})-[1-9][0-9]{6,7}", fullmatch=True))
def test_it_never_reveals_the_middle_of_a_landline(phone):
    area, local = phone.split("-")
    masked = mask_phone(phone)
    assert masked == f"{area}-{'*' * (len(local) - 2)}{local[-2:]}"
    assert len(masked) == len(phone) and mask_phone(masked) == masked


@given(st.text(alphabet="0123456789-() ", max_size=20))
def test_it_masks_unparsable_phones_to_at_most_five_digits(value):
    try:
        check_mobile_or_phone(value)
    except IdentityError:
        pass
    else:
        assume(False)
    masked = mask_phone(value)
    assert sum(c.isdigit() for c in masked) <= 5
    assert len(mask_phone(masked)) == len(masked)


@pytest.mark.parametrize(
    ("address", "masked"),
    [
        ("广东省阳江市江城区东风路1号", "广东省阳江市****"),
        ("北京市海淀区中关村大街27号", "北京市****"),
        ("阳春市春城街道", "阳春市****"),
        ("江城区东风路1号", "江城区****"),
        ("阳西县织篢镇", "阳西县****"),
        ("新疆维吾尔自治区乌鲁木齐市", "新疆维吾尔自治区****"),
        ("东风路幸福小区3栋201", "东风路幸福小****"),  # 小区 is not a district
        ("某某路5号某某超市旁", "某某路5号某****"),
        ("金鸡路", "金****"),
        ("幸福路五巷七", "幸福路****"),  # exactly 6 characters, no division: half of it
        ("幸福路五巷七号", "幸福路五巷七****"),  # 7 characters: the first 6
        ("黑龙江省大兴安岭地区加格达奇", "黑龙江省大兴安岭地区****"),
        ("一二三四五六七八九十甲市", "一二三四五六七八九十甲市****"),  # 市 as the 12th character
        ("一二三四五六七八九十甲乙市", "一二三四五六****"),  # 13th: a street, not a division
        ("广东省阳江市****", "广东省阳江市****"),
        ("", ""),
    ],
)
def test_it_masks_addresses_after_the_first_division(address, masked):
    assert mask_address(address) == masked


@given(st.text(min_size=1, max_size=60).filter(str.strip))
def test_it_never_reveals_more_than_a_prefix_of_an_address(address):
    masked = mask_address(address)
    prefix = masked.removesuffix("****")
    assert masked.endswith("****")
    assert address.strip().startswith(prefix)
    assert len(prefix) <= 12
    assert mask_address(masked) == masked


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三", "张*"),
        ("王小明", "王**"),
        ("欧阳娜娜", "欧阳**"),
        ("欧阳锋", "欧阳*"),
        ("欧阳", "欧*"),
        ("司马光", "司马*"),
        ("阿卜杜拉·艾买提", "阿***·***"),
        ("李", "*"),
        ("", ""),
    ],
)
def test_it_masks_names(name, masked):
    assert mask_name(name) == masked


@given(st.text(alphabet="张王李赵欧阳司马明华伟芳", min_size=2, max_size=6))
def test_it_shows_at_most_the_surname(name):
    masked = mask_name(name)
    assert len(masked) == len(name)
    visible = len(masked.rstrip("*"))
    assert visible in (1, 2)
    assert masked[:visible] == name[:visible]
    assert mask_name(masked) == masked


# -- Personal data in free text ------------------------------------------------------------------


def test_it_finds_ids_and_mobiles_in_text():
    number = make_resident_id(dt.date(1985, 11, 2))
    text = f"申请人张三（身份证号{number}），联系电话：138 1234 5678，备用+86-139-0000-1111。"
    assert looks_like_personal_data(text) == [number, "138 1234 5678", "+86-139-0000-1111"]
    assert looks_like_personal_data("身份证11010519491231002x") == ["11010519491231002x"]
    assert looks_like_personal_data(f"{number}和{number}") == [number]


def test_it_keeps_scanning_after_an_18_digit_number_that_is_not_an_id():
    number = make_resident_id(dt.date(1985, 11, 2))
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    assert looks_like_personal_data(f"流水号{wrong}，申请人身份证{number}") == [number]


def test_it_ignores_ordinary_numbers():
    text = "文号阳府〔2025〕12号，电话0759-3212345，金额13812345678901元，编号1381234567。"
    assert looks_like_personal_data(text) == []
    assert looks_like_personal_data("") == []


@given(valid_ids, st.data())
def test_it_ignores_an_18_digit_number_with_a_wrong_check_digit(number, data):
    wrong = data.draw(st.sampled_from([c for c in "0123456789" if c != number[17]]))
    assert looks_like_personal_data(f"流水号{number[:17]}{wrong}已登记") == []
    assert looks_like_personal_data(f"流水号{number}已登记") == [number]
