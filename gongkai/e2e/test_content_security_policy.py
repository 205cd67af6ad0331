"""End to end: the pages work under the Content-Security-Policy and nothing is loaded from elsewhere.

Chromium reports every blocked script, style, image or connection; a listener installed before any
page script (through DevTools, so the policy does not stop it) turns each `securitypolicyviolation`
event into a console error. The test fails on any such report, any console error and any uncaught
page error, and on any request to another host (no CDN).
"""

import re

import pytest
from playwright.sync_api import Page, expect

from gongkai.e2e.pages import field
from gongkai.testing.factories import PASSWORD, UserFactory
from gongkai.testing.world import Team

pytestmark = pytest.mark.browser

REPORTER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""


class Watch:
    """Console errors, page errors and requests that leave the site, for one page."""

    def __init__(self, page: Page, origin: str) -> None:
        self.problems: list[str] = []
        page.add_init_script(REPORTER)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("request", lambda request: self._request(request.url, origin))
        page.on("response", self._response)

    def _console(self, message) -> None:
        if message.location.get("url", "").endswith("/favicon.ico"):
            return  # Chromium asks every site for one; the site has none
        if message.type == "error" or "Content Security Policy" in message.text:
            self.problems.append(f"console {message.type}: {message.text}")

    def _response(self, response) -> None:
        if response.status >= 400:
            self.problems.append(f"{response.status} for {response.url}")

    def _request(self, url: str, origin: str) -> None:
        if not url.startswith((origin, "data:", "blob:")):
            self.problems.append(f"request to another host: {url}")


def sign_in(page: Page, username: str) -> None:
    page.goto("/staff/login/")
    field(page, "用户名").fill(username)
    field(page, "密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_pages_run_under_the_policy_without_violations(page: Page, live_server):
    watch = Watch(page, live_server.url)
    team = Team()
    team.published("城乡低保对象认定办法", body="<p>本办法所称低保，是指城乡居民最低生活保障。</p>")
    team.published("低保资金发放情况的公告")

    # Public search: the suggestions script fills the datalist from the JSON endpoint.
    page.goto("/")
    with page.expect_response(re.compile(r"/search/suggest/\?q=")) as suggest:
        page.get_by_label("搜索公开信息").fill("低保")
    assert suggest.value.ok
    expect(page.locator("#search-suggestions option").first).to_have_attribute("value", re.compile("低保"))
    page.get_by_role("button", name="搜索").first.click()
    expect(page.get_by_role("heading", level=1, name="搜索公开信息")).to_be_visible()

    # The apply form, the item page and its print view, in large-print mode too.
    page.goto("/apply/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.goto("/items/")
    page.get_by_role("link", name="城乡低保对象认定办法").first.click()
    page.get_by_role("link", name="大字体高对比").click()
    expect(page.get_by_role("heading", level=1, name="城乡低保对象认定办法")).to_be_visible()

    # The API documentation: ninja's bundled Swagger UI renders the operations.
    page.goto("/api/v1/docs")
    page.get_by_text("/api/v1/items", exact=True).first.click()  # open an operation and try it
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    expect(page.locator(".live-responses-table").first).to_be_visible()

    # The staff workbench, signed in through the form.
    sign_in(page, team.office.username)
    expect(page.get_by_role("heading", level=1, name="我的待办")).to_be_visible()
    page.goto("/staff/applications/")
    page.goto("/staff/items/new/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    assert not watch.problems, watch.problems


def test_second_factor_enrolment_runs_under_the_policy(page: Page, live_server, settings):
    settings.GONGKAI_2FA_REQUIRED = True  # the test settings turn it off
    watch = Watch(page, live_server.url)
    leader = Team().leader  # signs off: must use a second factor, so enrolment comes first

    sign_in(page, leader.username)
    expect(page.get_by_role("heading", level=1, name=re.compile("绑定身份验证器"))).to_be_visible()
    expect(page.locator("figure.qr svg")).to_be_visible()  # the QR code: inline SVG, no style
    assert not watch.problems, watch.problems


def test_admin_pages_run_under_the_policy(page: Page, live_server):
    watch = Watch(page, live_server.url)
    team = Team()
    admin = UserFactory.create(is_staff=True, is_superuser=True)

    page.goto("/admin/")
    page.get_by_label(re.compile("用户名")).fill(admin.username)
    page.get_by_label(re.compile("密码")).fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto("/admin/organisation/user/")
    expect(page.locator("#result_list")).to_be_visible()
    page.goto(f"/admin/organisation/user/{team.clerk.pk}/change/")
    expect(page.locator("#content-main form")).to_be_visible()
    page.goto(f"/admin/organisation/agency/{team.agency.pk}/change/")
    expect(page.locator("#content-main form")).to_be_visible()

    assert not watch.problems, watch.problems
