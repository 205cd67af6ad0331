"""Staff search: their own agency's items in every state, nobody else's."""

from django.urls import reverse


def test_it_finds_drafts_and_published_items_of_my_agency(client, team, other_team):
    team.draft("关于最低生活保障标准的通知（草稿）")
    team.published("城乡低保资金使用情况")
    other_team.draft("外局低保草稿")
    client.force_login(team.office)

    page = client.get(reverse("catalogue_staff:list"), {"q": "低保"}).content.decode()

    assert "城乡低保资金使用情况" in page
    assert "外局低保草稿" not in page
    assert "最低生活保障" not in page  # no 低保 in it


def test_it_finds_traditional_text_with_a_simplified_query(client, team):
    team.draft("勞動保障監察工作計劃")
    client.force_login(team.clerk)

    page = client.get(reverse("catalogue_staff:list"), {"q": "劳动保障"}).content.decode()

    assert "勞動保障監察工作計劃" in page


def test_it_searches_within_a_status(client, team):
    team.draft("草稿里的社会保险通知")
    team.published("已发布的社会保险通知")
    client.force_login(team.office)

    page = client.get(reverse("catalogue_staff:list"), {"q": "社会保险", "status": "draft"}).content.decode()

    assert "草稿里的社会保险通知" in page
    assert "已发布的社会保险通知" not in page


def test_it_is_for_staff_only(client, team):
    response = client.get(reverse("catalogue_staff:list"), {"q": "低保"})
    assert response.status_code == 302
