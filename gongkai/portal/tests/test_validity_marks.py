"""A repealed or expired item is marked as such wherever it is listed, not only on its own page:
the home page's boxes and latest list, the columns, the browse lists (by agency, department, year),
search results, 相关信息, the RSS and Atom feeds, and the API; a valid item carries no mark."""

import re

import pytest
from django.utils import timezone

from gongkai.catalogue import services
from gongkai.catalogue.models import Item
from gongkai.testing.builders import publish

pytestmark = pytest.mark.django_db

BADGE = re.compile(r'<span class="badge warn validity-badge"[^>]*>(已废止|已失效|已修改)</span>')


@pytest.fixture
def items(team) -> dict[str, Item]:
    valid = publish(team, "城乡低保资金管理办法", "低保资金专款专用。")
    repealed = publish(team, "城乡低保审批暂行规定", "低保资金按月发放。")
    expired = publish(team, "低保临时补贴发放通知", "低保资金临时补贴。")
    services.item_set_validity(actor=team.office, item=repealed, validity="repealed", note="已被新办法废止")
    services.item_set_validity(actor=team.office, item=expired, validity="expired", note="执行期满")
    return {
        name: Item.objects.get(pk=item.pk)
        for name, item in (("valid", valid), ("repealed", repealed), ("expired", expired))
    }


def _marks(page: str, title: str) -> list[str]:
    """The validity marks on the line (list entry or table row) that links the title."""
    for line in re.split(r"</li>|</tr>|<li>|<tr>", page):
        if f">{title}</a>" in line:
            return BADGE.findall(line)
    raise AssertionError(f"{title} not listed")


def _assert_marked(page: str, items: dict[str, Item]) -> None:
    assert _marks(page, items["repealed"].title) == ["已废止"]
    assert _marks(page, items["expired"].title) == ["已失效"]
    assert _marks(page, items["valid"].title) == []


def test_the_home_page_boxes_and_latest_list_mark_them(client, items):
    page = client.get("/").content.decode()
    boxes, latest = page.split("最新发布", 1)
    _assert_marked(boxes, items)
    _assert_marked(latest, items)


def test_the_column_marks_them(client, items):
    _assert_marked(client.get("/column/statutory/").content.decode(), items)


def test_the_browse_lists_mark_them(client, items, team):
    year = timezone.localdate().year
    for params in (
        {},
        {"agency": team.agency.slug},
        {"agency": team.agency.slug, "department": team.department.pk},
        {"agency": team.agency.slug, "year": year},
        {"agency": team.agency.slug, "category": items["valid"].category_id},
    ):
        _assert_marked(client.get("/items/", params).content.decode(), items)


def test_search_results_mark_them(client, items):
    for sort in ("date", "relevance"):
        page = client.get("/search/", {"q": "低保", "sort": sort}).content.decode()
        for name, mark in (("repealed", ["已废止"]), ("expired", ["已失效"]), ("valid", [])):
            title = items[name].title.replace("低保", "<mark>低保</mark>")
            line = next(part for part in page.split("</li>") if title in part)
            assert BADGE.findall(line) == mark, name


def test_related_items_mark_them(client, items):
    page = client.get(items["valid"].get_absolute_url()).content.decode()
    related = page.split("相关信息", 1)[1]
    assert _marks(related, items["repealed"].title) == ["已废止"]
    assert _marks(related, items["expired"].title) == ["已失效"]
    page = client.get(items["repealed"].get_absolute_url()).content.decode()
    assert _marks(page.split("相关信息", 1)[1], items["valid"].title) == []


@pytest.mark.parametrize("url", ["/feeds/items.rss", "/feeds/items.atom"])
def test_the_feeds_mark_them_in_the_title(client, items, url):
    feed = client.get(url).content.decode()
    assert f"<title>【已废止】{items['repealed'].title}</title>" in feed
    assert f"<title>【已失效】{items['expired'].title}</title>" in feed
    assert f"<title>{items['valid'].title}</title>" in feed


def test_the_api_gives_the_validity_as_data(client, items):
    for params in ({}, {"q": "低保"}):
        listed = {row["title"]: row for row in client.get("/api/v1/items", params).json()["items"]}
        assert listed[items["repealed"].title]["validity"] == "repealed"
        assert listed[items["repealed"].title]["validity_label"] == "已废止"
        assert listed[items["expired"].title]["validity"] == "expired"
        assert listed[items["valid"].title]["validity"] == "valid"
