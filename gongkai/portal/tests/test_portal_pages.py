"""The public 政务公开专栏 as an anonymous visitor sees it: server-rendered, no JavaScript."""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from gongkai.catalogue import services
from gongkai.testing.factories import category
from gongkai.testing.files import minimal_pdf

PDF_BYTES = minimal_pdf()
COLUMNS = {
    "guide": "政府信息公开指南",
    "rules": "政府信息公开制度",
    "statutory": "法定主动公开内容",
    "annual-reports": "政府信息公开年报",
}
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def page(client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content.decode(), "html.parser")


def title_of(soup: BeautifulSoup) -> str:
    return soup.title.get_text(strip=True)


def h1_of(soup: BeautifulSoup) -> str:
    return soup.h1.get_text(" ", strip=True)


def full_title(text: str) -> str:
    return f"{text} - {django_settings.GONGKAI_PLATFORM_NAME}"


def listed_titles(soup: BeautifulSoup) -> list[str]:
    """The item titles in the list table of /items/."""
    return [row.td.a.get_text(strip=True) for row in soup.select("table.list tbody tr")]


def test_it_renders_the_home_page_with_the_standard_columns(client, team):
    soup = page(client, reverse("portal:home"))

    assert title_of(soup) == full_title("政务公开")
    assert h1_of(soup) == "政务公开专栏"
    headings = [h.get_text(strip=True) for h in soup.select("section.panel h2")]
    assert headings == [*COLUMNS.values(), "依申请公开"]
    links = {a["href"] for a in soup.select("section.panel h2 a")}
    assert links == {*(f"/column/{slug}/" for slug in COLUMNS), "/apply/"}
    assert team.agency.name in soup.get_text()


def test_it_lists_the_latest_published_items_on_the_home_page(client, team):
    guide = team.published("本局政府信息公开指南", category=category(team.agency, "政府信息公开指南"))
    rules = team.published("本局政务公开工作制度", category=category(team.agency, "政府信息公开制度"))

    soup = page(client, "/")

    guide_panel = soup.find(id="col-guide").parent
    rules_panel = soup.find(id="col-rules").parent
    assert guide.title in guide_panel.get_text()
    assert rules.title not in guide_panel.get_text()
    assert rules.title in rules_panel.get_text()
    assert soup.find("a", href=guide.get_absolute_url())


@pytest.mark.parametrize("slug", COLUMNS)
def test_it_renders_each_column_page(client, team, slug):
    label = COLUMNS[slug]
    names = {"statutory": "法规文件"}
    item = team.published(f"{label}栏目下的信息", category=category(team.agency, names.get(slug, label)))
    elsewhere = team.published(
        "其他栏目下的信息",
        category=category(team.agency, "统计信息" if slug != "statutory" else "政府信息公开指南"),
    )

    soup = page(client, reverse("portal:column", args=[slug]))

    assert title_of(soup) == full_title(label)
    assert h1_of(soup) == label
    assert item.title in soup.get_text()
    assert elsewhere.title not in soup.get_text()


def test_it_answers_404_for_an_unknown_column(client, db):
    assert client.get("/column/nonsense/").status_code == 404


def test_it_says_a_feature_still_to_come_is_not_yet_open(client, db):
    soup = page(client, "/soon/complaints/")

    assert title_of(soup) == full_title("投诉举报")
    assert h1_of(soup) == "投诉举报"
    assert "暂未开放" in soup.get_text()
    assert soup.find("a", href="/agencies/")


def test_it_sends_old_not_yet_open_links_to_the_application_form(client, db):
    response = client.get("/soon/apply/")
    assert response.status_code == 302
    assert response["Location"] == "/apply/"


def test_it_answers_404_for_an_unknown_future_feature(client, db):
    assert client.get("/soon/nonsense/").status_code == 404


def test_it_lists_the_agencies(client, team):
    soup = page(client, reverse("portal:agencies"))

    assert title_of(soup) == full_title("机关列表")
    assert h1_of(soup) == "机关列表"
    assert soup.find("a", href=f"/items/?agency={team.agency.slug}").get_text() == team.agency.name


def test_it_browses_by_category_including_the_children(client, team):
    statutory = category(team.agency, "法定主动公开内容")
    rules = team.published("法规文件类信息", category=category(team.agency, "法规文件"))
    stats = team.published("统计信息类信息", category=category(team.agency, "统计信息"))
    guide = team.published("指南类信息", category=category(team.agency, "政府信息公开指南"))
    slug = team.agency.slug

    parent = page(client, f"/items/?agency={slug}&category={statutory.pk}")
    child = page(client, f"/items/?agency={slug}&category={rules.category_id}")

    assert h1_of(parent).startswith("法定主动公开内容")
    assert title_of(parent) == full_title(f"法定主动公开内容 · {team.agency.short_name}")
    assert sorted(listed_titles(parent)) == sorted([rules.title, stats.title])
    assert h1_of(child).startswith("法规文件")
    assert listed_titles(child) == [rules.title]
    assert guide.title not in parent.get_text()


def test_it_browses_by_department(client, team):
    ours = team.published("业务股的信息")
    theirs = team.published("综合股的信息", department=team.other_department)
    slug = team.agency.slug

    soup = page(client, f"/items/?agency={slug}&department={team.other_department.pk}")

    assert listed_titles(soup) == [theirs.title]
    assert ours.title not in soup.get_text()
    assert listed_titles(page(client, f"/items/?agency={slug}&department={team.department.pk}")) == [
        ours.title
    ]


def test_it_browses_by_year(client, team):
    with time_machine.travel(datetime.datetime(2023, 6, 1, 10, 0, tzinfo=SHANGHAI), tick=False):
        old = team.published("二〇二三年的信息")
    new = team.published("今年的信息")
    this_year = timezone.localdate().year

    everything = page(client, f"/items/?agency={team.agency.slug}")
    of_2023 = page(client, f"/items/?agency={team.agency.slug}&year=2023")

    year_links = [a.get_text(strip=True) for a in everything.select("aside a[href*='year=']")]
    assert year_links == [f"{this_year}年", "2023年"]
    assert listed_titles(of_2023) == [old.title]
    assert "2023年" in h1_of(of_2023)
    assert listed_titles(page(client, f"/items/?year={this_year}")) == [new.title]


def test_it_paginates_the_list(client, team):
    titles = [f"第{n:02d}号信息" for n in range(25)]
    for title in titles:
        team.published(title)
    slug = team.agency.slug

    first = page(client, f"/items/?agency={slug}")
    second = page(client, f"/items/?agency={slug}&page=2")

    newest_first = titles[::-1]
    assert listed_titles(first) == newest_first[:20]
    assert listed_titles(second) == newest_first[20:]
    assert "第 2 / 2 页，共 25 条" in second.get_text()
    next_link = first.find("a", rel="next")["href"]
    assert f"agency={slug}" in next_link
    assert "page=2" in next_link
    assert second.find("a", rel="prev")


def test_it_paginates_a_category_including_its_children(client, team):
    statutory = category(team.agency, "法定主动公开内容")
    for n in range(25):
        name = "法规文件" if n % 2 else "统计信息"
        team.published(f"分类分页{n:02d}", category=category(team.agency, name))

    soup = page(client, f"/items/?agency={team.agency.slug}&category={statutory.pk}&page=2")

    assert listed_titles(soup) == [f"分类分页{n:02d}" for n in range(4, -1, -1)]


def metadata(soup: BeautifulSoup) -> dict[str, str]:
    table = soup.find("table", class_="meta")
    return {
        th.get_text(strip=True): th.find_next_sibling("td").get_text(strip=True)
        for th in table.find_all("th")
    }


def test_it_shows_the_catalogue_metadata_on_the_item_page(client, team):
    item = team.published(
        "关于调整最低工资标准的通知",
        document_number="某人社发〔2024〕3号",
        written_on=datetime.date(2024, 3, 5),
        body="<p>最低工资标准调整如下。</p>",
    )
    published_on = timezone.localtime(item.published_at).date()

    soup = page(client, item.get_absolute_url())

    assert title_of(soup) == full_title(item.title)
    assert h1_of(soup) == item.title
    meta = metadata(soup)
    assert meta["索引号"] == item.index_number
    assert meta["发布机构"] == team.agency.name
    assert meta["成文日期"] == "2024年3月5日"
    assert meta["发布日期"] == f"{published_on.year}年{published_on.month}月{published_on.day}日"
    assert meta["文号"] == "某人社发〔2024〕3号"
    assert meta["主题分类"] == "法定主动公开内容 / 法规文件"
    assert meta["有效性"] == "有效"
    assert "最低工资标准调整如下。" in soup.get_text()


def test_it_lists_the_attachments_on_the_item_page(client, team):
    item = team.draft("附带表格的通知")
    upload = SimpleUploadedFile("申请表.pdf", PDF_BYTES, content_type="application/pdf")
    attachment = services.attachment_add(actor=team.clerk, item=item, upload=upload)
    item = team.advance(item, to="published")

    soup = page(client, item.get_absolute_url())

    link = soup.find("a", href=attachment.get_absolute_url())
    assert link.get_text(strip=True) == "申请表.pdf"
    assert client.get(link["href"]).status_code == 200


def test_it_keeps_a_repealed_items_page_with_the_mark(client, team):
    item = team.published("关于旧办法的通知")
    services.item_set_validity(
        actor=team.office, item=item, validity="repealed", note="已被某人社发〔2025〕1号文件废止"
    )

    soup = page(client, item.get_absolute_url())

    assert metadata(soup)["有效性"] == "已废止（已被某人社发〔2025〕1号文件废止）"
    mark = soup.find(class_="validity-mark").get_text(strip=True)
    assert mark == "本文件已废止：已被某人社发〔2025〕1号文件废止"
    listing = page(client, f"/items/?agency={team.agency.slug}")
    assert "已废止" in listing.select_one("table.list tbody tr").get_text()
    printed = page(client, reverse("catalogue:print", args=[item.pk]))
    assert "本文件已废止" in printed.get_text()


def test_it_renders_the_print_view(client, team):
    item = team.published("张贴于公开栏的通知", body="<p>公开栏正文。</p>", document_number="某发〔2024〕9号")

    soup = page(client, reverse("catalogue:print", args=[item.pk]))

    assert title_of(soup) == f"{item.title} - 打印"
    assert h1_of(soup) == item.title
    assert "公开栏正文。" in soup.get_text()
    assert metadata(soup)["文号"] == "某发〔2024〕9号"
    assert soup.find("a", href=item.get_absolute_url())
    assert not soup.select("nav.columns-nav")


def test_it_switches_to_large_type_with_a_cookie(client, db):
    response = client.get("/display/?mode=large&next=/")

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies["display"].value == "large"
    assert "large" in page(client, "/").body["class"]

    response = client.get("/display/?mode=normal&next=/column/guide/")

    assert response["Location"] == "/column/guide/"
    assert response.cookies["display"].value == ""
    assert "large" not in page(client, "/").body.get("class", [])


@pytest.mark.parametrize(
    "target",
    ["https://evil.example", "//evil.example/", "/\\evil.example", "javascript:alert(1)"],
)
def test_it_refuses_to_redirect_off_site(client, db, target):
    response = client.get("/display/", {"mode": "large", "next": target})

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_it_serves_pages_without_javascript(client, team):
    item = team.published("无需脚本的信息")

    for url in ["/", "/items/", "/column/statutory/", item.get_absolute_url(), "/apply/", "/apply/status/"]:
        response = client.get(url)
        assert response.status_code == 200
        # Only optional scripts of our own, deferred: the search suggestions everywhere, and on the
        # apply form the one that shows the chosen applicant type's fields; no inline script, no CDN.
        scripts = re.findall(r"<script[^>]*>", response.content.decode().lower())
        optional = ['<script src="/static/gongkai/search.js" defer>']
        if url == "/apply/":
            optional.append('<script src="/static/applications/applyform.js" defer>')
        assert scripts == optional, url


def test_it_answers_head_requests_on_public_pages(client, team):
    item = team.published("可被链接检查的信息")
    urls = ["/", "/items/", item.get_absolute_url(), "/column/guide/", "/agencies/", "/sitemap.xml"]

    assert {url: client.head(url).status_code for url in urls} == dict.fromkeys(urls, 200)
