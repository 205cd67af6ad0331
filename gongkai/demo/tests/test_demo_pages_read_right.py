"""Every page a visitor or the office can reach by following links in the demo reads as Chinese UI
should: no label or message with an ASCII colon after Chinese text (“申请人：” not “申请人:”), and no
page that answers with a server error.

The pages are found by following links from the home page (anonymous) and from 我的待办 (signed
in), so a new page is covered as soon as something links to it.
"""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest

from gongkai.organisation.models import User

pytestmark = pytest.mark.django_db

ASCII_COLON_AFTER_CHINESE = re.compile(r"[\u4e00-\u9fff）》”」][ \t]*:(?![/\d])")
# Links not to follow: files, feeds, machine endpoints, sign-out, the Django admin (its own UI).
SKIP = re.compile(
    r"^/(api/|admin/|static/|media/|feeds/|sitemap\.xml|healthz|readyz|staff/logout)"
    r"|/attachments?/|\.(pdf|docx|xlsx|csv|xml|rss|atom|json|zip)$|/(pdf|docx|xlsx|download|file)/?$|/files?/\d+/"
)
MAX_PAGES = 160


VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
# Not UI text: scripts and styles, typed text, and published documents (class "article"), which
# keep their authors' punctuation.
NOT_UI = frozenset({"script", "style", "template", "textarea"})


class _Page(HTMLParser):
    """The visible UI text and the same-site links of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[str] = []
        self._hidden: list[bool] = []  # per open element: is its text not UI text?

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a":
            self.links.append(attributes.get("href") or "")
        if tag in VOID:
            return
        classes = (attributes.get("class") or "").split()
        inherited = bool(self._hidden) and self._hidden[-1]
        self._hidden.append(inherited or tag in NOT_UI or "article" in classes)

    def handle_endtag(self, tag):
        if tag not in VOID and self._hidden:
            self._hidden.pop()

    def handle_data(self, data):
        if not (self._hidden and self._hidden[-1]):
            self.text.append(data)


def _crawl(client, start: str) -> dict[str, str]:
    """Path → visible text of every HTML page reached from ``start`` (at most MAX_PAGES)."""
    seen: dict[str, str] = {}
    queue = deque([start])
    while queue and len(seen) < MAX_PAGES:
        path = queue.popleft()
        if path in seen:
            continue
        response = client.get(path)
        assert response.status_code < 500, (path, response.status_code)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            seen[path] = ""
            continue
        parser = _Page()
        parser.feed(response.content.decode())
        seen[path] = " ".join(parser.text)
        for href in parser.links:
            target = urlsplit(urljoin(path, href))
            if target.scheme or target.netloc or not target.path.startswith("/"):
                continue
            link = target.path + (f"?{target.query}" if target.query else "")
            if not SKIP.search(target.path) and link not in seen:
                queue.append(link)
    return seen


def _offending(pages: dict[str, str]) -> list[tuple[str, str]]:
    found = []
    for path, text in pages.items():
        for match in ASCII_COLON_AFTER_CHINESE.finditer(text):
            found.append((path, text[max(0, match.start() - 20) : match.end() + 10]))
    return found


def test_public_pages_use_chinese_colons_and_never_fail(demo, client):
    pages = _crawl(client, "/")
    assert len(pages) > 30
    assert _offending(pages) == [], "\n".join(map(str, _offending(pages)))


@pytest.mark.parametrize("username", ["hrss-office", "hrss-clerk", "mz-office"])
def test_staff_pages_use_chinese_colons_and_never_fail(demo, client, username):
    client.force_login(User.objects.get(username=username))
    pages = _crawl(client, "/staff/")
    assert len(pages) > 10
    assert _offending(pages) == [], "\n".join(map(str, _offending(pages)))


def test_the_colon_check_sees_a_label_with_an_ascii_colon():
    parser = _Page()
    parser.feed(
        '<label for="x">申请人:</label><script>var a = {申请: 1}</script><p>时间 08:30<br></p>'
        '<div class="article"><p>原文如下:</p></div><p>查询码：A1</p>'
    )
    text = " ".join(parser.text)
    assert "原文如下" not in text and "查询码：A1" in text
    assert [found for _, found in _offending({"/x": text})] == ["申请人: 时间 08:30 "]
