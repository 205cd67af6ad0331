"""End to end: the 正文 editor (issue 13, point 11). A clerk types paragraphs and a list without
seeing a tag, the saved body has them, the page loads nothing from elsewhere and breaks no policy;
a body stored as plain text opens as paragraphs."""

import re

import pytest
from playwright.sync_api import Page, expect

from gongkai.catalogue.models import Item
from gongkai.e2e.test_content_security_policy import Watch, field, sign_in
from gongkai.testing.world import Team

pytestmark = pytest.mark.browser


def editor(page: Page):
    return page.locator(".jodit-wysiwyg")


def test_a_clerk_types_paragraphs_and_a_list_and_they_are_saved(page: Page, live_server):
    watch = Watch(page, live_server.url)
    team = Team()
    sign_in(page, team.clerk.username)

    page.goto("/staff/items/new/")
    field(page, "名称").fill("关于城乡居民医疗保险缴费标准的通知")
    field(page, "主题分类").select_option(label="法定主动公开内容 / 法规文件")
    expect(editor(page)).to_be_visible()
    expect(page.locator("textarea[name=body]")).to_be_hidden()
    editor(page).click()
    page.keyboard.type("第一段：现将缴费标准通知如下。")
    page.keyboard.press("Enter")
    page.keyboard.type("第二段：缴费时间为每年9月至12月。")
    page.keyboard.press("Enter")
    page.locator(".jodit-toolbar-button_ul button").first.click()
    page.keyboard.type("个人缴费380元")
    page.keyboard.press("Enter")
    page.keyboard.type("财政补助670元")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # out of the list
    page.locator(".jodit-toolbar-button_table button").first.click()
    page.get_by_role("gridcell", name="2 by 2").hover()
    page.get_by_role("gridcell", name="2 by 2").click()
    expect(editor(page).locator("table td")).to_have_count(4)
    editor(page).locator("table td").first.click()
    page.keyboard.type("类别")
    expect(editor(page)).not_to_contain_text("<p>")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_role("status")).to_contain_text("草稿已保存")

    body = Item.objects.get(title="关于城乡居民医疗保险缴费标准的通知").body
    assert "<p>第一段：现将缴费标准通知如下。</p>" in body
    assert "<p>第二段：缴费时间为每年9月至12月。</p>" in body
    assert re.search(r"<ul><li>个人缴费380元</li><li>财政补助670元(<br>)?</li></ul>", body), body
    assert re.search(r"<table>.*<td>类别(<br>)?</td>.*</table>", body, re.S), body
    assert "style=" not in body
    assert not watch.problems, watch.problems


def test_a_plain_text_body_opens_as_paragraphs_without_tags(page: Page, live_server):
    team = Team()
    item = team.draft("旧系统导入的信息")
    Item.objects.filter(pk=item.pk).update(body="第一段文字。\n第二段 a<b 文字。")
    sign_in(page, team.clerk.username)

    page.goto(f"/staff/items/{item.pk}/edit/")

    expect(editor(page).locator("p")).to_have_count(2)
    expect(editor(page).locator("p").nth(1)).to_have_text("第二段 a<b 文字。")
    expect(editor(page)).not_to_contain_text("&lt;")
    expect(editor(page)).not_to_contain_text("<p>")


WORD_CLIPBOARD = """<html xmlns:o="urn:schemas-microsoft-com:office:office">
<head><meta name=Generator content="Microsoft Word 15">
<style>p.MsoNormal{mso-style-parent:"";font-family:宋体}</style></head>
<body lang=ZH-CN style='tab-interval:21.0pt'><!--StartFragment-->
<h2 style='mso-outline-level:2'><span style='font-family:黑体'>一、缴费标准</span></h2>
<p class=MsoNormal style='text-indent:21.0pt'><span style='font-size:12pt'>第一段文字。<o:p></o:p></span></p>
<p class=MsoNormal><span style='color:red'>第二段文字。</span></p>
<ul><li class=MsoNormal style='mso-list:l0 level1 lfo1'>个人缴费</li><li class=MsoNormal>财政补助</li></ul>
<table class=MsoTableGrid border=1 style='border-collapse:collapse'>
<tr><td style='width:100pt'>类别</td><td>金额</td></tr></table>
<!--EndFragment--></body></html>"""


def test_a_word_paste_keeps_paragraphs_headings_lists_and_tables(page: Page, live_server):
    watch = Watch(page, live_server.url)
    team = Team()
    sign_in(page, team.clerk.username)
    page.goto("/staff/items/new/")
    field(page, "名称").fill("从Word粘贴的通知")
    field(page, "主题分类").select_option(label="法定主动公开内容 / 法规文件")
    editor(page).click()

    editor(page).evaluate(
        """(area, html) => {
            const data = new DataTransfer();
            data.setData("text/html", html);
            data.setData("text/plain", "一、缴费标准 第一段文字。 第二段文字。");
            const paste = {clipboardData: data, bubbles: true, cancelable: true};
            area.dispatchEvent(new ClipboardEvent("paste", paste));
        }""",
        WORD_CLIPBOARD,
    )
    expect(editor(page).locator("td")).to_have_count(2)
    expect(page.locator(".jodit-dialog")).to_have_count(0)  # no "keep or clean?" question to the clerk
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_role("status")).to_contain_text("草稿已保存")

    body = Item.objects.get(title="从Word粘贴的通知").body
    assert "<h2>一、缴费标准</h2>" in body
    assert re.search(r"<p>第一段文字。\s*</p>\s*<p>第二段文字。</p>", body), body
    assert re.search(r"<ul>\s*<li>个人缴费</li>\s*<li>财政补助</li>\s*</ul>", body), body
    assert re.search(r"<table>.*<td>类别</td>\s*<td>金额</td>.*</table>", body, re.S), body
    for residue in ("mso", "style", "class=", "<span", "o:p", "StartFragment"):
        assert residue not in body, (residue, body)
    # The policy blocks the clipboard's own style attributes while the editor reads the paste (it
    # then drops them); nothing else may be reported: no script, no other host, no page error.
    style = ("style-src-attr", "Applying inline style")
    others = [p for p in watch.problems if not any(words in p for words in style)]
    assert not others, others
