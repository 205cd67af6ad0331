"""The reply outcomes against table 三 of the annual report format (国办公开办函〔2021〕30号, DESIGN.md §4).

The expected rows are copied from the official table, not from the module. One deliberate difference
from DESIGN.md's plain-text transcription: the official row 3 of （三） uses Chinese quotation marks,
3.危及“三安全一稳定”, where DESIGN.md has ASCII quotes.
"""

from __future__ import annotations

from collections import Counter

import pytest

from gongkai.applications.outcomes import (
    APPLICANT_COLUMNS,
    OUTCOMES,
    TABLE_ROWS,
    Group,
    Outcome,
    outcome,
)

# (group, row text, code), in table order.
EXPECTED_LEAVES = [
    (Group.DISCLOSED, "（一）予以公开", "disclosed"),
    (Group.PARTIAL, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "partial"),
    (Group.NOT_DISCLOSED, "1.属于国家秘密", "nd_state_secret"),
    (Group.NOT_DISCLOSED, "2.其他法律行政法规禁止公开", "nd_law_forbids"),
    (Group.NOT_DISCLOSED, "3.危及“三安全一稳定”", "nd_three_safety"),
    (Group.NOT_DISCLOSED, "4.保护第三方合法权益", "nd_third_party"),
    (Group.NOT_DISCLOSED, "5.属于三类内部事务信息", "nd_internal_affairs"),
    (Group.NOT_DISCLOSED, "6.属于四类过程性信息", "nd_process_info"),
    (Group.NOT_DISCLOSED, "7.属于行政执法案卷", "nd_enforcement_file"),
    (Group.NOT_DISCLOSED, "8.属于行政查询事项", "nd_query_matter"),
    (Group.CANNOT_PROVIDE, "1.本机关不掌握相关政府信息", "cp_not_held"),
    (Group.CANNOT_PROVIDE, "2.没有现成信息需要另行制作", "cp_needs_creation"),
    (Group.CANNOT_PROVIDE, "3.补正后申请内容仍不明确", "cp_still_unclear"),
    (Group.NOT_PROCESSED, "1.信访举报投诉类申请", "np_petition"),
    (Group.NOT_PROCESSED, "2.重复申请", "np_repeated"),
    (Group.NOT_PROCESSED, "3.要求提供公开出版物", "np_publication"),
    (Group.NOT_PROCESSED, "4.无正当理由大量反复申请", "np_excessive"),
    (Group.NOT_PROCESSED, "5.要求行政机关确认或重新出具已获取信息", "np_confirm_or_reissue"),
    (
        Group.OTHER,
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "other_no_correction",
    ),
    (
        Group.OTHER,
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "other_fee_unpaid",
    ),
    (Group.OTHER, "3.其他", "other"),
]

EXPECTED_TABLE = [
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "三、本年度办理结果",
    "（一）予以公开",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "（三）不予公开",
    *[row for group, row, _ in EXPECTED_LEAVES if group is Group.NOT_DISCLOSED],
    "（四）无法提供",
    *[row for group, row, _ in EXPECTED_LEAVES if group is Group.CANNOT_PROVIDE],
    "（五）不予处理",
    *[row for group, row, _ in EXPECTED_LEAVES if group is Group.NOT_PROCESSED],
    "（六）其他处理",
    *[row for group, row, _ in EXPECTED_LEAVES if group is Group.OTHER],
    "（七）总计",
    "四、结转下年度继续办理",
]

# The article of the 2019 Regulation each reply must cite.
EXPECTED_ARTICLES = {
    "disclosed": "第三十六条第（一）项、第（二）项",
    "partial": "第三十七条",
    "nd_state_secret": "第十四条",
    "nd_law_forbids": "第十四条",
    "nd_three_safety": "第十四条",
    "nd_third_party": "第十五条",
    "nd_internal_affairs": "第十六条第一款",
    "nd_process_info": "第十六条第二款",
    "nd_enforcement_file": "第十六条第二款",
    "nd_query_matter": "第三十六条第（七）项",
    "cp_not_held": "第三十六条第（四）项",
    "cp_needs_creation": "第三十八条",
    "cp_still_unclear": "第三十条",
    "np_petition": "第三十九条第一款",
    "np_repeated": "第三十六条第（六）项",
    "np_publication": "第三十九条第二款",
    "np_excessive": "第三十五条",
    "np_confirm_or_reissue": "第二条",
    "other_no_correction": "第三十条",
    "other_fee_unpaid": "第四十二条",
    "other": "《中华人民共和国政府信息公开条例》",
}


def test_it_has_exactly_the_leaf_rows_of_table_three_in_order():
    assert [(o.group, o.row, o.code) for o in OUTCOMES.values()] == EXPECTED_LEAVES
    assert len(OUTCOMES) == 21
    assert Counter(o.group for o in OUTCOMES.values()) == {
        Group.DISCLOSED: 1,
        Group.PARTIAL: 1,
        Group.NOT_DISCLOSED: 8,
        Group.CANNOT_PROVIDE: 3,
        Group.NOT_PROCESSED: 5,
        Group.OTHER: 3,
    }


def test_it_keys_every_outcome_by_its_own_unique_code():
    assert all(code == o.code for code, o in OUTCOMES.items())
    assert len({o.code for o in OUTCOMES.values()}) == len(OUTCOMES)
    assert len({o.label for o in OUTCOMES.values()}) == len(OUTCOMES)


@pytest.mark.parametrize(
    ("prefix", "group"),
    [
        ("nd_", Group.NOT_DISCLOSED),
        ("cp_", Group.CANNOT_PROVIDE),
        ("np_", Group.NOT_PROCESSED),
        ("other", Group.OTHER),
    ],
)
def test_it_groups_outcomes_by_their_code_prefix(prefix, group):
    assert {o.group for o in OUTCOMES.values() if o.code.startswith(prefix)} == {group}
    assert outcome("disclosed").group is Group.DISCLOSED
    assert outcome("partial").group is Group.PARTIAL


def test_it_asks_for_leader_signoff_on_every_refusal_and_partial_refusal():
    signed = {o.code for o in OUTCOMES.values() if o.needs_leader_signoff}
    assert signed == {"partial"} | {code for code in OUTCOMES if code.startswith(("nd_", "cp_", "np_"))}
    assert not {"disclosed", "other_no_correction", "other_fee_unpaid", "other"} & signed


def test_it_marks_what_withholds_information():
    withheld = {o.code for o in OUTCOMES.values() if o.withholds}
    assert withheld == {"partial"} | {code for code in OUTCOMES if code.startswith("nd_")}


@pytest.mark.parametrize(("code", "article"), EXPECTED_ARTICLES.items())
def test_it_cites_the_regulation_in_each_basis(code, article):
    basis = outcome(code).basis
    assert basis.startswith("根据《中华人民共和国政府信息公开条例》")
    assert article in basis
    assert "{" not in basis and "}" not in basis


def test_it_words_the_disclosed_basis_for_both_providing_and_already_published():
    basis = outcome("disclosed").basis
    assert "提供该政府信息" in basis
    assert "已经主动公开" in basis


def test_it_labels_outcomes_with_their_group():
    for o in OUTCOMES.values():
        assert o.label.startswith(o.group.label)
    assert outcome("nd_state_secret").label == "不予公开：属于国家秘密"


def test_it_gives_each_outcome_its_full_row():
    assert outcome("nd_state_secret").full_row == "（三）不予公开 / 1.属于国家秘密"
    assert outcome("disclosed").full_row == "（一）予以公开"


def test_it_refuses_an_unknown_code_in_chinese():
    with pytest.raises(ValueError, match="未知的答复类型：granted"):
        outcome("granted")
    assert isinstance(outcome("other"), Outcome)


def test_it_lays_out_table_three_with_every_outcome_once():
    assert [text for text, _ in TABLE_ROWS] == EXPECTED_TABLE
    codes = [code for _, code in TABLE_ROWS if code is not None]
    assert codes == list(OUTCOMES)
    assert Counter(codes) == Counter(dict.fromkeys(OUTCOMES, 1))
    for text, code in TABLE_ROWS:
        if code is not None:
            assert outcome(code).row == text
    assert ("（七）总计", None) in TABLE_ROWS
    assert TABLE_ROWS[0] == ("一、本年新收政府信息公开申请数量", None)
    assert TABLE_ROWS[-1] == ("四、结转下年度继续办理", None)


def test_it_puts_each_leaf_under_its_group_heading():
    heading = None
    for text, code in TABLE_ROWS:
        if code is None:
            heading = text
        elif outcome(code).group not in (Group.DISCLOSED, Group.PARTIAL):
            assert heading == outcome(code).group.row


def test_it_lists_the_applicant_columns_of_table_three():
    assert APPLICANT_COLUMNS == (
        ("natural", "自然人"),
        ("commercial", "商业企业"),
        ("research", "科研机构"),
        ("public_welfare", "社会公益组织"),
        ("legal_service", "法律服务机构"),
        ("other_org", "其他"),
    )


def test_it_keeps_outcomes_immutable():
    with pytest.raises(AttributeError):
        outcome("disclosed").code = "x"  # type: ignore[misc]
