"""A 民政局 citizen finds the demo's 低保 rules whichever usual name they type."""

import pytest

pytestmark = pytest.mark.django_db
RULES = "关于印发示范县最低生活保障审核确认办法的通知"


@pytest.mark.parametrize("q", ["最低生活保障", "社会救助", "低保办理", "低保", "低保 审核"])
def test_a_citizen_finds_the_dibao_rules(demo, client, q):
    results = client.get("/search/", {"q": q}).context["results"]
    titles = [hit.item.title for hit in results.hits]
    assert RULES in titles, (q, titles)
    assert all(hit.item.agency.slug for hit in results.hits)
    civil = client.get("/search/", {"q": q, "agency": "civil-affairs"}).context["results"]
    assert RULES in [hit.item.title for hit in civil.hits], q
