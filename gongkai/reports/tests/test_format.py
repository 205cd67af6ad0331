"""The official structure compared with shared/research/anchors.md §1.1, character by character.

The expected strings below are copied from the anchors document, not derived from the module.
"""

from decimal import Decimal

from gongkai.reports import format as fmt

# anchors.md §1.1 "Rows, in order" (the group cell of each leaf row in the second element).
EXPECTED_TABLE3 = [
    ("一、本年新收政府信息公开申请数量", None),
    ("二、上年结转政府信息公开申请数量", None),
    ("（一）予以公开", None),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", None),
    ("1.属于国家秘密", "（三）不予公开"),
    ("2.其他法律行政法规禁止公开", "（三）不予公开"),
    ("3.危及“三安全一稳定”", "（三）不予公开"),
    ("4.保护第三方合法权益", "（三）不予公开"),
    ("5.属于三类内部事务信息", "（三）不予公开"),
    ("6.属于四类过程性信息", "（三）不予公开"),
    ("7.属于行政执法案卷", "（三）不予公开"),
    ("8.属于行政查询事项", "（三）不予公开"),
    ("1.本机关不掌握相关政府信息", "（四）无法提供"),
    ("2.没有现成信息需要另行制作", "（四）无法提供"),
    ("3.补正后申请内容仍不明确", "（四）无法提供"),
    ("1.信访举报投诉类申请", "（五）不予处理"),
    ("2.重复申请", "（五）不予处理"),
    ("3.要求提供公开出版物", "（五）不予处理"),
    ("4.无正当理由大量反复申请", "（五）不予处理"),
    ("5.要求行政机关确认或重新出具已获取信息", "（五）不予处理"),
    ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "（六）其他处理"),
    ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "（六）其他处理"),
    ("3.其他", "（六）其他处理"),
    ("（七）总计", None),
    ("四、结转下年度继续办理", None),
]
EXPECTED_KEYS = [
    "new",
    "carried_in",
    "disclosed",
    "partial",
    *[f"nd_{i}" for i in range(1, 9)],
    *[f"cp_{i}" for i in range(1, 4)],
    *[f"np_{i}" for i in range(1, 6)],
    *[f"ot_{i}" for i in range(1, 4)],
    "total",
    "carried_out",
]


def test_table3_rows_exact_labels_groups_and_order():
    assert [(r.label, r.group_label) for r in fmt.TABLE3_ROWS] == EXPECTED_TABLE3
    assert [r.key for r in fmt.TABLE3_ROWS] == EXPECTED_KEYS
    assert [r.key for r in fmt.TABLE3_ROWS if r.leaf] == EXPECTED_KEYS[2:-2]
    assert len(fmt.TABLE3_ROWS) == 25


def test_table3_punctuation():
    label = fmt.TABLE3_ROWS[6].label
    assert "\u201c三安全一稳定\u201d" in label and '"' not in label  # curly quotes U+201C/U+201D
    for row in fmt.TABLE3_ROWS:
        assert "(" not in row.label and ")" not in row.label  # full-width brackets only
        if row.group_label:
            assert row.label[1] == "." and row.label[2] != " "  # "1." ASCII full stop, no space
    assert not any("小计" in r.label for r in fmt.TABLE3_ROWS)  # no subtotal rows


def test_table3_header_cells_and_columns():
    assert fmt.TABLE3_CORNER == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert fmt.TABLE3_APPLICANT_HEADER == "申请人情况"
    assert fmt.TABLE3_LEGAL_PERSON_HEADER == "法人或其他组织"
    assert fmt.TABLE3_RESULTS_LABEL == "三、本年度办理结果"
    assert fmt.TABLE3_COLUMNS == (
        ("natural", "自然人"),
        ("commercial", "商业企业"),
        ("research", "科研机构"),
        ("public_welfare", "社会公益组织"),
        ("legal_service", "法律服务机构"),
        ("other_org", "其他"),
        ("total", "总计"),
    )


def test_section_headings():
    assert [h for _, h in fmt.SECTION_HEADINGS] == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]


def test_table2_blocks_rows_columns():
    assert fmt.TABLE2_CONTENT_HEADER == "信息内容"
    assert [(r.key, r.section, r.label) for r in fmt.TABLE2_ROWS] == [
        ("rules", "第二十条第（一）项", "规章"),
        ("normative", "第二十条第（一）项", "行政规范性文件"),
        ("licensing", "第二十条第（五）项", "行政许可"),
        ("penalty", "第二十条第（六）项", "行政处罚"),
        ("enforcement", "第二十条第（六）项", "行政强制"),
        ("fees", "第二十条第（八）项", "行政事业性收费"),
    ]
    assert fmt.TABLE2_SECTIONS == (
        ("第二十条第（一）项", ("本年制发件数", "本年废止件数", "现行有效件数")),
        ("第二十条第（五）项", ("本年处理决定数量",)),
        ("第二十条第（六）项", ("本年处理决定数量",)),
        ("第二十条第（八）项", ("本年收费金额（单位：万元）",)),
    )
    assert sum(len(r.columns) for r in fmt.TABLE2_ROWS) == 10  # ten value cells


def test_table4_groups_and_results():
    assert fmt.TABLE4_GROUPS == (
        ("reconsideration", "行政复议"),
        ("litigation_direct", "未经复议直接起诉"),
        ("litigation_after", "复议后起诉"),
    )
    assert fmt.TABLE4_LITIGATION_HEADER == "行政诉讼"
    assert [label for _, label in fmt.TABLE4_RESULTS] == [
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
        "总计",
    ]


def test_every_outcome_has_one_leaf():
    from gongkai.applications.outcomes import OUTCOMES

    assert sorted(fmt.OUTCOME_LEAF) == sorted(OUTCOMES)
    assert len(set(fmt.OUTCOME_LEAF.values())) == 21


def test_empty_figures_have_every_cell_and_json_shape():
    figures = fmt.Figures(agency_id=1, year=2025)
    assert sum(len(v) for v in figures.table3.values()) == 175
    assert sum(len(v) for v in figures.table4.values()) == 15
    assert figures.table2["fees"]["amount"] == Decimal("0")
    figures.table2["fees"]["amount"] = Decimal("1.25")
    data = fmt.as_json(figures)
    assert [r["label"] for r in data["table3"]["rows"]] == [label for label, _ in EXPECTED_TABLE3]
    assert data["table3"]["rows"][6]["group"] == "（三）不予公开"
    assert all(r["values"] == [0] * 7 for r in data["table3"]["rows"])
    assert data["table2"][5]["values"] == [1.25]
    assert [r["values"] for r in data["table4"]] == [[0] * 5] * 3
