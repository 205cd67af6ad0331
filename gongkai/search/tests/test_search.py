"""Public search through the real index: recall, Simplified and Traditional, the demo documents,
sorting, filters with their counts, pagination and the count estimate. Runs on SQLite and PostgreSQL."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.catalogue import services
from gongkai.catalogue.models import Item
from gongkai.search import selectors
from gongkai.search.models import SearchEntry
from gongkai.search.selectors import search_public
from gongkai.search.tests.helpers import SEEDS, all_hits, ids
from gongkai.search.text import MSG_TOO_SHORT, normalise
from gongkai.search.views.public import public_filters
from gongkai.testing.builders import at, publish
from gongkai.testing.factories import category

pytestmark = pytest.mark.django_db


# -- Recall ---------------------------------------------------------------------------------------


def test_it_finds_every_item_containing_a_two_three_or_four_character_query_and_no_other(team):
    items = {
        "dibao": publish(team, "申请须知", "申请低保需要提交户口簿和收入证明。"),
        "insurance": publish(team, "征缴公告", "社会保险费按月征缴。"),
        "security": publish(team, "办理指南", "社会保障卡在服务大厅办理。"),
        "low_income": publish(team, "帮扶办法", "低收入家庭的住房保障。"),
        "apart": publish(team, "两项制度", "社会，保险，两者不同。"),
        "scattered": publish(team, "综合说明", "社会保障和商业保险的区别。"),
        "title_only": publish(team, "关于社会保险缴费基数的公告", "详见附件。"),
    }
    expected = {
        "低保": {"dibao"},
        "社会保": {"insurance", "security", "scattered", "title_only"},
        "社会保险": {"insurance", "title_only"},
        "会保险": {"insurance", "title_only"},
        "保障": {"security", "low_income", "scattered"},
        "住房保障": {"low_income"},
        "收入证明": {"dibao"},
    }
    for query, names in expected.items():
        wanted = {items[name].pk for name in names}
        assert set(all_hits(query)) == wanted, query
        assert len(all_hits(query)) == len(wanted), query  # never the same item twice
        results = search_public(query)
        assert results.total == len(wanted), query  # counts match on both backends
        assert not results.total_is_estimate


def test_a_query_of_several_words_needs_all_of_them(team):
    both = publish(team, "低保标准", "城乡低保标准和特困人员救助供养标准。")
    publish(team, "救助办法", "临时救助办法。")
    publish(team, "低保审批", "低保审批程序。")
    assert all_hits("低保 救助") == [both.pk]
    assert search_public("低保 救助").total == 1


def test_latin_words_and_numbers_are_found_as_whole_words(team):
    item = publish(team, "COVID-19防控指南（2025年版）", "参见GB/T 20000标准。")
    assert all_hits("covid") == [item.pk]
    assert all_hits("ＣＯＶＩＤ") == [item.pk]
    assert all_hits("2025年") == [item.pk]
    assert all_hits("20000") == [item.pk]
    assert all_hits("2000") == []


# Small alphabets make many near misses: shared characters, shared bigrams, split words.
SIMPLIFIED = "社会保险低政务公开信息"
TRADITIONAL = "會險開務資"
TEXTS = st.lists(
    st.text(alphabet=SIMPLIFIED + TRADITIONAL, min_size=0, max_size=12), min_size=1, max_size=4
).map(lambda runs: "，".join(runs))


def text_of(body: str) -> str:
    return normalise(f"通告\n{body}")


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(texts=st.lists(TEXTS, min_size=1, max_size=4), data=st.data())
def test_recall_is_exact_on_generated_text(team, texts, data):
    """Every published item containing the query is found, and none without it."""
    length = data.draw(st.integers(min_value=2, max_value=4), label="length")
    source = data.draw(st.sampled_from(texts), label="source")
    runs = [run for run in source.split("，") if len(run) >= length]
    if runs and data.draw(st.booleans(), label="from a text"):
        run = data.draw(st.sampled_from(runs), label="run")
        start = data.draw(st.integers(min_value=0, max_value=len(run) - length), label="start")
        query = run[start : start + length]
    else:
        query = data.draw(st.text(alphabet=SIMPLIFIED + TRADITIONAL, min_size=length, max_size=length))

    with transaction.atomic():
        items = [publish(team, "通告", text) for text in texts]
        wanted = {
            item.pk for item, text in zip(items, texts, strict=True) if normalise(query) in text_of(text)
        }
        found = all_hits(query, per_page=2)
        assert sorted(found) == sorted(wanted), (query, texts)
        assert len(found) == len(set(found))
        total = search_public(query).total
        # The index narrows by bigrams; a query's bigrams may sit at the end of one run and the
        # start of the next ("社会，会保" for 社会保): such candidates are counted, never shown.
        assert total >= len(wanted)
        if length == 2:
            assert total == len(wanted)
        transaction.set_rollback(True)


def test_a_simplified_query_finds_a_traditional_item_and_the_reverse(team):
    traditional = publish(team, "勞動保障依法行政計劃", "進一步規范勞動保障部門行政權力運行。")
    simplified = publish(team, "关于社会保险费征缴的通知", "社会保险费由税务部门征收。")

    assert all_hits("劳动保障") == [traditional.pk]
    assert all_hits("勞動保障") == [traditional.pk]
    assert all_hits("行政权力") == [traditional.pk]
    assert all_hits("社會保險") == [simplified.pk]
    assert all_hits("社会保险") == [simplified.pk]

    hit = search_public("劳动保障").hits[0]
    assert "<mark>勞動保障</mark>" in hit.title  # the original characters are marked
    assert "<mark>勞動保障</mark>部門" in hit.snippet
    assert "<mark>社會保險</mark>" not in search_public("社會保險").hits[0].snippet
    assert "<mark>社会保险</mark>" in search_public("社會保險").hits[0].snippet


def test_it_finds_the_demo_queries_in_the_five_seed_documents(team):
    out = StringIO()
    call_command(
        "import_documents", str(SEEDS), agency=team.agency.slug, user=team.clerk.username, stdout=out
    )
    drafts = list(Item.objects.filter(agency=team.agency))
    assert len(drafts) == 5, out.getvalue()
    assert not all_hits("政府信息公开")  # drafts are not searchable
    titles = {}
    for draft in drafts:
        item = team.advance(draft, to="published")
        titles[item.pk] = item.title

    def found(query: str) -> set[str]:
        return {titles[pk] for pk in all_hits(query)}

    assert found("低保") == {"民政局政務公開工作意見"}
    assert found("社会保险") == {"劳动保障局推行政务公开意见", "勞動保障依法行政計劃"}
    assert found("政府信息公开") == {
        "蓬莱市人力资源和社会保障局2013年度政府信息公开工作报告",
        "勞動保障依法行政計劃",
        "民政局政務公開工作意見",
        "吴川市人力资源和社会保障局政务公开制度",
    }
    assert found("政务公开") == set(titles.values())  # the Traditional 政務公開 as well
    for query in ("低保", "社会保险", "政府信息公开"):
        results = search_public(query)
        assert results.total == len(found(query))
        for hit in results.hits:
            assert "<mark>" in hit.snippet, (query, hit.item.title)


def test_a_single_character_asks_for_more(team):
    publish(team, "低保标准", "低保。")
    results = search_public("低")
    assert results.query.error == MSG_TOO_SHORT
    assert results.hits == [] and results.total == 0


# -- Sorting --------------------------------------------------------------------------------------


def test_it_sorts_by_date_or_by_relevance(team):
    filler = "本县各乡镇按照上级部署认真做好相关工作。" * 3
    dense = publish(team, "养老保险待遇调整", ("养老保险" + filler) * 4, on=at(2021))
    sparse = publish(team, "年度工作总结", filler * 3 + "养老保险" + filler, on=at(2024))
    middle = publish(team, "工作安排", filler * 2 + "养老保险" * 2 + filler * 2, on=at(2023))

    assert ids(search_public("养老保险")) == [sparse.pk, middle.pk, dense.pk]
    assert ids(search_public("养老保险", sort="date")) == [sparse.pk, middle.pk, dense.pk]
    assert ids(search_public("养老保险", sort="relevance")) == [dense.pk, middle.pk, sparse.pk]


def test_equal_dates_keep_a_stable_order(team):
    first = publish(team, "公告一", "医疗保障。", on=at(2024))
    second = publish(team, "公告二", "医疗保障。", on=at(2024))
    assert ids(search_public("医疗保障")) == [second.pk, first.pk]


def test_the_page_sorts_as_asked_and_defaults_to_date(client, team):
    old = publish(team, "就业补贴", "就业补贴" * 10, on=at(2020))
    new = publish(team, "通知", "就业补贴。", on=at(2025))
    assert ids(client.get("/search/", {"q": "就业补贴"}).context["results"]) == [new.pk, old.pk]
    response = client.get("/search/", {"q": "就业补贴", "sort": "relevance"})
    assert ids(response.context["results"]) == [old.pk, new.pk]
    assert ids(client.get("/search/", {"q": "就业补贴", "sort": "x"}).context["results"]) == [new.pk, old.pk]


# -- Filters and their counts ---------------------------------------------------------------------


@pytest.fixture
def catalogue(team, other_team):
    """Four items about 养老保险 in two agencies, several categories, years and document types."""
    items = {
        "rules_2021": publish(
            team,
            "养老保险办法",
            "养老保险缴费办法。",
            on=at(2021),
            genre="measures",
            category=category(team.agency, "法规文件"),
        ),
        "plan_2023": publish(
            team,
            "养老保险计划",
            "养老保险扩面计划。",
            on=at(2023),
            genre="plan",
            category=category(team.agency, "规划计划"),
        ),
        "guide_2023": publish(
            team,
            "养老保险指南",
            "养老保险办事指南。",
            on=at(2023, 3),
            genre="guide",
            category=category(team.agency, "政府信息公开指南"),
        ),
        "other_2023": publish(
            other_team,
            "养老保险通知",
            "养老保险缴费基数通知。",
            on=at(2023, 9),
            genre="notice",
            category=category(other_team.agency, "法规文件"),
        ),
    }
    services.item_set_validity(
        actor=team.office, item=items["plan_2023"], validity="repealed", note="已被新计划取代"
    )
    return items


def _search_page(client, **params):
    response = client.get("/search/", {"q": "养老保险", **params})
    assert response.status_code == 200
    return response


def _names(catalogue, results) -> set[str]:
    names = {item.pk: name for name, item in catalogue.items()}
    return {names[pk] for pk in ids(results)}


def test_it_filters_by_agency_category_with_children_year_validity_and_genre(client, team, catalogue):
    statutory = team.agency.categories.get(name="法定主动公开内容")
    cases = [
        ({}, {"rules_2021", "plan_2023", "guide_2023", "other_2023"}),
        ({"agency": team.agency.slug}, {"rules_2021", "plan_2023", "guide_2023"}),
        ({"category": statutory.pk}, {"rules_2021", "plan_2023"}),  # a parent takes its children
        ({"category": category(team.agency, "法规文件").pk}, {"rules_2021"}),
        ({"year": 2023}, {"plan_2023", "guide_2023", "other_2023"}),
        ({"year": 2023, "agency": team.agency.slug}, {"plan_2023", "guide_2023"}),
        ({"validity": "repealed"}, {"plan_2023"}),
        ({"validity": "valid"}, {"rules_2021", "guide_2023", "other_2023"}),
        ({"genre": "plan"}, {"plan_2023"}),
        ({"genre": "notice", "year": 2023}, {"other_2023"}),
        ({"genre": "plan", "year": 2021}, set()),
    ]
    for params, expected in cases:
        response = _search_page(client, **params)
        assert _names(catalogue, response.context["results"]) == expected, params
        assert response.context["results"].total == len(expected), params


def test_unknown_filter_values_are_ignored(client, catalogue):
    for params in (
        {"agency": "no-such-agency"},
        {"category": "999999"},
        {"validity": "eternal"},
        {"genre": "poem"},
    ):
        assert len(_search_page(client, **params).context["results"].hits) == 4, params


def test_each_filter_shows_its_counts(client, team, other_team, catalogue):
    facets = search_public("养老保险").facets
    assert dict(facets["agency_id"]) == {team.agency.pk: 3, other_team.agency.pk: 1}
    assert dict(facets["year"]) == {2021: 1, 2023: 3}
    assert dict(facets["validity"]) == {"valid": 3, "repealed": 1}
    assert dict(facets["genre"]) == {"measures": 1, "plan": 1, "guide": 1, "notice": 1}
    assert dict(facets["category_id"]) == {
        category(team.agency, "法规文件").pk: 1,
        category(team.agency, "规划计划").pk: 1,
        category(team.agency, "政府信息公开指南").pk: 1,
        category(other_team.agency, "法规文件").pk: 1,
    }

    page = _search_page(client).content.decode()
    assert f"{team.agency.name}（3）" in page
    assert f"{other_team.agency.name}（1）" in page
    assert "2023年（3）" in page and "2021年（1）" in page
    assert "已废止（1）" in page and "有效（3）" in page
    assert "规划计划（1）" in page

    filtered = search_public("养老保险", filters=public_filters({"agency": team.agency.slug})).facets
    assert dict(filtered["agency_id"]) == {team.agency.pk: 3}
    assert dict(filtered["year"]) == {2021: 1, 2023: 2}


def test_a_filter_link_keeps_the_other_filters(client, team, catalogue):
    response = _search_page(client, agency=team.agency.slug, validity="valid", sort="relevance", page=2)
    links = [facet["url"] for group in response.context["facets"].values() for facet in group]
    assert links
    for link in links:
        assert "q=%E5%85%BB%E8%80%81%E4%BF%9D%E9%99%A9" in link
        assert "sort=relevance" in link
        assert "page=" not in link  # a new filter starts at the first page
    year_link = next(f["url"] for f in response.context["facets"]["year"] if f["value"] == 2023)
    assert f"agency={team.agency.slug}" in year_link and "validity=valid" in year_link
    followed = client.get("/search/" + year_link)
    assert _names(catalogue, followed.context["results"]) == {"guide_2023"}


def test_the_year_is_the_local_year_of_publication(client, team):
    """Published at 00:30 on New Year's Day in Beijing, which is still the old year in UTC."""
    item = publish(team, "新年通告", "春运安排。", on=at(2024, 1, 1, 0))
    assert item.published_at.astimezone(datetime.UTC).year == 2023
    results = search_public("春运", filters={"year": 2024})
    assert ids(results) == [item.pk]
    assert dict(results.facets["year"]) == {2024: 1}
    assert ids(_search_page(client, q="春运", year=2024).context["results"]) == [item.pk]


def test_changing_validity_moves_the_item_between_counts_at_once(team):
    item = publish(team, "收费标准", "行政事业性收费标准。")
    assert dict(search_public("收费标准").facets["validity"]) == {"valid": 1}
    services.item_set_validity(actor=team.office, item=item, validity="expired", note="到期失效")
    assert dict(search_public("收费标准").facets["validity"]) == {"expired": 1}
    assert ids(search_public("收费标准", filters={"validity": "expired"})) == [item.pk]
    assert SearchEntry.objects.get(pk=item.pk).validity == "expired"


# -- Pagination and counts ------------------------------------------------------------------------


def test_it_pages_through_the_results(client, team):
    made = [publish(team, f"第{i}号通告", "城乡居民医保缴费通知。", on=at(2024, 1, 1 + i)) for i in range(21)]
    newest_first = [item.pk for item in reversed(made)]

    first = client.get("/search/", {"q": "医保缴费"})
    results = first.context["results"]
    assert ids(results) == newest_first[:20]
    assert results.has_next and results.total == 21
    page = first.content.decode()
    assert "共 21 条" in page
    assert 'rel="next"' in page and "page=2" in page and 'rel="prev"' not in page

    second = client.get("/search/", {"q": "医保缴费", "page": 2})
    assert ids(second.context["results"]) == newest_first[20:]
    assert not second.context["results"].has_next
    page = second.content.decode()
    assert 'rel="prev"' in page and 'rel="next"' not in page
    assert "q=%E5%8C%BB%E4%BF%9D%E7%BC%B4%E8%B4%B9" in page  # the query is kept in the links

    assert all_hits("医保缴费", per_page=4) == newest_first


def test_deep_pages_are_bounded(client, team, monkeypatch):
    monkeypatch.setattr(selectors, "MAX_PAGE", 2)
    made = [publish(team, f"第{i}号", "公共租赁住房。", on=at(2024, 2, 1 + i)) for i in range(7)]
    newest_first = [item.pk for item in reversed(made)]

    second = search_public("公共租赁", page=2, per_page=3)
    assert ids(second) == newest_first[3:6]
    assert not second.has_next  # a third page exists but is not offered: refine the query instead
    beyond = search_public("公共租赁", page=50, per_page=3)
    assert beyond.page == 2 and ids(beyond) == newest_first[3:6]
    assert search_public("公共租赁", page=-3, per_page=3).page == 1

    for page in ("3", "100000", "99999999999999999999999", "0", "-1"):
        response = client.get("/search/", {"q": "公共租赁", "page": page})
        assert response.status_code == 200
        assert 1 <= response.context["results"].page <= 2


def test_the_count_is_an_estimate_beyond_the_limit(client, team, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_LIMIT", 3)
    for i in range(5):
        publish(team, f"第{i}号", "农村危房改造。")
    results = search_public("危房改造")
    assert results.total == 3 and results.total_is_estimate
    assert len(results.hits) == 5  # the page itself is complete
    assert sum(n for _, n in results.facets["year"]) <= 3
    page = client.get("/search/", {"q": "危房改造"}).content.decode()
    assert "约 3+ 条" in page and "共 " not in page

    monkeypatch.setattr(selectors, "COUNT_LIMIT", 5)
    results = search_public("危房改造")
    assert results.total == 5 and not results.total_is_estimate
    assert "共 5 条" in client.get("/search/", {"q": "危房改造"}).content.decode()


def test_beyond_the_limit_facets_count_a_sample_of_the_matches(client, team, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_LIMIT", 3)
    for year in (2019, 2020, 2021, 2022, 2023):
        publish(team, f"{year}年危房改造", "农村危房改造。", on=at(year))
    results = search_public("危房改造")
    assert results.total_is_estimate
    years = dict(results.facets["year"])
    assert sum(years.values()) == 3 and set(years) < {2019, 2020, 2021, 2022, 2023}
    if connection.vendor == "sqlite":  # the newest three; PostgreSQL counts the first three GIN yields
        assert years == {2023: 1, 2022: 1, 2021: 1}
    page = client.get("/search/", {"q": "危房改造"}).content.decode()
    assert "以下计数按其中 3 条结果统计" in page
    assert "以下计数按" not in client.get("/search/", {"q": "危房改造", "year": 2019}).content.decode()


def test_a_phrase_deep_in_a_very_long_item_is_found_exactly(team):
    # Past 16,383 words a PostgreSQL tsvector keeps no exact positions, and it keeps at most 256 per
    # word: such entries are marked lossy and their phrases checked on the token text instead.
    filler = "甲乙丙丁戊己庚辛壬癸" * 1700
    deep = publish(team, "长篇报告", filler + "社会保险登记办法")
    apart = publish(team, "另一长篇", filler + "社会救助。会保持。保险公司")  # every bigram, not the phrase
    short = publish(team, "短篇", "社会保险。")
    assert SearchEntry.objects.get(pk=deep.pk).lossy and not SearchEntry.objects.get(pk=short.pk).lossy
    results = search_public("社会保险")
    assert sorted(ids(results)) == sorted([deep.pk, short.pk]) and results.total == 2
    assert apart.pk in ids(search_public("保险公司"))


def test_the_newest_item_comes_first_whatever_order_items_were_published_in(team):
    late = publish(team, "后发布早日期", "救灾物资。", on=at(2020))
    early = publish(team, "先发布晚日期", "救灾物资。", on=at(2024))
    middle = publish(team, "中间", "救灾物资。", on=at(2022))
    assert ids(search_public("救灾物资")) == [early.pk, middle.pk, late.pk]
    assert ids(search_public("救灾物资", page=2, per_page=1)) == [middle.pk]


def test_the_page_shows_title_index_number_publisher_date_category_and_snippet(client, team):
    item = publish(
        team,
        "关于做好城乡低保工作的通知",
        "各乡镇：请按时完成低保年审。",
        on=at(2025, 3, 8),
        category=category(team.agency, "法规文件"),
    )
    services.item_set_validity(actor=team.office, item=item, validity="amended", note="部分修改")
    item.refresh_from_db()
    page = client.get("/search/", {"q": "低保"}).content.decode()
    assert "关于做好城乡<mark>低保</mark>工作的通知" in page
    assert "请按时完成<mark>低保</mark>年审" in page
    assert item.index_number in page
    assert item.publisher in page
    assert "2025-03-08" in page
    assert "法规文件" in page
    assert "已修改" in page
    assert f'href="{item.get_absolute_url()}"' in page


def test_no_results_page_suggests_what_to_do(client, team, catalogue):
    page = client.get("/search/", {"q": "火星移民", "agency": team.agency.slug}).content.decode()
    assert "没有找到与“火星移民”相关的公开信息" in page
    assert "去掉筛选条件再试" in page
    assert "法规文件" in page  # related categories to browse


def test_a_page_that_ends_the_results_gives_the_count_without_counting(team, monkeypatch):
    for i in range(3):
        publish(team, f"第{i}号", "农村危房改造。", on=at(2020 + i))
    counted = []
    real = selectors.newest_matches
    monkeypatch.setattr(selectors, "newest_matches", lambda *a, **k: counted.append(1) or real(*a, **k))
    results = search_public("危房改造", with_facets=False)
    assert results.total == 3 and not results.total_is_estimate and not counted
    results = search_public("危房改造", with_facets=False, per_page=2, page=2)
    assert results.total == 3 and len(results.hits) == 1 and not counted
    results = search_public("危房改造", with_facets=False, per_page=2)
    assert results.total == 3 and counted  # a full page: the rest must be counted


def test_suggestions_and_related_items_do_not_count(team, monkeypatch):
    for i in range(25):
        publish(team, f"农村危房改造第{i}号", "农村危房改造。")
    counted = []
    real = selectors.newest_matches
    monkeypatch.setattr(selectors, "newest_matches", lambda *a, **k: counted.append(1) or real(*a, **k))
    assert len(selectors.suggestions("危房改造")) == 8
    item = Item.objects.public().first()
    assert selectors.related_items(item)
    assert not counted
    assert search_public("危房改造", with_facets=False).total == 25 and counted


# -- Mixed scripts and radicals (issue 10, 4.1 and 4.2) ------------------------------------------------


def test_a_mixed_script_query_finds_only_items_with_the_whole_sequence(team):
    items = {
        "number": publish(team, "关于印发人社发〔2025〕3号文件的通知", "正文。"),
        "brackets": publish(team, "转发通知", "见人社发[2025]3号。"),
        "parts": publish(team, "人社发〔2024〕3号", "另见2025年工作要点。"),
        "thirteen": publish(team, "人社发〔2025〕13号", "正文。"),
        "article": publish(team, "实施细则", "根据《条例》第十二条规定办理。"),
        "arabic": publish(team, "办事说明", "根据第12条规定办理。"),
        "split": publish(team, "两条规定", "第1条、第2条。"),
        "year": publish(team, "2019年度报告", "全年工作。"),
        "apart": publish(team, "2019年 年度报告", "全年工作。"),
        "wide": publish(team, "工作总结", "２０１９ 年度工作总结。"),
        "radicals": publish(team, "县人⺠政府⻔户网站", "正文。"),
    }
    expected = {
        "人社发〔2025〕3号": {"number", "brackets"},
        "人社发[2025]3号": {"number", "brackets"},
        "3号": {"number", "brackets", "parts"},
        "第十二条": {"article"},
        "第12条": {"arabic"},
        "第1条": {"split"},
        "2019年度": {"year", "wide"},
        "2019年": {"year", "apart", "wide"},
        "人民政府": {"radicals"},
        "门户": {"radicals"},
    }
    for query, names in expected.items():
        wanted = {items[name].pk for name in names}
        assert set(all_hits(query)) == wanted, query
        # The count is the index's: 2019年 年度 has the tokens of 2019年度 (a lone 年, then 年度), and is
        # counted (not shown) for 2019年度, as 低保 保障 is for 低保障.
        assert search_public(query).total == len(wanted) + (query == "2019年度"), query
        for sort in ("date", "relevance"):
            assert set(all_hits(query, sort=sort)) == wanted, (query, sort)
    hit = search_public("人社发[2025]3号").hits
    assert {h.item.pk: str(h.title) for h in hit}[items["number"].pk] == (
        "关于印发<mark>人社发〔2025〕3号</mark>文件的通知"
    )
    shown = search_public("人民政府").hits[0]
    assert str(shown.title) == "县<mark>人⺠政府</mark>⻔户网站"  # the stored text keeps the radicals
