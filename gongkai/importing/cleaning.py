"""Turn a raw document (plain text, HTML or DOCX) into a clean document for import.

Pure Python on purpose: nothing here imports Django, so the rules can be tested and
reused on their own. Every entry point returns a ``CleanDocument`` and never raises on
empty or garbage content; only ``clean_file`` raises, for unsupported file types.

The cleaning is line based. Each line is first repaired in place (scraped pinyin such as
``務(wù)`` is removed), then dropped if it is site boilerplate (breadcrumbs, "this text was
uploaded by users" lead-ins, print/close buttons, previous/next links, share bars,
copyright footers) or metadata (``发布时间:2014-02-11 08:59:28``, whose date is kept as
``written_on``). The first remaining short line becomes the title; the rest are paragraphs.
"""

from __future__ import annotations

import codecs
import datetime
import io
import pathlib
import re
from dataclasses import dataclass

# fmt: off
CATEGORY_KEYWORDS: dict[str, tuple[str, ...]] = {
    # Insertion order is the priority order used by the guess: the first match wins.
    "政府信息公开年报": ("年度报告", "年度報告", "工作报告", "工作報告", "年报", "年報"),
    "政府信息公开制度": ("制度",),
    "行政许可和服务事项": (
        "行政许可", "行政許可", "服务事项", "服務事項", "办事指南", "辦事指南", "审批事项", "審批事項",
    ),
    "政府信息公开指南": ("指南",),
    "机构职能": (
        "机构职能", "機構職能", "主要职责", "主要職責", "内设机构", "內設機構", "机构设置", "機構設置",
        "职能配置", "職能配置",
    ),
    "财政预决算与收费": ("预算", "預算", "决算", "決算", "收费", "收費", "三公经费", "三公經費"),
    "统计信息": ("统计", "統計"),
    "人事": ("人事", "任免", "招聘", "招录", "招錄", "录用", "錄用", "任前公示"),
    "规划计划": ("计划", "計劃", "規劃", "规划", "要点", "要點"),
    "法规文件": ("意见", "意見", "办法", "辦法", "通知", "规定", "規定", "条例", "條例", "决定", "決定"),
}
# fmt: on


class UnsupportedDocument(ValueError):
    """The file cannot be imported (unknown type); the message is shown to users."""


@dataclass(frozen=True)
class CleanDocument:
    title: str
    written_on: datetime.date | None
    category_hint: str | None
    paragraphs: list[str]
    removed: list[str]
    source_format: str


# --- Patterns -------------------------------------------------------------------------

_CJK = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
_TONED = "āáǎàēéěèêīíǐìōóǒòūúǔùǖǘǚǜü"
_UNTONE = str.maketrans("āáǎàēéěèêīíǐìōóǒòūúǔù", "aaaaeeeeeiiiioooouuuu", "") | str.maketrans("ǖǘǚǜ", "üüüü")
# A parenthesised run of lowercase (tone-marked) latin letters right after a CJK character.
_PINYIN_GROUP = re.compile(rf"(?<=[{_CJK}])[(（]([a-z{_TONED}]{{1,7}})[)）]")
_SYLLABLE = re.compile(
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|üan|van|ai|ao|an|ei|en|er|ia|ie|in|iu"
    r"|ou|ua|uo|ui|un|ue|üe|ve|ün|vn|a|o|e|i|u|ü|v)"
    r"|m|n|ng|hm|hng"
)

_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_DATE_KEY = r"(?:发布|發布|發佈|成文|生成|发文|發文|更新|印发|印發|公开|公開)?(?:时间|時間|日期)"
_OTHER_KEY = (
    r"(?:信息|資訊)?(?:来源|來源)|作者|(?:责任|責任)?(?:编辑|編輯)|(?:浏览|瀏覽|点击|點擊|阅读|閱讀|访问|訪問)"
    r"(?:次数|次數|数|數|量)?|字号|字號|发布机构|發布機構|发布单位|發布單位|索引号|索引號"
)
_DATE_VALUE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"
)
_BODY_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_HAN_DATE = re.compile(
    r"([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日"
)
_HAN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0}
_META_SEGMENT = re.compile(rf"\s*(?:(?P<date_key>{_DATE_KEY})\s*[:：]?|(?:{_OTHER_KEY})\s*[:：])\s*")
_META_VALUE = re.compile(r"\S*")
_META_START = re.compile(rf"(?:{_DATE_KEY})\s*[:：]?\s*\d|(?:{_OTHER_KEY})\s*[:：]")

_CONTROL_GROUP = re.compile(
    r"[【\[]\s*(?:打\s*印(?:本\s*[页頁])?|关\s*闭(?:窗\s*口)?|關\s*閉(?:窗\s*口)?|收\s*藏|返\s*回(?:\s*[顶頂]\s*部)?"
    r"|字\s*[体體号號]\s*[:：]?\s*(?:[大中小]\s*)*)\s*[】\]]"
)
_CONTROL_WORDS = re.compile(r"(?:打印本[页頁]|打印|关闭窗口|關閉窗口|关闭|關閉|返回顶部|返回頂部|\s)+")
# fmt: off
_NAV_WORDS = frozenset((
    "首页", "首頁", "网站首页", "網站首頁", "主页", "主頁", "正文", "文章中心", "返回首页", "返回首頁",
    "新闻中心", "新聞中心", "当前位置", "當前位置", "政务公开", "政務公開", "信息公开", "資訊公開",
    "政府信息公开", "政府信息公開", "文章列表", "列表",
))
# fmt: on
_NAV_SPLIT = re.compile(r"\s*(?:>>|>|＞|›|»|→)\s*")
_POSITION = re.compile(r"^(?:当前位置|當前位置|您的位置|您现在的位置|您現在的位置|所在位置|位置)\s*[:：]")
_LEAD_IN = re.compile(r"^(?:导语|導語|前言|导读|導讀|摘要|编者按|編者按)\s*[:：]")
_SITE_MARKERS = re.compile(
    r"本站|本网|本網|网友|網友|上传|上傳|范文|範文|客服|原创|原創|精心整理|转载|轉載|仅供参考|僅供參考|不代表"
)
_PAGER = re.compile(
    r"^[-–—•·*>\s]*(?:上一篇|下一篇|上一條|下一條|上一条|下一条|上一[页頁]|下一[页頁]|上篇|下篇)(?:[\s:：]|$)"
)
_SHARE = re.compile(r"^(?:分享到|分享至)")
_COPYRIGHT = re.compile(
    r"版权所有|版權所有|copyright|©|all rights reserved|icp备|icp備|icp证|icp證|公网安备|公網安備"
    r"|技术支持[:：]|技術支持[:：]|如有侵权|如有侵權|转载请注明|轉載請註明|本文来源于网络|本文來源於網絡",
    re.IGNORECASE,
)
_SOURCE_TAIL = re.compile(r"\s+(?:来源|來源)\s*[:：]\s*本(?:网|網|站)$")
_ENUMERATED = re.compile(
    r"^(?:[一二三四五六七八九十百]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d+[、.．]"
    r"|第[一二三四五六七八九十百零〇\d]+[条條章节節款])"
)
_TITLE_END = tuple("。：:；;")
_MAX_TITLE = 60
_DEFAULT_TITLE = "未命名文档"

_HTML_DROP = ("script", "style", "nav", "header", "footer", "noscript", "template", "aside", "head", "iframe")
# fmt: off
_HTML_BLOCKS = (
    "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section", "article",
    "blockquote", "pre", "dd", "dt", "dl", "address", "center", "main", "form", "hr", "caption", "figure",
)
# fmt: on
_HTML_WS = re.compile(r"[ \t\r\n\f]+")
_WIDE = _CJK + "\u3001-\u303f\uff01-\uffef"  # CJK plus full-width punctuation
_CJK_BREAK = re.compile(rf"(?<=[{_WIDE}])\s*\n\s*(?=[{_WIDE}])")


# --- Small helpers --------------------------------------------------------------------


def _make_date(year: int, month: int, day: int) -> datetime.date | None:
    if not 1900 <= year <= 2100:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _han_number(text: str) -> int:
    """'十' -> 10, '十二' -> 12, '二十' -> 20, '三十一' -> 31, '五' -> 5."""
    if "十" not in text:
        return _HAN_DIGITS.get(text, 0)
    tens, _, units = text.partition("十")
    return (_HAN_DIGITS.get(tens, 0) if tens else 1) * 10 + (_HAN_DIGITS.get(units, 0) if units else 0)


def _date_in_body(text: str) -> datetime.date | None:
    text = text.translate(_DIGITS)
    for match in _BODY_DATE.finditer(text):
        found = _make_date(*(int(g) for g in match.groups()))
        if found:
            return found
    for match in _HAN_DATE.finditer(text):
        year = int("".join(str(_HAN_DIGITS[c]) for c in match.group(1)))
        found = _make_date(year, _han_number(match.group(2)), _han_number(match.group(3)))
        if found:
            return found
    return None


def _short(line: str, limit: int = 60) -> str:
    return line if len(line) <= limit else line[:limit] + "…"


def _is_pinyin(group: str) -> bool:
    return _SYLLABLE.fullmatch(group.translate(_UNTONE)) is not None


def _strip_pinyin(line: str) -> tuple[str, int]:
    count = 0

    def repl(match: re.Match[str]) -> str:
        nonlocal count
        if _is_pinyin(match.group(1)):
            count += 1
            return ""
        return match.group(0)

    while True:  # removing one group can put the next one right after a CJK character
        before = count
        line = _PINYIN_GROUP.sub(repl, line)
        if count == before:
            return line, count


def _metadata(line: str) -> tuple[bool, datetime.date | None]:
    """Whether the whole line is metadata (key: value pairs), and the first date in it."""
    text = line.translate(_DIGITS)
    if len(text) > 120 or not _META_START.match(text):
        return False, None
    text = _CONTROL_GROUP.sub(" ", text)
    found: datetime.date | None = None
    pos = 0
    while pos < len(text):
        segment = _META_SEGMENT.match(text, pos)
        if segment is None:
            return (not text[pos:].strip()), found
        pos = segment.end()
        if segment.group("date_key"):
            value = _DATE_VALUE.match(text, pos)
            if value is None:
                return False, None
            found = found or _make_date(*(int(g) for g in value.groups()))
            pos = value.end()
        else:
            value = _META_VALUE.match(text, pos)  # \S* matches anywhere, if only the empty string
            pos = value.end() if value else pos
    return True, found


def _boilerplate(line: str) -> str | None:
    """A note label when the line is site boilerplate, else None."""
    if line in _NAV_WORDS or _POSITION.match(line):
        return "删除网站导航"
    parts = _NAV_SPLIT.split(line)
    if len(parts) >= 2 and all(0 < len(p) <= 20 for p in parts) and any(p in _NAV_WORDS for p in parts):
        return "删除网站导航"
    if _LEAD_IN.match(line) and _SITE_MARKERS.search(line):
        return "删除网站导语"
    if _CONTROL_GROUP.search(line) and not _CONTROL_GROUP.sub("", line).strip():
        return "删除页面按钮"
    if len(line) <= 20 and _CONTROL_WORDS.fullmatch(line):
        return "删除页面按钮"
    if _PAGER.match(line):
        return "删除翻页链接"
    if _SHARE.match(line) and len(line) <= 80:
        return "删除分享链接"
    if len(line) <= 150 and _COPYRIGHT.search(line):
        return "删除版权信息"
    return None


def _is_title(line: str) -> bool:
    return len(line) <= _MAX_TITLE and not line.endswith(_TITLE_END) and not _ENUMERATED.match(line)


def _guess_category(title: str, paragraphs: list[str]) -> str | None:
    for text in (title, *paragraphs[:3]):
        for name, keywords in CATEGORY_KEYWORDS.items():
            if any(word in text for word in keywords):
                return name
    return None


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --- Core -----------------------------------------------------------------------------


def _clean_lines(
    lines: list[str], *, fallback_title: str, source_format: str, removed: list[str] | None = None
) -> CleanDocument:
    removed = list(removed or [])
    fallback = fallback_title.strip() or _DEFAULT_TITLE
    kept: list[str] = []
    meta_date: datetime.date | None = None
    pinyin = 0
    for raw in lines:
        line = raw.strip()
        while True:  # repair in place until stable, so cleaning is idempotent
            line, count = _strip_pinyin(line)
            pinyin += count
            tail = _SOURCE_TAIL.search(line)
            if tail is None:
                break
            removed.append(f"删除来源标注：{tail.group(0).strip()}")
            line = line[: tail.start()].strip()
        if not line:
            continue
        label = _boilerplate(line)
        if label:
            removed.append(f"{label}: {_short(line)}")
            continue
        is_meta, found = _metadata(line)
        if is_meta:
            removed.append(f"删除元数据：{_short(line)}")
            meta_date = meta_date or found
            continue
        kept.append(line)

    title = fallback
    if kept and _is_title(kept[0]):
        title = kept.pop(0)
    while kept and _squash(kept[0]) == _squash(title):
        removed.append(f"删除重复标题：{_short(kept.pop(0))}")
    while kept and kept[-1] in CATEGORY_KEYWORDS:
        removed.append(f"删除栏目标签：{kept.pop()}")
    if pinyin:
        removed.append(f"删除注音 {pinyin} 处")

    written_on = meta_date
    if written_on is None:
        for text in (title, *kept):
            written_on = _date_in_body(text)
            if written_on:
                break
    return CleanDocument(
        title=title,
        written_on=written_on,
        category_hint=_guess_category(title, kept),
        paragraphs=kept,
        removed=removed,
        source_format=source_format,
    )


def clean_text(raw: str, *, fallback_title: str) -> CleanDocument:
    """Clean a plain-text document; one non-empty line is one paragraph."""
    raw = raw.lstrip("\ufeff") if isinstance(raw, str) else ""
    return _clean_lines(raw.splitlines(), fallback_title=fallback_title, source_format="text")


def clean_html(raw: str, *, fallback_title: str) -> CleanDocument:
    """Clean an HTML page: drop scripts, styles and page chrome, keep block breaks, then clean as text."""
    from bs4 import BeautifulSoup, Comment, Doctype, NavigableString

    soup = BeautifulSoup(raw if isinstance(raw, str) else "", "html.parser")
    removed: list[str] = []
    for name in _HTML_DROP:
        tags = soup.find_all(name)
        for tag in tags:
            tag.decompose()
        if tags and name != "head":
            removed.append(f"删除网页元素 <{name}> {len(tags)} 处")
    for special in soup.find_all(string=lambda s: isinstance(s, (Comment, Doctype))):
        special.extract()
    # Whitespace inside HTML text is not a paragraph break: a wrapped source line between two
    # CJK characters or full-width punctuation marks disappears, any other run becomes one space.
    for string in soup.find_all(string=True):
        if type(string) is NavigableString and string.find_parent("pre") is None:
            text = _HTML_WS.sub(" ", _CJK_BREAK.sub("", str(string)))
            string.replace_with(text)
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for cell in soup.find_all(["td", "th"]):
        cell.insert_after(" ")
    for block in soup.find_all(list(_HTML_BLOCKS)):
        block.insert_before("\n")
        block.insert_after("\n")
    return _clean_lines(
        soup.get_text().splitlines(), fallback_title=fallback_title, source_format="html", removed=removed
    )


def clean_docx(data: bytes, *, fallback_title: str) -> CleanDocument:
    """Clean a Word document: body paragraphs and table rows in order, then clean as text."""
    lines: list[str] = []
    removed: list[str] = []
    try:
        from docx import Document
        from docx.table import Table

        document = Document(io.BytesIO(data))
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                for row in block.rows:
                    cells: list[str] = []
                    for cell in row.cells:  # merged cells repeat; keep each text once
                        text = cell.text.strip()
                        if text and (not cells or cells[-1] != text):
                            cells.append(text)
                    lines.extend(" ".join(cells).splitlines())
            else:
                lines.extend(block.text.splitlines())
    except Exception as exc:  # garbage bytes: report, never raise
        removed.append(f"无法读取 DOCX 内容：{exc.__class__.__name__}")
        lines = []
    return _clean_lines(lines, fallback_title=fallback_title, source_format="docx", removed=removed)


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+", re.MULTILINE)


def clean_file(path: pathlib.Path) -> CleanDocument:
    """Read and clean one file, choosing the reader from its suffix."""
    path = pathlib.Path(path)
    suffix = path.suffix.lower()
    if suffix in (".txt", ".text", ".md"):
        text = _decode(path.read_bytes())
        if suffix == ".md":
            text = _MD_HEADING.sub("", text)
        return clean_text(text, fallback_title=path.stem)
    if suffix in (".htm", ".html"):
        return clean_html(_decode(path.read_bytes()), fallback_title=path.stem)
    if suffix == ".docx":
        return clean_docx(path.read_bytes(), fallback_title=path.stem)
    raise UnsupportedDocument(f"不支持的文件类型：{suffix or '（无扩展名）'}")
