"""End to end: a citizen applies online, gets the receipt, and later sees the reply on the query page."""

import datetime
import re
import tempfile
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from gongkai.applications import services
from gongkai.applications.clockview import case_clock
from gongkai.applications.identity import ID_CHECK_MESSAGE, make_resident_id
from gongkai.applications.models import Application
from gongkai.applications.workflow import Action
from gongkai.e2e.pages import field
from gongkai.testing.world import Team

pytestmark = pytest.mark.browser

# Screenshots for a person to look at after a run: /tmp/gongkai-apply.png, /tmp/gongkai-status.png.
SCREENSHOTS = Path(tempfile.gettempdir())
DESCRIPTION = "2025年度县本级城乡居民基本养老保险基金收支情况"
PHONE = "13800001234"


def cn_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def wrong_check_digit(number: str) -> str:
    digits = "0123456789X"
    return number[:17] + digits[(digits.index(number[17]) + 1) % len(digits)]


def handle_quickly(team: Team, application: Application) -> Application:
    """The office forwards, the department drafts 'disclosed', the review chain passes, the office replies."""

    def move(actor, action, **kwargs):
        return services.application_transition(actor=actor, application=application, action=action, **kwargs)

    application = move(team.office, Action.FORWARD, department=team.department)
    application = services.reply_draft_save(
        actor=team.clerk,
        application=application,
        outcome_code="disclosed",
        reply_text="您申请的基金收支情况已在本局网站公开，现随本答复书提供该文件。",
    )
    application = move(team.clerk, Action.SUBMIT_REPLY)
    application = move(team.dept_head, Action.DEPT_APPROVE)
    application = move(team.secrecy, Action.SECRECY_APPROVE)
    assert application.status == "approved"
    return move(team.office, Action.ISSUE_REPLY)


def test_a_citizen_applies_gets_the_receipt_and_later_sees_the_reply(page: Page, live_server):
    team = Team()
    resident_id = make_resident_id(datetime.date(1988, 5, 17), seq=321)

    # Home page → 依申请公开 → the online form.
    page.goto("/")
    page.get_by_role("navigation", name="政务公开栏目").get_by_role("link", name="依申请公开").click()
    expect(page.get_by_role("heading", level=1, name="政府信息公开申请")).to_be_visible()

    field(page, "受理机关").select_option(label=team.agency.name)
    page.get_by_role("radio", name="公民（自然人）").check()
    field(page, "姓名或组织名称").fill("张演示")
    field(page, "证件类型").select_option(label="居民身份证")
    field(page, "证件号码").fill(wrong_check_digit(resident_id))
    field(page, "联系电话").fill(PHONE)
    field(page, "通信地址").fill("示范县人民路100号（演示）")
    field(page, "电子邮箱").fill("demo01@example.com")
    field(page, "所需政府信息的内容描述").fill(DESCRIPTION)
    page.get_by_role("radio", name="电子", exact=True).check()
    page.get_by_role("radio", name="电子邮件").check()

    # A wrong check digit: a Chinese message, nothing stored, everything else still filled in.
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_text(ID_CHECK_MESSAGE, exact=True)).to_be_visible()
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.get_by_role("status")).to_contain_text("申请未提交")
    assert not Application.objects.exists()
    expect(field(page, "受理机关")).to_have_value(str(team.agency.pk))
    expect(page.get_by_role("radio", name="公民（自然人）")).to_be_checked()
    expect(field(page, "姓名或组织名称")).to_have_value("张演示")
    expect(field(page, "证件类型")).to_have_value("resident_id")
    expect(field(page, "证件号码")).to_have_value(wrong_check_digit(resident_id))
    expect(field(page, "联系电话")).to_have_value(PHONE)
    expect(field(page, "电子邮箱")).to_have_value("demo01@example.com")
    expect(field(page, "所需政府信息的内容描述")).to_have_value(DESCRIPTION)
    expect(page.get_by_role("radio", name="电子邮件")).to_be_checked()
    page.screenshot(path=SCREENSHOTS / "gongkai-apply.png", full_page=True)

    # Corrected: the receipt page with the query code and the due date.
    field(page, "证件号码").fill(resident_id)
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_role("heading", level=1, name="申请已提交")).to_be_visible()
    application = Application.objects.get()
    assert application.id_number == resident_id and application.channel == "online"
    receipt = page.get_by_role("status")
    expect(receipt).to_contain_text(f"您的查询码：{application.query_code}")
    expect(receipt).to_contain_text(f"答复期限：不晚于 {cn_date(case_clock(application).due)}")

    # The receipt opens in the browser, ready to print (inline, not a download).
    link = page.get_by_role("link", name="下载受理回执（PDF）")
    pdf = page.context.request.get(link.get_attribute("href") or "")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"].startswith("inline")
    assert quote(f"受理回执-{application.query_code}.pdf") in pdf.headers["content-disposition"]
    assert pdf.body().startswith(b"%PDF")

    # Staff handle it (through the services; the staff pages have their own journeys).
    application = handle_quickly(team, application)
    assert application.status == "replied"

    # Later: home → 查询办理进度, with the code and the last four digits of the phone.
    page.goto("/")
    page.get_by_role("link", name="查询办理进度").click()
    expect(page.get_by_role("heading", level=1, name="查询申请办理进度")).to_be_visible()
    field(page, "查询码").fill(application.query_code)
    field(page, "联系电话后四位").fill(PHONE[-4:])
    page.get_by_role("button", name="查询").click()
    result = page.get_by_role("region", name="办理情况")
    status_row = result.get_by_role("row").filter(has=page.get_by_role("rowheader", name="状态"))
    expect(status_row).to_contain_text("已答复")
    assert application.replied_on is not None
    expect(result).to_contain_text(f"答复日期{cn_date(application.replied_on)}")
    page.screenshot(path=SCREENSHOTS / "gongkai-status.png", full_page=True)

    # The satisfaction form under the reply.
    result.get_by_role("radio", name="满意", exact=True).check()
    result.get_by_label(re.compile("^意见建议")).fill("答复及时，谢谢。")
    result.get_by_role("button", name="提交评价").click()
    expect(page.get_by_role("status")).to_contain_text("感谢您的评价")
    expect(page.get_by_text("您已评价，感谢您的反馈。")).to_be_visible()
    application.refresh_from_db()
    assert application.satisfaction.rating == "satisfied"
    assert application.satisfaction.comment == "答复及时，谢谢。"
