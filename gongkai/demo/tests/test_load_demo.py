import datetime
from collections import Counter
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from gongkai.applications import selectors
from gongkai.applications.clockview import case_clock
from gongkai.applications.models import (
    Appeal,
    ApplicantType,
    Application,
    Channel,
    ExtensionRequest,
    IdType,
    Notice,
    NoticeKind,
    OrgType,
    Satisfaction,
)
from gongkai.applications.outcomes import OUTCOMES
from gongkai.applications.workflow import Status
from gongkai.catalogue.models import Item, ItemRevision
from gongkai.organisation.models import Agency, User
from gongkai.workdays.selectors import current_calendar


def test_it_builds_two_agencies_with_staff_in_every_role(demo):
    hrss = Agency.objects.get(slug="hrss")
    civil = Agency.objects.get(slug="civil-affairs")
    assert hrss.rule_set == "seed-local" and civil.rule_set == "national-2019"
    assert "演示" in hrss.name and "演示" in civil.name
    for prefix in ("hrss", "mz"):
        for key in (
            "clerk",
            "head",
            "secrecy",
            "leader",
            "office",
            "group",
            "supervisor",
            "secadmin",
            "auditor",
        ):
            assert User.objects.get(username=f"{prefix}-{key}").role_set()
    assert User.objects.get(username="admin").is_superuser


def test_it_prints_the_logins(demo, demo_build):
    password = (demo_build.var_dir / "demo-password").read_text(encoding="utf-8").strip()
    assert f"密码：{password}" in demo
    assert "hrss-clerk" in demo and "admin" in demo
    assert "hrss-auditor" in demo and "hrss-secadmin" in demo
    # Whether the second factor is required is said, with how to change it.
    assert "第二因素" in demo and "GONGKAI_2FA_REQUIRED=" in demo


def test_it_publishes_the_five_seeds_in_their_columns(demo):
    public = Item.objects.public()
    columns = {i.title: i.category.column for i in public.select_related("category")}
    assert columns["吴川市人力资源和社会保障局政务公开制度"] == "rules"
    assert columns["蓬莱市人力资源和社会保障局2013年度政府信息公开工作报告"] == "annual_report"
    assert columns["勞動保障依法行政計劃"] == "statutory"
    assert columns["劳动保障局推行政务公开意见"] == "statutory"
    assert columns["民政局政務公開工作意見"] == "statutory"
    assert Item.objects.get(title="民政局政務公開工作意見").agency.slug == "civil-affairs"
    for item in public:
        assert item.index_number.startswith(item.agency.code + "/")


def test_it_has_items_in_every_other_state(demo):
    states = set(Item.objects.values_list("status", flat=True))
    assert {
        "draft",
        "dept_review",
        "secrecy_review",
        "leader_review",
        "returned",
        "published",
        "filed",
        "withdrawn",
        "nondisclosure_review",
        "not_disclosed",
    } <= states
    assert Item.objects.filter(scope="internal", status="published").exists()
    assert Item.objects.filter(validity="repealed").exists()
    assert ItemRevision.objects.filter(status="draft").exists()


def test_it_is_idempotent(demo):
    counts = (Item.objects.count(), Application.objects.count(), Notice.objects.count())
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert (Item.objects.count(), Application.objects.count(), Notice.objects.count()) == counts
    assert "演示数据已存在" in out.getvalue()


# ---------------------------------------------------------------- requests for disclosure

DONE = (Status.REPLIED, Status.CLOSED)


def test_it_has_a_year_of_requests_in_both_agencies(demo):
    # The past year's, plus the last full year's for the annual reports (gongkai.demo.reports).
    assert 80 <= Application.objects.filter(agency__slug="hrss").count() <= 95
    assert 30 <= Application.objects.filter(agency__slug="civil-affairs").count() <= 45
    today = timezone.localdate()
    calendar = current_calendar()
    received = Application.objects.exclude(channel=Channel.ONLINE).values_list("received_on", flat=True)
    assert all(calendar.is_workday(day) for day in received)
    assert min(received) >= min(today - datetime.timedelta(days=366), datetime.date(today.year - 1, 1, 1))
    assert min(received) <= today - datetime.timedelta(days=300), "spread over the whole year"
    # Online requests are received the day they are submitted: today.
    assert set(Application.objects.filter(channel=Channel.ONLINE).values_list("received_on", flat=True)) == {
        today
    }


def test_every_outcome_is_answered_at_least_once(demo):
    answered = Application.objects.filter(status__in=DONE)
    assert set(answered.values_list("outcome", flat=True)) == set(OUTCOMES)
    assert not answered.filter(replied_on__isnull=True).exists()
    # Each outcome's reply letter is dated and numbered on the reply day.
    for application in answered:
        reply = application.notices.get(kind=NoticeKind.REPLY)
        assert reply.issued_on == application.replied_on
        assert f"〔{application.replied_on.year}〕" in reply.number
        assert OUTCOMES[application.outcome].basis[:20] in reply.text


def test_every_channel_applicant_and_organisation_type(demo):
    for slug in ("hrss", "civil-affairs"):
        channels = set(Application.objects.filter(agency__slug=slug).values_list("channel", flat=True))
        assert channels == set(Channel.values), slug
    assert set(Application.objects.values_list("applicant_type", flat=True)) == set(ApplicantType.values)
    legal = Application.objects.filter(applicant_type=ApplicantType.LEGAL)
    assert set(legal.values_list("org_type", flat=True)) == set(OrgType.values)
    natural = Application.objects.filter(applicant_type=ApplicantType.NATURAL)
    assert set(natural.values_list("id_type", flat=True)) == set(IdType.values)


def test_applicants_are_fictional_and_marked_demo(demo):
    for name, phone in Application.objects.values_list("name", "phone"):
        assert "演示" in name
        assert phone.startswith("1380000")


def test_open_overdue_and_paused_requests_fill_the_workbench(demo):
    statuses = set(Application.objects.values_list("status", flat=True))
    assert set(Status) <= statuses
    office = User.objects.get(username="hrss-office")
    overdue = selectors.queue(office, "overdue")
    assert len(overdue) >= 2
    assert {row.application.status for row in overdue} == {Status.FORWARDED}
    paused = {row.clock.paused_reason for row in selectors.queue(office, "paused")}
    assert {"征求第三方意见", "等待缴费", "不可抗力中止", "等待申请人补正"} <= paused
    assert selectors.queue(office, "new")
    assert Application.objects.filter(status=Status.FORWARDED).exclude(return_reason="").exists()
    assert selectors.queue(User.objects.get(username="mz-office"), "overdue")
    # Every answered request was answered in time, and every open clock computes.
    for application in Application.objects.all():
        clock = case_clock(application)
        if application.status in DONE:
            assert not clock.overdue, application


def test_extensions_appeals_ratings_and_deliveries(demo):
    states = Counter(ExtensionRequest.objects.values_list("state", flat=True))
    assert states[ExtensionRequest.State.APPROVED] >= 2 and states[ExtensionRequest.State.PENDING] >= 1
    assert ExtensionRequest.objects.filter(state=ExtensionRequest.State.REJECTED).exists()
    assert Notice.objects.filter(kind=NoticeKind.EXTENSION).count() == states[ExtensionRequest.State.APPROVED]
    assert set(Appeal.objects.values_list("result", flat=True)) == set(Appeal.Result.values)
    assert set(Appeal.objects.values_list("kind", flat=True)) == set(Appeal.Kind.values)
    for appeal in Appeal.objects.select_related("application"):
        assert appeal.filed_on > appeal.application.replied_on
        assert appeal.decided_on is None or appeal.filed_on < appeal.decided_on <= timezone.localdate()
    assert set(Satisfaction.objects.values_list("rating", flat=True)) == set(Satisfaction.Rating.values)
    assert set(Notice.objects.values_list("kind", flat=True)) == set(NoticeKind.values)
    # Every letter has been delivered, except those still in the post and the online receipts.
    today, calendar = timezone.localdate(), current_calendar()
    letters = Notice.objects.exclude(kind=NoticeKind.RECEIPT, application__channel=Channel.ONLINE)
    for notice in letters.select_related("application"):
        if notice.delivered_on is None:
            assert calendar.count(notice.issued_on, today) < 2, notice
        else:
            assert notice.issued_on <= notice.delivered_on <= today
            assert notice.delivery_method
    # Letters are numbered in date order within each agency and year.
    for agency in Agency.objects.all():
        notices = Notice.objects.filter(application__agency=agency).order_by("issued_on", "id")
        for year in {n.issued_on.year for n in notices}:
            numbers = [int(n.number.split("第")[1].rstrip("号")) for n in notices if n.issued_on.year == year]
            assert numbers == sorted(numbers) == list(range(1, len(numbers) + 1))


def test_it_gives_both_agencies_table_two_figures_for_the_last_full_year(demo):
    from decimal import Decimal

    from gongkai.reports.table2 import table2_figures

    year = timezone.localdate().year - 1
    hrss = table2_figures(agency=Agency.objects.get(slug="hrss"), year=year)
    civil = table2_figures(agency=Agency.objects.get(slug="civil-affairs"), year=year)

    # Two issued (one in force only from 1 January), one older document repealed during the year.
    assert hrss["normative"] == {"issued": 2, "repealed": 1, "in_force": 1}
    assert civil["normative"] == {"issued": 1, "repealed": 0, "in_force": 1}
    assert hrss["rules"] == civil["rules"] == {"issued": 0, "repealed": 0, "in_force": 0}
    assert (hrss["licensing"]["decisions"], hrss["penalty"]["decisions"]) == (214, 6)
    assert civil["fees"]["amount"] == Decimal("1.28")


def test_the_guide_column_shows_each_agencys_generated_guide(demo, client):
    """The demo has no hand-written guide item: the 指南 column leads to the generated guides, whose
    every element is set."""
    from gongkai.organisation.guide import missing_guide_elements

    column = client.get("/column/guide/").content.decode()
    for agency in Agency.objects.filter(is_active=True):
        assert missing_guide_elements(agency) == []
        assert f'href="/agencies/{agency.slug}/guide/"' in column
        guide = client.get(f"/agencies/{agency.slug}/guide/").content.decode()
        assert agency.reconsideration_body in guide and agency.court in guide
    assert not Item.objects.filter(title__endswith="政府信息公开指南").exists()
