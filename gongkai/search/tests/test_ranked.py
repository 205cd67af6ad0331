"""Optional ranked search with tantivy (SEARCH_TANTIVY_DIR): BM25 order, filters, writes only after the
database commits, never a non-public item even from a stale index, and the database order whenever the
index is missing or broken. Runs on SQLite and PostgreSQL."""

import logging
import os
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction

from gongkai.catalogue import services
from gongkai.catalogue.models import Genre, Validity
from gongkai.catalogue.workflow import Action
from gongkai.search import ranked
from gongkai.search.models import SearchEntry, SynonymGroup
from gongkai.search.selectors import search_public
from gongkai.search.tests.helpers import all_hits, ids
from gongkai.search.text import parse_query
from gongkai.testing.builders import at, publish
from gongkai.testing.factories import category

pytestmark = pytest.mark.django_db

FILLER = "本办法自发布之日起施行，由民政局负责解释。"


@pytest.fixture
def tantivy_dir(settings, tmp_path) -> Iterator[Path]:
    """Ranked search on, with an empty index in a fresh directory (as `search_index rebuild` leaves it)."""
    settings.SEARCH_TANTIVY_DIR = str(tmp_path / "tantivy")
    ranked.rebuild([])
    yield Path(settings.SEARCH_TANTIVY_DIR)
    ranked.forget()


@pytest.fixture
def committed(team, django_capture_on_commit_callbacks):
    """Publish through the services and run the on-commit callbacks, as a real request's commit does."""

    def publish_committed(title: str, text: str = "", *, by=team, **fields):
        with django_capture_on_commit_callbacks(execute=True):
            return publish(by, title, text, **fields)

    return publish_committed


def ranked_ids(raw: str, filters: dict | None = None, limit: int = 50) -> list[int]:
    found = ranked.search(parse_query(raw), filters or {}, limit, 0)
    assert found is not None, "the tantivy index should be usable"
    return found


def test_it_is_off_by_default(team, monkeypatch, django_capture_on_commit_callbacks):
    if os.environ.get("SEARCH_TANTIVY_DIR"):
        pytest.skip("SEARCH_TANTIVY_DIR is set in this environment")
    assert not ranked.enabled()

    def refuse(*args, **kwargs):
        raise AssertionError("tantivy must not be touched when SEARCH_TANTIVY_DIR is empty")

    monkeypatch.setattr(ranked, "search", refuse)
    monkeypatch.setattr(ranked, "_writer", refuse)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        item = publish(team, "城乡低保申请须知", "申请低保需要提交收入证明。")
    assert ranked.flush not in callbacks
    assert ids(search_public("低保", sort="relevance")) == [item.pk]


def test_an_item_with_the_query_several_times_ranks_above_one_with_it_once(tantivy_dir, committed):
    once = committed("社会救助问答", f"低保对象由乡镇人民政府认定。{FILLER}{FILLER}")
    many = committed("低保政策问答", f"低保标准每年调整，低保金按月发放，低保对象动态管理。{FILLER}")
    committed("临时救助办法", f"临时救助由乡镇人民政府审批。{FILLER}")
    assert ranked_ids("低保") == [many.pk, once.pk]
    assert ids(search_public("低保", sort="relevance")) == [many.pk, once.pk]
    assert all_hits("低保", sort="relevance", per_page=1) == [many.pk, once.pk]  # page by page
    results = search_public("低保", sort="relevance")
    assert results.total == 2  # the count (and the facets) still come from the database
    assert "<mark>低保</mark>" in results.hits[0].snippet


def test_search_public_takes_its_relevance_order_from_tantivy(tantivy_dir, committed):
    SynonymGroup.objects.all().delete()  # 低保 alone: its synonyms (低保金) would weigh in too
    once = committed("社会救助问答", f"低保对象由乡镇人民政府认定。{FILLER}")
    many = committed("低保政策问答", f"低保标准每年调整，低保金按月发放，低保对象动态管理。{FILLER}")
    assert ids(search_public("低保", sort="relevance")) == [many.pk, once.pk]
    # Make tantivy believe `once` is all about 低保: the page follows tantivy, not the database's bm25.
    entry = SearchEntry.objects.values(*ranked.ENTRY_FIELDS).get(pk=once.pk)
    ranked.index_entries([{**entry, "tokens": entry["tokens"] + " 低保" * 30}])
    assert ids(search_public("低保", sort="relevance")) == [once.pk, many.pk]
    assert ids(search_public("低保", sort="date")) == [many.pk, once.pk]  # newest first, untouched


def test_synonyms_and_split_words_reach_the_ranked_order(tantivy_dir, committed, team):
    full = committed("最低生活保障审核确认办法", f"最低生活保障审核。{FILLER}")
    short = committed("低保标准调整", f"低保标准。{FILLER}")
    other = committed("养老保险问答", f"养老保险。{FILLER}")
    assert set(ids(search_public("低保", sort="relevance"))) == {full.pk, short.pk}
    assert ranked.search(parse_query("低保"), {}, 10) == [short.pk]  # tantivy alone: no synonyms
    split = search_public("低保养老", sort="relevance", split_words=True)
    assert split.words == ("低保", "养老") and set(ids(split)) == {full.pk, short.pk, other.pk}
    filtered = search_public("低保", sort="relevance", filters={"agency_id": team.agency.pk + 1000})
    assert ids(filtered) == []


def test_a_query_is_the_and_of_its_runs_each_a_phrase_of_its_bigrams(tantivy_dir, committed):
    insurance = committed("征缴公告", "社会保险费按月征缴。")
    committed("办理指南", "社会保障和商业保险的区别。")  # 社会 and 保险, but never 社会保险
    both = committed("缴费通知", "社会保险费和医疗救助。")
    assert set(ranked_ids("社会保险")) == {insurance.pk, both.pk}
    assert ranked_ids("社会保险 救助") == [both.pk]
    assert ranked_ids("保险社会") == []
    latin = committed("COVID-19防控指南", "参见GB/T 20000标准。")
    assert ranked_ids("ＣＯＶＩＤ") == [latin.pk]
    assert ranked_ids("20000") == [latin.pk]
    assert ranked.search(parse_query("低"), {}, 10, 0) is None  # not searchable: the database answers


def test_filters_narrow_the_ranked_results(
    tantivy_dir, committed, team, other_team, django_capture_on_commit_callbacks
):
    rules = category(team.agency, "统计信息")
    ours = committed("低保办法", "低保审批。", on=at(2023), genre=Genre.MEASURES, category=rules)
    older = committed("低保通知", "低保标准。", on=at(2021), genre=Genre.NOTICE)
    theirs = committed("低保公告", "低保名单。", by=other_team, on=at(2023))
    with django_capture_on_commit_callbacks(execute=True):
        services.item_set_validity(actor=team.office, item=older, validity=Validity.REPEALED, note="已废止")
    assert ranked_ids("低保", {"validity": Validity.REPEALED}) == [older.pk]
    assert set(ranked_ids("低保", {"validity": Validity.VALID})) == {ours.pk, theirs.pk}
    assert set(ranked_ids("低保")) == {ours.pk, older.pk, theirs.pk}
    assert set(ranked_ids("低保", {"agency_id": team.agency.pk})) == {ours.pk, older.pk}
    assert set(ranked_ids("低保", {"year": 2023})) == {ours.pk, theirs.pk}
    assert ranked_ids("低保", {"year": 2023, "agency_id": team.agency.pk}) == [ours.pk]
    assert ranked_ids("低保", {"genre": Genre.NOTICE}) == [older.pk]
    assert ranked_ids("低保", {"category_id": [rules.pk, 999999]}) == [ours.pk]
    assert ranked_ids("低保", {"department_id": team.department.pk, "year": 2021}) == [older.pk]
    assert ranked_ids("低保", {"year": "not a year"}) == []
    assert ranked_ids("低保", {"agency_id": None, "genre": ""}) != []  # empty filters are no filters
    # The page: the same items as the database's filtered page.
    for filters in ({"agency_id": team.agency.pk}, {"year": 2023}, {"category_id": [rules.pk]}):
        assert set(ids(search_public("低保", sort="relevance", filters=filters))) == set(
            ids(search_public("低保", sort="date", filters=filters))
        )


def test_nothing_reaches_tantivy_before_the_transaction_commits(tantivy_dir, team, committed):
    with pytest.raises(RuntimeError), transaction.atomic():
        rolled_back = publish(team, "低保名单（误发）", "低保对象名单。")
        raise RuntimeError("the request failed after publishing")
    item = committed("低保办法", "低保审批。")  # the next commit flushes what was scheduled before
    assert ranked_ids("低保") == [item.pk]
    assert rolled_back.pk not in ranked_ids("名单")
    assert ranked.document_count() == SearchEntry.objects.count() == 1


def test_writes_wait_for_the_commit(tantivy_dir, team, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        item = publish(team, "低保办法", "低保审批。")
    assert ranked_ids("低保") == []  # committed in the database's eyes only when the callbacks run
    for callback in callbacks:
        callback()
    assert ranked_ids("低保") == [item.pk]


def test_a_withdrawn_item_disappears_from_ranked_results(
    tantivy_dir, team, committed, django_capture_on_commit_callbacks
):
    item = committed("关于征收土地的公告", "征收范围：城东片区。")
    kept = committed("征收补偿标准", "征收范围以外不予补偿。")
    assert set(ranked_ids("征收范围")) == {item.pk, kept.pk}
    with django_capture_on_commit_callbacks(execute=True):
        services.item_transition(actor=team.office, item=item, action=Action.WITHDRAW, reason="误发")
    assert ranked_ids("征收范围") == [kept.pk]
    assert ids(search_public("征收范围", sort="relevance")) == [kept.pk]


def test_a_stale_index_never_surfaces_a_non_public_item(tantivy_dir, team, committed, client):
    item = committed("关于征收土地的公告", "征收范围：城东片区。")
    kept = committed("征收补偿标准", "征收范围以外不予补偿。")
    # Withdrawn without the on-commit callbacks running: tantivy still has it.
    services.item_transition(actor=team.office, item=item, action=Action.WITHDRAW, reason="误发")
    draft = team.draft("征收范围调整方案（草稿）", body="<p>征收范围拟扩大。</p>")
    entry = SearchEntry.objects.values(*ranked.ENTRY_FIELDS).get(pk=kept.pk)
    ranked.index_entries([{**entry, "item_id": draft.pk, "tokens": entry["tokens"] + " 征收 收范 范围" * 9}])
    assert set(ranked_ids("征收范围")) == {item.pk, kept.pk, draft.pk}  # stale on purpose
    results = search_public("征收范围", sort="relevance")
    assert ids(results) == [kept.pk]
    assert results.total == 1
    page = client.get("/search/", {"q": "征收范围", "sort": "relevance"}).content.decode()
    assert "征收补偿标准" in page
    assert "关于征收土地的公告" not in page and "草稿" not in page


@pytest.mark.parametrize("damage", ["garbage", "missing files", "never built", "other schema"])
def test_a_missing_or_corrupt_index_falls_back_to_the_database_order(
    damage, settings, tmp_path, team, committed, client, caplog
):
    settings.SEARCH_TANTIVY_DIR = str(tmp_path / "tantivy")
    directory = Path(settings.SEARCH_TANTIVY_DIR)
    if damage != "never built":
        ranked.rebuild([])
    older = committed("低保办法", f"低保审批。{FILLER}", on=at(2022))
    newer = committed("低保通知", f"低保标准。{FILLER}", on=at(2024))
    if damage == "garbage":
        (directory / "meta.json").write_text("garbage", encoding="utf-8")
    elif damage == "missing files":
        for path in directory.iterdir():
            path.unlink()
    elif damage == "other schema":
        (directory / ranked.MARKER).write_text('{"schema": 0}', encoding="utf-8")
    ranked.forget()
    with caplog.at_level(logging.WARNING, logger="gongkai.search.ranked"):
        assert ranked.search(parse_query("低保"), {}, 10, 0) is None
        results = search_public("低保", sort="relevance")
        response = client.get("/search/", {"q": "低保", "sort": "relevance"})
        third = committed("低保公告", "低保名单。")  # publishing still works; tantivy's write is logged
    assert set(ids(results)) == {older.pk, newer.pk}
    assert results.total == 2
    assert response.status_code == 200
    assert set(ids(response.context["results"])) == {older.pk, newer.pk}
    assert "tantivy" in caplog.text
    assert SearchEntry.objects.filter(pk=third.pk).exists()
    # The command reports it, and a rebuild repairs it.
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command("search_index", "check", stdout=out)
    assert "排序索引（tantivy）不可用" in out.getvalue()
    ranked.forget()
    call_command("search_index", "rebuild", "--no-progress", stdout=StringIO(), stderr=StringIO())
    assert set(ranked_ids("低保")) == {older.pk, newer.pk, third.pk}


def test_the_command_rebuilds_checks_and_updates_the_ranked_index(tantivy_dir, team, committed):
    first = committed("低保办法", "低保审批。")
    second = committed("低保通知", "低保标准。")
    call_command("search_index", "rebuild", "--no-progress", stdout=StringIO(), stderr=StringIO())
    assert set(ranked_ids("低保")) == {first.pk, second.pk}
    out = StringIO()
    call_command("search_index", "check", stdout=out)
    assert "排序索引（tantivy）2 条，检索条目 2 条；缺失 0 条；多余 0 条。" in out.getvalue()
    ranked.delete([first.pk])  # out of step on purpose
    entry = SearchEntry.objects.values(*ranked.ENTRY_FIELDS).get(pk=second.pk)
    ranked.index_entries([{**entry, "item_id": 999999}])
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command("search_index", "check", stdout=out)
    assert "缺失 1 条；多余 1 条" in out.getvalue()
    call_command("search_index", "update", "--no-progress", stdout=StringIO(), stderr=StringIO())
    out = StringIO()
    call_command("search_index", "check", stdout=out)
    assert "缺失 0 条；多余 0 条" in out.getvalue()
    assert set(ranked_ids("低保")) == {first.pk, second.pk}


def test_a_mixed_script_query_is_one_phrase_in_tantivy(tantivy_dir, committed):
    number = committed("关于人社发〔2025〕3号文件", "正文。")
    committed("人社发〔2024〕3号", "另见2025年工作要点。")  # each part, not the sequence
    committed("人社发〔2025〕13号", "正文。")
    year = committed("2019年度报告", "全年工作。")
    committed("2019年 年度报告", "全年工作。")
    assert ranked_ids("人社发〔2025〕3号") == [number.pk]
    # 2019年 年度 has the tokens of 2019年度 (a lone 年, then 年度): tantivy orders, confirmation decides.
    assert year.pk in ranked_ids("2019年度")
    assert [h.item.pk for h in search_public("2019年度", sort="relevance").hits] == [year.pk]
    assert [h.item.pk for h in search_public("人社发[2025]3号", sort="relevance").hits] == [number.pk]


def test_an_index_of_the_former_schema_is_reported_and_not_used(tantivy_dir, committed):
    committed("2019年度报告", "全年工作。")
    marker = tantivy_dir / ranked.MARKER
    marker.write_text('{"schema": 1}', encoding="utf-8")  # built by the tokeniser before mixed scripts
    ranked.forget()
    assert ranked.search(parse_query("2019年度"), {}, 10, 0) is None  # the database answers instead
