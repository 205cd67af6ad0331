"""Permission ladder of every annual-report staff page, and leak tests: drafts of reports and
drill-down lists never reach the public or another agency (pages, search, feeds, sitemap, API)."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from gongkai.reports.models import AnnualReport
from gongkai.testing.builders import advance_report, case_row, new_report, write_text
from gongkai.testing.factories import UserFactory
from gongkai.testing.world import World

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 1, 20, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
ROLES = ("clerk", "dept_head", "secrecy", "leader", "office", "leading_group", "supervisor")
READERS = frozenset({"dept_head", "secrecy", "leader", "office", "leading_group", "supervisor"})
OFFICE = frozenset({"office"})


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


class ReportWorld(World):
    """Our agency's 2025 report (one concluded case behind its figures), and another agency."""

    def __init__(self, team, other_team, report: AnnualReport) -> None:
        super().__init__(team, other_team)
        self.report = report


@pytest.fixture
def world(team, other_team) -> ReportWorld:
    case_row(team.agency, datetime.date(2025, 3, 2), datetime.date(2025, 3, 20), "disclosed", name="李秘密")
    return ReportWorld(team, other_team, new_report(team, 2025))


@dataclass(frozen=True)
class Case:
    id: str
    name: str
    method: str = "get"
    args: Callable[[ReportWorld], list[Any]] = lambda w: []
    allowed: frozenset[str] = READERS
    data: Callable[[ReportWorld], dict[str, Any]] = lambda w: {}
    kind: str = "object"


CASES = [
    Case("list", "reports_staff:list", kind="list"),
    Case(
        "create", "reports_staff:create", "post", allowed=OFFICE, data=lambda w: {"year": 2024}, kind="create"
    ),
    Case("detail", "reports_staff:detail", args=lambda w: [w.report.pk]),
    Case("text-get", "reports_staff:text", args=lambda w: [w.report.pk], allowed=OFFICE),
    Case(
        "text-post",
        "reports_staff:text",
        "post",
        args=lambda w: [w.report.pk],
        allowed=OFFICE,
        data=lambda w: dict(w.report.text),
    ),
    Case(
        "action",
        "reports_staff:action",
        "post",
        args=lambda w: [w.report.pk],
        allowed=OFFICE,
        data=lambda w: {"action": "submit", "reason": ""},
    ),
    Case("cases", "reports_staff:cases", args=lambda w: [w.report.pk, "table3", "disclosed", "natural"]),
    Case(
        "rollup", "reports_staff:rollup", allowed=frozenset({"office", "leader", "supervisor"}), kind="list"
    ),
    Case(
        "rollup-year",
        "reports_staff:rollup_year",
        args=lambda w: [2025],
        allowed=frozenset({"office", "leader", "supervisor"}),
        kind="list",
    ),
]
IDS = [c.id for c in CASES]


def call(client, c: Case, w: ReportWorld, user=None):
    url = reverse(c.name, args=c.args(w))
    if user is not None:
        client.force_login(user)
    return url, (client.post(url, c.data(w)) if c.method == "post" else client.get(url))


def test_it_covers_every_staff_url():
    from gongkai.reports import urls_staff

    mine = {"list", "create", "detail", "text", "action", "cases", "rollup", "rollup_year"}
    names = {p.name for p in urls_staff.urlpatterns}
    assert {f"reports_staff:{n}" for n in names & mine} <= {c.name for c in CASES}
    assert mine <= names


@pytest.mark.parametrize("c", CASES, ids=IDS)
def test_anonymous_visitors_go_to_the_login_page(client, world, c):
    url, response = call(client, c, world)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('workbench:login')}?next={url}"


@pytest.mark.parametrize("c", CASES, ids=IDS)
def test_signed_in_users_without_an_agency_role_are_forbidden(client, world, c):
    user = UserFactory(agency=world.team.agency)

    _, response = call(client, c, world, user)

    assert response.status_code == 403


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("c", CASES, ids=IDS)
def test_each_role_gets_only_its_pages(client, world, c, who):
    _, response = call(client, c, world, getattr(world.team, who))

    if who not in c.allowed:
        # The action view lets every reader in; the service refuses, the report page saying why.
        if c.id == "action" and who in READERS:
            assert response.status_code == 200
            assert 'class="msg error"' in response.content.decode()
            assert AnnualReport.objects.get(pk=world.report.pk).status == "draft"
        else:
            assert response.status_code == 403
        return
    if c.method == "get":
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
    else:
        assert response.status_code == 302
    if c.id == "action":
        assert AnnualReport.objects.get(pk=world.report.pk).status == "dept_review"


@pytest.mark.parametrize("who", ("office", "leader", "secrecy"))
@pytest.mark.parametrize(
    "c", [c for c in CASES if c.kind == "object"], ids=[c.id for c in CASES if c.kind == "object"]
)
def test_another_agencys_staff_get_404(client, world, c, who):
    _, response = call(client, c, world, getattr(world.other_team, who))

    assert response.status_code == 404
    assert AnnualReport.objects.get(pk=world.report.pk).status == "draft"


def test_the_list_and_roll_up_show_nothing_of_another_agency(client, world):
    client.force_login(world.other_team.office)

    listing = client.get(reverse("reports_staff:list")).content.decode()
    rollup = client.get(reverse("reports_staff:rollup")).content.decode()

    assert reverse("reports_staff:detail", args=[world.report.pk]) not in listing
    assert world.team.agency.name not in rollup


def test_the_drill_down_lists_the_cases_behind_a_cell(client, world):
    client.force_login(world.team.office)
    detail = client.get(reverse("reports_staff:detail", args=[world.report.pk])).content.decode()
    url = reverse("reports_staff:cases", args=[world.report.pk, "table3", "disclosed", "natural"])
    assert url in detail

    page = client.get(url).content.decode()

    assert "共1件" in page
    assert "李秘密" not in page  # the list names cases by query code, never the applicant


def test_the_checks_are_listed_on_the_report_page(client, world):
    from gongkai.reports import services

    services.report_save_text(actor=world.team.office, report=world.report, text={"problems": ""})
    client.force_login(world.team.office)

    page = client.get(reverse("reports_staff:detail", args=[world.report.pk])).content.decode()

    assert "必查项未通过" in page
    assert "五、存在的主要问题及改进情况”不能为空" in page


def test_the_text_form_keeps_what_was_typed_on_errors(client, world):
    client.force_login(world.team.office)
    data = {**world.report.text, "platform": "新写的平台建设" + "字" * 20001}

    response = client.post(reverse("reports_staff:text", args=[world.report.pk]), data)

    assert response.status_code == 200
    assert "新写的平台建设" in response.content.decode()


PUBLIC_PLACES = (
    "/",
    "/column/annual-reports/",
    "/items/",
    "/search/?q=年度报告",
    "/feeds/items.rss",
    "/sitemap.xml",
)


def public_texts(client) -> str:
    client.logout()
    pages = [client.get(p).content.decode() for p in PUBLIC_PLACES]
    pages.append(client.get("/api/v1/items").content.decode())
    return "\n".join(pages)


@pytest.mark.parametrize("state", ["draft", "dept_review", "secrecy_review", "leader_review"])
def test_an_unpublished_report_never_reaches_the_public_or_another_agency(client, world, state):
    report = advance_report(world.team, world.report, to=state)
    version_url = f"/annual-reports/{world.team.agency.slug}/2025/v1/"

    assert report.title not in public_texts(client)
    assert client.get(version_url).status_code == 404
    client.force_login(world.other_team.office)
    assert client.get(version_url).status_code == 404
    assert client.get(reverse("reports_staff:detail", args=[report.pk])).status_code == 404


def test_a_published_report_is_public_in_its_column_and_its_pending_correction_is_not(client, world):
    from gongkai.reports import services

    report = advance_report(world.team, world.report, to="published")
    assert report.title in public_texts(client)
    page = client.get(f"/annual-reports/{world.team.agency.slug}/2025/v1/").content.decode()
    assert "一、本年新收政府信息公开申请数量" in page
    assert "李秘密" not in page

    report = services.report_transition(
        actor=world.team.office, report=report, action="correct", reason="更正"
    )
    write_text(report, world.team.office, platform="尚未签发的更正文字")

    assert "尚未签发的更正文字" not in public_texts(client)
    assert client.get(f"/annual-reports/{world.team.agency.slug}/2025/v2/").status_code == 404


def test_no_report_form_answers_a_server_error(world):
    from django.test import Client

    from gongkai.core.tests.test_no_server_errors import fields_of, fuzzer
    from gongkai.reports.forms import ReportCreateForm, TransitionForm
    from gongkai.reports.sections import SECTION_KEYS

    client = Client()
    client.force_login(world.team.office)
    pk = world.report.pk
    forms = [
        ("POST", reverse("reports_staff:create"), fields_of(ReportCreateForm), {}),
        ("POST", reverse("reports_staff:text", args=[pk]), list(SECTION_KEYS), {}),
        ("POST", reverse("reports_staff:action", args=[pk]), fields_of(TransitionForm), {}),
        ("GET", reverse("reports_staff:cases", args=[pk, "table3", "new", "natural"]), ["page"], {}),
    ]
    for method, url, names, base in forms:
        fuzzer(client, method, url, names, base)()
    for bad in (
        ["table9", "new", "natural"],
        ["table3", "nope", "natural"],
        ["table4", "reconsideration", "x"],
    ):
        assert client.get(reverse("reports_staff:cases", args=[pk, *bad])).status_code == 404
    assert client.get("/staff/reports/rollup/1900/").status_code == 404


def test_a_refused_report_year_is_shown_again_beside_the_field(client, world):
    """Issue 13: a refused 编制年度报告 keeps the year typed and says why beside it."""
    client.force_login(world.team.office)
    response = client.post(reverse("reports_staff:create"), {"year": "1999"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="1999"' in page
    assert 'class="errorlist' in page
