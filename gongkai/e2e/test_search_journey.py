"""End to end: a visitor searches from the home page, filters, and opens a result."""

import re

import pytest
from playwright.sync_api import Page, expect

from gongkai.testing.factories import category
from gongkai.testing.world import Team

pytestmark = pytest.mark.browser


def test_it_searches_filters_and_opens_a_result(page: Page, live_server):
    team = Team()
    other = Team()
    team.published("城乡低保对象认定办法", body="<p>本办法所称低保，是指城乡居民最低生活保障。</p>")
    team.published(
        "關於低保資金發放的公告",  # Traditional text is found by a Simplified query
        body="<p>低保資金按月發放。</p>",
        category=category(team.agency, "财政预决算与收费"),
    )
    other.published("外局低保工作情况", body="<p>低保工作。</p>")
    team.draft("低保草稿不应被搜到")

    page.goto("/")
    page.get_by_label("搜索公开信息").fill("低保")  # a combobox: it offers suggestions
    page.get_by_role("button", name="搜索").first.click()

    expect(page.get_by_role("heading", level=1, name="搜索公开信息")).to_be_visible()
    results = page.get_by_role("region", name="搜索结果")
    expect(results.get_by_role("link", name="城乡低保对象认定办法")).to_be_visible()
    expect(results.get_by_role("link", name=re.compile("低保資金"))).to_be_visible()
    expect(results.get_by_role("link", name="外局低保工作情况")).to_be_visible()
    expect(page.get_by_text("低保草稿不应被搜到")).to_have_count(0)
    expect(results.locator("mark").first).to_be_visible()

    # Filter by agency: the other agency's item goes away.
    page.get_by_role("complementary", name="筛选").get_by_role(
        "link", name=re.compile(team.agency.name)
    ).click()
    expect(results.get_by_role("link", name="外局低保工作情况")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"q=%E4%BD%8E%E4%BF%9D|q=低保"))

    results.get_by_role("link", name="城乡低保对象认定办法").click()
    expect(page.get_by_role("heading", level=1, name="城乡低保对象认定办法")).to_be_visible()
    expect(page.get_by_role("table", name="信息目录元数据")).to_contain_text(team.agency.code)
