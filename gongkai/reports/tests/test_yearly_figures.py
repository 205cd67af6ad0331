"""The yearly figures of table 二 (行政许可/处罚/强制, 行政事业性收费): the pure rules, the audited
service, and the staff page with its permission ladder."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from gongkai.audit.models import AuditEvent
from gongkai.reports.models import YearlyFigures
from gongkai.reports.yearly import YEARLY_FIELDS, check_yearly, parse_amount
from gongkai.reports.yearly_services import yearly_figures_set
from gongkai.testing.factories import UserFactory

FULL = {
    "licensing_decisions": 1517,
    "licensing_source": "县政务服务中心审批系统",
    "penalty_decisions": 16,
    "penalty_source": "执法股案件台账",
    "enforcement_decisions": 0,
    "enforcement_source": "",
    "fees_amount": Decimal("0.0400"),
    "fees_source": "财务股收费台账",
}
ZERO = {f.value_name: (Decimal("0") if f.column == "amount" else 0) for f in YEARLY_FIELDS} | {
    f.source_name: "" for f in YEARLY_FIELDS
}


# -- the pure rules ---------------------------------------------------------------------------

decisions = st.integers(min_value=0, max_value=2_147_483_647)
amounts = st.decimals(min_value=0, max_value=Decimal("9999999999.9999"), places=4, allow_nan=False)
sources = st.text(alphabet="台账系统股室审批收费执法2025年", min_size=1, max_size=40)


@given(
    st.fixed_dictionaries(
        {
            "licensing_decisions": decisions,
            "penalty_decisions": decisions,
            "enforcement_decisions": decisions,
            "fees_amount": amounts,
            "licensing_source": sources,
            "penalty_source": sources,
            "enforcement_source": sources,
            "fees_source": sources,
        }
    )
)
def test_it_accepts_any_figures_in_the_domain_with_their_sources(values):
    assert check_yearly(values) == {}


@given(st.sampled_from(YEARLY_FIELDS), st.integers(min_value=1, max_value=10_000))
def test_it_wants_the_source_of_every_non_zero_figure(field, n):
    value = Decimal(n) / 10_000 if field.column == "amount" else n
    errors = check_yearly(ZERO | {field.value_name: value})

    assert list(errors) == [field.source_name]
    assert "请写明数据来源" in errors[field.source_name]


def test_it_needs_no_source_for_zero():
    assert check_yearly(ZERO) == {}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (-1, "不能为负数"),
        (1.5, "须为整数"),
        ("3", "须为整数"),
        (True, "须为整数"),
        (None, "须为整数"),
        (2**31, "过大"),
    ],
)
def test_it_refuses_decisions_that_are_not_whole_numbers_from_zero(value, message):
    errors = check_yearly(ZERO | {"penalty_decisions": value, "penalty_source": "台账"})

    assert message in errors["penalty_decisions"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-0.0001", "不能为负数"),
        ("0.00001", "最多保留4位小数"),
        ("abc", "须为数字"),
        ("NaN", "须为数字"),
        ("Infinity", "须为数字"),
        ("10000000000", "过大"),
    ],
)
def test_it_refuses_amounts_that_are_negative_too_precise_or_not_numbers(value, message):
    with pytest.raises(ValueError, match=message):
        parse_amount(value)
    assert message in check_yearly(ZERO | {"fees_amount": value, "fees_source": "台账"})["fees_amount"]


def test_it_accepts_an_amount_to_the_yuan():
    assert parse_amount("1.2345") == Decimal("1.2345")
    assert parse_amount("0.0400") == Decimal("0.04")


# -- the service ------------------------------------------------------------------------------


def test_it_saves_the_office_figures_and_audits_before_and_after(team):
    year = timezone.localdate().year - 1
    first = yearly_figures_set(actor=team.office, agency=team.agency, year=year, values=FULL)
    second = yearly_figures_set(
        actor=team.office, agency=team.agency, year=year, values=FULL | {"penalty_decisions": 17}
    )

    assert first.pk == second.pk
    stored = YearlyFigures.objects.get(agency=team.agency, year=year)
    assert (stored.licensing_decisions, stored.penalty_decisions) == (1517, 17)
    assert stored.fees_amount == Decimal("0.04")
    assert stored.entered_by == team.office
    events = AuditEvent.objects.filter(action="yearly_figures_set").order_by("id")
    assert [e.data["after"]["penalty_decisions"] for e in events] == [16, 17]
    assert events[0].data["before"] == {}
    assert events[1].data["before"]["penalty_decisions"] == 16
    assert events[1].data["after"]["fees_amount"] == "0.0400"
    assert all(e.agency_id == team.agency.pk and e.actor_id == team.office.pk for e in events)


@pytest.mark.parametrize("who", ["clerk", "dept_head", "secrecy", "leader", "leading_group", "supervisor"])
def test_it_lets_only_the_disclosure_office_enter_figures(team, who):
    with pytest.raises(PermissionDenied, match="政务公开办公室"):
        yearly_figures_set(actor=getattr(team, who), agency=team.agency, year=2025, values=FULL)
    assert not YearlyFigures.objects.exists()


def test_it_refuses_the_office_of_another_agency(team, other_team):
    with pytest.raises(PermissionDenied):
        yearly_figures_set(actor=other_team.office, agency=team.agency, year=2025, values=FULL)


@pytest.mark.parametrize("offset", [1, 10])
def test_it_refuses_future_years(team, offset):
    with pytest.raises(ValidationError, match="年度无效"):
        yearly_figures_set(
            actor=team.office, agency=team.agency, year=timezone.localdate().year + offset, values=FULL
        )


def test_it_refuses_a_non_zero_figure_without_its_source(team):
    with pytest.raises(ValidationError) as caught:
        yearly_figures_set(
            actor=team.office, agency=team.agency, year=2025, values=FULL | {"penalty_source": "  "}
        )
    assert "行政处罚的数字不为0" in caught.value.message_dict["penalty_source"][0]
    assert not YearlyFigures.objects.exists()
    assert not AuditEvent.objects.filter(action="yearly_figures_set").exists()


# -- the page ---------------------------------------------------------------------------------


def url(team, year: int = 2025) -> str:
    return reverse("reports_staff:yearly_figures", kwargs={"agency": team.agency.slug, "year": year})


def form_data(values: dict) -> dict:
    return {k: ("" if v is None else str(v)) for k, v in values.items()}


def test_the_page_sends_anonymous_visitors_to_sign_in(client, team):
    for method in (client.get, client.post):
        response = method(url(team))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("workbench:login"))


def test_the_page_forbids_users_without_an_agency_role(client, team):
    client.force_login(UserFactory(agency=team.agency))
    assert client.get(url(team)).status_code == 403


def test_the_page_forbids_clerks(client, team):
    client.force_login(team.clerk)
    assert client.get(url(team)).status_code == 403
    assert client.post(url(team), form_data(FULL)).status_code == 403
    assert not YearlyFigures.objects.exists()


@pytest.mark.parametrize("who", ["dept_head", "secrecy", "leader", "leading_group", "supervisor"])
def test_the_page_shows_the_figures_read_only_to_the_review_chain(client, team, who):
    yearly_figures_set(actor=team.office, agency=team.agency, year=2025, values=FULL)
    client.force_login(getattr(team, who))

    response = client.get(url(team))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "县政务服务中心审批系统" in page and "1517" in page
    assert 'name="licensing_decisions"' not in page
    assert client.post(url(team), form_data(FULL | {"penalty_decisions": 99})).status_code == 403
    assert YearlyFigures.objects.get().penalty_decisions == 16


def test_the_page_hides_another_agencys_figures(client, team, other_team):
    for who in ("office", "leader", "clerk"):
        client.force_login(getattr(other_team, who))
        assert client.get(url(team)).status_code == 404, who
        assert client.post(url(team), form_data(FULL)).status_code == 404, who
    assert not YearlyFigures.objects.exists()


def test_the_page_has_no_future_year(client, team):
    client.force_login(team.office)
    assert client.get(url(team, timezone.localdate().year + 1)).status_code == 404
    assert client.get(url(team, timezone.localdate().year)).status_code == 200


def test_the_office_enters_the_figures_on_the_page(client, team):
    client.force_login(team.office)
    response = client.get(url(team))
    assert response.status_code == 200
    assert 'name="fees_amount"' in response.content.decode()

    response = client.post(url(team), form_data(FULL))

    assert response.status_code == 302
    assert response["Location"] == url(team)
    stored = YearlyFigures.objects.get(agency=team.agency, year=2025)
    assert (stored.licensing_decisions, stored.fees_amount) == (1517, Decimal("0.04"))
    assert AuditEvent.objects.filter(action="yearly_figures_set", actor=team.office).count() == 1
    page = client.get(url(team)).content.decode()
    assert 'value="1517"' in page and "财务股收费台账" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"penalty_source": ""}, "penalty_source", "行政处罚的数字不为0，请写明数据来源"),
        ({"fees_amount": "1.23456"}, "fees_amount", "最多保留4位小数"),
        ({"fees_amount": "-1"}, "fees_amount", "不能为负数"),
        ({"fees_amount": "一万"}, "fees_amount", "须为数字"),
        ({"licensing_decisions": "-3"}, "licensing_decisions", "不能为负数"),
        ({"licensing_decisions": "2.5"}, "licensing_decisions", "须为整数"),
        ({"licensing_decisions": ""}, "licensing_decisions", "没有的填0"),
        ({"licensing_source": "审批\x07系统"}, "licensing_source", "不可见字符"),
    ],
)
def test_the_page_keeps_the_form_and_names_the_error_in_chinese(client, team, changes, field, message):
    client.force_login(team.office)

    response = client.post(url(team), form_data(FULL) | changes)

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    page = response.content.decode()
    assert message in page
    assert "财务股收费台账" in page  # what was typed stays
    assert not YearlyFigures.objects.exists()
