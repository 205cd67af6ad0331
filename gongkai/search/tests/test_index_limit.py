"""An entry holds at most what PostgreSQL's tsvector can (cut and marked truncated), so publishing
never fails for the size of a text, on either database; the command reports cut entries and survives
files built to exhaust the reader."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from gongkai.catalogue import services
from gongkai.catalogue.models import TextState
from gongkai.search.extract import DOCX, PDF
from gongkai.search.index_limit import INDEX_BUDGET_BYTES, TSVECTOR_MAX_BYTES, cap_text, tsvector_bytes
from gongkai.search.models import SearchEntry
from gongkai.search.selectors import search_public
from gongkai.search.tests.test_extraction_service import publish, stored
from gongkai.search.text import tokens
from gongkai.testing import attachment_files as files


def test_a_text_within_the_budget_is_kept_whole():
    text = "城乡低保标准每人每月800元。" * 2000
    assert cap_text(text, tokens) == (text, False)


def test_a_text_of_distinct_bigrams_is_cut_below_the_tsvector_limit():
    text = files.distinct_bigram_text(150_000)
    assert tsvector_bytes(tokens(text)) > TSVECTOR_MAX_BYTES  # what failed publishing on PostgreSQL

    capped, truncated = cap_text(text, tokens)

    assert truncated and text.startswith(capped)
    assert tsvector_bytes(tokens(capped)) <= INDEX_BUDGET_BYTES
    assert len(capped) > 50_000  # most of what fits is kept


def test_an_item_whose_attachment_holds_150000_distinct_characters_is_published(
    team, django_capture_on_commit_callbacks
):
    text = files.distinct_bigram_text(150_000)
    item = team.draft("统计资料汇编")
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_add(
            actor=team.clerk, item=item, upload=SimpleUploadedFile("汇编.docx", files.docx_of(text))
        )
    assert item.attachments.get().extraction_state == TextState.DONE

    item = publish(team, item)  # random characters may read as an address: the reviewers confirm

    entry = SearchEntry.objects.get(pk=item.pk)
    assert item.is_public and entry.truncated
    assert [hit.item for hit in search_public(text[100:110]).hits] == [item]  # the kept head is found
    out = io.StringIO()
    call_command("search_index", "check", stdout=out)
    assert "文字过长而只索引了前一部分的条目 1 条" in out.getvalue()


def test_a_long_body_is_capped_too(team):
    item = publish(team, team.draft("长正文", body=f"<p>{files.distinct_bigram_text(150_000)}</p>"))
    assert SearchEntry.objects.get(pk=item.pk).truncated


@pytest.mark.django_db
def test_rebuild_extracts_waiting_attachments_and_survives_bombs(team, settings):
    settings.ATTACHMENT_TEXT_MAX_SECONDS = 2
    settings.ATTACHMENT_TEXT_MAX_UNPACKED_BYTES = 2 * 1024 * 1024
    item = team.draft("统计表")
    stored(team, item, "a.pdf", files.pdf_distinct_streams_bomb(pages=30, stream_bytes=1024 * 1024), PDF)
    stored(team, item, "b.docx", files.docx_inflating(16 * 1024 * 1024), DOCX)
    stored(team, item, "c.pdf", files.pdf(["Readable summary page"]), PDF)
    item = publish(team, item)

    out = io.StringIO()
    call_command("search_index", "rebuild", "--no-progress", stdout=out, stderr=io.StringIO())

    assert "提取附件文字 3 个" in out.getvalue()
    states = dict(item.attachments.values_list("original_name", "extraction_state"))
    assert states == {"a.pdf": "truncated", "b.docx": "truncated", "c.pdf": "done"}
    assert [hit.item for hit in search_public("Readable summary").hits] == [item]
    assert [hit.item for hit in search_public("开头可见文字").hits] == [item]
    out = io.StringIO()
    call_command("search_index", "check", stdout=out)
    assert "公开信息的附件文字：已提取（达到上限，未读完） 2 个。" in out.getvalue()
