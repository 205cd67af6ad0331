"""End to end: the disclosure office registers a posted request, forwards it, asks for a correction,
the department drafts a partly-disclosed reply, and the office records its delivery — and at every
step where a person makes the usual mistake, the page comes back with everything they typed.

Issue 13: typed work is never lost (§1), no traps in the office's routine (§3), delivery defaults
to the applicant's chosen way (§4).
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from gongkai.applications import services
from gongkai.applications.identity import make_resident_id
from gongkai.applications.models import Application
from gongkai.applications.workflow import Action
from gongkai.e2e.pages import sign_in, sign_out
from gongkai.testing.world import Team

pytestmark = pytest.mark.browser

DESCRIPTION = "2025年本县就业困难人员认定名单及公示情况"
CORRECTED = "2025年第四季度本县就业困难人员认定名单"
REPLY = "您申请的认定名单中，认定结果部分现予公开，见附表。"


def labelled(page: Page, text: str):
    """A field by the start of its label (labels end in a required mark and a full-width colon)."""
    return page.get_by_label(re.compile(rf"^{re.escape(text)}"))


def status_message(page: Page):
    return page.get_by_role("status")


def test_the_office_handles_a_posted_request_without_losing_a_word(page: Page, live_server):
    team = Team()
    today = timezone.localdate()

    # 1. Registration: 申请方式 and 收到申请日期 first; the phone forgotten in the first round.
    sign_in(page, team.office)
    page.goto("/staff/applications/register/")
    form_labels = page.locator("form label").all_inner_texts()
    first = [text for text in form_labels if text.strip()][:2]
    assert first[0].startswith("申请方式") and first[1].startswith("收到申请日期"), form_labels[:4]
    labelled(page, "申请方式").select_option(label="信函")
    page.get_by_label("公民（自然人）").check()
    labelled(page, "证件类型").select_option(label="居民身份证")
    labelled(page, "证件号码").fill(make_resident_id(datetime.date(1985, 3, 2), seq=17))
    labelled(page, "姓名或组织名称").fill("王演示")
    labelled(page, "通信地址").fill("示范县人民路8号3单元")
    labelled(page, "所需政府信息的内容描述").fill(DESCRIPTION)
    page.get_by_label("纸质", exact=True).check()
    page.get_by_label("邮寄", exact=True).check()
    page.get_by_role("button", name="登记并生成受理回执").click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name=re.compile("联系电话"))).to_be_visible()
    expect(labelled(page, "通信地址")).to_have_value("示范县人民路8号3单元")
    expect(labelled(page, "所需政府信息的内容描述")).to_have_value(DESCRIPTION)
    expect(page.get_by_label("邮寄", exact=True)).to_be_checked()
    labelled(page, "联系电话").fill("13800138000")
    page.get_by_role("button", name="登记并生成受理回执").click()
    expect(status_message(page)).to_contain_text("申请已登记")
    application = Application.objects.get()
    assert application.channel == "post" and application.description == DESCRIPTION

    # The office sees where the reply must be posted, without unmasking anything.
    expect(page.get_by_text("示范县人民路8号3单元")).to_be_visible()

    # 2. Forwarding: no department is chosen for the office; it picks the department.
    department = labelled(page, "承办股室")
    expect(department).to_have_value("")
    department.select_option(label=team.department.name)
    page.get_by_role("button", name="转承办股室").click()
    expect(status_message(page)).to_contain_text("已转承办股室")

    # 3. 补正 after forwarding, within the 7 working days: a period out of range first.
    labelled(page, "需补正的事项").fill("请写明所需名单的季度。")
    labelled(page, "补正期限").fill("40")
    page.get_by_role("button", name="发出补正告知").click()
    # The browser holds the form back (1-30 working days), nothing sent, nothing lost.
    assert labelled(page, "补正期限").evaluate("e => e.validity.rangeOverflow") is True
    expect(labelled(page, "需补正的事项")).to_have_value("请写明所需名单的季度。")
    labelled(page, "补正期限").fill("10")
    page.get_by_role("button", name="发出补正告知").click()
    expect(status_message(page)).to_contain_text("已发出补正告知")

    labelled(page, "补正后的申请内容").fill(CORRECTED)
    page.get_by_role("button", name="收到补正材料").click()
    expect(status_message(page)).to_contain_text("已收到补正材料")
    application.refresh_from_db()
    assert application.status == "forwarded"  # back to the department that had it
    assert application.corrected_description == CORRECTED
    sign_out(page)

    # 4. The clerk drafts a partly-disclosed reply and forgets the reason for withholding.
    sign_in(page, team.clerk)
    page.goto(f"/staff/applications/{application.pk}/")
    labelled(page, "办理结果").select_option(value="partial")
    labelled(page, "答复内容").fill(REPLY)
    page.get_by_role("button", name="保存答复稿").click()
    reply_form = page.locator("#form-reply")
    expect(reply_form.locator(".errorlist")).to_contain_text("须写明不予公开的内容和理由")
    expect(labelled(page, "答复内容")).to_have_value(REPLY)
    expect(labelled(page, "办理结果")).to_have_value("partial")
    labelled(page, "不予公开的内容及理由").fill("名单中的身份证号码属于个人隐私，不予公开。")
    page.get_by_role("button", name="保存答复稿").click()
    expect(status_message(page)).to_contain_text("答复稿已保存")
    sign_out(page)

    # The reviews (their pages have their own journeys).
    def move(actor, action):
        return services.application_transition(
            actor=actor, application=Application.objects.get(pk=application.pk), action=action
        )

    move(team.clerk, Action.SUBMIT_REPLY)
    move(team.dept_head, Action.DEPT_APPROVE)
    move(team.secrecy, Action.SECRECY_APPROVE)
    move(team.leader, Action.LEADER_SIGN)
    assert move(team.office, Action.ISSUE_REPLY).status == "replied"

    # 5. Delivery: the applicant's way (post) is the default; a future date first.
    sign_in(page, team.office)
    page.goto(f"/staff/applications/{application.pk}/")
    reply = application.notices.get(kind="reply")
    delivered = page.locator(f"#form-delivered-{reply.pk}")
    expect(delivered.get_by_label("送达方式")).to_have_value("邮寄")
    expect(delivered).to_contain_text("六十日内申请行政复议")
    delivered.get_by_label("送达日期").fill((today + datetime.timedelta(days=3)).isoformat())
    delivered.get_by_label("送达凭证").fill("EMS 1187654321")
    delivered.get_by_role("button", name="登记送达").click()
    delivered = page.locator(f"#form-delivered-{reply.pk}")
    expect(delivered.locator(".errorlist")).to_contain_text("送达日期应在出具日期")
    expect(delivered.get_by_label("送达凭证")).to_have_value("EMS 1187654321")
    delivered.get_by_label("送达日期").fill(today.isoformat())
    delivered.get_by_role("button", name="登记送达").click()
    expect(status_message(page)).to_contain_text("已记录送达")
    reply.refresh_from_db()
    assert reply.delivered_on == today and reply.delivery_method == "邮寄"
    assert reply.delivery_proof == "EMS 1187654321"
    # A closed case shows no working days left.
    expect(page.get_by_text("剩余工作日")).to_have_count(0)
