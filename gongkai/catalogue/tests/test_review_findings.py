"""保密审查提示: personal data and hidden content stop silent sign-off of items and revisions."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.audit.models import AuditEvent
from gongkai.catalogue import review, services
from gongkai.catalogue.models import Item
from gongkai.catalogue.workflow import Action, Status, TransitionRefused
from gongkai.core.review_findings import DECISION_MISSING, Decision, fingerprint
from gongkai.testing.builders import advance_item

MOBILE = "13812345678"
BODY = f"<p>经研究，同意张三（联系电话：{MOBILE}）的申请。</p>"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx_with_hidden_rows() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "汇总"
    sheet.append(["项目", "人数"])
    sheet.append(["城乡居民养老保险", 1200])
    sheet.append(["张三", "11010519491231002X", MOBILE])
    sheet.row_dimensions[3].hidden = True
    names = book.create_sheet("名单")
    names.append(["李四", "13900001111"])
    names.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_name_and_mobile_in_the_body_no_longer_pass_the_reviews_silently(team):
    item = advance_item(team, team.draft(body=BODY), to="secrecy_review")
    with pytest.raises(TransitionRefused) as refused:
        services.item_transition(actor=team.secrecy, item=item, action=Action.SECRECY_APPROVE)
    assert refused.value.message == DECISION_MISSING
    assert Item.objects.get(pk=item.pk).status == Status.SECRECY_REVIEW
    # An unticked box is no decision either.
    with pytest.raises(TransitionRefused):
        services.item_transition(
            actor=team.secrecy, item=item, action=Action.SECRECY_APPROVE, decision=Decision(confirmed=False)
        )


def test_with_the_decision_recorded_it_publishes_and_the_audit_shows_it(team):
    item = advance_item(team, team.draft(body=BODY), to="secrecy_review")
    [finding] = review.item_findings(item)
    assert (finding.where, finding.label, finding.count) == ("正文", "手机号码", 1)
    assert MOBILE not in finding.excerpts[0] and "138****5678" in finding.excerpts[0]

    item = services.item_transition(
        actor=team.secrecy,
        item=item,
        action=Action.SECRECY_APPROVE,
        decision=Decision(confirmed=True, note="经本人同意公开", seen=fingerprint([finding])),
    )
    with pytest.raises(TransitionRefused):  # the leader decides for themself
        services.item_transition(actor=team.leader, item=item, action=Action.LEADER_SIGN)
    item = services.item_transition(
        actor=team.leader, item=item, action=Action.LEADER_SIGN, decision=Decision(confirmed=True)
    )
    assert item.status == Status.PUBLISHED
    events = {e.action: e.data for e in AuditEvent.objects.filter(target_id=str(item.pk))}
    secrecy = events["item_secrecy_approve"]
    assert secrecy["findings_note"] == "经本人同意公开"
    assert [f["label"] for f in secrecy["findings_acknowledged"]] == ["手机号码"]
    assert MOBILE not in str(secrecy)
    assert events["item_leader_sign"]["findings_acknowledged"][0]["where"] == "正文"


def test_an_item_without_findings_needs_no_decision(team):
    item = team.published(body="<p>本通知自印发之日起施行。粤人社发〔2025〕3号，2025-11-30。</p>")
    assert item.status == Status.PUBLISHED
    assert "findings_acknowledged" not in AuditEvent.objects.get(action="item_leader_sign").data


def test_a_decision_taken_on_other_findings_is_refused(team):
    item = advance_item(team, team.draft(body=BODY), to="secrecy_review")
    with pytest.raises(TransitionRefused) as refused:
        services.item_transition(
            actor=team.secrecy,
            item=item,
            action=Action.SECRECY_APPROVE,
            decision=Decision(confirmed=True, seen=fingerprint([])),
        )
    assert "刷新" in refused.value.message


def test_the_review_page_lists_findings_and_a_post_without_the_decision_is_refused(client, team):
    item = advance_item(team, team.draft(title="关于张三13812345678的答复", body=BODY), to="secrecy_review")
    client.force_login(team.secrecy)
    url = reverse("catalogue_staff:detail", args=[item.pk])
    page = client.get(url).content.decode()
    assert "保密审查提示" in page and "已核对上述提示，确认可以公开" in page
    assert "标题" in page and "正文" in page and "138****5678" in page

    action = reverse("catalogue_staff:action", args=[item.pk])
    response = client.post(action, {"action": "secrecy_approve"}, follow=True)
    assert DECISION_MISSING in response.content.decode()
    assert Item.objects.get(pk=item.pk).status == Status.SECRECY_REVIEW

    seen = fingerprint(review.item_findings(item))
    client.post(action, {"action": "secrecy_approve", "findings_confirmed": "on", "findings_seen": seen})
    assert Item.objects.get(pk=item.pk).status == Status.LEADER_REVIEW
    client.force_login(team.leader)
    page = client.get(url).content.decode()
    assert "保密审查提示" in page and "已核对2项保密审查提示" in page


def test_hidden_xlsx_content_shows_on_the_review_page(client, team, django_capture_on_commit_callbacks):
    item = team.draft()
    upload = SimpleUploadedFile("名单.xlsx", _xlsx_with_hidden_rows(), content_type=XLSX_TYPE)
    with django_capture_on_commit_callbacks(execute=True):  # the text is extracted after the commit
        services.attachment_add(actor=team.clerk, item=item, upload=upload)
    item = advance_item(team, item, to="secrecy_review")
    findings = review.item_findings(item)
    labels = {(f.where, f.label) for f in findings}
    assert ("附件“名单.xlsx”", "隐藏工作表") in labels
    assert ("附件“名单.xlsx”", "隐藏行") in labels
    assert any(
        f.where == "附件“名单.xlsx”：工作表“汇总”第3行（隐藏行）" and f.label == "居民身份证号码"
        for f in findings
    )

    client.force_login(team.secrecy)
    page = client.get(reverse("catalogue_staff:detail", args=[item.pk])).content.decode()
    assert "隐藏工作表" in page and "隐藏行" in page
    for secret in ("11010519491231002X", MOBILE, "13900001111"):
        assert secret not in page
    with pytest.raises(TransitionRefused):
        services.item_transition(actor=team.secrecy, item=item, action=Action.SECRECY_APPROVE)


def test_a_revision_with_personal_data_needs_the_decision_too(client, team):
    item = team.published()
    revision = services.revision_save(actor=team.clerk, item=item, note="补充", body=BODY)
    for actor, action in ((team.clerk, Action.SUBMIT), (team.dept_head, Action.DEPT_APPROVE)):
        revision = services.revision_transition(actor=actor, revision=revision, action=action)
    with pytest.raises(TransitionRefused):
        services.revision_transition(actor=team.secrecy, revision=revision, action=Action.SECRECY_APPROVE)

    client.force_login(team.secrecy)
    page = client.get(reverse("catalogue_staff:revision", args=[revision.pk])).content.decode()
    assert "保密审查提示" in page and "138****5678" in page and MOBILE not in page.split("修改内容")[0]

    decision = Decision(confirmed=True, note="已征得同意")
    revision = services.revision_transition(
        actor=team.secrecy, revision=revision, action=Action.SECRECY_APPROVE, decision=decision
    )
    revision = services.revision_transition(
        actor=team.leader, revision=revision, action=Action.LEADER_SIGN, decision=decision
    )
    assert revision.status == Status.APPLIED
    event = AuditEvent.objects.get(action="revision_leader_sign")
    assert event.data["findings_acknowledged"][0]["label"] == "手机号码"


def test_an_attachment_not_yet_extracted_is_a_finding(team):
    item = team.draft()
    upload = SimpleUploadedFile("统计表.xlsx", _xlsx_with_hidden_rows(), content_type=XLSX_TYPE)
    services.attachment_add(actor=team.clerk, item=item, upload=upload)  # extraction waits for the commit
    item = advance_item(team, item, to="secrecy_review")
    assert [(f.where, f.label) for f in review.item_findings(item)] == [
        ("附件“统计表.xlsx”", "附件内容尚未检查完毕")
    ]
    with pytest.raises(TransitionRefused):
        services.item_transition(actor=team.secrecy, item=item, action=Action.SECRECY_APPROVE)
