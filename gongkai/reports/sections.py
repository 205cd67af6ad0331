"""The text sections of the annual report and the figure phrases quoted in them.

Plain module, no Django import. Sections one, five and six are written by staff (30号;
anchors §1.2): 一、总体情况 in five parts, 五、存在的主要问题及改进情况 (including how last
year's problems were fixed), 六、其他需要报告的事项 (information-processing fees under
国办函〔2020〕109号, and what the upper level asks for).

Figures quoted in the prose are written by the system from the tables through PHRASES, and
read back by ``quoted_figures`` (the text-versus-table check, anchors §1.3 #4): one place for
the wording, so what the first draft writes is exactly what the check recognises.
"""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    part: str  # "overview" (一), "problems" (五) or "other" (六): the report section it belongs to
    heading: str  # shown above the text; the part heading is PART_HEADINGS[part]
    hint: str  # what it should say, shown to staff while editing


# Keys as in gongkai.reports.format.SECTION_HEADINGS, the text parts the checks read.
PART_HEADINGS = {
    "overview": "一、总体情况",
    "problems": "五、存在的主要问题及改进情况",
    "other": "六、其他需要报告的事项",
}

SECTIONS: tuple[Section, ...] = (
    Section(
        "proactive", "overview", "（一）主动公开", "本年主动公开政府信息的数量、栏目和重点领域信息公开情况。"
    ),
    Section(
        "on_request", "overview", "（二）依申请公开", "收到和办理政府信息公开申请的数量、结果和答复时限。"
    ),
    Section(
        "management", "overview", "（三）政府信息管理", "公开前保密审查、政策文件清理、有效性标注等情况。"
    ),
    Section(
        "platform", "overview", "（四）政府信息公开平台建设", "政务公开专栏、政府网站和其他平台的建设与维护。"
    ),
    Section(
        "supervision",
        "overview",
        "（五）监督保障",
        "工作机构、制度、培训、考核、社会评议和责任追究情况（人民政府报告条例第五十条第（四）项内容）。",
    ),
    Section("problems", "problems", "", "本年度存在的主要问题和改进措施，以及上年度问题的整改情况。"),
    Section(
        "other",
        "other",
        "",
        "依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）收取信息处理费的情况，以及上级要求报告的其他事项。",
    ),
)
SECTION_KEYS = tuple(s.key for s in SECTIONS)


def part_texts(text: dict[str, str]) -> dict[str, str]:
    """The sections joined per report part: {"overview": …, "problems": …, "other": …}.

    Missing keys count as empty."""
    joined: dict[str, list[str]] = {part: [] for part in PART_HEADINGS}
    for section in SECTIONS:
        value = (text.get(section.key) or "").strip()
        if value:
            joined[section.part].append(value)
    return {part: "\n".join(values) for part, values in joined.items()}


@dataclass(frozen=True)
class Phrase:
    """A figure quoted in the prose: the sentence part the draft writes, and the pattern that reads it."""

    key: str
    template: str  # str.format with {n}
    pattern: str  # a regex with one group, the number


def _phrase(key: str, before: str, after: str = "件") -> Phrase:
    return Phrase(key, f"{before}{{n}}{after}", re.escape(before) + r"\s*(\d+)\s*" + re.escape(after))


# Keys name the table cells they quote (table3 row key + "_total", table4 group key + "_total").
PHRASES: tuple[Phrase, ...] = (
    _phrase("new_total", "本年新收政府信息公开申请"),
    _phrase("carried_in_total", "上年结转政府信息公开申请"),
    _phrase("total_total", "本年度办结政府信息公开申请"),
    _phrase("carried_out_total", "结转下年度继续办理"),
    _phrase("disclosed_total", "予以公开"),
    _phrase("partial_total", "部分公开"),
    _phrase("reconsideration_total", "发生政府信息公开行政复议"),
    _phrase("litigation_total", "发生政府信息公开行政诉讼"),
)
PHRASE_BY_KEY = {p.key: p for p in PHRASES}


def phrase(key: str, n: int) -> str:
    """The sentence part quoting figure ``key``: phrase("new_total", 9) == "本年新收政府信息公开申请9件"."""
    return PHRASE_BY_KEY[key].template.format(n=n)


def quoted_figures(text: str) -> dict[str, list[int]]:
    """Every figure the prose quotes through a known phrase: key → the numbers found, in order."""
    found: dict[str, list[int]] = {}
    for p in PHRASES:
        numbers = [int(m) for m in re.findall(p.pattern, text)]
        if numbers:
            found[p.key] = numbers
    return found


PLACEHOLDER_OPEN = "【"


def placeholder_sections(text: dict[str, str]) -> list[str]:
    """Keys of the sections that still hold a 【…】 prompt of the first draft."""
    return [s.key for s in SECTIONS if PLACEHOLDER_OPEN in (text.get(s.key) or "")]
