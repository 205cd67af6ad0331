"""Migration 0005 gives every item that was ever published its first version (issue 12, point 8)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from gongkai.catalogue import services
from gongkai.catalogue.models import ItemRevision, ItemVersion
from gongkai.catalogue.workflow import Action, Status

SHANGHAI = ZoneInfo("Asia/Shanghai")
BEFORE = ("catalogue", "0004_document_type_and_validity_history")


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def revise(team, item, **changes) -> None:
    revision = services.revision_save(note="测试修订", actor=team.clerk, item=item, **changes)
    for actor, action in (
        (team.clerk, Action.SUBMIT),
        (team.dept_head, Action.DEPT_APPROVE),
        (team.secrecy, Action.SECRECY_APPROVE),
        (team.leader, Action.LEADER_SIGN),
    ):
        revision = services.revision_transition(actor=actor, revision=revision, action=action)


@pytest.mark.django_db(transaction=True)
def test_it_gives_published_and_withdrawn_items_their_first_version(team):
    with time_machine.travel(datetime.datetime(2024, 3, 1, 10, tzinfo=SHANGHAI), tick=False):
        live = team.published("现行的通知")
        revised = team.published("修订过的通知")
        withdrawn = team.published("撤回的通知")
        internal = team.published("内部的安排", scope="internal")
    with time_machine.travel(datetime.datetime(2024, 6, 3, 15, tzinfo=SHANGHAI), tick=False):
        revise(team, revised, title="修订后的通知")
    with time_machine.travel(datetime.datetime(2024, 9, 9, 9, tzinfo=SHANGHAI), tick=False):
        services.item_transition(actor=team.office, item=withdrawn, action=Action.WITHDRAW, reason="已过时")
    draft = team.draft("草稿")

    migrate([BEFORE])  # as the data stood before the history existed
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    by_item = {v.item_id: v for v in ItemVersion.objects.all()}
    assert set(by_item) == {live.pk, revised.pk, withdrawn.pk, internal.pk}
    assert draft.pk not in by_item
    for item in (live, revised, withdrawn, internal):
        version = by_item[item.pk]
        item.refresh_from_db()
        assert version.number == 1
        assert version.cause == "migrated"
        assert version.published_from == item.published_at
        assert version.published_by == team.leader
        assert version.content["title"] == item.title
        assert version.content["category"] == item.category_id
    assert by_item[live.pk].published_until is None
    assert by_item[live.pk].note == ""
    assert by_item[withdrawn.pk].published_until == datetime.datetime(2024, 9, 9, 9, tzinfo=SHANGHAI)
    assert by_item[withdrawn.pk].end == "withdrawn"
    assert by_item[withdrawn.pk].ended_by == team.office
    assert by_item[revised.pk].content["title"] == "修订后的通知"
    assert "已有1次修订生效（最近一次于2024-06-03）" in by_item[revised.pk].note
    assert ItemRevision.objects.get(item=revised).status == Status.APPLIED
    assert not by_item[internal.pk].is_public
    assert by_item[live.pk].is_public
