"""Publication history (issue 12, point 8): what the public saw is kept, period by period."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from gongkai.catalogue import history_selectors, services
from gongkai.catalogue.history import version_open
from gongkai.catalogue.models import ItemVersion, VersionCause, VersionEnd
from gongkai.catalogue.reviewed_elsewhere import item_publish_reviewed
from gongkai.catalogue.views.history import BAD_DATE, FUTURE_DATE
from gongkai.catalogue.workflow import Action, Status
from gongkai.testing.builders import extract_attachments
from gongkai.testing.factories import UserFactory
from gongkai.testing.files import minimal_pdf

SHANGHAI = ZoneInfo("Asia/Shanghai")
OLD_TITLE = "关于城乡居民基本养老保险基础养老金标准的通知"
NEW_TITLE = "关于调整城乡居民基本养老保险基础养老金标准的通知"
OLD_BODY = "<p>第一条 基础养老金每人每月150元。</p><p>第二条 自发布之日起施行。</p>"
NEW_BODY = "<p>第一条 基础养老金每人每月170元。</p><p>第二条 自发布之日起施行。</p>"
PUBLISHED = datetime.datetime(2025, 3, 1, 0, 30, tzinfo=SHANGHAI)  # 2025-02-28 16:30 UTC
APPLIED = datetime.datetime(2025, 5, 6, 14, 0, tzinfo=SHANGHAI)
WITHDRAWN = datetime.datetime(2025, 7, 1, 9, 0, tzinfo=SHANGHAI)


def without_screen_reader_words(page: str) -> str:
    """The page without the words that tell screen readers what <del>/<ins> mean."""
    return re.sub(r'<span class="visually-hidden">[^<]*</span>', "", page)


def visible_text(page: str) -> str:
    return re.sub(r"<[^>]+>", "", without_screen_reader_words(page))


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, minimal_pdf(), content_type="application/pdf")


def apply(team, revision):
    """Take a revision through the review chain to its leader's sign-off (it then takes effect)."""
    steps = {
        Status.DRAFT: (team.clerk, Action.SUBMIT),
        Status.DEPT_REVIEW: (team.dept_head, Action.DEPT_APPROVE),
        Status.SECRECY_REVIEW: (team.secrecy, Action.SECRECY_APPROVE),
        Status.LEADER_REVIEW: (team.leader, Action.LEADER_SIGN),
    }
    extract_attachments(revision.item)
    while revision.status != Status.APPLIED:
        actor, action = steps[Status(revision.status)]
        revision = services.revision_transition(actor=actor, revision=revision, action=action)
    return revision


def publish(team, title: str = OLD_TITLE, **fields):
    item = team.draft(title, body=OLD_BODY, **fields)
    services.attachment_add(actor=team.clerk, item=item, upload=pdf("标准表.pdf"))
    return team.advance(item, to="published")


@pytest.fixture
def revised(team):
    """Published 2025-03-01 00:30, revised 2025-05-06 14:00 (new title, body and a file)."""
    with time_machine.travel(PUBLISHED, tick=False):
        item = publish(team)
    with time_machine.travel(APPLIED, tick=False):
        revision = services.revision_save(
            actor=team.clerk, item=item, note="标准调整", title=NEW_TITLE, body=NEW_BODY
        )
        services.attachment_add(actor=team.clerk, item=item, upload=pdf("调整说明.pdf"), revision=revision)
        revision = apply(team, revision)
    return item, revision


@pytest.fixture
def withdrawn(team, revised):
    item, revision = revised
    with time_machine.travel(WITHDRAWN, tick=False):
        services.item_transition(actor=team.office, item=item, action=Action.WITHDRAW, reason="已过时")
    return item, revision


def versions(item) -> list[ItemVersion]:
    return list(ItemVersion.objects.filter(item=item).order_by("number"))


# -- the versions a service writes -------------------------------------------------------------------


def test_it_records_the_first_version_when_the_leader_publishes(team):
    with time_machine.travel(PUBLISHED, tick=False):
        item = publish(team)

    [first] = versions(item)
    assert first.number == 1
    assert first.cause == VersionCause.PUBLISHED
    assert first.published_from == PUBLISHED == item.published_at
    assert first.published_until is None
    assert first.published_by == team.leader
    assert first.is_public
    assert first.content["title"] == OLD_TITLE
    assert first.content["body"] == OLD_BODY
    assert first.content["index_number"] == item.index_number
    assert first.content["category"] == item.category_id
    assert datetime.datetime.fromisoformat(first.content["published_at"]) == PUBLISHED
    assert [a["name"] for a in first.attachments] == ["标准表.pdf"]


def test_drafts_and_review_leave_no_version(team):
    item = team.advance(team.draft(), to="leader_review")

    assert not ItemVersion.objects.filter(item=item).exists()


def test_an_applied_revision_keeps_the_content_it_replaces(team, revised):
    item, revision = revised

    first, second = versions(item)
    assert first.content["title"] == OLD_TITLE
    assert first.content["body"] == OLD_BODY
    assert [a["name"] for a in first.attachments] == ["标准表.pdf"]
    assert first.published_until == APPLIED
    assert first.end == VersionEnd.SUPERSEDED
    assert first.ended_by == team.leader
    assert second.number == 2
    assert second.cause == VersionCause.REVISED
    assert second.revision == revision
    assert second.published_from == APPLIED
    assert second.published_until is None
    assert second.published_by == team.leader
    assert second.content["title"] == NEW_TITLE
    assert datetime.datetime.fromisoformat(second.content["published_at"]) == PUBLISHED  # 发布日期 stays
    assert [a["name"] for a in second.attachments] == ["标准表.pdf", "调整说明.pdf"]


def test_a_revision_in_review_or_discarded_adds_no_version(team):
    item = publish(team)
    revision = services.revision_save(note="测试修订", actor=team.clerk, item=item, title="从未发布的标题")
    services.revision_transition(actor=team.clerk, revision=revision, action=Action.SUBMIT)
    services.revision_transition(actor=team.dept_head, revision=revision, action=Action.DEPT_APPROVE)
    assert len(versions(item)) == 1

    other = team.published("另一条信息")
    dropped = services.revision_save(note="测试修订", actor=team.clerk, item=other, title="放弃的修订")
    services.revision_transition(actor=team.clerk, revision=dropped, action=Action.DISCARD)
    assert [v.content["title"] for v in versions(other)] == ["另一条信息"]


def test_withdrawal_ends_the_public_period(team, withdrawn):
    item, _ = withdrawn

    first, second = versions(item)
    assert second.published_until == WITHDRAWN
    assert second.end == VersionEnd.WITHDRAWN
    assert second.ended_by == team.office
    assert first.end == VersionEnd.SUPERSEDED


def test_filing_changes_nothing_the_public_sees(team):
    item = team.advance(publish(team), to="filed")

    [only] = versions(item)
    assert only.published_until is None


def test_a_change_of_validity_is_a_new_version_and_a_repeat_is_not(team):
    item = publish(team)
    services.item_set_validity(actor=team.office, item=item, validity="repealed", note="被新文件废止")
    services.item_set_validity(actor=team.office, item=item, validity="repealed", note="被新文件废止")
    services.item_set_validity(actor=team.office, item=item, validity="repealed", note="被2025年第8号文废止")

    history = versions(item)
    assert [v.cause for v in history] == [
        VersionCause.PUBLISHED,
        VersionCause.VALIDITY,
        VersionCause.VALIDITY,
    ]
    assert [v.content["validity"] for v in history] == ["valid", "repealed", "repealed"]
    assert history[2].content["validity_note"] == "被2025年第8号文废止"
    assert history[2].published_by == team.office


def test_an_internal_item_has_versions_marked_not_public(team):
    item = team.published("内部工作安排", scope="internal")

    [only] = versions(item)
    assert not only.is_public


def test_a_report_published_and_corrected_elsewhere_has_its_versions(team):
    item = item_publish_reviewed(
        actor=team.leader,
        agency=team.agency,
        item=None,
        title="2024年年报",
        body="<p>正文</p>",
        source_note="年报",
    )
    item_publish_reviewed(
        actor=team.leader,
        agency=team.agency,
        item=item,
        title="2024年年报",
        body="<p>更正</p>",
        source_note="年报",
    )
    services.item_transition(actor=team.office, item=item, action=Action.WITHDRAW, reason="重新核对")
    item_publish_reviewed(
        actor=team.leader,
        agency=team.agency,
        item=item,
        title="2024年年报",
        body="<p>再更正</p>",
        source_note="年报",
    )

    history = versions(item)
    assert [v.cause for v in history] == [
        VersionCause.PUBLISHED,
        VersionCause.REPLACED,
        VersionCause.PUBLISHED,
    ]
    assert [v.content["body"] for v in history] == ["<p>正文</p>", "<p>更正</p>", "<p>再更正</p>"]
    assert history[1].end == VersionEnd.WITHDRAWN
    assert history[2].published_until is None


def test_the_database_allows_one_live_version_per_item(team):
    item = publish(team)

    with pytest.raises(IntegrityError), transaction.atomic():
        version_open(item=item, actor=team.leader, cause=VersionCause.PUBLISHED, at=PUBLISHED)


# -- what the public saw on a date -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "numbers"),
    [
        (datetime.date(2025, 2, 28), []),  # 16:30 UTC that day, but 3月1日 in Beijing
        (datetime.date(2025, 3, 1), [1]),
        (datetime.date(2025, 4, 30), [1]),
        (datetime.date(2025, 5, 6), [1, 2]),  # revised at 14:00
        (datetime.date(2025, 6, 1), [2]),
        (datetime.date(2025, 7, 1), [2]),  # withdrawn at 09:00
        (datetime.date(2025, 7, 2), []),
    ],
)
def test_seen_on_gives_the_versions_live_that_beijing_day(withdrawn, day, numbers):
    item, _ = withdrawn

    seen = history_selectors.seen_on(item, day)

    assert [v.number for v in seen.versions] == numbers
    if day < datetime.date(2025, 3, 1):
        assert seen.first.number == 1
        assert seen.withdrawn is None
    if day > datetime.date(2025, 7, 1):
        assert seen.withdrawn.number == 2


def history_page(client, item, date: str | None = None) -> str:
    url = reverse("catalogue_staff:history", args=[item.pk])
    response = client.get(url, {"date": date} if date is not None else {})
    assert response.status_code == 200
    return response.content.decode()


def test_the_history_page_answers_what_the_public_saw(client, team, withdrawn):
    item, revision = withdrawn
    client.force_login(team.clerk)

    page = history_page(client, item)
    assert "第1版" in page and "第2版" in page
    assert "修订生效" in page and "标准调整" in page  # the revision's note, linked
    assert reverse("catalogue_staff:revision", args=[revision.pk]) in page
    assert "名称、正文、附件" in page  # what version 2 changed
    assert "撤回" in page

    assert "2025年2月28日</strong>，本信息尚未发布" in history_page(client, item, "2025-02-28")
    assert "首次发布于 2025年3月1日 00:30" in history_page(client, item, "2025-02-28")
    during = history_page(client, item, "2025-03-15")
    assert "公众看到的是" in during
    assert reverse("catalogue_staff:version", args=[item.pk, 1]) in during
    assert reverse("catalogue_staff:version", args=[item.pk, 2]) + '"' not in during.split("<h2>版本</h2>")[0]
    changed_that_day = history_page(client, item, "2025-05-06")
    assert "当日内容有变化" in changed_that_day
    after = history_page(client, item, "2025-07-02")
    assert "本信息已撤回（2025年7月1日 09:00）" in after


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2025-02-30", "“2025-02-30”不是有效的日期"),
        ("昨天", "“昨天”不是有效的日期"),
        ("1899-12-31", "“1899-12-31”不是有效的日期"),
        ("2025/03/01", "“2025/03/01”不是有效的日期"),
        ("2099-01-01", "2099年1月1日还没有到"),
    ],
)
def test_a_bad_date_gets_a_chinese_message(client, team, value, message):
    item = publish(team)
    client.force_login(team.office)

    page = history_page(client, item, value)

    assert message in page
    assert (BAD_DATE if "不是" in message else FUTURE_DATE).split("：")[1] in page
    assert 'aria-invalid="true"' in page
    assert "公众看到的是" not in page


def test_an_internal_version_is_not_what_the_public_saw(client, team):
    item = team.published("内部工作安排", scope="internal")
    client.force_login(team.office)

    page = history_page(client, item, datetime.date.today().isoformat())

    assert "本信息未向社会公开，社会公众看不到" in page


# -- one version, and the diff -------------------------------------------------------------------------


def test_a_version_page_shows_the_content_as_it_was_and_what_changed(client, team, revised):
    item, _ = revised
    client.force_login(team.secrecy)

    old = client.get(reverse("catalogue_staff:version", args=[item.pk, 1])).content.decode()
    assert OLD_TITLE in old and "每人每月150元" in old and "标准表.pdf" in old
    assert "调整说明.pdf" not in old
    assert "与第" not in old  # the first version has nothing to compare with

    new = client.get(reverse("catalogue_staff:version", args=[item.pk, 2])).content.decode()
    assert "<del>5</del><ins>7</ins>" in without_screen_reader_words(new)  # 150 → 170
    assert "［删除：</span>5" in new and "［新增：</span>7" in new  # said to screen readers too
    assert "新增：调整说明.pdf" in new
    assert f'<td data-label="第1版" class="textdiff">{OLD_TITLE}</td>' in new
    assert "关于<ins>调整</ins>城乡" in without_screen_reader_words(new)
    assert reverse("catalogue_staff:attachment", args=[item.pk, item.attachments.last().pk]) in new


def test_an_applied_revision_still_shows_what_it_changed(client, team, revised):
    _, revision = revised
    client.force_login(team.leader)

    page = client.get(reverse("catalogue_staff:revision", args=[revision.pk])).content.decode()

    assert OLD_TITLE in visible_text(page) and NEW_TITLE in visible_text(page)
    assert "<del>5</del><ins>7</ins>" in without_screen_reader_words(page)
    assert "标准调整" in page  # the clerk's 修订说明


def test_the_item_page_lists_the_versions(client, team, revised):
    item, _ = revised
    client.force_login(team.clerk)

    page = client.get(reverse("catalogue_staff:detail", args=[item.pk])).content.decode()

    assert "发布历史" in page
    assert reverse("catalogue_staff:history", args=[item.pk]) in page
    assert reverse("catalogue_staff:version", args=[item.pk, 2]) in page


# -- who sees it --------------------------------------------------------------------------------------


def history_urls(item) -> list[str]:
    return [
        reverse("catalogue_staff:history", args=[item.pk]) + "?date=2025-03-15",
        reverse("catalogue_staff:version", args=[item.pk, 1]),
    ]


def test_anonymous_visitors_are_sent_to_sign_in(revised):
    item, _ = revised
    for url in history_urls(item):
        response = Client().get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith(reverse("workbench:login"))


def test_another_agencys_staff_get_404(client, revised, other_team):
    item, _ = revised
    client.force_login(other_team.office)

    for url in history_urls(item):
        assert client.get(url).status_code == 404


def test_someone_without_a_role_is_refused(client, team, revised):
    item, _ = revised
    client.force_login(UserFactory(agency=team.agency))

    for url in history_urls(item):
        assert client.get(url).status_code == 403


def test_own_agency_staff_see_it_never_cached(client, team, revised):
    item, _ = revised
    client.force_login(team.other_clerk)

    for url in history_urls(item):
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" in response.headers["Cache-Control"]


def test_an_unknown_version_is_404(client, team, revised):
    item, _ = revised
    client.force_login(team.office)

    assert client.get(reverse("catalogue_staff:version", args=[item.pk, 3])).status_code == 404


def test_the_public_page_shows_only_the_dates_of_public_versions(team, revised):
    item, _ = revised
    pending = services.revision_save(note="测试修订", actor=team.clerk, item=item, title="尚未发布的修订标题")

    page = Client().get(item.get_absolute_url()).content.decode()

    assert "修订记录" in page
    assert "2025年3月1日</time> 发布" in page
    assert "2025年5月6日</time> 修订" in page
    assert OLD_TITLE not in page  # the replaced text is not shown
    assert pending.changes["title"] not in page
    assert "/staff/items/" not in page


def test_the_public_page_of_an_item_never_revised_has_no_record(team):
    item = publish(team)

    assert "修订记录" not in Client().get(item.get_absolute_url()).content.decode()


def test_withdrawn_and_internal_items_show_the_public_nothing(client, team, withdrawn):
    item, _ = withdrawn
    internal = team.published("内部工作安排", scope="internal")

    assert Client().get(item.get_absolute_url()).status_code == 404
    assert Client().get(internal.get_absolute_url()).status_code == 404
    assert history_selectors.public_history(internal) == []
    client.force_login(team.clerk)  # the internal page, for its own staff: no public record either
    assert "修订记录" not in client.get(internal.get_absolute_url()).content.decode()


def test_an_internal_period_is_not_in_the_public_record(team):
    item = team.published("先内部后公开的安排", scope="internal")
    apply(team, services.revision_save(note="测试修订", actor=team.clerk, item=item, scope="public"))

    first, second = versions(item)
    assert (first.is_public, second.is_public) == (False, True)
    item.refresh_from_db()
    assert history_selectors.public_history(item) == [second]
    assert "修订记录" not in Client().get(item.get_absolute_url()).content.decode()


def test_a_slower_clock_never_ends_a_period_before_it_began(team):
    with time_machine.travel(APPLIED, tick=False):
        item = publish(team)
    with time_machine.travel(PUBLISHED, tick=False):  # another server, its clock behind
        services.item_set_validity(actor=team.office, item=item, validity="repealed", note="已废止")
        services.item_transition(actor=team.office, item=item, action=Action.WITHDRAW, reason="已废止")

    first, second = versions(item)
    assert first.published_until == second.published_from == second.published_until == APPLIED
