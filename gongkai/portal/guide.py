"""The 政府信息公开指南 of one agency, generated from its settings and its request rule set.

Plain module, no Django import: the view passes the agency and the links. Every element the
norms ask for (条例 arts. 12, 19–31, 33, 42, 51; 国办函〔2020〕109号) is a labelled row or a step;
a setting left empty is left out (the staff see the list of what is missing instead).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from gongkai.workdays.rules import RuleSet

__all__ = ["Guide", "GuideLinks", "Section", "Step", "build_guide"]

REGULATION = "《中华人民共和国政府信息公开条例》"
FEE_MEASURES = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"


class AgencySettings(Protocol):
    """What the guide reads of an agency (gongkai.organisation.models.Agency)."""

    name: str
    disclosure_office: str
    address: str
    postcode: str
    phone: str
    fax: str
    email: str
    office_hours: str
    complaint_phone: str
    reconsideration_body: str
    court: str


@dataclass(frozen=True)
class Row:
    label: str
    value: str
    href: str = ""  # a link after the value (link_text), or on the value itself when link_text is ""
    link_text: str = ""


@dataclass(frozen=True)
class Step:
    name: str
    text: str


@dataclass
class Section:
    title: str
    rows: list[Row] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)


@dataclass(frozen=True)
class GuideLinks:
    landing: str  # the agency's 专栏, with the 法定主动公开内容 sub-catalogue
    apply: str  # the online form
    status: str  # looking a request up by its query code
    form: str = ""  # the printable 申请表, when the platform offers one
    notes: str = ""  # the 申请须知, likewise


@dataclass
class Guide:
    title: str
    sections: list[Section]


def _rows(agency: AgencySettings, pairs: tuple[tuple[str, str], ...]) -> list[Row]:
    rows = []
    for attr, label in pairs:
        value = str(getattr(agency, attr) or "").strip()
        if value:
            href = f"mailto:{value}" if attr == "email" else ""
            rows.append(Row(label, value, href))
    return rows


def _office(agency: AgencySettings) -> str:
    office = str(agency.disclosure_office or "").strip()
    if not office:
        return agency.name
    return office if office.startswith(agency.name) else f"{agency.name}{office}"


def _office_section(agency: AgencySettings) -> Section:
    section = Section("一、受理机构")
    office = str(agency.disclosure_office or "").strip()
    if office:
        section.rows.append(Row("受理机构", _office(agency)))
    section.rows.extend(
        _rows(
            agency,
            (
                ("address", "办公地址"),
                ("postcode", "邮政编码"),
                ("phone", "咨询电话"),
                ("fax", "传真"),
                ("email", "电子邮箱"),
                ("office_hours", "办公时间"),
            ),
        )
    )
    section.paragraphs.append(
        f"{agency.name}政府信息公开工作机构负责本机关政府信息公开的日常工作，"
        "受理政府信息公开申请，组织编制本指南、政府信息公开目录和政府信息公开工作年度报告（条例第四条、第十二条）。"
    )
    return section


def _proactive_section(links: GuideLinks) -> Section:
    section = Section("二、主动公开")
    section.rows.append(
        Row(
            "公开范围",
            "条例第二十条规定的政府信息，以及涉及公众利益调整、需要公众广泛知晓或者需要公众参与决策的"
            "其他政府信息（条例第十九条、第二十条）",
            links.landing,
            "查看本机关“法定主动公开内容”目录",
        )
    )
    section.rows.append(
        Row(
            "公开方式",
            "在本平台政务公开专栏发布，并可通过政府公报、政务新媒体、新闻发布会以及报刊、广播、电视等途径公开；"
            "公众也可以在国家档案馆、公共图书馆和政务服务场所设置的政府信息查阅场所查阅（条例第二十三条、第二十四条、第二十五条）",
        )
    )
    section.rows.append(
        Row(
            "公开时限",
            "自该政府信息形成或者变更之日起20个工作日内及时公开；法律、法规对政府信息公开的期限另有规定的，"
            "从其规定（条例第二十六条）",
        )
    )
    return section


def _request_section(agency: AgencySettings, rules: RuleSet, links: GuideLinks) -> Section:
    section = Section("三、依申请公开")
    section.paragraphs.append(
        "除本机关主动公开的政府信息外，公民、法人或者其他组织可以向本机关申请获取相关政府信息（条例第二十七条）。"
    )
    online = "在本平台在线填写政府信息公开申请表并提交，取得查询码，可随时查询办理进度"
    section.rows.append(Row("在线申请", online, links.apply, "在线申请"))
    if links.form:
        section.rows.append(
            Row(
                "申请表",
                "《政府信息公开申请表》下载打印后填写，以信函、传真或者当面方式提交",
                links.form,
                "下载申请表",
            )
        )
    if links.notes:
        notes = "申请人须知：申请方式、所需材料、办理期限和收费等事项"
        section.rows.append(Row("申请须知", notes, links.notes, "阅读申请须知"))
    ways = []
    if agency.address:
        postcode = f"（邮政编码{agency.postcode}）" if agency.postcode else ""
        ways.append(
            f"信函：寄至{agency.address}{postcode}，{_office(agency)}收，请在信封左下角注明“政府信息公开申请”"
        )
        hours = f"，办公时间{agency.office_hours}" if agency.office_hours else ""
        ways.append(f"当面：到{agency.address}{_office(agency)}提交{hours}")
    if agency.fax:
        ways.append(f"传真：{agency.fax}")
    if agency.email:
        ways.append(f"电子邮件：{agency.email}")
    if ways:
        section.rows.append(Row("其他提交方式", "；".join(ways)))
    section.rows.append(
        Row(
            "申请内容",
            "申请人的姓名或者名称、身份证明、联系方式；申请公开的政府信息的名称、文号或者便于查询的其他特征性描述；"
            "获取信息的方式、途径。书面形式确有困难的，可以口头提出，由受理机构代为填写（条例第二十九条）",
        )
    )
    section.rows.append(Row("查询办理进度", "凭提交申请时取得的查询码查询", links.status, "查询办理进度"))
    section.steps.extend(_steps(agency, rules))
    section.paragraphs.append(
        "以上期限均为工作日，不含周末和法定节假日，含调休上班日；收到申请的当日不计入。"
        f"期限依据：{rules.basis}。"
    )
    return section


def _steps(agency: AgencySettings, rules: RuleSet) -> list[Step]:
    received = (
        "受理机构登记申请并出具回执。收到申请的时间：当面提交的，为提交之日；以邮寄方式提交的，为签收之日；"
        "通过互联网渠道或者传真提交的，为双方确认之日（条例第三十一条）。"
    )
    if rules.forward_days is not None and rules.department_answer_days is not None:
        received += (
            f"需由承办股室办理的，受理机构在{rules.forward_days}个工作日内转交，"
            f"承办股室在收到之日起{rules.department_answer_days}个工作日内提出答复意见。"
        )
    return [
        Step("提出申请", "申请人通过在线申请、信函、传真、当面等方式提交书面申请。"),
        Step("登记受理", received),
        Step(
            "补正（如需）",
            f"申请内容不明确的，自收到申请之日起{rules.correction_notice_days}个工作日内一次性告知申请人作出补正，"
            "说明需要补正的事项和合理的补正期限；答复期限自收到补正的申请之日起计算。"
            "申请人无正当理由逾期不补正的，视为放弃申请（条例第三十条）。",
        ),
        Step(
            "审查",
            "查找、核实申请的政府信息，进行保密审查；依申请公开的政府信息公开会损害第三方合法权益的，"
            f"征求第三方意见，第三方应当自收到征求意见书之日起{rules.consultation_days}个工作日内提出意见；"
            "征求意见所需时间不计算在答复期限内（条例第三十二条、第三十三条）。",
        ),
        Step(
            "答复",
            f"能够当场答复的，当场予以答复；不能当场答复的，自收到申请之日起{rules.reply_days}个工作日内予以答复。"
            f"需要延长答复期限的，经{rules.extension_approver}同意并告知申请人，"
            f"延长的期限最长不超过{rules.max_extension_days}个工作日（条例第三十三条）。",
        ),
        Step("送达", "书面答复按申请人要求的方式送达；申请人可凭查询码查看办理结果。"),
    ]


def _fee_section(rules: RuleSet) -> Section:
    section = Section("四、信息处理费")
    section.paragraphs.extend(
        [
            "行政机关依申请提供政府信息，不收取费用。但是，申请人申请公开政府信息的数量、频次明显超过合理范围的，"
            f"可以收取信息处理费（条例第四十二条）。收费标准执行{FEE_MEASURES}，"
            "可以按件计收，也可以按量计收，均按照超额累进方式计算；对每件申请只选择其中一种标准，不得同时按照两种标准重复计算。",
        ]
    )
    section.rows.extend(
        [
            Row(
                "按件计收",
                "同一申请人一个自然月内累计申请10件以下（含10件）的，不收费；11—30件（含30件）的部分，100元/件；"
                "31件以上的部分，以10件为一档，每增加一档，收费标准提高100元/件",
            ),
            Row(
                "按量计收",
                "按一件申请提供的页数计算，30页以下（含30页）的，不收费；31—100页（含100页）的部分，10元/页；"
                "101—200页（含200页）的部分，20元/页；201页以上的部分，40元/页（适用于以纸质件、电子邮件、复制电子数据等方式提供的情形）",
            ),
            Row(
                "缴费期限",
                f"收取信息处理费的，本机关出具收费通知；申请人应当自收到收费通知之日起{rules.fee_payment_days}个工作日内缴纳，"
                "逾期未缴纳的，本机关不再处理该申请",
            ),
        ]
    )
    return section


def _remedies_section(agency: AgencySettings) -> Section:
    section = Section("五、监督和救济")
    section.rows.extend(
        _rows(
            agency,
            (
                ("complaint_phone", "监督投诉电话"),
                ("reconsideration_body", "行政复议机关"),
                ("court", "管辖法院"),
            ),
        )
    )
    reconsideration = str(agency.reconsideration_body or "").strip()
    court = str(agency.court or "").strip()
    appeal = (
        f"也可以依法向{reconsideration}申请行政复议" if reconsideration else "也可以依法申请行政复议"
    ) + (f"或者向{court}提起行政诉讼" if court else "或者提起行政诉讼")
    section.paragraphs.append(
        "公民、法人或者其他组织认为本机关在政府信息公开工作中侵犯其合法权益的，可以向上一级行政机关或者"
        f"政府信息公开工作主管部门投诉、举报，{appeal}（条例第五十一条）。对答复不服的，可以自收到答复之日起"
        "六十日内申请行政复议，或者自收到答复之日起六个月内提起行政诉讼。"
    )
    return section


def build_guide(agency: AgencySettings, rules: RuleSet, links: GuideLinks) -> Guide:
    return Guide(
        title=f"{agency.name}政府信息公开指南",
        sections=[
            _office_section(agency),
            _proactive_section(links),
            _request_section(agency, rules, links),
            _fee_section(rules),
            _remedies_section(agency),
        ],
    )
