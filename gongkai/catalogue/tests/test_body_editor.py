"""The 正文 editor on the staff pages (issue 13, point 11): the vendored editor is served by the app,
the textarea still works without it, plain-text bodies show and edit as paragraphs, and what comes
back is sanitised on the server. The typing itself is tested in the browser (gongkai/e2e)."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from gongkai.catalogue.models import Item

VENDOR = "catalogue/vendor/jodit/"
PLAIN_BODY = "第一段：现将标准通知如下。\n第二段 A & B，a<b 时取小者。"


def form_data(item: Item, **changes) -> dict:
    return {
        "title": item.title,
        "category": item.category_id,
        "department": item.department_id,
        "body": item.body,
        "publisher": item.publisher,
        "genre": item.genre,
        "document_type": item.document_type,
        "disclosure_mode": item.disclosure_mode,
        "scope": item.scope,
        **changes,
    }


@pytest.fixture
def plain_draft(team) -> Item:
    """A draft whose body was stored as plain text (before the editor, or by an import)."""
    item = team.draft("旧系统导入的信息")
    Item.objects.filter(pk=item.pk).update(body=PLAIN_BODY)
    item.refresh_from_db()
    return item


def pages(team, item) -> list[str]:
    revision_item = team.published("已发布的信息")
    return [
        reverse("catalogue_staff:create"),
        reverse("catalogue_staff:edit", args=[item.pk]),
        reverse("catalogue_staff:revise", args=[revision_item.pk]),
    ]


def test_the_editor_pages_load_the_vendored_editor_and_nothing_from_elsewhere(client, team, plain_draft):
    client.force_login(team.clerk)
    for url in pages(team, plain_draft):
        response = client.get(url)
        page = response.content.decode()

        assert f'<script src="/static/{VENDOR}jodit.min.js" defer>' in page, url
        assert '<script src="/static/catalogue/body_editor.js" defer>' in page, url
        assert f'href="/static/{VENDOR}jodit.min.css"' in page, url
        assert re.search(r'<textarea name="body"[^>]*data-rich-text', page), url
        assert not re.search(r'(src|href)="(https?:)?//', page), url  # no CDN
        # The editor's <style> elements get this response's nonce, and only these pages have one.
        nonce = re.search(r'data-style-nonce="([^"]+)"', page).group(1)
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"], url
    assert "nonce-" not in client.get(reverse("catalogue_staff:list"))["Content-Security-Policy"]


def test_the_vendored_files_are_served_with_their_licence_recorded():
    for name in ("jodit.min.js", "jodit.min.css", "LICENSE.txt", "VENDORED.md"):
        assert finders.find(VENDOR + name), name
    readme = Path(finders.find(VENDOR + "VENDORED.md")).read_text(encoding="utf-8")
    assert "Version: 4.15.13" in readme and "Licence: MIT" in readme
    assert (
        "Permission is hereby granted, free of charge"
        in Path(finders.find(VENDOR + "LICENSE.txt")).read_text()
    )
    script = Path(finders.find("catalogue/body_editor.js")).read_text(encoding="utf-8")
    assert '"source,' in script  # no raw-HTML view for the clerk (and no beautifier from a CDN)


def test_editing_a_plain_text_body_gives_paragraphs_never_escaped_tags(client, team, plain_draft):
    client.force_login(team.clerk)

    page = client.get(reverse("catalogue_staff:edit", args=[plain_draft.pk])).content.decode()

    textarea = re.search(r'<textarea name="body"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    # Escaped once, as any textarea content is: the editor (or the browser) reads <p>…</p>.
    assert textarea.strip() == (
        "&lt;p&gt;第一段：现将标准通知如下。&lt;/p&gt;\n"
        "&lt;p&gt;第二段 A &amp;amp; B，a&amp;lt;b 时取小者。&lt;/p&gt;"
    )
    assert "&amp;lt;p&amp;gt;" not in page


def test_editing_an_html_body_loads_it_as_it_is(client, team):
    item = team.draft("有格式的信息", body="<h2>标题</h2><ul><li>一</li></ul>")
    client.force_login(team.clerk)

    page = client.get(reverse("catalogue_staff:edit", args=[item.pk])).content.decode()

    assert "&lt;h2&gt;标题&lt;/h2&gt;&lt;ul&gt;&lt;li&gt;一&lt;/li&gt;&lt;/ul&gt;</textarea>" in page
    assert "&amp;lt;" not in page


def test_without_the_editor_typed_lines_are_saved_as_paragraphs(client, team, plain_draft):
    client.force_login(team.clerk)

    response = client.post(
        reverse("catalogue_staff:edit", args=[plain_draft.pk]),
        form_data(plain_draft, body="第一行\r\n\r\n第二行 <script 未闭合"),
    )

    assert response.status_code == 302
    assert Item.objects.get(pk=plain_draft.pk).body == "<p>第一行</p>\n<p>第二行 &lt;script 未闭合</p>"


def test_a_pasted_body_is_sanitised_on_the_server(client, team, plain_draft):
    client.force_login(team.clerk)
    posted = (
        '<p class="MsoNormal" style="mso-line-height-rule:exactly">'
        '<span style="font-family:宋体">正文</span></p>'
        "<h2>标题</h2><ol><li>一</li></ol><table><tbody><tr><td>格</td></tr></tbody></table>"
        '<script>alert(1)</script><img src="x" onerror="alert(2)">'
    )

    client.post(reverse("catalogue_staff:edit", args=[plain_draft.pk]), form_data(plain_draft, body=posted))

    assert Item.objects.get(pk=plain_draft.pk).body == (
        "<p>正文</p><h2>标题</h2><ol><li>一</li></ol><table><tbody><tr><td>格</td></tr></tbody></table>"
    )


def test_a_plain_text_body_reads_as_paragraphs_everywhere(client, team):
    item = team.published("旧系统导入的公开信息")
    Item.objects.filter(pk=item.pk).update(body=PLAIN_BODY)
    expected = "<p>第一段：现将标准通知如下。</p>\n<p>第二段 A &amp; B，a&lt;b 时取小者。</p>"

    for url in (item.get_absolute_url(), reverse("catalogue:print", args=[item.pk])):
        assert expected in client.get(url).content.decode(), url
    client.force_login(team.clerk)
    assert expected in client.get(reverse("catalogue_staff:detail", args=[item.pk])).content.decode()
