"""python manage.py search_index rebuild|update|check: output, exit codes, and an index made whole
again after it was made stale behind the services' back."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from gongkai.catalogue.models import Item
from gongkai.search.models import SearchEntry
from gongkai.search.selectors import search_public
from gongkai.search.tests.helpers import all_hits
from gongkai.testing.builders import publish

pytestmark = pytest.mark.django_db

RATE = re.compile(r"已处理 (\d+) 条（移除 (\d+) 条），用时 [\d.]+ 秒，每秒 \d+ 条。")
CHECK = re.compile(r"已索引 (\d+) 条；缺失 (\d+) 条；过期 (\d+) 条。")


def run(action: str, *args: str) -> tuple[int, str, str]:
    """The command's exit code, standard output and standard error."""
    out, err = StringIO(), StringIO()
    try:
        call_command("search_index", action, *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def fts_is_whole() -> bool:
    """SQLite: the FTS5 index agrees with its content table (PostgreSQL has no separate index)."""
    if connection.vendor != "sqlite":
        return True
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts, rank) VALUES('integrity-check', 1)")
    except DatabaseError:  # "database disk image is malformed": the index disagrees with its table
        return False
    return True


@pytest.fixture
def items(team):
    return [
        publish(team, "关于城乡低保标准的通知", "城乡低保标准每人每月800元。"),
        publish(team, "社會保險費徵收辦法", "社會保險費由稅務部門徵收。"),
        publish(team, "政府信息公开指南", "依申请公开的办理程序。"),
    ]


def test_check_passes_on_an_index_kept_by_the_services(items):
    code, out, err = run("check")
    assert code == 0, out + err
    assert CHECK.search(out).groups() == ("3", "0", "0")
    assert fts_is_whole()


def test_update_restores_a_deleted_entry(items):
    lost = items[0]
    SearchEntry.objects.filter(pk=lost.pk).delete()  # behind the services' back
    assert all_hits("低保") == []

    code, out, _ = run("check")
    assert code == 1
    assert CHECK.search(out).groups() == ("2", "1", "0")

    code, out, err = run("update", "--no-progress")
    assert code == 0, out + err
    assert RATE.search(out).groups() == ("1", "0")
    assert err == ""  # no progress bar when asked for none

    assert all_hits("低保") == [lost.pk]
    assert search_public("低保").total == 1
    assert fts_is_whole()
    assert run("check")[0] == 0


def test_update_reindexes_a_title_changed_in_the_database(items):
    changed = items[2]
    Item.objects.filter(pk=changed.pk).update(title="政府信息公开工作年度报告")
    assert all_hits("年度报告") == []

    code, out, _ = run("check")
    assert code == 1
    assert CHECK.search(out).groups() == ("3", "0", "1")

    code, out, _ = run("update", "--no-progress")
    assert code == 0
    assert RATE.search(out).groups() == ("1", "0")
    assert all_hits("年度报告") == [changed.pk]
    assert all_hits("公开指南") == []
    assert "<mark>年度报告</mark>" in search_public("年度报告").hits[0].title
    assert fts_is_whole()
    assert run("check")[0] == 0


def test_update_notices_every_field_the_filters_use(items, team):
    item = items[0]
    Item.objects.filter(pk=item.pk).update(validity="repealed", genre="notice")
    assert run("check")[0] == 1
    run("update", "--no-progress")
    entry = SearchEntry.objects.get(pk=item.pk)
    assert (entry.validity, entry.genre) == ("repealed", "notice")
    assert run("check")[0] == 0


def test_update_removes_an_item_no_longer_public(items):
    hidden = items[1]
    Item.objects.filter(pk=hidden.pk).update(status="withdrawn", is_public=False)
    code, out, _ = run("check")
    assert code == 1
    assert CHECK.search(out).groups() == ("3", "0", "1")
    code, out, _ = run("update", "--no-progress")
    assert code == 0
    assert all_hits("社会保险") == []
    assert search_public("社会保险").total == 0
    assert fts_is_whole()
    assert run("check")[0] == 0


def test_update_with_nothing_to_do(items):
    code, out, _ = run("update", "--no-progress")
    assert code == 0
    assert RATE.search(out).groups() == ("0", "0")


def test_rebuild_makes_a_wiped_index_whole(items):
    SearchEntry.objects.all().delete()  # the rows, not the full-text index behind them
    assert run("check")[0] == 1

    code, out, err = run("rebuild")
    assert code == 0, out + err
    assert RATE.search(out).groups() == ("3", "0")
    assert "条" in err  # the progress bar
    assert SearchEntry.objects.count() == 3
    assert all_hits("低保") == [items[0].pk]
    assert all_hits("社会保险") == [items[1].pk]
    assert all_hits("依申请公开") == [items[2].pk]
    assert search_public("低保").total == 1
    assert fts_is_whole()
    assert run("check")[0] == 0


def test_rebuild_drops_entries_of_items_no_longer_public(items):
    Item.objects.filter(pk=items[0].pk).update(status="withdrawn", is_public=False)
    code, out, _ = run("rebuild", "--no-progress")
    assert code == 0
    assert RATE.search(out).groups() == ("2", "1")
    assert set(SearchEntry.objects.values_list("pk", flat=True)) == {items[1].pk, items[2].pk}
    assert all_hits("低保") == []
    assert fts_is_whole()


def test_rebuild_is_repeatable(items):
    for _ in range(2):
        assert run("rebuild", "--no-progress")[0] == 0
    assert SearchEntry.objects.count() == 3
    assert search_public("政府信息").total == 1
    assert fts_is_whole()
    assert run("check")[0] == 0


def test_an_unknown_action_is_refused():
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("search_index", "vacuum")


def _tokenise_the_former_way(item_ids) -> None:
    """Entries as the tokeniser before mixed-script phrases left them: no edge characters beside
    words (人社发〔2025〕3号文件: 人社 社发 2025 3 号文 文件)."""
    from gongkai.search.index import _fts
    from gongkai.search.text import _RUN_RE, normalise

    def former(text: str) -> str:
        out = []
        for cjk, word in _RUN_RE.findall(normalise(text)):
            out.extend([cjk[i : i + 2] for i in range(len(cjk) - 1)] if len(cjk) > 1 else [cjk or word])
        return " ".join(out)

    for entry in SearchEntry.objects.filter(pk__in=item_ids):
        _fts(
            "INSERT INTO search_fts(search_fts, rowid, tokens, facets) VALUES('delete', %s, %s, %s)",
            [entry.recency, entry.tokens, entry.facets],
        )
        entry.tokens = former(entry.text)
        entry.save(update_fields=["tokens"])
        _fts(
            "INSERT INTO search_fts(rowid, tokens, facets) VALUES(%s, %s, %s)",
            [entry.recency, entry.tokens, entry.facets],
        )


def test_check_finds_entries_tokenised_the_former_way_and_update_brings_them_up(team):
    old = publish(team, "关于人社发〔2025〕3号文件的通知", "正文。")
    _tokenise_the_former_way([old.pk])
    assert all_hits("人社发〔2025〕3号") == []  # the former tokens lack 发 and 号 beside the numbers

    code, out, _ = run("check")
    assert code == 1
    assert CHECK.search(out).groups() == ("1", "0", "1")

    code, out, _ = run("update", "--no-progress")
    assert code == 0
    assert all_hits("人社发〔2025〕3号") == [old.pk]
    assert fts_is_whole()
    assert run("check")[0] == 0


def test_the_migration_retokenises_entries_indexed_before(team):
    import importlib

    from django.apps import apps as global_apps

    migration = importlib.import_module("gongkai.search.migrations.0005_retokenise_mixed_scripts")
    old = publish(team, "2019年度报告", "见第12条。")
    other = publish(team, "低保标准", "城乡低保。")
    _tokenise_the_former_way([old.pk, other.pk])
    assert all_hits("2019年度") == [] and all_hits("第12条") == []

    class Editor:  # what the migration uses of a schema editor (SQLite's cannot open inside a test's atomic)
        def __init__(self):
            self.connection = connection

        def execute(self, sql):
            with connection.cursor() as cursor:
                cursor.execute(sql)

    migration.retokenise(global_apps, Editor())

    assert all_hits("2019年度") == [old.pk]
    assert all_hits("第12条") == [old.pk]
    assert all_hits("低保") == [other.pk]
    assert fts_is_whole()
    assert run("check")[0] == 0
