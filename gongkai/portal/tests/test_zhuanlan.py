"""Each agency's 政府信息公开专栏, its generated 政府信息公开指南, the 网站地图 page and the footer's
site identifiers, as an anonymous visitor (and the agency's own staff) see them."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from gongkai.catalogue import services
from gongkai.catalogue.models import Category
from gongkai.organisation.guide import GUIDE_ELEMENTS, missing_guide_elements
from gongkai.portal.views import zhuanlan
from gongkai.testing.factories import UserFactory, category
from gongkai.workdays.rules import rule_set

CONFIGURED = {
    "disclosure_office": "政务公开办公室",
    "address": "测试县人民路1号",
    "postcode": "512000",
    "phone": "0759-1234567",
    "fax": "0759-7654321",
    "email": "gongkai@example.gov.cn",
    "office_hours": "工作日 8:30-12:00，14:30-17:30",
    "complaint_phone": "0759-12345",
    "reconsideration_body": "测试县人民政府",
    "court": "测试县人民法院",
}


def page(client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content.decode(), "html.parser")


def configure(agency, **overrides) -> None:
    for field, value in {**CONFIGURED, **overrides}.items():
        setattr(agency, field, value)
    agency.save()


def catalogue_counts(soup):
    """Category name -> (article-20 basis, count, link) from the landing page's sub-catalogue."""
    rows = {}
    for tr in soup.select("#zl-statutory table tbody tr"):
        cells = tr.find_all("td")
        rows[cells[0].get_text(strip=True)] = (
            cells[1].get_text(strip=True),
            int(cells[2].get_text(strip=True)),
            cells[0].a["href"],
        )
    return rows


def guide_rows(soup: BeautifulSoup) -> dict[str, str]:
    return {
        th.get_text(strip=True): th.find_next_sibling("td").get_text(strip=True)
        for th in soup.select("table.guide-table th")
    }


# --- the landing page -----------------------------------------------------------------------------


def test_it_shows_the_standard_columns_on_each_agencys_landing_page(client, team):
    soup = page(client, reverse("portal:agency", args=[team.agency.slug]))

    assert soup.h1.get_text(" ", strip=True) == f"{team.agency.name} 政府信息公开专栏"
    headings = [h.get_text(strip=True) for h in soup.select("section h2")]
    assert headings == [
        "政府信息公开指南",
        "政府信息公开制度",
        "法定主动公开内容",
        "政府信息公开年报",
        "依申请公开",
    ]
    assert soup.find("a", href=reverse("portal:guide", args=[team.agency.slug]))
    assert soup.find("a", href=reverse("applications:apply"))
    assert soup.find("a", href=reverse("applications:status"))
    slug = team.agency.slug
    assert soup.find("a", href=f"/column/annual-reports/?agency={slug}")
    assert soup.find("a", href=f"/column/rules/?agency={slug}")


def test_it_counts_only_public_items_in_the_article_20_sub_catalogue(client, team, other_team):
    rules = category(team.agency, "法规文件")
    team.published("已发布的通知一", category=rules)
    team.published("已发布的通知二", category=rules)
    team.draft("起草中的通知", category=rules)
    team.advance(team.draft("审核中的通知", category=rules), to="secrecy_review")
    team.published("内部公开的通知", category=rules, scope="internal")
    withdrawn = team.published("已撤回的通知", category=rules)
    services.item_transition(actor=team.office, item=withdrawn, action="withdraw", reason="内容有误")
    team.published("本局统计公报", category=category(team.agency, "统计信息"))
    other_team.published("他局的通知", category=category(other_team.agency, "法规文件"))

    soup = page(client, reverse("portal:agency", args=[team.agency.slug]))

    rows = catalogue_counts(soup)
    assert rows["法规文件"][:2] == ("第二十条第（一）项", 2)
    assert rows["统计信息"][:2] == ("第二十条第（四）项", 1)
    assert rows["财政预决算与收费"][:2] == ("第二十条第（七）（八）项", 0)
    assert rows["服务承诺"][:2] == ("—", 0)
    assert rows["法规文件"][2] == f"/items/?agency={team.agency.slug}&category={rules.pk}"
    # Every statutory category of the agency, in its order, and nothing of the other columns.
    expected = list(
        Category.objects.filter(agency=team.agency, column="statutory", parent__isnull=False)
        .order_by("order", "id")
        .values_list("name", flat=True)
    )
    assert list(rows) == expected
    text = soup.get_text()
    for hidden in ("起草中的通知", "审核中的通知", "内部公开的通知", "已撤回的通知", "他局的通知"):
        assert hidden not in text
    # The list the count links to shows the same number of items.
    listed = page(client, rows["法规文件"][2]).select("table.list tbody tr")
    assert len(listed) == 2


def test_it_counts_a_categorys_children_as_its_list_page_does(client, team):
    rules = category(team.agency, "法规文件")
    child = Category.objects.create(agency=team.agency, parent=rules, name="规范性文件", column="statutory")
    team.published("子分类下的文件", category=child)
    team.published("分类本身的文件", category=rules)

    rows = catalogue_counts(page(client, reverse("portal:agency", args=[team.agency.slug])))

    assert rows["法规文件"][1] == 2


def test_it_lists_the_agencys_own_rules_and_reports_only(client, team, other_team):
    ours = team.published("本局政务公开工作制度", category=category(team.agency, "政府信息公开制度"))
    report = team.published(
        "本局2025年政府信息公开工作年度报告", category=category(team.agency, "政府信息公开年报")
    )
    theirs = other_team.published(
        "他局政务公开工作制度", category=category(other_team.agency, "政府信息公开制度")
    )
    draft = team.draft("未发布的制度", category=category(team.agency, "政府信息公开制度"))

    soup = page(client, reverse("portal:agency", args=[team.agency.slug]))

    assert soup.select_one("#zl-rules").find("a", href=ours.get_absolute_url())
    assert soup.select_one("#zl-reports").find("a", href=report.get_absolute_url())
    assert theirs.title not in soup.get_text()
    assert draft.title not in soup.get_text()


def test_it_answers_404_for_an_unknown_or_inactive_agency(client, team):
    assert client.get(reverse("portal:agency", args=["nonsense"])).status_code == 404
    assert client.get(reverse("portal:guide", args=["nonsense"])).status_code == 404
    team.agency.is_active = False
    team.agency.save()
    assert client.get(reverse("portal:agency", args=[team.agency.slug])).status_code == 404
    assert client.get(reverse("portal:guide", args=[team.agency.slug])).status_code == 404


# --- the generated guide --------------------------------------------------------------------------


def test_the_guide_lists_every_required_element_of_a_configured_agency(client, team):
    configure(team.agency)
    rules = rule_set(team.agency.rule_set)

    soup = page(client, reverse("portal:guide", args=[team.agency.slug]))

    assert soup.h1.get_text(strip=True) == f"{team.agency.name}政府信息公开指南"
    rows = guide_rows(soup)
    assert rows["受理机构"] == f"{team.agency.name}政务公开办公室"
    assert rows["办公地址"] == CONFIGURED["address"]
    assert rows["邮政编码"] == CONFIGURED["postcode"]
    assert rows["咨询电话"] == CONFIGURED["phone"]
    assert rows["传真"] == CONFIGURED["fax"]
    assert rows["电子邮箱"] == CONFIGURED["email"]
    assert soup.find("a", href=f"mailto:{CONFIGURED['email']}")
    assert rows["办公时间"] == CONFIGURED["office_hours"]
    assert rows["监督投诉电话"] == CONFIGURED["complaint_phone"]
    assert rows["行政复议机关"] == CONFIGURED["reconsideration_body"]
    assert rows["管辖法院"] == CONFIGURED["court"]
    # 主动公开: scope, ways, the 20-working-day limit of art. 26.
    assert "第二十条" in rows["公开范围"]
    assert "政务公开专栏" in rows["公开方式"]
    assert "20个工作日内" in rows["公开时限"] and "第二十六条" in rows["公开时限"]
    # 依申请公开: the online form, the procedure in order, with the agency's own limits.
    assert soup.find("a", href=reverse("applications:apply"))
    assert soup.find("a", href=reverse("applications:status"))
    steps = [li.strong.get_text(strip=True) for li in soup.select("ol.steps li")]
    assert steps == ["提出申请", "登记受理", "补正（如需）", "审查", "答复", "送达"]
    text = soup.get_text()
    assert f"{rules.correction_notice_days}个工作日内一次性告知" in text
    assert f"自收到申请之日起{rules.reply_days}个工作日内予以答复" in text
    assert f"最长不超过{rules.max_extension_days}个工作日" in text
    assert f"寄至{CONFIGURED['address']}（邮政编码{CONFIGURED['postcode']}）" in text
    # 信息处理费 as 国办函〔2020〕109号 sets it.
    assert "国办函〔2020〕109号" in text and "明显超过合理范围" in text
    assert "10件以下（含10件）的，不收费" in rows["按件计收"]
    assert "30页以下（含30页）的，不收费" in rows["按量计收"]
    assert f"{rules.fee_payment_days}个工作日内缴纳" in rows["缴费期限"]
    # 监督和救济: named bodies.
    assert f"向{CONFIGURED['reconsideration_body']}申请行政复议" in text
    assert f"向{CONFIGURED['court']}提起行政诉讼" in text


def test_the_guide_follows_the_agencys_rule_set(client, team):
    configure(team.agency, rule_set="seed-local")
    local = rule_set("seed-local")

    text = page(client, reverse("portal:guide", args=[team.agency.slug])).get_text()

    assert f"最长不超过{local.max_extension_days}个工作日" in text
    assert "经局领导同意" in text
    assert f"{local.forward_days}个工作日内转交" in text
    assert f"{local.department_answer_days}个工作日内提出答复意见" in text

    configure(team.agency, rule_set="national-2019")
    text = page(client, reverse("portal:guide", args=[team.agency.slug])).get_text()
    assert "最长不超过20个工作日" in text and "转交" not in text


def test_the_guide_changes_when_the_settings_change(client, team):
    configure(team.agency)
    configure(team.agency, address="测试县新城大道8号")

    rows = guide_rows(page(client, reverse("portal:guide", args=[team.agency.slug])))

    assert rows["办公地址"] == "测试县新城大道8号"


def test_the_public_guide_leaves_out_missing_settings_and_staff_see_them_listed(client, team, other_team):
    configure(team.agency, fax="", court="", postcode="")
    url = reverse("portal:guide", args=[team.agency.slug])

    public = page(client, url)
    rows = guide_rows(public)
    assert "传真" not in rows and "管辖法院" not in rows and "邮政编码" not in rows
    assert "未设置" not in public.get_text() and "缺少" not in public.get_text()
    assert "或者提起行政诉讼" in public.get_text()  # the sentence still reads without the court's name

    client.force_login(other_team.clerk)
    assert "缺少" not in page(client, url).get_text()

    client.force_login(team.clerk)
    notice = page(client, url).select_one(".staff-only").get_text()
    assert "邮政编码、传真、管辖法院" in notice


def test_missing_guide_elements_names_each_empty_setting():
    class Blank:
        pass

    assert missing_guide_elements(Blank()) == [label for _, label in GUIDE_ELEMENTS]


def test_the_admin_lists_and_warns_of_missing_guide_elements(client, team):
    configure(team.agency, email="", reconsideration_body="")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    listing = client.get(reverse("admin:organisation_agency_changelist")).content.decode()
    change = client.get(reverse("admin:organisation_agency_change", args=[team.agency.pk]), follow=True)

    assert "缺少：电子邮箱、行政复议机关" in listing
    assert "政府信息公开指南缺少以下要素" in change.content.decode()
    assert "电子邮箱、行政复议机关" in change.content.decode()


def test_the_guide_column_shows_the_generated_guides(client, team, other_team):
    soup = page(client, reverse("portal:column", args=["guide"]))

    for agency in (team.agency, other_team.agency):
        link = soup.find("a", href=reverse("portal:guide", args=[agency.slug]))
        assert link.get_text(strip=True) == f"{agency.name}政府信息公开指南"

    one = page(client, reverse("portal:column", args=["guide"]) + f"?agency={team.agency.slug}")
    assert one.find("a", href=reverse("portal:guide", args=[team.agency.slug]))
    assert not one.find("a", href=reverse("portal:guide", args=[other_team.agency.slug]))


# --- the 网站地图 page and the XML sitemap -----------------------------------------------------------


def test_the_html_sitemap_lists_the_columns_agencies_and_categories(client, team, other_team):
    soup = page(client, reverse("portal:sitemap"))

    assert soup.h1.get_text(strip=True) == "网站地图"
    hrefs = {a["href"] for a in soup.select("main a")}
    for slug in ("guide", "rules", "statutory", "annual-reports"):
        assert reverse("portal:column", args=[slug]) in hrefs
    assert {reverse("applications:apply"), reverse("applications:status"), reverse("sitemap")} <= hrefs
    for agency in (team.agency, other_team.agency):
        assert reverse("portal:agency", args=[agency.slug]) in hrefs
        assert reverse("portal:guide", args=[agency.slug]) in hrefs
    rules = category(team.agency, "法规文件")
    assert rules.get_absolute_url() in hrefs


def test_the_footer_links_the_html_sitemap(client, db):
    soup = page(client, "/")
    assert soup.select_one("footer").find("a", href=reverse("portal:sitemap")).get_text() == "网站地图"


def test_the_xml_sitemap_lists_the_agency_pages_and_only_active_agencies(client, team, other_team):
    other_team.agency.is_active = False
    other_team.agency.save()

    xml = client.get(reverse("sitemap")).content.decode()

    assert f"/agencies/{team.agency.slug}/</loc>" in xml
    assert f"/agencies/{team.agency.slug}/guide/</loc>" in xml
    assert "/sitemap/</loc>" in xml
    assert f"/agencies/{other_team.agency.slug}/" not in xml


# --- the footer identifiers -----------------------------------------------------------------------

IDS = {
    "GONGKAI_SITE_SPONSOR": "测试县人民政府办公室",
    "GONGKAI_SITE_CODE": "4400000001",
    "GONGKAI_ICP": "粤ICP备12345678号",
    "GONGKAI_PSB": "粤公网安备 44010402001234号",
}


@pytest.mark.parametrize("url", ["/", "/items/", "/column/guide/", "/apply/", "/sitemap/"])
def test_the_footer_shows_the_site_identifiers_when_set(client, team, settings, url):
    for name, value in IDS.items():
        setattr(settings, name, value)

    footer = page(client, url).select_one("footer")

    text = footer.get_text(" ", strip=True)
    assert "主办单位：测试县人民政府办公室" in text
    assert "网站标识码：4400000001" in text
    assert footer.find("a", href="https://beian.miit.gov.cn/").get_text() == "粤ICP备12345678号"
    psb = footer.find(
        "a", href="https://www.beian.gov.cn/portal/registerSystemInfo?recordcode=44010402001234"
    )
    assert psb.get_text() == "粤公网安备 44010402001234号"


def test_the_footer_shows_only_the_identifiers_that_are_set(client, db, settings):
    for name in IDS:
        setattr(settings, name, "")
    footer = page(client, "/").select_one("footer")
    text = footer.get_text()
    for label in ("主办单位", "网站标识码", "ICP备案号", "公安备案号"):
        assert label not in text
    assert not footer.select(".site-ids")

    settings.GONGKAI_SITE_SPONSOR = "测试县人民政府办公室"
    text = page(client, "/").select_one("footer").get_text()
    assert "主办单位：测试县人民政府办公室" in text and "ICP备案号" not in text


def test_the_new_pages_answer_anonymous_head_requests(client, team):
    urls = [
        reverse("portal:agency", args=[team.agency.slug]),
        reverse("portal:guide", args=[team.agency.slug]),
        reverse("portal:sitemap"),
    ]
    assert {url: client.head(url).status_code for url in urls} == dict.fromkeys(urls, 200)


def test_the_printable_form_and_notes_are_linked_once_their_urls_exist(client, team, monkeypatch):
    configure(team.agency)
    guide_url = reverse("portal:guide", args=[team.agency.slug])
    landing_url = reverse("portal:agency", args=[team.agency.slug])
    monkeypatch.setattr(zhuanlan, "APPLICATION_FORM_URL_NAME", "no-such-url")
    monkeypatch.setattr(zhuanlan, "APPLICATION_NOTES_URL_NAME", "no-such-url")
    rows = guide_rows(page(client, guide_url))
    assert "申请表" not in rows and "申请须知" not in rows  # not there: no dead link

    # Stand-ins for the URL names of the printable 申请表 and the 申请须知 (gongkai.applications).
    monkeypatch.setattr(zhuanlan, "APPLICATION_FORM_URL_NAME", "applications:status")
    monkeypatch.setattr(zhuanlan, "APPLICATION_NOTES_URL_NAME", "applications:apply")

    guide = page(client, guide_url)
    rows = guide_rows(guide)
    assert "政府信息公开申请表" in rows["申请表"] and "申请须知" in rows
    download = guide.select_one("#guide-3").find("a", string="下载申请表")
    assert download["href"] == reverse("applications:status") + f"?agency={team.agency.pk}"
    notes = guide.select_one("#guide-3").find("a", string="阅读申请须知")
    assert notes["href"] == reverse("applications:apply") + f"?agency={team.agency.pk}"
    landing = page(client, landing_url).select_one("#zl-apply")
    assert landing.find("a", string="政府信息公开申请表（下载打印）")
    assert landing.find("a", string="申请须知")


def test_a_top_category_the_agency_added_to_the_column_has_its_own_row(client, team, other_team):
    added = Category.objects.create(agency=team.agency, name="政策解读", column="statutory", order=999)
    team.published("关于低保新政的解读", category=added)
    Category.objects.create(agency=other_team.agency, name="他局专题", column="statutory")

    rows = catalogue_counts(page(client, reverse("portal:agency", args=[team.agency.slug])))

    assert rows["政策解读"][:2] == ("—", 1)
    assert list(rows)[-1] == "政策解读"
    assert "法定主动公开内容" not in rows  # the column's top category is shown through its children
    assert "他局专题" not in rows


def test_the_home_page_and_the_agency_list_lead_to_each_agencys_zhuanlan(client, team, other_team):
    for url in (reverse("portal:home"), reverse("portal:agencies")):
        soup = page(client, url)
        for agency in (team.agency, other_team.agency):
            assert soup.find("a", href=reverse("portal:agency", args=[agency.slug])), url
