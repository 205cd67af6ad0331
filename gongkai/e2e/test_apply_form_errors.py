"""End to end: the application form's fieldset per applicant type and its single round of errors.

With JavaScript (applications/applyform.js) only the chosen applicant type's fieldset shows; a form
with several mistakes comes back once with every mistake listed in an error summary that has the
focus and links to each field.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from gongkai.applications.models import Application
from gongkai.e2e.pages import field
from gongkai.testing.world import Team

pytestmark = pytest.mark.browser


def test_only_the_chosen_applicant_types_fields_show(page: Page, live_server):
    Team()
    page.goto("/apply/")
    citizen = page.locator('fieldset[data-applicant-type="natural"]')
    company = page.locator('fieldset[data-applicant-type="legal"]')
    expect(citizen).to_be_hidden()
    expect(company).to_be_hidden()
    page.get_by_role("radio", name="法人或其他组织").check()
    expect(company).to_be_visible()
    expect(citizen).to_be_hidden()
    expect(field(page, "统一社会信用代码")).to_be_visible()
    page.get_by_role("radio", name="公民（自然人）").check()
    expect(citizen).to_be_visible()
    expect(company).to_be_hidden()
    expect(field(page, "证件号码")).to_be_visible()


def test_every_mistake_is_listed_once_in_a_focused_summary(page: Page, live_server):
    team = Team()
    page.goto("/apply/")
    field(page, "受理机关").select_option(label=team.agency.name)
    page.get_by_role("radio", name="公民（自然人）").check()
    field(page, "姓名或组织名称").fill("张演示")
    field(page, "证件类型").select_option(label="居民身份证")
    field(page, "证件号码").fill("12345")
    field(page, "邮政编码").fill("5299")
    page.get_by_role("radio", name="电子邮件").check()
    # No phone, no e-mail, no description, no medium.
    page.get_by_role("button", name="提交申请").click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    links = summary.get_by_role("link")
    expected = {
        "#id_id_number",
        "#id_phone",
        "#id_postcode",
        "#id_email",
        "#id_description",
        "#id_medium",
    }
    expect(links).to_have_count(len(expected))
    assert {links.nth(i).get_attribute("href") for i in range(len(expected))} == expected
    assert not Application.objects.exists()
    # What was typed is still there; a link takes the reader to its field.
    expect(field(page, "姓名或组织名称")).to_have_value("张演示")
    summary.get_by_role("link", name=re.compile("^联系电话")).click()
    expect(page).to_have_url(re.compile("#id_phone$"))
