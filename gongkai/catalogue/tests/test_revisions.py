"""Revising a published item: the live version stays until the revision passes the whole review."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.audit.models import AuditEvent
from gongkai.catalogue import selectors, services
from gongkai.catalogue.models import Item, ItemRevision, Scope
from gongkai.catalogue.workflow import Action, Status, TransitionRefused
from gongkai.search.services import attachment_extract
from gongkai.testing.builders import advance_revision
from gongkai.testing.factories import category
from gongkai.testing.files import minimal_pdf

PDF = minimal_pdf()
LIVE_FIELDS = ("title", "summary", "body", "category_id", "department_id", "scope", "written_on")


def live(item: Item) -> dict:
    item = Item.objects.get(pk=item.pk)
    return {name: getattr(item, name) for name in LIVE_FIELDS} | {
        "status": item.status,
        "index_number": item.index_number,
        "published_at": item.published_at,
    }


def new_values(team) -> dict:
    return {
        "title": "关于调整城乡居民基本养老保险基础养老金标准的通知",
        "summary": "提高基础养老金标准",
        "body": '<p onclick="x()">每人每月提高20元。</p><script>alert(1)</script>',
        "category": category(team.agency, "规划计划"),
        "written_on": datetime.date(2025, 5, 6),
    }


def test_it_keeps_the_live_version_until_the_leader_signs_the_revision(team):
    item = team.published()
    before = live(item)

    revision = services.revision_save(actor=team.clerk, item=item, note="标准调整", **new_values(team))
    assert revision.status == Status.DRAFT
    assert set(revision.changes) == {"title", "summary", "body", "category", "written_on"}
    assert revision.changes["written_on"] == "2025-05-06"
    assert "onclick" not in revision.changes["body"]
    assert "<script" not in revision.changes["body"]

    for upto in (Status.DEPT_REVIEW, Status.SECRECY_REVIEW, Status.LEADER_REVIEW):
        revision = advance_revision(team, revision, to=upto)
        assert live(item) == before
        assert Item.objects.public().filter(pk=item.pk, title=before["title"]).exists()

    revision = services.revision_transition(actor=team.leader, revision=revision, action=Action.LEADER_SIGN)
    assert revision.status == Status.APPLIED
    after = live(item)
    assert after["title"] == "关于调整城乡居民基本养老保险基础养老金标准的通知"
    assert after["summary"] == "提高基础养老金标准"
    assert after["body"] == "<p>每人每月提高20元。</p>"
    assert after["category_id"] == category(team.agency, "规划计划").pk
    assert after["written_on"] == datetime.date(2025, 5, 6)
    assert after["index_number"] == before["index_number"]
    assert after["published_at"] == before["published_at"]
    assert after["status"] == Status.PUBLISHED


def test_it_audits_each_revision_step_against_the_item(team):
    item = team.published()
    revision = services.revision_save(note="测试修订", actor=team.clerk, item=item, title="新名称")
    advance_revision(team, revision)
    events = AuditEvent.objects.filter(target_type="catalogue.item", target_id=str(item.pk)).order_by("id")
    revision_events = [e for e in events if e.action.startswith("revision_")]
    assert [(e.action, e.actor, e.from_state, e.to_state) for e in revision_events] == [
        ("revision_create", team.clerk, "", ""),
        ("revision_submit", team.clerk, Status.DRAFT, Status.DEPT_REVIEW),
        ("revision_dept_approve", team.dept_head, Status.DEPT_REVIEW, Status.SECRECY_REVIEW),
        ("revision_secrecy_approve", team.secrecy, Status.SECRECY_REVIEW, Status.LEADER_REVIEW),
        ("revision_leader_sign", team.leader, Status.LEADER_REVIEW, Status.APPLIED),
    ]
    assert all(e.data["revision"] == revision.pk for e in revision_events)
    assert revision_events[0].data["fields"] == ["title"]


def test_it_revises_a_filed_item_and_it_stays_filed(team):
    item = team.advance(team.draft(), to=Status.FILED)
    revision = advance_revision(
        team, services.revision_save(note="测试修订", actor=team.clerk, item=item, summary="补充说明")
    )
    assert revision.status == Status.APPLIED
    item.refresh_from_db()
    assert (item.status, item.summary) == (Status.FILED, "补充说明")
    assert item.filed_on is not None


def test_it_moves_the_item_to_another_department_through_a_revision(team):
    item = team.published()
    number = item.index_number
    revision = services.revision_save(
        note="测试修订", actor=team.clerk, item=item, department=team.other_department
    )
    advance_revision(team, revision)
    item.refresh_from_db()
    assert item.department == team.other_department
    assert item.index_number == number

    # From now on the other department handles the item's revisions.
    with pytest.raises(PermissionDenied):
        services.revision_save(note="测试修订", actor=team.clerk, item=item, title="原股室再改")
    second = services.revision_save(note="测试修订", actor=team.other_clerk, item=item, title="新股室修订")
    second = services.revision_transition(actor=team.other_clerk, revision=second, action=Action.SUBMIT)
    with pytest.raises(TransitionRefused, match="本股室"):
        services.revision_transition(actor=team.dept_head, revision=second, action=Action.DEPT_APPROVE)
    second = services.revision_transition(
        actor=team.other_dept_head, revision=second, action=Action.DEPT_APPROVE
    )
    assert second.status == Status.SECRECY_REVIEW


def test_it_refuses_a_second_open_revision(team):
    item = team.published()
    first = services.revision_save(note="测试修订", actor=team.clerk, item=item, title="第一次修订")
    for upto in (Status.DRAFT, Status.DEPT_REVIEW, Status.LEADER_REVIEW):
        first = advance_revision(team, first, to=upto)
        with pytest.raises(TransitionRefused, match="未完成的修订"):
            services.revision_save(note="测试修订", actor=team.office, item=item, title="第二次修订")
    assert ItemRevision.objects.filter(item=item).count() == 1

    advance_revision(team, first)
    second = services.revision_save(note="测试修订", actor=team.clerk, item=item, title="第二次修订")
    assert second.status == Status.DRAFT
    assert ItemRevision.objects.filter(item=item).count() == 2


@pytest.mark.parametrize(
    ("upto", "persona"), [(Status.DEPT_REVIEW, "dept_head"), (Status.LEADER_REVIEW, "leader")]
)
def test_it_returns_a_revision_with_a_reason_and_the_clerk_edits_and_resubmits(team, upto, persona):
    item = team.published()
    before = live(item)
    revision = services.revision_save(note="测试修订", actor=team.clerk, item=item, title="初稿修订")
    revision = advance_revision(team, revision, to=upto)
    reviewer = getattr(team, persona)

    with pytest.raises(TransitionRefused, match="须填写理由"):
        services.revision_transition(actor=reviewer, revision=revision, action=Action.RETURN, reason=" ")
    revision = services.revision_transition(
        actor=reviewer, revision=revision, action=Action.RETURN, reason="名称不规范"
    )
    assert (revision.status, revision.return_reason) == (Status.RETURNED, "名称不规范")
    assert live(item) == before

    revision = services.revision_save(
        note="测试修订", actor=team.clerk, item=item, revision=revision, title="规范后的名称"
    )
    assert revision.changes == {"title": "规范后的名称"}
    revision = services.revision_transition(actor=team.clerk, revision=revision, action=Action.SUBMIT)
    assert (revision.status, revision.return_reason) == (Status.DEPT_REVIEW, "")
    advance_revision(team, revision)
    assert live(item)["title"] == "规范后的名称"


def test_it_refuses_to_edit_a_revision_under_review(team):
    item = team.published()
    revision = advance_revision(
        team,
        services.revision_save(note="测试修订", actor=team.clerk, item=item, title="送审"),
        to=Status.DEPT_REVIEW,
    )
    with pytest.raises(TransitionRefused, match="不能修改"):
        services.revision_save(
            note="测试修订", actor=team.clerk, item=item, revision=revision, title="偷偷改"
        )
    assert ItemRevision.objects.get(pk=revision.pk).changes == {"title": "送审"}


@pytest.mark.parametrize("returned", [False, True])
def test_it_discards_a_draft_or_returned_revision_and_the_item_stays(team, returned):
    item = team.published()
    before = live(item)
    revision = services.revision_save(note="测试修订", actor=team.clerk, item=item, title="放弃的修订")
    if returned:
        revision = advance_revision(team, revision, to=Status.DEPT_REVIEW)
        revision = services.revision_transition(
            actor=team.dept_head, revision=revision, action=Action.RETURN, reason="无需修订"
        )
    with pytest.raises(TransitionRefused, match="本股室"):
        services.revision_transition(actor=team.other_clerk, revision=revision, action=Action.DISCARD)
    revision = services.revision_transition(actor=team.clerk, revision=revision, action=Action.DISCARD)
    assert revision.status == Status.DISCARDED
    assert live(item) == before
    for action in Action:
        with pytest.raises(TransitionRefused):
            services.revision_transition(actor=team.office, revision=revision, action=action, reason="x")
    assert (
        services.revision_save(note="测试修订", actor=team.clerk, item=item, title="重新修订").status
        == Status.DRAFT
    )


def test_it_refuses_to_discard_a_revision_under_review(team):
    item = team.published()
    revision = advance_revision(
        team,
        services.revision_save(note="测试修订", actor=team.clerk, item=item, title="送审"),
        to=Status.SECRECY_REVIEW,
    )
    for persona in ("clerk", "office", "secrecy"):
        with pytest.raises(TransitionRefused):
            services.revision_transition(
                actor=getattr(team, persona), revision=revision, action=Action.DISCARD
            )
    assert ItemRevision.objects.get(pk=revision.pk).status == Status.SECRECY_REVIEW


def test_it_refuses_revision_steps_by_the_wrong_people(team, other_team):
    item = team.published()
    revision = services.revision_save(note="测试修订", actor=team.clerk, item=item, title="修订")
    refusals = [
        (team.other_clerk, Action.SUBMIT),
        (team.dept_head, Action.SUBMIT),
        (other_team.clerk, Action.SUBMIT),
        (other_team.office, Action.SUBMIT),
        (team.leader, Action.LEADER_SIGN),
    ]
    for actor, action in refusals:
        with pytest.raises(TransitionRefused):
            services.revision_transition(actor=actor, revision=revision, action=action)
    revision = advance_revision(team, revision, to=Status.LEADER_REVIEW)
    for actor in (team.secrecy, team.office, team.dept_head, other_team.leader):
        with pytest.raises(TransitionRefused):
            services.revision_transition(actor=actor, revision=revision, action=Action.LEADER_SIGN)
    assert ItemRevision.objects.get(pk=revision.pk).status == Status.LEADER_REVIEW
    assert Item.objects.get(pk=item.pk).title != "修订"


def test_it_refuses_revisions_of_unpublished_items_and_by_outsiders(team, other_team):
    draft = team.draft()
    with pytest.raises(TransitionRefused, match="未发布"):
        services.revision_save(note="测试修订", actor=team.clerk, item=draft, title="修订草稿")
    published = team.published()
    for actor in (team.other_clerk, team.dept_head, team.leader, other_team.clerk, other_team.office):
        with pytest.raises(PermissionDenied):
            services.revision_save(note="测试修订", actor=actor, item=published, title="越权修订")
    with pytest.raises(ValidationError):
        services.revision_save(
            note="测试修订", actor=team.office, item=published, category=category(other_team.agency)
        )
    with pytest.raises(TypeError):
        services.revision_save(note="测试修订", actor=team.clerk, item=published, index_number="X/2025-00009")
    assert not ItemRevision.objects.exists()


def test_it_does_not_apply_a_revision_to_an_item_withdrawn_meanwhile(team):
    item = team.published()
    revision = advance_revision(
        team,
        services.revision_save(note="测试修订", actor=team.clerk, item=item, title="撤回后不应生效"),
        to=Status.LEADER_REVIEW,
    )
    services.item_transition(actor=team.office, item=item, action=Action.WITHDRAW, reason="政策废止")

    with pytest.raises(TransitionRefused, match="不在发布状态"):
        services.revision_transition(actor=team.leader, revision=revision, action=Action.LEADER_SIGN)
    assert ItemRevision.objects.get(pk=revision.pk).status == Status.LEADER_REVIEW
    item.refresh_from_db()
    assert (item.status, item.title) == (Status.WITHDRAWN, "关于做好社会保险工作的通知")


def test_it_takes_an_item_off_the_public_portal_when_a_revision_makes_it_internal(team):
    item = team.published()
    revision = services.revision_save(note="测试修订", actor=team.clerk, item=item, scope=Scope.INTERNAL)
    revision = advance_revision(team, revision, to=Status.LEADER_REVIEW)
    assert Item.objects.public().filter(pk=item.pk).exists()
    advance_revision(team, revision)
    assert not Item.objects.public().filter(pk=item.pk).exists()
    assert Item.objects.internal_published(team.agency.pk).filter(pk=item.pk).exists()


def test_it_hides_revision_attachments_until_the_revision_is_applied(team):
    item = team.published()
    revision = services.revision_save(note="测试修订", actor=team.clerk, item=item, summary="附件更新")
    attachment = services.attachment_add(
        actor=team.clerk, item=item, revision=revision, upload=SimpleUploadedFile("新标准.pdf", PDF)
    )
    attachment_extract(attachment_id=attachment.pk)  # as after the upload's commit: reviewed as read
    assert attachment.revision == revision
    assert list(selectors.live_attachments(item)) == []

    revision = advance_revision(team, revision, to=Status.LEADER_REVIEW)
    assert list(selectors.live_attachments(item)) == []
    with pytest.raises(TransitionRefused):
        services.attachment_add(
            actor=team.clerk, item=item, revision=revision, upload=SimpleUploadedFile("迟到.pdf", PDF)
        )

    advance_revision(team, revision)
    assert list(selectors.live_attachments(item)) == [attachment]
    attachment.refresh_from_db()
    assert attachment.revision is None


def test_it_keeps_attachments_of_a_discarded_revision_hidden(team):
    item = team.published()
    revision = services.revision_save(note="测试修订", actor=team.clerk, item=item, summary="附件更新")
    services.attachment_add(
        actor=team.clerk, item=item, revision=revision, upload=SimpleUploadedFile("草稿附件.pdf", PDF)
    )
    services.revision_transition(actor=team.clerk, revision=revision, action=Action.DISCARD)
    assert list(selectors.live_attachments(item)) == []


def test_it_refuses_a_revision_attachment_for_another_item(team):
    item = team.published("甲")
    other = team.published("乙")
    revision = services.revision_save(note="测试修订", actor=team.clerk, item=item, summary="附件更新")
    with pytest.raises(TransitionRefused):
        services.attachment_add(
            actor=team.clerk, item=other, revision=revision, upload=SimpleUploadedFile("错配.pdf", PDF)
        )
    assert not other.attachments.exists()


def test_it_refuses_a_revision_that_makes_an_item_not_disclosed(team):
    item = team.published()
    with pytest.raises((ValidationError, TransitionRefused, PermissionDenied)):
        services.revision_save(note="测试修订", actor=team.clerk, item=item, disclosure_mode="not_disclosed")
