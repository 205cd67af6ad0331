"""End to end: the 公开栏 print view (issue 13, point 12) prints on A4, its button works under the
Content-Security-Policy, and on paper the 索引号 and dates stay on one line inside the sheet."""

import io

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from gongkai.catalogue.models import Item
from gongkai.e2e.test_content_security_policy import Watch
from gongkai.testing.world import Team

pytestmark = pytest.mark.browser

TITLE = "关于印发示范县城乡居民基本养老保险基础养老金标准调整和待遇领取资格确认工作实施办法的通知"
A4_POINTS = (595, 842)  # 210 × 297 mm


def test_the_print_view_prints_on_a4_and_keeps_index_number_and_dates_whole(page: Page, live_server):
    watch = Watch(page, live_server.url)
    item = Team().published(TITLE, body="<p>第一条 为规范基础养老金发放工作，制定本办法。</p>" * 30)
    Item.objects.filter(pk=item.pk).update(index_number="11330100MB1234567X/2025-00001")

    page.goto(f"/items/{item.pk}/print/")
    page.evaluate("window.print = () => { window.printed = true; }")
    page.get_by_role("button", name="打印本页").click()
    assert page.evaluate("window.printed") is True

    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="打印本页")).to_be_hidden()
    assert page.evaluate("getComputedStyle(document.querySelector('.print-title')).textAlign") == "center"
    for cell in page.locator("td.nowrap").all():
        box = cell.bounding_box()
        assert box is not None
        line = float(cell.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)"))
        assert box["height"] < 2 * line + 8, cell.inner_text()  # one line (plus padding)
    sheet = page.locator("main.print-page").bounding_box()
    table = page.locator("table.meta").bounding_box()
    assert sheet is not None and table is not None
    assert table["x"] + table["width"] <= sheet["x"] + sheet["width"] + 1

    pdf = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
    assert len(pdf.pages) >= 2  # thirty paragraphs run on
    for sheet_page in pdf.pages:
        assert tuple(round(float(v)) for v in sheet_page.mediabox[2:]) == A4_POINTS
    assert not watch.problems, watch.problems
