"""GET /api/v1/items: public items searched or newest first, the same rules as the search page, and
every response checked against the OpenAPI document."""

import datetime
import re

import pytest

from gongkai.catalogue import services
from gongkai.catalogue.workflow import Action
from gongkai.search import selectors
from gongkai.search.tests.test_hostile import QUERIES
from gongkai.search.text import MSG_EMPTY, MSG_TOO_LONG, MSG_TOO_SHORT
from gongkai.testing.builders import at, publish
from gongkai.testing.factories import AgencyFactory, category

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")
OPENAPI_URL = "/api/v1/openapi.json"
URL = "/api/v1/items"


@pytest.fixture
def api(api):
    """GET /api/v1/items with the test client, each response validated against the OpenAPI document."""
    return lambda **params: api.get(URL, **params)


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content.decode()
    return [row["title"] for row in response.json()["items"]]


# -- The OpenAPI document -----------------------------------------------------------------------


def test_it_is_documented_in_chinese(openapi_document):
    operation = openapi_document["paths"]["/api/v1/items"]["get"]
    assert CJK.search(operation["summary"]) and CJK.search(operation["description"])
    assert set(operation["responses"]) == {"200", "400", "422", "503"}
    for answer in operation["responses"].values():
        assert CJK.search(answer["description"])
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert set(parameters) == {"q", "agency", "category", "year", "sort", "page"}
    for parameter in parameters.values():
        assert CJK.search(parameter["description"]), parameter["name"]
        assert parameter["in"] == "query" and not parameter["required"]
    page = openapi_document["components"]["schemas"]["ItemPage"]
    assert set(page["properties"]) == {"items", "total", "total_is_estimate", "next_page"}
    item = openapi_document["components"]["schemas"]["ItemOut"]
    assert {"title", "index_number", "agency", "category", "published_at", "url", "snippet"} <= set(
        item["properties"]
    )


# -- Listing and searching ----------------------------------------------------------------------


@pytest.fixture
def published(team, other_team):
    return {
        "dibao": publish(
            team,
            "关于城乡低保标准的通知",
            "城乡低保标准每人每月800元。",
            on=at(2023, 3),
            category=category(team.agency, "法规文件"),
        ),
        "insurance": publish(
            team,
            "社會保險費徵收辦法",
            "社會保險費由稅務部門徵收。",
            on=at(2024, 5),
            category=category(team.agency, "规划计划"),
            summary="社会保险费征收的办法",
        ),
        "guide": publish(
            other_team,
            "政府信息公开指南",
            "依申请公开的办理程序：低保对象可以申请。",
            on=at(2025, 1),
            category=category(other_team.agency, "政府信息公开指南"),
        ),
    }


def test_without_a_query_it_lists_the_newest_public_items(api, team, published):
    team.draft("尚未发布的草稿", body="<p>低保</p>")
    response = api()
    assert titles(response) == ["政府信息公开指南", "社會保險費徵收辦法", "关于城乡低保标准的通知"]
    body = response.json()
    assert body["total"] == 3 and body["total_is_estimate"] is False and body["next_page"] is None
    row = body["items"][1]
    item = published["insurance"]
    assert row == {
        "title": "社會保險費徵收辦法",
        "index_number": item.index_number,
        "agency": {"code": team.agency.code, "slug": team.agency.slug, "name": team.agency.name},
        "publisher": team.agency.name,
        "category": {"id": item.category_id, "name": "规划计划"},
        "published_at": "2024-05-15T10:00:00+08:00",
        "validity": "valid",
        "validity_label": "有效",
        "url": f"http://testserver/items/{item.pk}/",
        "snippet": "社会保险费征收的办法",
    }
    assert body["items"][0]["snippet"] == "依申请公开的办理程序：低保对象可以申请。"
    assert api(q="").json() == body
    assert api(q="   ").json() == body


def test_with_a_query_it_searches(api, published):
    response = api(q="低保")
    assert titles(response) == ["政府信息公开指南", "关于城乡低保标准的通知"]
    body = response.json()
    assert body["total"] == 2 and body["next_page"] is None
    assert (
        body["items"][1]["snippet"]
        == "关于城乡<mark>低保</mark>标准的通知 城乡<mark>低保</mark>标准每人每月800元。"
    )
    assert body["items"][1]["title"] == "关于城乡低保标准的通知"  # plain text, no markup
    assert body["items"][0]["url"] == f"http://testserver/items/{published['guide'].pk}/"

    assert titles(api(q="社会保险")) == ["社會保險費徵收辦法"]
    assert "<mark>社會保險</mark>" in api(q="社会保险").json()["items"][0]["snippet"]
    assert titles(api(q="火星移民")) == []
    assert api(q="火星移民").json() == {
        "items": [],
        "total": 0,
        "total_is_estimate": False,
        "next_page": None,
    }


def test_it_sorts_by_relevance_when_asked(api, team):
    publish(team, "养老保险" * 6, "养老保险" * 20, on=at(2020))
    publish(team, "工作通知", "本县各乡镇认真做好养老保险工作。" * 3, on=at(2024))
    assert titles(api(q="养老保险"))[0] == "工作通知"
    assert titles(api(q="养老保险", sort="relevance"))[0] == "养老保险" * 6


def test_it_filters_by_agency_slug_or_code_category_and_year(api, team, other_team, published):
    assert titles(api(agency=team.agency.slug)) == ["社會保險費徵收辦法", "关于城乡低保标准的通知"]
    assert titles(api(agency=other_team.agency.code)) == ["政府信息公开指南"]
    assert titles(api(q="低保", agency=team.agency.code)) == ["关于城乡低保标准的通知"]
    statutory = team.agency.categories.get(name="法定主动公开内容")
    assert titles(api(category=statutory.pk)) == ["社會保險費徵收辦法", "关于城乡低保标准的通知"]
    assert titles(api(q="低保", category=statutory.pk)) == ["关于城乡低保标准的通知"]
    assert titles(api(category=category(team.agency, "法规文件").pk)) == ["关于城乡低保标准的通知"]
    assert titles(api(year=2024)) == ["社會保險費徵收辦法"]
    assert titles(api(q="低保", year=2025)) == ["政府信息公开指南"]
    assert titles(api(q="低保", year=2024)) == []
    assert api(q="低保", year=2023, agency=team.agency.slug).json()["total"] == 1


def test_the_year_is_the_local_year(api, team):
    publish(team, "新年通告", "春运安排。", on=at(2024, 1, 1, 0))  # 2023-12-31 16:00 UTC
    assert titles(api(year=2024)) == ["新年通告"]
    assert titles(api(q="春运", year=2024)) == ["新年通告"]
    assert titles(api(year=2023)) == titles(api(q="春运", year=2023)) == []


def test_it_pages_with_next_page(api, team):
    for i in range(23):
        publish(
            team, f"第{i}号公告", "公共租赁住房分配公告。", on=at(2024, 1, 1) + datetime.timedelta(days=i)
        )
    for params in ({}, {"q": "公共租赁"}):
        first = api(**params).json()
        assert len(first["items"]) == 20 and first["next_page"] == 2 and first["total"] == 23
        assert first["items"][0]["title"] == "第22号公告"
        second = api(page=2, **params).json()
        assert [row["title"] for row in second["items"]] == ["第2号公告", "第1号公告", "第0号公告"]
        assert second["next_page"] is None
        assert api(page=3, **params).json()["items"] == []


def test_the_count_is_an_estimate_beyond_the_limit(api, team, monkeypatch):
    monkeypatch.setattr(selectors, "QUICK_COUNT_LIMIT", 2)
    for i in range(3):
        publish(team, f"第{i}号", "农村危房改造。")
    for params in ({}, {"q": "危房改造"}):
        body = api(**params).json()
        assert body["total"] == 2 and body["total_is_estimate"] is True, params
        assert len(body["items"]) == 3


def test_deep_pages_are_refused_with_a_reason(api, published, monkeypatch):
    monkeypatch.setattr(selectors, "MAX_PAGE", 3)
    assert api(page=3).status_code == 200
    response = api(page=4)
    assert response.status_code == 422
    assert response.json() == {"errors": {"page": ["最多翻到第3页，请用关键词或筛选条件缩小范围"]}}


# -- Errors ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"q": "低"}, "q", MSG_TOO_SHORT),
        ({"q": '"'}, "q", MSG_EMPTY),
        ({"q": "😀"}, "q", MSG_EMPTY),
        ({"q": "低" * 1000}, "q", MSG_TOO_LONG),
        ({"agency": "no-such-agency"}, "agency", "未找到该机关，请填写机关列表中的机构代码或网址标识。"),
        ({"agency": "\x00"}, "agency", "未找到该机关，请填写机关列表中的机构代码或网址标识。"),
        ({"category": "999999"}, "category", "未找到该主题分类。"),
        ({"category": "abc"}, "category", "应为整数"),
        ({"category": "0"}, "category", "不能小于1"),
        ({"year": "abc"}, "year", "应为整数"),
        ({"year": "0"}, "year", "不能小于1900"),
        ({"year": "1"}, "year", "不能小于1900"),
        ({"year": "10000"}, "year", "不能大于2100"),
        ({"year": "99999999999999999999999"}, "year", "不能大于2100"),
        ({"page": "101"}, "page", "不能大于100"),
        ({"page": "0"}, "page", "不能小于1"),
        ({"page": "x"}, "page", "应为整数"),
        ({"page": "1.5"}, "page", "应为整数"),
        ({"sort": "random"}, "sort", "取值无效，可选：date、relevance"),
    ],
)
def test_it_refuses_bad_parameters_with_chinese_reasons(api, published, params, field, message):
    response = api(**params)
    assert response.status_code == 422
    assert response.json() == {"errors": {field: [message]}}


def test_an_inactive_agency_is_unknown(api, published):
    closed = AgencyFactory(is_active=False)
    assert api(agency=closed.slug).status_code == 422


@pytest.mark.parametrize("query", QUERIES, ids=[repr(q)[:40] for q in QUERIES])
def test_hostile_queries_answer_with_items_or_a_chinese_reason(api, published, query):
    response = api(q=query)
    assert response.status_code in (200, 422)
    if response.status_code == 422:
        (message,) = response.json()["errors"]["q"]
        assert CJK.search(message)


# -- Only what is public --------------------------------------------------------------------------

SECRET = "机密检索词"


@pytest.fixture
def hidden(team):
    """An item in every non-public state, each with the secret word, plus a pending revision."""
    body = f"<p>{SECRET}。</p>"
    team.draft(f"草稿{SECRET}", body=body)
    team.advance(team.draft(f"审核中{SECRET}", body=body), to="dept_review")
    returned = team.advance(team.draft(f"退回{SECRET}", body=body), to="dept_review")
    services.item_transition(actor=team.dept_head, item=returned, action=Action.RETURN, reason="补充材料")
    withdrawn = team.published(f"撤回{SECRET}", body=body)
    services.item_transition(actor=team.office, item=withdrawn, action=Action.WITHDRAW, reason="误发")
    proposed = services.item_transition(
        actor=team.clerk,
        item=team.draft(f"不予公开{SECRET}", body=body),
        action=Action.PROPOSE_NONDISCLOSURE,
        reason="涉及个人隐私",
    )
    services.item_transition(actor=team.leading_group, item=proposed, action=Action.APPROVE_NONDISCLOSURE)
    team.published(f"内部{SECRET}", body=body, scope="internal")
    team.published(f"依申请{SECRET}", body=body, disclosure_mode="on_request")
    live = publish(team, "公开的通知", "正文。")
    services.revision_save(actor=team.clerk, item=live, note="待审", title=f"修订{SECRET}", body=body)
    return live


@pytest.mark.parametrize("viewer", ["anonymous", "other_agency_staff", "same_agency_staff"])
def test_no_non_public_item_ever_appears(client, api, team, other_team, hidden, viewer):
    if viewer == "other_agency_staff":
        client.force_login(other_team.office)
    elif viewer == "same_agency_staff":
        client.force_login(team.office)  # the API is public: staff see what everyone sees
    for params in (
        {},
        {"agency": team.agency.slug},
        {"q": SECRET},
        {"q": "机密"},
        {"q": "草稿"},
        {"q": "修订"},
        {"q": "通知"},
        {"year": datetime.date.today().year},
    ):
        response = api(**params)
        assert response.status_code == 200
        text = response.content.decode()
        assert SECRET not in text and "机密" not in text.replace(params.get("q", "@"), "")
        for row in response.json()["items"]:
            assert row["title"] == "公开的通知"
    assert api(q=SECRET).json()["total"] == 0
    assert api().json()["total"] == 1


def test_a_withdrawn_item_leaves_the_api_at_once(api, team):
    item = publish(team, "关于征收土地的公告", "征收范围：城东片区。")
    assert titles(api(q="征收范围")) == titles(api()) == ["关于征收土地的公告"]
    services.item_transition(actor=team.office, item=item, action=Action.WITHDRAW, reason="范围有误")
    assert titles(api(q="征收范围")) == titles(api()) == []
    assert api(q="征收范围").json()["total"] == api().json()["total"] == 0
