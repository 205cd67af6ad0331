"""Attachment text is extracted after the upload commits (never while publishing), retried by
gongkai_tick, and only what a reader sees reaches public search and pages."""

import datetime
import hashlib
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone

from gongkai.catalogue import services
from gongkai.catalogue.models import Attachment, TextState
from gongkai.core.review_findings import Decision
from gongkai.search import extract, extract_worker, index
from gongkai.search import services as extraction
from gongkai.search.extract import DOCX, PDF
from gongkai.search.models import SearchEntry
from gongkai.search.selectors import search_public
from gongkai.testing import attachment_files as files
from gongkai.testing.attachment_files import HIDDEN_ID, HIDDEN_NAME, HIDDEN_PHONE
from gongkai.testing.builders import advance_item, advance_revision

CONFIRMED = Decision(confirmed=True, note="测试：已核对")
HIDDEN = (HIDDEN_NAME, HIDDEN_ID, HIDDEN_PHONE, "隐藏人丙", "13800138000", "隐藏人丁")


def upload(team, item, name: str, data: bytes, capture=None) -> Attachment:
    """Through the service, as a clerk does; with `capture`, the after-commit extraction runs."""
    if capture is None:
        return services.attachment_add(actor=team.clerk, item=item, upload=SimpleUploadedFile(name, data))
    with capture(execute=True):
        attachment = services.attachment_add(
            actor=team.clerk, item=item, upload=SimpleUploadedFile(name, data)
        )
    attachment.refresh_from_db()
    return attachment


def stored(team, item, name: str, data: bytes, content_type: str) -> Attachment:
    """A file already on record (e.g. uploaded before the upload checks refused its shape)."""
    attachment = Attachment(
        item=item,
        original_name=name,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=team.clerk,
    )
    attachment.file.save(name, ContentFile(data), save=False)
    attachment.save()
    return attachment


def publish(team, item):
    """Through the review chain; the reviewers confirm the confidentiality findings (the files here
    hold personal data on purpose)."""
    return advance_item(team, item, to="published", decision=CONFIRMED)


@pytest.fixture
def no_extraction_allowed(monkeypatch):
    """Fails the test if anything extracts a file."""

    def refuse(*args, **kwargs):
        raise AssertionError("extraction ran")

    monkeypatch.setattr(extract_worker, "extract_isolated", refuse)
    monkeypatch.setattr(extraction, "extract_isolated", refuse)
    monkeypatch.setattr(extract, "extract", refuse)


def test_hidden_cells_of_a_published_workbook_reach_neither_search_nor_the_item_page(
    team, client, django_capture_on_commit_callbacks
):
    item = team.draft("2025年度临时救助对象公示")
    attachment = upload(
        team, item, "公示.xlsx", files.xlsx_with_hidden_cells(), django_capture_on_commit_callbacks
    )
    item = publish(team, item)

    assert [hit.item for hit in search_public("公示人乙").hits] == [item]
    for hidden in HIDDEN:
        assert search_public(hidden).hits == [], hidden
    entry = SearchEntry.objects.get(pk=item.pk)
    page = client.get(item.get_absolute_url()).content.decode()
    results = client.get(reverse("search:search"), {"q": "公示人乙"}).content.decode()
    for hidden in HIDDEN:
        assert hidden not in entry.text and hidden not in page and hidden not in results
    # The review reads what the file hides from the attachment, in one place.
    kinds = [part["kind"] for part in attachment.hidden_parts_list]
    assert kinds == ["comment", "hidden_row", "hidden_column", "hidden_sheet", "hidden_sheet"]
    assert attachment.extraction_known and attachment.extraction_state == TextState.DONE


def test_comments_deletions_and_hidden_text_of_a_document_are_not_searchable(
    team, django_capture_on_commit_callbacks
):
    item = team.draft("关于调整补助标准的通知")
    upload(team, item, "通知.docx", files.docx_with_hidden_text(), django_capture_on_commit_callbacks)
    item = publish(team, item)

    assert [hit.item for hit in search_public("插入的可见文字").hits] == [item]
    assert [hit.item for hit in search_public("页脚可见文字").hits] == [item]
    for hidden in (HIDDEN_NAME, HIDDEN_ID, HIDDEN_PHONE, "删除的身份证号", "批注电话"):
        assert search_public(hidden).hits == [], hidden


def test_pdf_annotations_are_not_searchable(team, django_capture_on_commit_callbacks):
    item = team.draft("会议纪要")
    data = files.pdf(["Meeting minutes"], annotations={0: f"注释{HIDDEN_NAME}"})
    attachment = upload(team, item, "纪要.pdf", data, django_capture_on_commit_callbacks)
    publish(team, item)

    assert search_public("Meeting minutes").hits and search_public(HIDDEN_NAME).hits == []
    assert attachment.hidden_parts_list == [
        {"kind": "annotation", "where": "PDF注释（第1页）", "text": f"注释{HIDDEN_NAME}"}
    ]


def test_the_upload_commits_before_its_text_is_extracted(team, django_capture_on_commit_callbacks):
    item = team.draft("通知")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        attachment = services.attachment_add(
            actor=team.clerk, item=item, upload=SimpleUploadedFile("a.xlsx", files.xlsx_with_hidden_cells())
        )
        assert Attachment.objects.get(pk=attachment.pk).extraction_state == TextState.PENDING
    assert len(callbacks) == 1
    callbacks[0]()
    attachment.refresh_from_db()
    assert attachment.extraction_state == TextState.DONE and attachment.extracted_at is not None
    assert "公示人乙" in attachment.visible_text


def test_publishing_never_extracts_even_a_bomb(team, no_extraction_allowed):
    # The 18 KB PDF of 100 pages sharing one 1 MiB stream could never be published.
    item = team.draft("统计表")
    stored(team, item, "统计.pdf", files.pdf_shared_stream_bomb(pages=100, stream_bytes=1024 * 1024), PDF)
    stored(team, item, "名单.docx", files.docx_inflating(8 * 1024 * 1024), DOCX)

    item = publish(team, item)  # leader sign-off commits without reading any file

    # So the publishing transaction is as short as without files, and the write lock citizens'
    # submissions wait for is not held while a file is read.
    assert item.is_public and SearchEntry.objects.filter(pk=item.pk).exists()


def _tick_output() -> str:
    out = io.StringIO()
    call_command("gongkai_tick", stdout=out)
    return out.getvalue()


def test_the_tick_extracts_pending_text_and_refreshes_the_public_entry(team):
    item = team.draft("救助资金统计")
    upload(team, item, "统计.xlsx", files.xlsx_with_hidden_cells())  # its after-commit run never happened
    item = publish(team, item)
    assert search_public("公示人乙").hits == []

    out = _tick_output()

    assert "提取附件文字 1 个" in out
    assert [hit.item for hit in search_public("公示人乙").hits] == [item]
    assert all(search_public(hidden).hits == [] for hidden in HIDDEN)
    assert "提取附件文字" not in _tick_output()  # nothing left


def test_a_run_cut_by_a_crash_is_taken_again_and_given_up_after_three(team):
    item = team.draft("通知")
    attachment = upload(team, item, "a.xlsx", files.xlsx_with_hidden_cells())
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    Attachment.objects.filter(pk=attachment.pk).update(
        extraction_state=TextState.RUNNING, extraction_started_at=long_ago, extraction_attempts=1
    )
    recent = timezone.now()
    other = upload(team, item, "b.xlsx", files.xlsx_with_hidden_cells())
    Attachment.objects.filter(pk=other.pk).update(
        extraction_state=TextState.RUNNING, extraction_started_at=recent, extraction_attempts=1
    )

    assert extraction.attachments_extract_pending() == 1  # the abandoned run; not the one under way
    attachment.refresh_from_db()
    other.refresh_from_db()
    assert (attachment.extraction_state, attachment.extraction_attempts) == (TextState.DONE, 2)
    assert other.extraction_state == TextState.RUNNING

    Attachment.objects.filter(pk=other.pk).update(extraction_started_at=long_ago, extraction_attempts=3)
    assert extraction.attachments_extract_pending() == 0
    other.refresh_from_db()
    assert other.extraction_state == TextState.FAILED


def test_a_revision_attachment_becomes_searchable_when_the_revision_applies(
    team, django_capture_on_commit_callbacks
):
    item = team.published("通知")
    revision = services.revision_save(actor=team.clerk, item=item, note="补充附件")
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_add(
            actor=team.clerk,
            item=item,
            revision=revision,
            upload=SimpleUploadedFile("a.xlsx", files.xlsx_with_hidden_cells()),
        )
    assert search_public("公示人乙").hits == []  # extracted, but the revision is not live yet

    advance_revision(team, revision, decision=CONFIRMED)

    assert [hit.item.pk for hit in search_public("公示人乙").hits] == [item.pk]


def test_a_failing_search_index_never_fails_the_publication(team, monkeypatch):
    def broken(item):
        raise DatabaseError("string is too long for tsvector (1500000 bytes, max 1048575 bytes)")

    item = team.draft("通知")
    monkeypatch.setattr(index, "_sync", broken)

    item = publish(team, item)

    assert item.status == "published" and item.is_public
    assert not SearchEntry.objects.filter(pk=item.pk).exists()  # missing, not stale: check reports it
    monkeypatch.undo()
    call_command("search_index", "update", "--no-progress", stdout=io.StringIO())
    assert SearchEntry.objects.filter(pk=item.pk).exists()


def test_an_image_is_skipped_without_a_worker(team, no_extraction_allowed):
    item = team.draft("通知")
    attachment = stored(team, item, "a.png", b"\x89PNG\r\n\x1a\n", "image/png")
    extraction.attachment_extract(attachment_id=attachment.pk)
    attachment.refresh_from_db()
    assert attachment.extraction_state == TextState.SKIPPED
