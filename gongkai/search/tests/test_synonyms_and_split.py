"""Finding things in the words people use: synonyms staff keep (低保 = 最低生活保障), a query with no
match split into its words (低保办理 → 低保、办理), and a "no results" hint that never offers back the
query just typed. Nothing non-public is found on either path."""

import pytest

from gongkai.catalogue import services
from gongkai.catalogue.workflow import Action
from gongkai.search.expand import SynonymSet, hint_terms, split_query, split_terms, term_errors, with_synonyms
from gongkai.search.keywords import words
from gongkai.search.models import SearchEntry
from gongkai.search.selectors import search_public
from gongkai.search.synonyms import synonym_group_save
from gongkai.search.tests.helpers import ids
from gongkai.search.text import contains_all, parse_query
from gongkai.testing.builders import publish

pytestmark = pytest.mark.django_db

RULES_TITLE = "关于印发示范县最低生活保障审核确认办法的通知"


@pytest.fixture
def rules(team):
    """The 低保 rules as the demo's 民政局 publishes them: the full name, never the short one."""
    return publish(team, RULES_TITLE, "为规范审核确认工作，制定本办法。申请人向乡镇人民政府提出申请。")


def _page(client, q: str, **params):
    response = client.get("/search/", {"q": q, **params})
    assert response.status_code == 200
    return response, response.content.decode()


# -- Synonyms --------------------------------------------------------------------------------------


def test_the_short_name_finds_the_rules_by_their_full_name(client, rules):
    for q in ("低保", "低保 ", "最低生活保障", "低保金"):
        response, page = _page(client, q)
        assert ids(response.context["results"]) == [rules.pk], q
        assert not response.context["results"].split_from, q
    response, page = _page(client, "低保")
    assert "同时检索了同义词" in page and "最低生活保障" in page
    assert "<mark>最低生活保障</mark>" in page  # the synonym found is what is marked


def test_a_broader_term_finds_the_narrower_one_way(client, rules, team):
    relief = publish(team, "社会救助资金使用情况", "全年社会救助资金支出。")
    response, page = _page(client, "社会救助")
    assert set(ids(response.context["results"])) == {rules.pk, relief.pk}
    assert "<mark>最低生活保障</mark>" in page
    # One way: the narrower term does not pull in everything about 社会救助.
    results = search_public("低保")
    assert ids(results) == [rules.pk]


def test_traditional_and_phrases_holding_a_term_are_widened(rules, team):
    standard = publish(team, "2025年最低生活保障标准", "城乡标准。")
    assert ids(search_public("低保標準")) == [standard.pk]  # Traditional, a term inside a phrase
    assert set(ids(search_public("低保"))) == {rules.pk, standard.pk}


def test_staff_changes_apply_at_the_next_search(team):
    card = publish(team, "残疾人证办理指南", "携带户口簿。")
    assert ids(search_public("残疾证")) == [card.pk]  # a default group
    item = publish(team, "城市困难群众帮扶办法", "困难群众帮扶。")
    assert ids(search_public("帮困")) == []
    group = synonym_group_save(actor=team.office, agency=team.agency, terms="帮困、困难群众帮扶")
    assert ids(search_public("帮困")) == [item.pk]
    group.delete()
    assert ids(search_public("帮困")) == []


def test_an_agency_group_applies_to_searches_within_another_agency_only_as_its_own(team, other_team):
    ours = publish(team, "临时救助审批规程", "简化审批流程。")
    theirs = publish(other_team, "临时救助审批规程（二）", "简化审批流程。")
    synonym_group_save(actor=team.office, agency=team.agency, terms="救急、临时救助")
    assert set(ids(search_public("救急"))) == {ours.pk, theirs.pk}  # unfiltered: every agency's groups
    assert ids(search_public("救急", filters={"agency_id": other_team.agency.pk})) == []
    assert ids(search_public("救急", filters={"agency_id": team.agency.pk})) == [ours.pk]


# -- Split words -----------------------------------------------------------------------------------


def test_a_phrase_with_no_match_is_split_into_words(client, rules, team):
    how = publish(team, "低保申请办理流程", "办理低保须提交材料。")
    apply = publish(team, "户籍业务办理须知", "办理户籍业务。")
    response, page = _page(client, "低保办理")
    results = response.context["results"]
    assert results.split_from == "低保办理"
    assert results.words == ("低保", "办理")
    assert "未找到与“低保办理”完全匹配的结果，以下是包含“低保”“办理”的结果" in page
    found = ids(results)
    assert found[0] == how.pk  # both words first
    assert set(found) == {how.pk, rules.pk, apply.pk}  # 低保 through its synonym, too
    assert "没有找到" not in page


def test_a_matching_phrase_is_not_split(client, team):
    item = publish(team, "低保办理指南", "低保办理。")
    publish(team, "办理须知", "办理。")
    response, page = _page(client, "低保办理")
    assert ids(response.context["results"]) == [item.pk]
    assert "完全匹配" not in page


def test_splitting_needs_a_real_word(client, rules):
    response, page = _page(client, "啊哦嗯呃呀")
    assert not response.context["results"].hits
    assert "没有找到" in page


def test_split_pages(client, team):
    for n in range(3):
        publish(team, f"第{n}份低保材料", "低保。")
    response, _ = _page(client, "低保办理")
    assert response.context["results"].total == 3
    first = client.get("/search/", {"q": "低保办理", "page": 1}).context["results"]
    assert first.split_from


def test_split_and_synonyms_in_the_pure_layer():
    query = parse_query("低保办理")
    split = split_query(query, words)
    assert split is not None and split.phrases == ("低保", "办理") and split.any_phrase
    assert contains_all("办理户籍", split) and contains_all("低保", split) and not contains_all("户籍", split)
    widened = with_synonyms(split, [SynonymSet(("低保", "最低生活保障"))])
    assert contains_all("最低生活保障审核", widened)
    assert split_query(parse_query("低保"), words) is None  # one word: nothing new to search
    assert split_terms("低保、最低生活保障，低保金 社保") == ["低保", "最低生活保障", "低保金", "社保"]
    assert term_errors(["低保"])  # a group needs two terms
    assert term_errors(["低保", "低 保"]) and term_errors(["低保", "低保"]) and term_errors(["低保", "低"])
    assert term_errors(["低保", "最低生活保障"]) == []


# -- The "no results" hint -------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["低保", " 低保 ", "低保", "最低生活保障", "社会保险", "社會保險"])
def test_the_hint_never_offers_the_query_just_typed(client, typed):
    response, page = _page(client, typed)
    assert not response.context["results"].hits
    hint = page.split("换一个说法", 1)[1].split("</li>", 1)[0]
    offered = response.context["hint_terms"]
    assert offered, typed
    key = "".join(typed.split()).replace("會", "会").replace("險", "险")
    assert key not in offered
    assert f"“{key}”" not in hint
    # Nor a synonym already searched along with it.
    if key in ("低保", "最低生活保障"):
        assert "低保" not in offered and "最低生活保障" not in offered


def test_hint_terms_compare_normalised_queries():
    assert "低保" not in hint_terms("低保", [])
    assert "低保" not in hint_terms("低　保", [])  # ideographic space
    assert "社会保险" not in hint_terms("社會保險", [], n=6)
    assert "最低生活保障" not in hint_terms("x", ["最低生活保障"], n=6)


# -- Nothing non-public on either path --------------------------------------------------------------


@pytest.fixture
def hidden(team, other_team):
    """Items holding the split words and the synonyms, none of them public."""
    draft = team.draft("最低生活保障内部测算稿", body="<p>低保办理草稿。</p>")
    internal = team.published("最低生活保障内部通报", body="<p>低保办理内部通报。</p>", scope="internal")
    withdrawn = team.published("最低生活保障误发名单", body="<p>低保办理误发。</p>")
    services.item_transition(actor=team.office, item=withdrawn, action=Action.WITHDRAW, reason="误发")
    other_draft = other_team.draft("最低生活保障他局草稿", body="<p>低保办理他局。</p>")
    return [draft, internal, withdrawn, other_draft]


@pytest.mark.parametrize("viewer", ["anonymous", "other_agency_office"])
def test_split_and_synonym_searches_show_nothing_hidden(client, hidden, team, other_team, viewer):
    visible = publish(team, "公开的低保政策问答", "低保政策。")
    if viewer == "other_agency_office":
        client.force_login(other_team.office)
    for q in ("低保", "最低生活保障", "社会救助", "低保办理", "最低生活保障办理", "办理"):
        response, page = _page(client, q)
        results = response.context["results"]
        assert set(ids(results)) <= {visible.pk}, q
        assert results.total <= 1, q
        assert all(n <= 1 for counts in results.facets.values() for _, n in counts), q
        for item in hidden:
            assert item.title not in page, q
        for text in ("草稿", "内部通报", "误发", "他局"):
            assert text not in page.replace(q, ""), (q, text)
    for q in ("最低生活保障", "低保办理"):
        assert set(ids(search_public(q, split_words=True))) <= {visible.pk}


def test_synonyms_and_words_are_found_exactly_deep_in_very_long_items(team):
    # Such entries are lossy on PostgreSQL: each alternative is then checked on the token text.
    filler = "甲乙丙丁戊己庚辛壬癸" * 1700
    deep = publish(team, "长篇报告", filler + "社会保险登记办法")
    apart = publish(team, "另一长篇", filler + "社会救助。会保持。保险公司")  # every bigram, not the phrase
    assert SearchEntry.objects.get(pk=deep.pk).lossy
    assert ids(search_public("社保")) == [deep.pk]
    split = search_public("社保登记流程", split_words=True)
    assert split.words and ids(split)[0] == deep.pk and apart.pk not in ids(split)
