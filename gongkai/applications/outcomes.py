"""The statutory reply outcomes: the leaf rows of annual report table 三 (国办公开办函〔2021〕30号).

Every reply to a request for disclosure maps to exactly one ``Outcome`` here, and every outcome to one
leaf row of 三、本年度办理结果. ``basis`` is the legal-basis sentence for the 政府信息公开申请答复书,
citing the 2019 《中华人民共和国政府信息公开条例》 (the Regulation); staff complete the letter
around it (what was asked, what is given, where to find it). Pure Python: no Django import.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "APPLICANT_COLUMNS",
    "LEGAL_PERSON_HEADER",
    "OUTCOMES",
    "TABLE_ROWS",
    "TOTAL_COLUMN",
    "Group",
    "Outcome",
    "outcome",
]

REGULATION = "《中华人民共和国政府信息公开条例》"


class Group(StrEnum):
    DISCLOSED = "disclosed"
    PARTIAL = "partial"
    NOT_DISCLOSED = "not_disclosed"
    CANNOT_PROVIDE = "cannot_provide"
    NOT_PROCESSED = "not_processed"
    OTHER = "other"

    @property
    def row(self) -> str:
        """The group's row in table 三 (for 予以公开 and 部分公开 the group row is the leaf row)."""
        return _GROUP_ROWS[self]

    @property
    def label(self) -> str:
        return _GROUP_LABELS[self]


_GROUP_ROWS = {
    Group.DISCLOSED: "（一）予以公开",
    Group.PARTIAL: "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    Group.NOT_DISCLOSED: "（三）不予公开",
    Group.CANNOT_PROVIDE: "（四）无法提供",
    Group.NOT_PROCESSED: "（五）不予处理",
    Group.OTHER: "（六）其他处理",
}
_GROUP_LABELS = {
    Group.DISCLOSED: "予以公开",
    Group.PARTIAL: "部分公开",
    Group.NOT_DISCLOSED: "不予公开",
    Group.CANNOT_PROVIDE: "无法提供",
    Group.NOT_PROCESSED: "不予处理",
    Group.OTHER: "其他处理",
}


@dataclass(frozen=True)
class Outcome:
    code: str
    group: Group
    row: str  # the exact row text in table 三
    label: str  # short label for staff screens
    basis: str  # legal-basis wording for the reply letter
    needs_leader_signoff: bool  # refusals and partial refusals (seed 004 art. 18, 否定报备)
    withholds: bool  # some requested information is withheld

    @property
    def full_row(self) -> str:
        """'（三）不予公开 / 1.属于国家秘密' — the row with its group, for exports and audit text."""
        if self.row == self.group.row:
            return self.row
        return f"{self.group.row} / {self.row}"


def _o(code: str, group: Group, row: str, label: str, basis: str) -> Outcome:
    refusal = group not in (Group.DISCLOSED, Group.OTHER)
    withholds = group in (Group.PARTIAL, Group.NOT_DISCLOSED)
    return Outcome(code, group, row, label, basis, needs_leader_signoff=refusal, withholds=withholds)


_D, _P, _N, _C, _X, _T = (
    Group.DISCLOSED,
    Group.PARTIAL,
    Group.NOT_DISCLOSED,
    Group.CANNOT_PROVIDE,
    Group.NOT_PROCESSED,
    Group.OTHER,
)
_R = REGULATION

_CATALOGUE = (
    _o(
        "disclosed",
        _D,
        "（一）予以公开",
        "予以公开",
        f"根据{_R}第三十六条第（一）项、第（二）项的规定，您申请获取的政府信息予以公开。"
        "该信息可以公开的，现向您提供该政府信息，或者告知您获取该政府信息的方式、途径和时间；"
        "该信息已经主动公开的，告知您获取该政府信息的方式、途径。",
    ),
    _o(
        "partial",
        _P,
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "部分公开",
        f"根据{_R}第三十七条“申请公开的信息中含有不应当公开或者不属于政府信息的内容，但是能够作区分处理的，"
        "行政机关应当向申请人提供可以公开的政府信息内容，并对不予公开的内容说明理由”的规定，"
        "本机关向您提供可以公开的部分，对不予公开的部分说明理由如下。",
    ),
    _o(
        "nd_state_secret",
        _N,
        "1.属于国家秘密",
        "不予公开：属于国家秘密",
        f"根据{_R}第十四条“依法确定为国家秘密的政府信息……不予公开”的规定，"
        "您申请获取的政府信息属于依法确定的国家秘密，本机关决定不予公开。",
    ),
    _o(
        "nd_law_forbids",
        _N,
        "2.其他法律行政法规禁止公开",
        "不予公开：法律行政法规禁止公开",
        f"根据{_R}第十四条“法律、行政法规禁止公开的政府信息……不予公开”的规定，"
        "您申请获取的政府信息属于法律、行政法规禁止公开的政府信息，本机关决定不予公开。",
    ),
    _o(
        "nd_three_safety",
        _N,
        "3.危及“三安全一稳定”",
        "不予公开：危及“三安全一稳定”",
        f"根据{_R}第十四条“公开后可能危及国家安全、公共安全、经济安全、社会稳定的政府信息，不予公开”的规定，"
        "您申请获取的政府信息公开后可能危及国家安全、公共安全、经济安全、社会稳定，本机关决定不予公开。",
    ),
    _o(
        "nd_third_party",
        _N,
        "4.保护第三方合法权益",
        "不予公开：保护第三方合法权益",
        f"根据{_R}第十五条“涉及商业秘密、个人隐私等公开会对第三方合法权益造成损害的政府信息，"
        "行政机关不得公开”的规定，您申请获取的政府信息涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害，"
        "且第三方不同意公开、不公开不会对公共利益造成重大影响，本机关决定不予公开。",
    ),
    _o(
        "nd_internal_affairs",
        _N,
        "5.属于三类内部事务信息",
        "不予公开：内部事务信息",
        f"根据{_R}第十六条第一款“行政机关的内部事务信息，包括人事管理、后勤管理、内部工作流程等方面的信息，"
        "可以不予公开”的规定，您申请获取的政府信息属于行政机关的内部事务信息，本机关决定不予公开。",
    ),
    _o(
        "nd_process_info",
        _N,
        "6.属于四类过程性信息",
        "不予公开：过程性信息",
        f"根据{_R}第十六条第二款“行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、"
        "请示报告等过程性信息……可以不予公开”的规定，您申请获取的政府信息属于过程性信息，本机关决定不予公开。",
    ),
    _o(
        "nd_enforcement_file",
        _N,
        "7.属于行政执法案卷",
        "不予公开：行政执法案卷",
        f"根据{_R}第十六条第二款“……行政执法案卷信息，可以不予公开”的规定，"
        "您申请获取的政府信息属于行政执法案卷信息，本机关决定不予公开。"
        "您如系该案件的当事人或者利害关系人，可以依照有关法律、法规的规定申请查阅案卷材料。",
    ),
    _o(
        "nd_query_matter",
        _N,
        "8.属于行政查询事项",
        "不予公开：行政查询事项",
        f"根据{_R}第三十六条第（七）项“所申请公开信息属于工商、不动产登记资料等信息，"
        "有关法律、行政法规对信息的获取有特别规定的，告知申请人依照有关法律、行政法规的规定办理”的规定，"
        "您申请获取的信息属于行政查询事项，请依照有关法律、行政法规的规定，通过相应的查询渠道办理。",
    ),
    _o(
        "cp_not_held",
        _C,
        "1.本机关不掌握相关政府信息",
        "无法提供：本机关不掌握",
        f"根据{_R}第三十六条第（四）项“经检索没有所申请公开信息的，告知申请人该政府信息不存在”"
        "和第（五）项“所申请公开信息不属于本行政机关负责公开的，告知申请人并说明理由；"
        "能够确定负责公开该政府信息的行政机关的，告知申请人该行政机关的名称、联系方式”的规定，"
        "经检索，本机关不掌握您申请公开的政府信息。",
    ),
    _o(
        "cp_needs_creation",
        _C,
        "2.没有现成信息需要另行制作",
        "无法提供：需要另行制作",
        f"根据{_R}第三十八条“行政机关向申请人提供的信息，应当是已制作或者获取的政府信息。"
        "除依照本条例第三十七条的规定能够做区分处理的外，需要行政机关对现有政府信息进行加工、分析的，"
        "行政机关可以不予提供”的规定，您申请获取的信息需要本机关另行制作或者对现有政府信息进行加工、分析，"
        "本机关不予提供。",
    ),
    _o(
        "cp_still_unclear",
        _C,
        "3.补正后申请内容仍不明确",
        "无法提供：补正后仍不明确",
        f"根据{_R}第三十条的规定，本机关已一次性告知您作出补正，但补正后的申请内容仍不明确，"
        "本机关无法据此确定您所需的政府信息，无法向您提供。您可以在明确所需信息后重新提出申请。",
    ),
    _o(
        "np_petition",
        _X,
        "1.信访举报投诉类申请",
        "不予处理：信访举报投诉",
        f"根据{_R}第三十九条第一款“申请人以政府信息公开申请的形式进行信访、投诉、举报等活动，"
        "行政机关应当告知申请人不作为政府信息公开申请处理并可以告知通过相应渠道提出”的规定，"
        "您的申请不作为政府信息公开申请处理，请通过相应渠道提出。",
    ),
    _o(
        "np_repeated",
        _X,
        "2.重复申请",
        "不予处理：重复申请",
        f"根据{_R}第三十六条第（六）项“行政机关已就申请人提出的政府信息公开申请作出答复、"
        "申请人重复申请公开相同政府信息的，告知申请人不予重复处理”的规定，本机关对您的申请不予重复处理。",
    ),
    _o(
        "np_publication",
        _X,
        "3.要求提供公开出版物",
        "不予处理：要求提供公开出版物",
        f"根据{_R}第三十九条第二款“申请人提出的申请内容为要求行政机关提供政府公报、报刊、书籍等公开出版物的，"
        "行政机关可以告知获取的途径”的规定，您申请获取的是公开出版物，现告知获取途径，本机关不作为政府信息公开申请处理。",
    ),
    _o(
        "np_excessive",
        _X,
        "4.无正当理由大量反复申请",
        "不予处理：无正当理由大量反复申请",
        f"根据{_R}第三十五条“申请人申请公开政府信息的数量、频次明显超过合理范围，行政机关可以要求申请人说明理由。"
        "行政机关认为申请理由不合理的，告知申请人不予处理”的规定，您申请公开政府信息的数量、频次明显超过合理范围，"
        "且未能说明合理理由，本机关不予处理。",
    ),
    _o(
        "np_confirm_or_reissue",
        _X,
        "5.要求行政机关确认或重新出具已获取信息",
        "不予处理：要求确认或重新出具",
        f"根据{_R}第二条的规定，政府信息是指行政机关在履行行政管理职能过程中制作或者获取的，"
        "以一定形式记录、保存的信息。您要求本机关对已获取的信息予以确认或者重新出具，"
        "不属于政府信息公开申请的范围，本机关不作为政府信息公开申请处理。",
    ),
    _o(
        "other_no_correction",
        _T,
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "其他处理：逾期不补正",
        f"根据{_R}第三十条“申请人无正当理由逾期不补正的，视为放弃申请，行政机关不再处理该政府信息公开申请”的规定，"
        "您未在补正期限内作出补正，视为放弃申请，本机关不再处理该申请。",
    ),
    _o(
        "other_fee_unpaid",
        _T,
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "其他处理：逾期未缴费",
        f"根据{_R}第四十二条和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）的规定，"
        "您未在收费通知规定的期限内缴纳信息处理费，视为放弃申请，本机关不再处理该申请。",
    ),
    _o(
        "other",
        _T,
        "3.其他",
        "其他处理：其他",
        f"根据{_R}的有关规定，本机关对您的政府信息公开申请作如下处理。",
    ),
)

OUTCOMES: dict[str, Outcome] = {o.code: o for o in _CATALOGUE}


def outcome(code: str) -> Outcome:
    try:
        return OUTCOMES[code]
    except KeyError:
        raise ValueError(f"未知的答复类型：{code}") from None


def _leaves(group: Group) -> list[tuple[str, str | None]]:
    return [(o.row, o.code) for o in _CATALOGUE if o.group is group]


TOTAL_ROW = "（七）总计"
NEW_ROW = "一、本年新收政府信息公开申请数量"
CARRIED_IN_ROW = "二、上年结转政府信息公开申请数量"
RESULTS_ROW = "三、本年度办理结果"
CARRIED_OUT_ROW = "四、结转下年度继续办理"

# Table 三, top to bottom: (row text, outcome code) for leaf rows, (row text, None) for the rest.
TABLE_ROWS: list[tuple[str, str | None]] = [
    (NEW_ROW, None),
    (CARRIED_IN_ROW, None),
    (RESULTS_ROW, None),
    *_leaves(Group.DISCLOSED),
    *_leaves(Group.PARTIAL),
    *[
        row
        for group in (Group.NOT_DISCLOSED, Group.CANNOT_PROVIDE, Group.NOT_PROCESSED, Group.OTHER)
        for row in [(group.row, None), *_leaves(group)]
    ],
    (TOTAL_ROW, None),
    (CARRIED_OUT_ROW, None),
]

# Applicant columns of table 三; the five after 自然人 sit under LEGAL_PERSON_HEADER.
APPLICANT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("natural", "自然人"),
    ("commercial", "商业企业"),
    ("research", "科研机构"),
    ("public_welfare", "社会公益组织"),
    ("legal_service", "法律服务机构"),
    ("other_org", "其他"),
)
LEGAL_PERSON_HEADER = "法人或其他组织"
TOTAL_COLUMN = ("total", "总计")
