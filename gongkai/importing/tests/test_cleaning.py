"""Tests for the pure cleaning rules of the document importer (no Django, no database)."""

import ast
import datetime
import io
import pathlib
import re

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.importing import cleaning
from gongkai.importing.cleaning import (
    CATEGORY_KEYWORDS,
    CleanDocument,
    UnsupportedDocument,
    clean_docx,
    clean_file,
    clean_html,
    clean_text,
)

SEEDS = pathlib.Path(__file__).resolve().parents[2] / "demo" / "seeds"
PINYIN_AFTER_CJK = re.compile(r"[\u4e00-\u9fff][(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+[)）]")
BOILERPLATE = ("首页", "上一篇", "下一篇", "【 打印 】", "导语", "導語", "前言:本站")
SETTINGS = settings(database=None, deadline=None, max_examples=200)


def everything(doc: CleanDocument) -> str:
    return "\n".join([doc.title, *doc.paragraphs])


# --- The five real seed documents -----------------------------------------------------

SEED_CASES = [
    (
        "000_819b25f9e69111ad.txt",
        "劳动保障局推行政务公开意见",
        None,
        "法规文件",
        "推行政务公开,将行政机关的行政管理事项、与群众利益相关的事务向服务对象公开,以方便群众办事,接受群众监督。",
        "劳动保障",
    ),
    (
        "001_ff9205ef75e8b2a6.txt",
        "蓬莱市人力资源和社会保障局2013年度政府信息公开工作报告",
        datetime.date(2014, 2, 11),
        "政府信息公开年报",
        "根据《中华人民共和国政府信息公开条例》(以下简称《条例》)和市府的规定",
        "政府信息公开",
    ),
    (
        "002_4f073eadaf429a9f.txt",
        "勞動保障依法行政計劃",
        datetime.date(2022, 1, 1),
        "规划计划",
        "(四)進一步推進政府信息公開,確保公民的知情權、參與權、表達權和監督權。",
        "勞動保障",
    ),
    (
        "003_4844218d29a4a7ba.txt",
        "民政局政務公開工作意見",
        datetime.date(2022, 3, 22),
        "法规文件",
        "推行政務公開應堅持的原則:嚴格依法,全面真實,及時便民。",
        "政務公開",
    ),
    (
        "004_f87ef3f4d80ea878.txt",
        "吴川市人力资源和社会保障局政务公开制度",
        datetime.date(2020, 9, 16),
        "政府信息公开制度",
        "第二十七条\xa0\xa0本办法自印发之日起施行。",
        "政务公开",
    ),
]


def test_it_finds_all_five_seed_files():
    assert sorted(p.name for p in SEEDS.glob("0*.txt")) == sorted(case[0] for case in SEED_CASES)


@pytest.mark.parametrize(("name", "title", "written_on", "category", "sentence", "kept_word"), SEED_CASES)
def test_it_cleans_the_seed_documents(name, title, written_on, category, sentence, kept_word):
    doc = clean_file(SEEDS / name)

    assert doc.source_format == "text"
    assert doc.title == title
    assert doc.written_on == written_on
    assert doc.category_hint == category
    text = everything(doc)
    for debris in BOILERPLATE:
        assert debris not in text, debris
    assert not PINYIN_AFTER_CJK.search(text)
    assert kept_word in text
    assert any(sentence in paragraph for paragraph in doc.paragraphs)
    assert title not in doc.paragraphs
    assert all(p == p.strip() and p for p in doc.paragraphs)
    assert not any(re.match(r"(发布)?(时间|時間)\s*:", p) for p in doc.paragraphs)


def test_it_drops_the_repeated_title_and_site_lead_in_of_seed_000():
    doc = clean_file(SEEDS / "000_819b25f9e69111ad.txt")

    assert doc.paragraphs[0].startswith("各省、自治区、直辖市劳动和社会保障厅(局)")
    assert "删除网站导航: 首页 > 文章中心 > 正文" in doc.removed
    assert any(note.startswith("删除重复标题") for note in doc.removed)


def test_it_counts_the_pinyin_removed_from_seed_003():
    doc = clean_file(SEEDS / "003_4844218d29a4a7ba.txt")

    assert "删除注音 257 处" in doc.removed
    assert "包括地址和聯系方式" in everything(doc)


def test_it_drops_the_trailing_column_label_of_seed_001():
    doc = clean_file(SEEDS / "001_ff9205ef75e8b2a6.txt")

    assert doc.paragraphs[-1].startswith("(四)强化监督,务求落实。")
    assert "删除栏目标签：政府信息公开年报" in doc.removed


def test_it_drops_the_pager_links_of_seed_002():
    doc = clean_file(SEEDS / "002_4f073eadaf429a9f.txt")

    assert doc.paragraphs[0] == "一、指導思想"
    assert doc.paragraphs[-1].startswith("(三)建立依法行政情況定期報告制度。")


# --- Pinyin ---------------------------------------------------------------------------


def test_it_removes_scraped_pinyin_in_both_kinds_of_parentheses():
    doc = clean_text("标题\n政務(wù)公開，指導（dǎo）思想，網(wǎng)站（de）建设。", fallback_title="x")

    assert doc.paragraphs == ["政務公開，指導思想，網站建设。"]
    assert "删除注音 4 处" in doc.removed


def test_it_removes_consecutive_pinyin_groups():
    doc = clean_text("标题\n務(wù)(wù)公开", fallback_title="x")

    assert doc.paragraphs == ["務公开"]


@pytest.mark.parametrize(
    "paragraph",
    [
        "(一)调整充实政务公开工作领导机构。",
        "制定《2013年度实施方案》(2013)。",
        "根据《条例》(以下简称《条例》)的规定。",
        "各省劳动和社会保障厅(局)。",
        "相关股室(单位)负责。",
        "超文本标记语言(html)和可扩展标记语言(xml)。",
        "(wù)出现在行首时不是注音。",
        "A(wù)跟在字母后面也不是。",
        "按 ISO 8601 (date) 格式。",
    ],
)
def test_it_keeps_ordinary_parentheses(paragraph):
    doc = clean_text(f"标题\n{paragraph}", fallback_title="x")

    assert doc.paragraphs == [paragraph]
    assert not any("注音" in note for note in doc.removed)


# --- Boilerplate and metadata -----------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "首页",
        "首頁",
        "首页 > 文章中心 > 正文",
        "网站首页>政务公开>通知公告",
        "当前位置：首页 > 通知公告",
        "前言:本站为你精心整理了某某范文,希望能为你的创作提供参考价值。",
        "導語:某某一文來源于網友上傳,不代表本站觀點,歡迎參考。",
        "【 打印 】",
        "【打印】 【关闭】",
        "【字体：大 中 小】",
        "[打印本页] [关闭窗口]",
        "上一篇：关于某事的通知",
        "- 下一篇:加快技工院校發展意見",
        "分享到：微信 微博 QQ空间",
        "版权所有：某某市人力资源和社会保障局 粤ICP备12345678号",
        "Copyright © 2020 某某网 All Rights Reserved",
        "来源:本网",
    ],
)
def test_it_drops_site_boilerplate_lines(line):
    doc = clean_text(f"通知标题\n{line}\n正文第一段。", fallback_title="x")

    assert doc.title == "通知标题"
    assert doc.paragraphs == ["正文第一段。"]
    assert doc.removed


@pytest.mark.parametrize(
    "paragraph",
    [
        "前言：为规范政务公开工作，制定本指南。",
        "时间：每周一至周五上午9时至下午5时。",
        "来源于群众的意见应当及时反馈。",
        "收入 > 支出的单位应当说明原因。",
        "上一年度的工作总结见附件。",
    ],
)
def test_it_keeps_body_lines_that_only_look_like_boilerplate(paragraph):
    doc = clean_text(f"标题\n{paragraph}", fallback_title="x")

    assert doc.paragraphs == [paragraph]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("发布时间:2014-02-11 08:59:28", datetime.date(2014, 2, 11)),
        ("時間:2022-01-01 10:36:00", datetime.date(2022, 1, 1)),
        ("时间:2020-09-16 09:12:28 来源:本网", datetime.date(2020, 9, 16)),
        ("发布日期：2013年5月6日", datetime.date(2013, 5, 6)),
        ("日期 2013/05/06 浏览次数：120", datetime.date(2013, 5, 6)),
        ("发布时间：２０１３-０５-０６ 来源：某某市政府 【打印】", datetime.date(2013, 5, 6)),
    ],
)
def test_it_turns_metadata_lines_into_the_written_date(line, expected):
    doc = clean_text(f"标题\n{line}\n正文。", fallback_title="x")

    assert doc.written_on == expected
    assert doc.paragraphs == ["正文。"]
    assert any(note.startswith("删除元数据") for note in doc.removed)


def test_it_strips_a_trailing_source_fragment_from_a_line():
    doc = clean_text("标题\n某某局办公室 來源:本網\n正文。", fallback_title="x")

    assert doc.paragraphs == ["某某局办公室", "正文。"]
    assert "删除来源标注：來源:本網" in doc.removed


def test_it_reads_the_written_date_from_the_text():
    assert clean_text("标题\n正文。\n某某局\n2013年5月6日", fallback_title="x").written_on == datetime.date(
        2013, 5, 6
    )
    assert clean_text(
        "标题\n某某局\n二〇一三年十二月二十一日", fallback_title="x"
    ).written_on == datetime.date(2013, 12, 21)


def test_it_prefers_the_metadata_date_and_ignores_impossible_dates():
    doc = clean_text("标题\n时间:2020-09-16\n2013年5月6日通过。", fallback_title="x")
    assert doc.written_on == datetime.date(2020, 9, 16)
    assert clean_text("标题\n2013年13月40日", fallback_title="x").written_on is None
    assert clean_text("标题\n正文。", fallback_title="x").written_on is None


# --- Title, whitespace and categories ------------------------------------------------------


def test_it_falls_back_to_the_given_title():
    assert clean_text("", fallback_title="stem") == CleanDocument("stem", None, None, [], [], "text")
    assert clean_text("   \n\n\u3000\n", fallback_title="stem").title == "stem"
    assert clean_text("", fallback_title="  ").title == "未命名文档"
    assert clean_text("这是一个完整的句子。\n正文。", fallback_title="stem").title == "stem"
    assert clean_text("一、指导思想\n正文。", fallback_title="stem").title == "stem"
    assert clean_text("长" * 61, fallback_title="stem").title == "stem"


def test_it_keeps_paragraph_text_intact_but_trims_line_ends():
    raw = (
        "\ufeff  标题 \u3000\n\n\n\u3000\u3000第一条\xa0\xa0为规范工作，制定本制度。 \u3000\n\n\n\n"
        "第二条  本制度自印发之日起施行。\t\n"
    )

    doc = clean_text(raw, fallback_title="x")

    assert doc.title == "标题"
    assert doc.paragraphs == ["第一条\xa0\xa0为规范工作，制定本制度。", "第二条  本制度自印发之日起施行。"]


def test_it_uses_exactly_the_catalogue_category_names():
    assert set(CATEGORY_KEYWORDS) == {
        "政府信息公开年报",
        "政府信息公开制度",
        "政府信息公开指南",
        "规划计划",
        "法规文件",
        "机构职能",
        "行政许可和服务事项",
        "统计信息",
        "人事",
        "财政预决算与收费",
    }


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("某某局2013年度政府信息公开年度报告", "政府信息公开年报"),
        ("某某局政府信息公開工作報告", "政府信息公开年报"),
        ("某某局政府信息公开保密审查制度", "政府信息公开制度"),
        ("某某局政府信息公开指南", "政府信息公开指南"),
        ("某某局2014年政务公开工作要点", "规划计划"),
        ("某某省勞動保障事業發展規劃", "规划计划"),
        ("关于印发某某办法的通知", "法规文件"),
        ("某某局關於進一步推進政務公開的意見", "法规文件"),
        ("某某局主要职责和内设机构", "机构职能"),
        ("社会保险登记行政许可事项办事指南", "行政许可和服务事项"),
        ("2013年某某局部门预算", "财政预决算与收费"),
        ("2013年劳动保障事业统计公报", "统计信息"),
        ("某某同志任免名单", "人事"),
        ("某某局简介", None),
    ],
)
def test_it_guesses_the_category_from_the_title(title, expected):
    assert clean_text(f"{title}\n正文内容。", fallback_title="x").category_hint == expected


def test_it_guesses_the_category_from_the_first_paragraphs_when_the_title_says_nothing():
    doc = clean_text("某某局文件\n为做好工作，现制定本年度工作计划如下。", fallback_title="x")

    assert doc.category_hint == "规划计划"


# --- HTML -----------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html><head><title>政务公开 - 某某网</title><style>p { color: red }</style></head>
<body>
<header><a href="/">某某市人民政府</a></header>
<nav><a href="/">首页</a> <a href="/gk">政务公开</a></nav>
<div class="crumb"><a href="/">首页</a> &gt; <a href="/gk">文章中心</a> &gt; 正文</div>
<h1>民政局政務(wù)公開工作意見</h1>
<div class="meta">時間:2022-03-22 09:31:00 來源:本網</div>
<script>var tracker = "首页 > 上一篇";</script>
<!-- 上一篇 comment -->
<p>為認真貫徹落實《條例》(國務(wù)院令第492號),切實推進我局政務(wù)公開工作。</p>
<p>推行政務公開應堅持的原則：嚴格依法，
全面真實，及時便民。<br>第二行內容。</p>
<table><tr><td>受理时间</td><td>工作日</td></tr></table>
<p>【 打印 】 【关闭】</p>
<div>上一篇：加強勞動用工管理通知</div>
<footer>版权所有 某某网</footer>
</body></html>"""


def test_it_cleans_an_html_page():
    doc = clean_html(PAGE, fallback_title="page")

    assert doc.source_format == "html"
    assert doc.title == "民政局政務公開工作意見"
    assert doc.written_on == datetime.date(2022, 3, 22)
    assert doc.category_hint == "法规文件"
    assert doc.paragraphs == [
        "為認真貫徹落實《條例》(國務院令第492號),切實推進我局政務公開工作。",
        "推行政務公開應堅持的原則：嚴格依法，全面真實，及時便民。",
        "第二行內容。",
        "受理时间 工作日",
    ]
    assert "删除网页元素 <script> 1 处" in doc.removed
    assert "删除网页元素 <nav> 1 处" in doc.removed
    assert "删除注音 3 处" in doc.removed


@pytest.mark.parametrize(
    "raw", ["", "<<<>>>", "<p>", "</div></div>", "<html><body></body></html>", "\x00\x01"]
)
def test_it_never_fails_on_empty_or_broken_html(raw):
    doc = clean_html(raw, fallback_title="stem")

    assert doc.title
    assert isinstance(doc.paragraphs, list)


# --- DOCX -------------------------------------------------------------------------------------


def make_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("首页 > 文章中心 > 正文")
    document.add_heading("某某市人力资源和社会保障局政务公开制度", level=1)
    document.add_paragraph("发布日期：2020年9月16日")
    document.add_paragraph("第一条  为推进政务(wù)公开工作，制定本制度。")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "事项"
    table.cell(0, 1).text = "办理时限"
    table.cell(1, 0).text = "依申请公开"
    table.cell(1, 1).text = "15个工作日"
    document.add_paragraph("第二条  本制度自印发之日起施行。")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_it_cleans_a_docx_document_with_a_table():
    doc = clean_docx(make_docx(), fallback_title="stem")

    assert doc.source_format == "docx"
    assert doc.title == "某某市人力资源和社会保障局政务公开制度"
    assert doc.written_on == datetime.date(2020, 9, 16)
    assert doc.category_hint == "政府信息公开制度"
    assert doc.paragraphs == [
        "第一条  为推进政务公开工作，制定本制度。",
        "事项 办理时限",
        "依申请公开 15个工作日",
        "第二条  本制度自印发之日起施行。",
    ]


@pytest.mark.parametrize("data", [b"", b"not a zip", b"PK\x03\x04garbage"])
def test_it_never_fails_on_broken_docx(data):
    doc = clean_docx(data, fallback_title="stem")

    assert doc.title == "stem"
    assert doc.paragraphs == []
    assert doc.removed


# --- Files ------------------------------------------------------------------------------------


def test_it_reads_files_by_suffix_and_encoding(tmp_path):
    utf8 = tmp_path / "a.txt"
    utf8.write_bytes("\ufeff某某局政务公开指南\n正文。".encode())
    gbk = tmp_path / "b.TEXT"
    gbk.write_bytes("某某局政务公开指南\n正文。".encode("gb18030"))
    markdown = tmp_path / "c.md"
    markdown.write_text("# 某某局政务公开指南\n\n正文。", encoding="utf-8")
    page = tmp_path / "d.htm"
    page.write_text(PAGE, encoding="utf-8")
    word = tmp_path / "e.docx"
    word.write_bytes(make_docx())

    for path in (utf8, gbk, markdown):
        doc = clean_file(path)
        assert (doc.title, doc.paragraphs, doc.source_format) == ("某某局政务公开指南", ["正文。"], "text")
        assert doc.category_hint == "政府信息公开指南"
    assert clean_file(page).source_format == "html"
    assert clean_file(word).source_format == "docx"
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert (clean_file(empty).title, clean_file(empty).paragraphs) == ("empty", [])


@pytest.mark.parametrize("name", ["report.pdf", "report.doc", "README"])
def test_it_rejects_unsupported_files(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"%PDF-1.4")

    with pytest.raises(UnsupportedDocument, match="不支持的文件类型") as info:
        clean_file(path)
    assert isinstance(info.value, ValueError)


def test_it_does_not_import_django():
    tree = ast.parse(pathlib.Path(cleaning.__file__).read_text(encoding="utf-8"))
    names = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    names += [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    assert not [name for name in names if name.split(".")[0] == "django"]


# --- Properties -------------------------------------------------------------------------------

SYLLABLES = ["wù", "dǎo", "wǎng", "guān", "jiān", "zé", "guī", "fā", "tǒng", "lǐng", "shè", "nèi", "de", "lǜ"]
cjk = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
pinyin_group = st.builds(
    lambda s, left, right: f"{left}{s}{right}",
    st.sampled_from(SYLLABLES),
    st.sampled_from("(（"),
    st.sampled_from(")）"),
)
scraped = st.lists(st.one_of(cjk, pinyin_group, st.sampled_from(["\n", "。", ",", " ", "(一)", "2013"]))).map(
    "".join
)
texty = st.one_of(
    st.text(), scraped, st.lists(st.sampled_from((*BOILERPLATE, "正文。", "\n", "标题"))).map("".join)
)


@SETTINGS
@given(texty)
def test_it_never_raises_and_always_has_a_title(raw):
    doc = clean_text(raw, fallback_title="fallback")

    assert doc.title
    assert all(p and p == p.strip() and "\n" not in p for p in doc.paragraphs)
    assert doc.category_hint is None or doc.category_hint in CATEGORY_KEYWORDS


@SETTINGS
@given(texty)
def test_it_never_raises_on_arbitrary_html(raw):
    assert clean_html(raw, fallback_title="fallback").title


@SETTINGS
@given(scraped)
def test_it_never_leaves_pinyin_after_a_cjk_character(raw):
    doc = clean_text(raw, fallback_title="fallback")

    assert not PINYIN_AFTER_CJK.search(everything(doc))


@SETTINGS
@given(texty)
def test_it_is_idempotent_on_its_own_output(raw):
    first = clean_text(raw, fallback_title="fallback")
    second = clean_text(everything(first), fallback_title="fallback")

    assert (second.title, second.paragraphs) == (first.title, first.paragraphs)
    assert not any("注音" in note for note in second.removed)
