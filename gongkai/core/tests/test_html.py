"""Rich text on the server (gongkai.core.html): what the 正文 editor and a Word paste may keep."""

import pytest

from gongkai.core.html import body_html, html_to_text, is_plain_text, sanitize_body, sanitize_html

# What Word puts on the clipboard (trimmed): conditional comments, an <xml> block, a style sheet,
# mso classes and styles, <o:p>, spans and fonts; a heading 1, a list, a table; and a script.
WORD_PASTE = """<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><meta charset="utf-8">
<title>文档1</title><!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View>
</w:WordDocument></xml><![endif]-->
<style>p.MsoNormal {mso-style-parent:""; font-family:宋体;}</style></head>
<body lang=ZH-CN style='tab-interval:21.0pt'>
<h1 style='mso-outline-level:1'><span style='font-family:黑体'>关于缴费标准的通知</span></h1>
<p class=MsoNormal style='text-indent:21.0pt;mso-char-indent-count:2.0'><span lang=EN-US
style='font-size:12.0pt;mso-bidi-font-family:Calibri'>第一段：现将标准通知如下。<o:p></o:p></span></p>
<p class=MsoNormal><b><span style='color:red'>第二段</span></b><font face="宋体">加粗之后。</font></p>
<h3 class=MsoHeading3>一、标准</h3>
<ul style='margin-top:0cm' type=disc><li class=MsoNormal style='mso-list:l0 level1 lfo1'>个人缴费380元</li>
<li class=MsoNormal>财政补助670元</li></ul>
<table class=MsoTableGrid border=1 style='border-collapse:collapse;mso-yfti-tbllook:1184'>
<thead><tr><th width=100 style='width:75pt'>类别</th><th>金额</th></tr></thead>
<tbody><tr><td valign=top style='mso-border-alt:solid windowtext .5pt'>个人</td><td colspan=1>380</td>
</tr></tbody></table>
<script>alert("x")</script><p onclick="steal()"><a href="javascript:alert(1)">链接</a>
<a href="https://www.gov.cn/" style="color:blue">政府网</a></p>
</body></html>"""


@pytest.fixture(scope="module")
def cleaned() -> str:
    return sanitize_body(WORD_PASTE)


def test_a_word_paste_keeps_its_structure(cleaned):
    assert "<h2>关于缴费标准的通知</h2>" in cleaned  # Word's 标题1 as the editor's top heading
    assert "<p>第一段：现将标准通知如下。</p>" in cleaned
    assert "<p><b>第二段</b>加粗之后。</p>" in cleaned
    assert "<h3>一、标准</h3>" in cleaned
    assert "<ul><li>个人缴费380元</li>\n<li>财政补助670元</li></ul>" in cleaned
    assert "<thead><tr><th>类别</th><th>金额</th></tr></thead>" in cleaned
    assert '<td colspan="1">380</td>' in cleaned
    assert '<a href="https://www.gov.cn/" rel="noopener noreferrer nofollow">政府网</a>' in cleaned


@pytest.mark.parametrize(
    "gone",
    [
        "style",
        "class=",
        "mso",
        "<span",
        "<font",
        "o:p",
        "<script",
        'alert("x")',
        "onclick",
        "javascript:",
        "文档1",  # the document's <title>
        "WordDocument",
        "Normal",  # text inside Word's <xml> block
        "font-family",
        "<!--",
        "<h1",
        "width",
        "valign",
    ],
)
def test_a_word_paste_loses_everything_else(cleaned, gone):
    assert gone not in cleaned


def test_the_text_a_reader_sees_is_kept_whole(cleaned):
    text = html_to_text(cleaned)
    for words in (
        "关于缴费标准的通知",
        "第一段：现将标准通知如下。",
        "个人缴费380元",
        "财政补助670元",
        "政府网",
    ):
        assert words in text


@pytest.mark.parametrize(
    ("value", "plain"),
    [
        ("第一段\n第二段", True),
        ("a<b 时取较小值", True),
        ("x > y 时", True),
        ("A & B", True),
        ("<p>段落</p>", False),
        ("文字<br>换行", False),
        ('<a href="https://www.gov.cn/">链接</a>', False),
        ("<!-- 注释 -->文字", False),
        ("", True),
    ],
)
def test_plain_text_is_told_from_markup(value, plain):
    assert is_plain_text(value) is plain


def test_plain_text_becomes_escaped_paragraphs():
    value = "  第一条 标准为每月150元。\n\n第二条 a<b 且 A & B。\n<script 未闭合"

    assert sanitize_body(value) == (
        "<p>第一条 标准为每月150元。</p>\n<p>第二条 a&lt;b 且 A &amp; B。</p>\n<p>&lt;script 未闭合</p>"
    )


def test_a_stored_plain_text_body_is_shown_as_paragraphs_and_markup_as_it_is():
    assert body_html("第一段\n第二段 A &amp; B") == "<p>第一段</p>\n<p>第二段 A &amp; B</p>"
    assert body_html("<p>已是HTML</p>") == "<p>已是HTML</p>"
    assert body_html("") == ""


def test_markup_the_editor_makes_is_kept_as_it_is():
    value = (
        "<h2>标题</h2><h3>小标题</h3><h4>三级</h4><p><strong>粗</strong><em>斜</em><br>换行</p>"
        "<ol><li>一</li></ol><ul><li>二</li></ul>"
        "<table><tbody><tr><th>甲</th><td>乙</td></tr></tbody></table>"
    )

    assert sanitize_html(value) == value
