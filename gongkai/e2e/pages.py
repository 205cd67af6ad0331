"""What the browser journeys share: finding a field by its label, signing staff in and out."""

import re

from playwright.sync_api import Page, expect

from gongkai.testing.factories import PASSWORD


def field(page: Page, label: str):
    """A form field by its label: a required one has "*", then Django's full-width colon."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}\*?[:：]?$"))


def sign_in(page: Page, user) -> None:
    """Sign ``user`` in (the test password) and wait for 我的待办."""
    page.goto("/staff/login/")
    field(page, "用户名").fill(user.username)
    field(page, "密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", level=1, name="我的待办")).to_be_visible()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="退出").click()
    expect(page.get_by_role("link", name="工作人员登录")).to_be_visible()
