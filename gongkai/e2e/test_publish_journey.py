"""End to end: a draft goes through the review chain and reaches the public portal."""

import re
import tempfile
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from gongkai.catalogue.models import Item
from gongkai.e2e.pages import field, sign_in, sign_out
from gongkai.testing.files import minimal_pdf
from gongkai.testing.world import Team

pytestmark = pytest.mark.browser

# Screenshots for a person to look at after a run: /tmp/gongkai-item.png, /tmp/gongkai-tasks.png.
SCREENSHOTS = Path(tempfile.gettempdir())
PDF_BYTES = minimal_pdf()


def take_action(page: Page, user, title: str, action: str, *, screenshot: Path | None = None) -> None:
    """Sign in, open the item from 我的待办, take the action, sign out."""
    sign_in(page, user)
    tasks = page.get_by_role("region", name=re.compile("等待我办理的信息"))
    expect(tasks.get_by_role("link", name=title)).to_be_visible()
    if screenshot:
        page.screenshot(path=screenshot, full_page=True)
    tasks.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1, name=re.compile(re.escape(title)))).to_be_visible()
    page.get_by_role("button", name=action, exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(f"已{action}")
    sign_out(page)


def test_it_takes_a_draft_through_review_to_the_public_portal(page: Page, live_server, tmp_path):
    team = Team()
    title = "关于调整城乡居民医疗保险缴费标准的通知"
    pdf = tmp_path / "缴费标准.pdf"
    pdf.write_bytes(PDF_BYTES)

    # The clerk drafts the item, attaches a PDF and submits it.
    sign_in(page, team.clerk)
    page.get_by_role("link", name="起草信息").click()
    expect(page.get_by_role("heading", level=1, name="起草信息")).to_be_visible()
    field(page, "名称").fill(title)
    field(page, "主题分类").select_option(label="法定主动公开内容 / 法规文件")
    page.locator(".jodit-wysiwyg").click()  # the 正文 editor (gongkai/catalogue/static/catalogue)
    page.keyboard.type("现将2025年度城乡居民医疗保险缴费标准通知如下。")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_role("status")).to_contain_text("草稿已保存")
    pk = int(re.search(r"/staff/items/(\d+)/$", page.url).group(1))

    page.get_by_label(re.compile("^上传附件")).set_input_files(pdf)
    page.get_by_role("button", name="上传", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("附件“缴费标准.pdf”已上传")
    expect(page.get_by_role("link", name="缴费标准.pdf")).to_be_visible()

    page.get_by_role("button", name="提交审核", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("当前状态：待股室审核")
    sign_out(page)

    # The review chain, each reviewer working from 我的待办.
    take_action(page, team.dept_head, title, "股室审核通过", screenshot=SCREENSHOTS / "gongkai-tasks.png")
    take_action(page, team.secrecy, title, "保密审查通过")

    # Not yet signed: the public does not see it.
    response = page.goto(f"/items/{pk}/")
    assert response.status == 404

    take_action(page, team.leader, title, "领导签发")

    # An anonymous visitor finds it: home → 信息浏览 → agency → category.
    page.goto("/")
    page.get_by_role("navigation", name="政务公开栏目").get_by_role("link", name="信息浏览").click()
    filters = page.get_by_role("complementary", name="筛选")
    filters.get_by_role("link", name=team.agency.name).click()
    filters.get_by_role("link", name="法规文件", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("法规文件")
    page.get_by_role("region", name="信息列表").get_by_role("link", name=title).click()

    expect(page).to_have_url(re.compile(rf"/items/{pk}/$"))
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    item = Item.objects.get(pk=pk)
    year = timezone.localtime(item.published_at).year
    meta = page.get_by_role("table", name="信息目录元数据")
    index_row = meta.get_by_role("row").filter(has=page.get_by_role("rowheader", name="索引号"))
    expect(index_row.get_by_role("cell").first).to_have_text(
        re.compile(rf"^{re.escape(team.agency.code)}/{year}-00001$")
    )
    page.screenshot(path=SCREENSHOTS / "gongkai-item.png", full_page=True)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="缴费标准.pdf").click()
    download = download_info.value
    assert download.suggested_filename == "缴费标准.pdf"
    with open(download.path(), "rb") as downloaded:
        assert downloaded.read().startswith(b"%PDF")


def test_it_shows_a_clear_message_for_a_disguised_attachment(page: Page, live_server, tmp_path):
    team = Team()
    item = team.draft("关于做好防汛值班工作的通知")
    disguised = tmp_path / "通知.pdf"
    disguised.write_bytes(b"<html><script>alert(1)</script></html>")

    sign_in(page, team.clerk)
    page.get_by_role("navigation", name="工作台").get_by_role("link", name="信息管理").click()
    page.get_by_role("link", name=item.title).click()
    page.get_by_label(re.compile("^上传附件")).set_input_files(disguised)
    page.get_by_role("button", name="上传", exact=True).click()

    expect(page.get_by_role("status")).to_contain_text("内容与扩展名")
    expect(page.get_by_text("无附件。")).to_be_visible()
    expect(page.get_by_role("link", name="通知.pdf")).to_have_count(0)
    assert not item.attachments.exists()
