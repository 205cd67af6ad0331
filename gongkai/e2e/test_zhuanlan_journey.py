"""End to end: a visitor on a phone finds an agency's 政府信息公开专栏, browses its article-20
sub-catalogue, reads the generated 政府信息公开指南 and the 网站地图 — without a horizontal scroll
bar, under the Content-Security-Policy."""

import re

import pytest
from playwright.sync_api import Page, expect

from gongkai.e2e.test_content_security_policy import Watch
from gongkai.testing.factories import category
from gongkai.testing.world import Team

pytestmark = pytest.mark.browser


def no_horizontal_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


def test_a_visitor_on_a_phone_browses_an_agencys_zhuanlan(page: Page, live_server, settings):
    settings.GONGKAI_ICP = "粤ICP备12345678号"
    page.set_viewport_size({"width": 375, "height": 800})
    watch = Watch(page, live_server.url)
    team = Team()
    agency = team.agency
    agency.disclosure_office, agency.address, agency.email = (
        "政务公开办公室",
        "测试县人民路1号",
        "gk@example.gov.cn",
    )
    agency.save()
    rules = category(agency, "法规文件")
    team.published("关于城乡低保标准的通知", category=rules)
    team.draft("尚在起草的通知", category=rules)

    page.goto("/agencies/")
    page.get_by_role("link", name="政府信息公开专栏").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("政府信息公开专栏")
    row = page.locator("#zl-statutory tr", has_text="法规文件")
    expect(row).to_contain_text("第二十条第（一）项")
    expect(row.locator("td").last).to_have_text("1")
    no_horizontal_scroll(page)

    row.get_by_role("link", name="法规文件").click()
    expect(page.get_by_role("link", name="关于城乡低保标准的通知")).to_be_visible()
    expect(page.get_by_text("尚在起草的通知")).to_have_count(0)

    page.go_back()
    page.locator("#zl-guide").get_by_role("link", name="查看本机关政府信息公开指南").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{agency.name}政府信息公开指南")
    expect(page.get_by_role("link", name="gk@example.gov.cn")).to_have_attribute(
        "href", "mailto:gk@example.gov.cn"
    )
    no_horizontal_scroll(page)

    page.get_by_role("contentinfo").get_by_role("link", name="网站地图").click()
    expect(page.get_by_role("heading", level=1, name="网站地图")).to_be_visible()
    expect(page.get_by_role("contentinfo").get_by_role("link", name=re.compile("粤ICP备"))).to_have_attribute(
        "href", "https://beian.miit.gov.cn/"
    )
    no_horizontal_scroll(page)
    assert not watch.problems, watch.problems
