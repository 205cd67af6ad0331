"""Issue 13 §1 for the catalogue's staff forms: a refusal gives the page back, nothing typed lost.

A refused review action, an edit posted after the item went to review and a refused upload
answer with the page itself (HTTP 200, not a redirect), the typed values in their fields and the
refusal beside them.
"""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from gongkai.catalogue.models import Item
from gongkai.testing import builders


def form(page: str, form_id: str) -> str:
    match = re.search(rf'<form[^>]*id="{form_id}".*?</form>', page, flags=re.S)
    assert match, f"no form {form_id} on the page"
    return match.group(0)


@pytest.fixture
def in_review(team) -> Item:
    return team.advance(team.draft(), to="dept_review")


def test_a_return_without_a_reason_is_refused_beside_its_field(client, team, in_review):
    client.force_login(team.dept_head)
    response = client.post(
        reverse("catalogue_staff:action", args=[in_review.pk]), {"action": "return", "reason": "   "}
    )

    assert response.status_code == 200
    returned = form(response.content.decode(), "form-return")
    assert "须填写理由" in returned
    assert Item.objects.get(pk=in_review.pk).status == "dept_review"


def test_an_approval_without_the_findings_decision_keeps_the_typed_note(client, team):
    # Personal data in the body: the reviewer must tick the decision; the note typed stays.
    item = team.advance(team.draft(body="<p>联系人手机13923456789。</p>"), to="secrecy_review")
    note = "电话为单位办公电话，可以公开。"
    client.force_login(team.secrecy)
    page = client.get(reverse("catalogue_staff:detail", args=[item.pk])).content.decode()
    seen = re.search(r'name="findings_seen" value="([^"]*)"', page)
    assert seen, "the page asks for a decision on the findings"

    response = client.post(
        reverse("catalogue_staff:action", args=[item.pk]),
        {"action": "secrecy_approve", "reason": "", "findings_note": note, "findings_seen": seen.group(1)},
    )

    assert response.status_code == 200
    approval = form(response.content.decode(), "form-secrecy_approve")
    assert escape(note) in approval
    assert 'class="errorlist' in approval
    assert Item.objects.get(pk=item.pk).status == "secrecy_review"


def test_an_edit_posted_after_the_item_went_to_review_keeps_the_typed_text(client, team):
    item = team.draft()
    client.force_login(team.clerk)
    edit = client.get(reverse("catalogue_staff:edit", args=[item.pk]))
    assert edit.status_code == 200
    team.advance(item, to="dept_review")  # submitted meanwhile (e.g. from another window)

    data = {
        field.name: field.value() or ""
        for field in edit.context["form"]
        if field.name not in ("category",) and not field.is_hidden
    }
    data |= {
        "title": "关于调整城乡居民最低生活保障标准的通知（修改稿）",
        "category": builders.category(team.agency).pk,
        "department": team.department.pk,
        "body": "<p>修改后的正文。</p>",
    }
    response = client.post(reverse("catalogue_staff:edit", args=[item.pk]), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert escape("关于调整城乡居民最低生活保障标准的通知（修改稿）") in page
    assert "状态的信息不能直接修改" in page
    assert Item.objects.get(pk=item.pk).title == builders.TITLE


def test_a_refused_upload_is_explained_beside_the_upload(client, team):
    item = team.draft()
    client.force_login(team.clerk)
    upload = SimpleUploadedFile(
        "说明.exe", b"MZ\x90\x00not a document", content_type="application/octet-stream"
    )
    response = client.post(reverse("catalogue_staff:attachment_upload", args=[item.pk]), {"file": upload})

    assert response.status_code == 200
    page = response.content.decode()
    uploader = re.search(r'<form method="post" enctype="multipart/form-data".*?</form>', page, flags=re.S)
    assert uploader and 'class="errorlist' in uploader.group(0)
    assert not item.attachments.exists()
