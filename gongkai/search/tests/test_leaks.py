"""Only what is public is ever found: nothing of a draft, an item in review, a returned, withdrawn,
not-to-be-disclosed or internal item, or a pending revision reaches results, counts, facets,
snippets, suggestions or the page, for an anonymous visitor or for staff of another agency."""

import pytest
from django.db import transaction

from gongkai.catalogue import services
from gongkai.catalogue.models import Item
from gongkai.catalogue.workflow import Action, Status
from gongkai.search.models import SearchEntry
from gongkai.search.selectors import search_public, suggestions
from gongkai.search.tests.helpers import all_hits, ids
from gongkai.testing.builders import advance_revision, publish

pytestmark = pytest.mark.django_db

# Each hidden item gets its own marker word (searched for) and secret sentence (never shown).
HIDDEN = {
    "draft": ("草稿甲词", "拟调整征地补偿标准"),
    "in_review": ("审核乙词", "拟撤并三所村小学"),
    "returned": ("退回丙词", "拟提高水费单价"),
    "withdrawn": ("撤回丁词", "误发的人员名单"),
    "nondisclosure_review": ("待批戊词", "涉密项目清单"),
    "not_disclosed": ("不予己词", "信访人身份信息"),  # no word of it in the public item (split search)
    "internal": ("内部庚词", "内部值班安排表"),
    "on_request": ("依申请辛词", "企业商业秘密"),
}
SHARED = "共同检索词"  # in every item, public or not


@pytest.fixture
def hidden(team) -> dict[str, Item]:
    def body(name: str) -> str:
        marker, secret = HIDDEN[name]
        return f"<p>{SHARED}。{marker}：{secret}。</p>"

    def title(name: str) -> str:
        return f"{HIDDEN[name][1]}的说明"

    items = {
        "draft": team.draft(title("draft"), body=body("draft")),
        "in_review": team.advance(
            team.draft(title("in_review"), body=body("in_review")), to="secrecy_review"
        ),
    }
    returned = team.advance(team.draft(title("returned"), body=body("returned")), to="leader_review")
    items["returned"] = services.item_transition(
        actor=team.leader, item=returned, action=Action.RETURN, reason="数据需核实"
    )
    withdrawn = team.published(title("withdrawn"), body=body("withdrawn"))
    items["withdrawn"] = services.item_transition(
        actor=team.office, item=withdrawn, action=Action.WITHDRAW, reason="误发"
    )
    items["nondisclosure_review"] = services.item_transition(
        actor=team.clerk,
        item=team.draft(title("nondisclosure_review"), body=body("nondisclosure_review")),
        action=Action.PROPOSE_NONDISCLOSURE,
        reason="涉及国家秘密",
    )
    proposed = services.item_transition(
        actor=team.clerk,
        item=team.draft(title("not_disclosed"), body=body("not_disclosed")),
        action=Action.PROPOSE_NONDISCLOSURE,
        reason="涉及个人隐私",
    )
    items["not_disclosed"] = services.item_transition(
        actor=team.leading_group, item=proposed, action=Action.APPROVE_NONDISCLOSURE
    )
    items["internal"] = team.published(title("internal"), body=body("internal"), scope="internal")
    items["on_request"] = team.published(
        title("on_request"), body=body("on_request"), disclosure_mode="on_request"
    )
    expected = {
        "draft": Status.DRAFT,
        "in_review": Status.SECRECY_REVIEW,
        "returned": Status.RETURNED,
        "withdrawn": Status.WITHDRAWN,
        "nondisclosure_review": Status.NONDISCLOSURE_REVIEW,
        "not_disclosed": Status.NOT_DISCLOSED,
        "internal": Status.PUBLISHED,
        "on_request": Status.PUBLISHED,
    }
    assert {name: item.status for name, item in items.items()} == expected
    return items


@pytest.fixture
def visible(team) -> Item:
    return publish(team, "公开的通知", f"{SHARED}。这一条是公开的。")


def _assert_nothing_hidden_in(page: str, *, query: str) -> None:
    assert "<mark>" not in page
    for name, (marker, secret) in HIDDEN.items():
        assert f"{secret}的说明" not in page, name  # a title
        echoed = page.replace(query, "")  # the page repeats what was typed, nothing more
        assert secret not in echoed and marker not in echoed, name


def test_the_index_holds_only_public_items(hidden, visible):
    assert set(SearchEntry.objects.values_list("pk", flat=True)) == {visible.pk}


def test_hidden_items_are_never_found_counted_or_suggested(hidden, visible, team):
    for name, (marker, secret) in HIDDEN.items():
        for query in (marker, secret, hidden[name].title):
            results = search_public(query)
            assert results.hits == [], (name, query)
            assert results.total == 0, (name, query)
            assert all(not counts for counts in results.facets.values()), (name, query)
            assert suggestions(query) == [], (name, query)

    shared = search_public(SHARED)
    assert ids(shared) == [visible.pk]
    assert shared.total == 1
    assert dict(shared.facets["agency_id"]) == {team.agency.pk: 1}
    assert dict(shared.facets["validity"]) == {"valid": 1}
    assert suggestions(SHARED) == [visible.title]
    for hit in shared.hits:
        for marker, secret in HIDDEN.values():
            assert marker not in hit.snippet and secret not in hit.snippet


@pytest.mark.parametrize("viewer", ["anonymous", "other_agency_staff", "other_agency_office"])
def test_the_page_shows_nothing_hidden(client, hidden, visible, other_team, viewer):
    if viewer == "other_agency_staff":
        client.force_login(other_team.clerk)
    elif viewer == "other_agency_office":
        client.force_login(other_team.office)
    for marker, secret in HIDDEN.values():
        for query in (marker, secret):
            response = client.get("/search/", {"q": query})
            assert response.status_code == 200
            assert response.context["results"].total == 0
            page = response.content.decode()
            assert "没有找到" in page
            _assert_nothing_hidden_in(page, query=query)
    response = client.get("/search/", {"q": SHARED})
    page = response.content.decode()
    assert response.context["results"].total == 1
    assert visible.title in page and "（1）" in page
    assert "<mark>" in page
    _assert_nothing_hidden_in(page.replace("<mark>", ""), query=SHARED)
    suggested = client.get("/search/suggest/", {"q": SHARED}).json()
    assert suggested == {"suggestions": [visible.title]}


def test_a_withdrawn_item_disappears_at_once(team):
    item = publish(team, "关于征收土地的公告", "征收范围：城东片区。")
    assert all_hits("征收范围") == [item.pk]
    with transaction.atomic():
        services.item_transition(actor=team.office, item=item, action=Action.WITHDRAW, reason="范围有误")
        # Inside the very transaction that withdrew it: already gone, counts and all.
        assert search_public("征收范围").total == 0
        assert all_hits("征收范围") == []
    assert search_public("征收范围").total == 0
    assert not SearchEntry.objects.filter(pk=item.pk).exists()


def test_a_withdrawal_that_fails_leaves_the_item_found(team):
    item = publish(team, "关于征收土地的公告", "征收范围：城东片区。")
    with pytest.raises(RuntimeError), transaction.atomic():
        services.item_transition(actor=team.office, item=item, action=Action.WITHDRAW, reason="范围有误")
        raise RuntimeError("the request failed after the withdrawal")
    assert all_hits("征收范围") == [item.pk]
    assert search_public("征收范围").total == 1


def test_withdrawing_on_the_staff_page_hides_it_from_the_next_search(client, team):
    item = publish(team, "关于征收土地的公告", "征收范围：城东片区。")
    assert client.get("/search/", {"q": "征收范围"}).context["results"].total == 1
    client.force_login(team.office)
    response = client.post(f"/staff/items/{item.pk}/action/", {"action": "withdraw", "reason": "范围有误"})
    assert response.status_code == 302
    assert Item.objects.get(pk=item.pk).status == Status.WITHDRAWN
    client.logout()
    response = client.get("/search/", {"q": "征收范围"})
    assert response.context["results"].total == 0
    assert "关于征收土地的公告" not in response.content.decode()


def test_a_filed_item_stays_found(team):
    item = publish(team, "关于征收土地的公告", "征收范围：城东片区。")
    services.item_transition(actor=team.office, item=item, action=Action.FILE)
    assert all_hits("征收范围") == [item.pk]


def test_a_revision_moving_the_item_to_internal_removes_it_when_applied(team):
    item = publish(team, "值班安排", "春节期间值班电话。")
    revision = services.revision_save(actor=team.clerk, item=item, note="改为内部公开", scope="internal")
    revision = advance_revision(team, revision)
    assert revision.status == Status.APPLIED
    assert all_hits("值班电话") == []
    assert search_public("值班电话").total == 0
    assert not SearchEntry.objects.filter(pk=item.pk).exists()


def test_a_revision_is_searchable_only_once_applied(client, team):
    item = publish(team, "关于调整低保标准的通知", "城市低保标准为每人每月800元。")
    revision = services.revision_save(
        actor=team.clerk,
        item=item,
        note="标准调整",
        title="关于再次调整低保标准的通知",
        body="<p>城市低保标准提高到每人每月900元，农村特困供养同步提高。</p>",
    )
    for upto in (Action.SUBMIT, Action.DEPT_APPROVE, Action.SECRECY_APPROVE):
        actor = {Action.SUBMIT: team.clerk, Action.DEPT_APPROVE: team.dept_head}.get(upto, team.secrecy)
        revision = services.revision_transition(actor=actor, revision=revision, action=upto)
        # Pending: the new wording is nowhere, the live one still is.
        for query in ("特困供养", "900元", "再次调整"):
            assert search_public(query).total == 0, (revision.status, query)
            assert suggestions(query) == []
            page = client.get("/search/", {"q": query}).content.decode()
            assert "同步提高" not in page and "再次调整低保标准" not in page
        assert all_hits("800元") == [item.pk]
        shown = search_public("低保标准").hits[0]
        assert "再次" not in shown.title and "900" not in shown.snippet

    services.revision_transition(actor=team.leader, revision=revision, action=Action.LEADER_SIGN)
    assert all_hits("特困供养") == [item.pk]
    assert all_hits("再次调整") == [item.pk]
    assert all_hits("800元") == []
    hit = search_public("900元").hits[0]
    assert "<mark>900元</mark>" in hit.snippet  # the sequence, marked whole
