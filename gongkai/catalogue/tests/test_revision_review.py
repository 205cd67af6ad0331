"""Reviewers see what a revision changes (issue 13, point 5): the clerk's 修订说明, a character-level
highlight of the changes, the replaced published text kept, and the public page saying it was revised."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from gongkai.catalogue import services
from gongkai.catalogue.models import Item, ItemRevision, VersionCause
from gongkai.catalogue.workflow import Action, Status, TransitionRefused
from gongkai.testing.builders import advance_revision

SHANGHAI = ZoneInfo("Asia/Shanghai")
OLD_BODY = "<p>第一条 基础养老金每人每月150元。</p><p>第二条 本通知自发布之日起施行。</p>"
NEW_BODY = "<p>第一条 基础养老金每人每月170元。</p><p>第二条 本通知自发布之日起施行。</p>"
NOTE = "按省厅2025年文件提高基础养老金标准"


def screen_words_removed(page: str) -> str:
    return re.sub(r'<span class="visually-hidden">[^<]*</span>', "", page)


def page_of(client, user, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def in_review(team):
    """A published item and its revision waiting for the department head."""
    item = team.published("关于基础养老金标准的通知", body=OLD_BODY)
    revision = services.revision_save(
        actor=team.clerk, item=item, note=NOTE, title="关于调整基础养老金标准的通知", body=NEW_BODY
    )
    revision = services.revision_transition(actor=team.clerk, revision=revision, action=Action.SUBMIT)
    return item, revision


@pytest.mark.parametrize("reviewer", ["dept_head", "secrecy", "leader"])
def test_each_reviewer_sees_the_note_and_the_changed_characters(client, team, in_review, reviewer):
    _, revision = in_review
    stage = {
        "dept_head": Status.DEPT_REVIEW,
        "secrecy": Status.SECRECY_REVIEW,
        "leader": Status.LEADER_REVIEW,
    }
    revision = advance_revision(team, revision, to=stage[reviewer])

    page = page_of(client, getattr(team, reviewer), reverse("catalogue_staff:revision", args=[revision.pk]))

    assert "修订说明" in page and NOTE in page
    shown = screen_words_removed(page)
    assert "每人每月1<del>5</del><ins>7</ins>0元" in shown  # inside the paragraph, not the whole of it
    assert "关于<ins>调整</ins>基础养老金" in shown
    assert "［删除：</span>5" in page and "［新增：</span>7" in page  # said to screen readers
    assert "<p>第二条 本通知自发布之日起施行。</p>" in page  # an unchanged paragraph as context


def test_text_of_the_item_cannot_inject_markup_into_the_diff(client, team):
    item = team.published("原名称", body="<p>原正文</p>")
    revision = services.revision_save(
        actor=team.clerk,
        item=item,
        note='<img src=x onerror="alert(1)">说明',
        title='<script>alert("名称")</script>',
        body="<p>&lt;script&gt;alert(1)&lt;/script&gt;新正文</p>",
    )

    page = page_of(client, team.clerk, reverse("catalogue_staff:revision", args=[revision.pk]))

    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x" in page


def test_a_revision_cannot_go_to_review_without_a_note(client, team):
    item = team.published("原名称")
    revision = services.revision_save(actor=team.clerk, item=item, note="  ", title="新名称")

    with pytest.raises(TransitionRefused, match="修订说明"):
        services.revision_transition(actor=team.clerk, revision=revision, action=Action.SUBMIT)

    client.force_login(team.clerk)
    response = client.post(
        reverse("catalogue_staff:revision_action", args=[revision.pk]), {"action": "submit"}, follow=True
    )
    assert "请先填写修订说明" in response.content.decode()
    assert ItemRevision.objects.get(pk=revision.pk).status == Status.DRAFT
    page = page_of(client, team.clerk, reverse("catalogue_staff:revision", args=[revision.pk]))
    assert "提交审核前必须填写" in page


def test_the_clerk_writes_the_note_on_the_revision_form(client, team):
    item = team.published("原名称", body=OLD_BODY)
    client.force_login(team.clerk)
    form = client.get(reverse("catalogue_staff:revise", args=[item.pk])).content.decode()
    assert 'name="note"' in form and "修订说明" in form

    data = {
        "title": "新名称",
        "category": item.category_id,
        "department": item.department_id,
        "body": NEW_BODY,
        "publisher": item.publisher,
        "genre": item.genre,
        "document_type": item.document_type,
        "disclosure_mode": item.disclosure_mode,
        "scope": item.scope,
        "note": NOTE,
    }
    response = client.post(reverse("catalogue_staff:revise", args=[item.pk]), data)

    revision = ItemRevision.objects.get(item=item)
    assert response.status_code == 302 and revision.note == NOTE
    services.revision_transition(actor=team.clerk, revision=revision, action=Action.SUBMIT)


def test_the_replaced_published_text_is_kept(team, in_review):
    item, revision = in_review

    advance_revision(team, revision)

    item = Item.objects.get(pk=item.pk)
    old, new = item.versions.order_by("number")
    assert item.body == NEW_BODY
    assert old.content["body"] == OLD_BODY and old.content["title"] == "关于基础养老金标准的通知"
    assert old.published_until is not None and new.published_until is None
    assert new.cause == VersionCause.REVISED and new.revision_id == revision.pk


def test_the_public_page_shows_the_update_date_and_that_it_was_revised(client, team):
    with time_machine.travel(datetime.datetime(2025, 3, 1, 9, 0, tzinfo=SHANGHAI), tick=False):
        item = team.published("关于基础养老金标准的通知", body=OLD_BODY)
    before = client.get(item.get_absolute_url()).content.decode()
    assert "更新日期" not in before and "修订。" not in before

    with time_machine.travel(datetime.datetime(2025, 5, 6, 14, 0, tzinfo=SHANGHAI), tick=False):
        revision = services.revision_save(actor=team.clerk, item=item, note=NOTE, body=NEW_BODY)
        advance_revision(team, revision)

    client.logout()
    for url in (item.get_absolute_url(), reverse("catalogue:print", args=[item.pk])):
        page = client.get(url).content.decode()
        assert re.search(r"更新日期</th><td[^>]*>2025年5月6日", page), url
    page = client.get(item.get_absolute_url()).content.decode()
    assert "本信息已于2025年5月6日修订" in page
    assert "修订记录" in page
    assert NOTE not in page  # the clerk's note is for the reviewers, not the public page


def test_the_reviewers_task_list_shows_the_note(client, team, in_review):
    page = page_of(client, team.dept_head, reverse("workbench:home"))

    assert "等待我办理的修订" in page and f"修订说明：{NOTE}" in page
