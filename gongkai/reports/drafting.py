"""The first draft of the text sections, with the year's figures inserted from the tables.

Plain module, no Django import. Every number the draft quotes is written through
gongkai.reports.sections.PHRASES from the same Figures the tables show, so prose and tables
cannot disagree (anchors §1.3 #4, §1.6 goal 3). Staff edit the text afterwards; the
text-versus-table check reads the same phrases back.
"""

from decimal import Decimal

from gongkai.reports.format import Figures
from gongkai.reports.sections import SECTION_KEYS, phrase


def _t3(figures: Figures, row: str) -> int:
    return int(figures.table3[row]["total"])


def _t4(figures: Figures, group: str) -> int:
    return int(figures.table4[group]["total"])


def figure_values(figures: Figures) -> dict[str, int]:
    """The table cells the phrases quote: phrase key (gongkai.reports.sections.PHRASES) → value."""
    return {
        "new_total": _t3(figures, "new"),
        "carried_in_total": _t3(figures, "carried_in"),
        "total_total": _t3(figures, "total"),
        "carried_out_total": _t3(figures, "carried_out"),
        "disclosed_total": _t3(figures, "disclosed"),
        "partial_total": _t3(figures, "partial"),
        "reconsideration_total": _t4(figures, "reconsideration"),
        "litigation_total": _t4(figures, "litigation_direct") + _t4(figures, "litigation_after"),
    }


def _fee_sentence(figures: Figures) -> str:
    amount = Decimal(str(figures.table2["fees"]["amount"]))
    if amount:
        return f"本年度行政事业性收费金额{amount}万元，已在本报告第二部分列明。"
    return "本年度未收取行政事业性收费。"


def first_draft(figures: Figures, agency_name: str) -> dict[str, str]:
    """Text sections (gongkai.reports.sections.SECTION_KEYS → text) for ``figures``' year.

    The sentences quoting figures are complete; the rest is a scaffold in brackets (【…】) that
    staff replace with the year's own account, so no two years' reports read alike.
    """
    v = figure_values(figures)
    year = figures.year
    normative = figures.table2["normative"]
    p = {key: phrase(key, n) for key, n in v.items()}
    on_request = (
        f"{year}年，{p['new_total']}，{p['carried_in_total']}，{p['total_total']}，"
        f"其中{p['disclosed_total']}、{p['partial_total']}；{p['carried_out_total']}。"
        f"{p['reconsideration_total']}，{p['litigation_total']}。"
    )
    text = {
        "proactive": (
            f"{year}年，{agency_name}坚持以公开为常态、不公开为例外，通过政务公开专栏主动公开政府信息。"
            f"本年制发行政规范性文件{normative['issued']}件，废止{normative['repealed']}件，"
            f"现行有效{normative['in_force']}件。【请补充重点领域信息公开情况。】"
        ),
        "on_request": on_request + "【请补充答复时限和办理质量情况。】",
        "management": "【请填写公开前保密审查、政策文件清理和有效性标注情况。】",
        "platform": "【请填写政务公开专栏和其他公开平台的建设维护情况。】",
        "supervision": "【请填写工作机构、制度、培训、考核和责任追究情况。】",
        "problems": (
            f"【请填写本年度存在的主要问题及改进措施。】\n【请说明{year - 1}年度报告所列问题的整改情况。】"
        ),
        "other": (
            "依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），"
            "本年度收取信息处理费共计【0】元。"
            f"{_fee_sentence(figures)}【请填写上级要求报告的其他事项。】"
        ),
    }
    assert tuple(text) == SECTION_KEYS
    return text
