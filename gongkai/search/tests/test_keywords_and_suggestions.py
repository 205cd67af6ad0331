"""Keywords, the 相关信息 list on item pages, and the search box's suggestions."""

from django.urls import reverse

from gongkai.search.keywords import keywords


def test_it_extracts_content_words_by_frequency():
    text = "城乡居民最低生活保障资金发放。最低生活保障对象认定。低保资金按月发放，资金专款专用。"
    words = keywords(text, n=5)
    assert "资金" in words
    assert all(len(w) >= 2 for w in words)
    assert "工作" not in keywords("工作工作工作 社会保险 社会保险")


def test_it_never_fails_on_empty_or_odd_text():
    assert keywords("") == []
    assert keywords("!!! 123 😀") == []


def test_it_lists_related_public_items_on_the_item_page(client, team):
    first = team.published("低保资金发放管理办法", body="<p>低保资金按月发放，低保对象名单公示。</p>")
    team.published("低保对象认定程序", body="<p>低保对象认定须经公示，低保资金随后发放。</p>")
    team.draft("低保草稿", body="<p>低保资金草稿。</p>")

    page = client.get(first.get_absolute_url()).content.decode()

    assert "相关信息" in page
    assert "低保对象认定程序" in page
    assert "低保草稿" not in page


def test_it_suggests_public_titles_only(client, team, other_team):
    team.published("社会保险费缴费基数核定办法")
    team.draft("社会保险草稿不应出现")
    other_team.published("外局社会保险工作要点")

    data = client.get(reverse("search:suggest"), {"q": "社会保险"}).json()

    assert "社会保险费缴费基数核定办法" in data["suggestions"]
    assert "外局社会保险工作要点" in data["suggestions"]
    assert "社会保险草稿不应出现" not in data["suggestions"]


def test_it_suggests_nothing_for_a_query_it_cannot_search(client, db):
    for q in ("", "低", "x" * 300, '" OR 1=1 --'):
        response = client.get(reverse("search:suggest"), {"q": q})
        assert response.status_code == 200
        assert response.json() == {"suggestions": []} or isinstance(response.json()["suggestions"], list)
