"""The 公开栏 print view (issue 13, point 12): a print button, an A4 sheet, 索引号 and dates that never
break over two lines, the title centred as on government article pages."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

LONG_TITLE = "关于印发示范县城乡居民基本养老保险基础养老金标准调整和待遇领取资格确认工作实施办法的通知"


@pytest.fixture
def printed(client, team):
    item = team.published(
        LONG_TITLE,
        body="<p>第一条 为规范基础养老金发放工作，制定本办法。</p><table><tr><td>类别</td></tr></table>",
        document_number="示人社规〔2025〕1号",
    )
    response = client.get(reverse("catalogue:print", args=[item.pk]))
    assert response.status_code == 200
    return item, response.content.decode()


def static_text(path: str) -> str:
    found = finders.find(path)
    assert found, path
    with open(found, encoding="utf-8") as handle:
        return handle.read()


def test_it_has_a_print_button_run_by_a_served_script(printed):
    _, page = printed

    assert re.search(r'<button type="button"[^>]*data-print[^>]*>打印本页</button>', page)
    assert '<script src="/static/gongkai/print.js"' in page
    assert "window.print()" in static_text("gongkai/print.js")
    assert "<script>" not in page  # the Content-Security-Policy allows no inline script
    assert 'class="print-toolbar no-print"' in page  # the button is not printed


def test_the_sheet_is_a4_with_margins(printed):
    _, page = printed

    assert 'href="/static/gongkai/print.css"' in page
    css = static_text("gongkai/print.css")
    assert re.search(r"@page\s*\{[^}]*size:\s*A4[^}]*margin:\s*\d+mm", css)
    assert re.search(r"@media print\s*\{[^@]*\.print-toolbar[^}]*display:\s*none", css)
    assert re.search(r"table\.meta\s*\{[^}]*table-layout:\s*fixed", css)


def test_index_number_and_dates_never_break(printed):
    item, page = printed

    assert f'<td class="nowrap index-number">{item.index_number}</td>' in page
    assert re.search(r'发布日期</th><td class="nowrap">\d{4}年', page)
    assert re.search(r'<span class="nowrap">\d{4}年\d+月\d+日</span>', page)  # under the signature
    assert re.search(r"\.nowrap\s*\{[^}]*white-space:\s*nowrap", static_text("gongkai/print.css"))


def test_the_title_is_centred(printed):
    _, page = printed

    assert f'<h1 class="print-title">{LONG_TITLE}</h1>' in page
    assert re.search(r"\.print-title\s*\{[^}]*text-align:\s*center", static_text("gongkai/print.css"))


def test_the_print_view_of_a_draft_is_not_public(client, team):
    draft = team.draft("未发布的草稿")

    assert client.get(reverse("catalogue:print", args=[draft.pk])).status_code == 404
