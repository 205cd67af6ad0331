"""Counting rules of tables 三 and 四 on crafted cases (gongkai.reports.figures)."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.applications import identity
from gongkai.applications.intake import application_intake
from gongkai.applications.models import Appeal
from gongkai.applications.outcomes import OUTCOMES
from gongkai.audit.models import AuditEvent
from gongkai.core.roles import Role
from gongkai.reports.checks import check
from gongkai.reports.figures import drilldown, report_figures
from gongkai.reports.format import LEAF_OUTCOME, TABLE3_COLUMNS, TABLE3_ROWS
from gongkai.reports.opening import opening_balance_set
from gongkai.testing.builders import case_row, online_applicant
from gongkai.testing.factories import AgencyFactory, staff

D = datetime.date
BEIJING = datetime.timezone(datetime.timedelta(hours=8))
COLUMNS = [c for c, _ in TABLE3_COLUMNS]


def column_of(figures, row: str) -> dict:
    return {c: v for c, v in figures.table3[row].items() if v}


@pytest.fixture
def agency(db):
    return AgencyFactory()


def test_received_30_december_answered_8_january_is_new_then_carried_then_concluded(agency):
    c = case_row(agency, D(2024, 12, 30), D(2025, 1, 8), "disclosed")
    y1, y2 = report_figures(agency=agency, year=2024), report_figures(agency=agency, year=2025)
    assert column_of(y1, "new") == {"natural": 1, "total": 1}
    assert column_of(y1, "carried_out") == {"natural": 1, "total": 1}
    assert column_of(y1, "total") == {}
    assert column_of(y2, "new") == {}
    assert column_of(y2, "carried_in") == {"natural": 1, "total": 1}
    assert column_of(y2, "disclosed") == column_of(y2, "total") == {"natural": 1, "total": 1}
    assert column_of(y2, "carried_out") == {}
    assert list(drilldown(agency=agency, year=2025, table="table3", row="carried_in", column="natural")) == [
        c
    ]
    assert check(y2, previous=y1) == [] and check(y1) == []


def test_submitted_online_at_00_30_on_1_january_beijing_time_counts_in_year_two(agency):
    # 31 Dec 16:30 UTC is 1 Jan 00:30 in Beijing.
    with time_machine.travel(datetime.datetime(2025, 1, 1, 0, 30, tzinfo=BEIJING), tick=False):
        intake = application_intake(agency=agency, data=online_applicant())
    assert intake.application.received_on == D(2025, 1, 1)
    assert report_figures(agency=agency, year=2024).table3["new"]["total"] == 0
    assert report_figures(agency=agency, year=2025).table3["new"]["total"] == 1


def test_by_post_signed_for_29_december_registered_4_january_counts_in_year_one(agency):
    office = staff(agency, Role.OFFICE)
    with time_machine.travel(datetime.datetime(2025, 1, 4, 10, 0, tzinfo=BEIJING), tick=False):
        intake = application_intake(
            agency=agency,
            data=online_applicant(
                applicant_type="legal",
                org_type="research",
                name="某研究所",
                id_type="",
                id_number="",
                credit_code=identity.make_credit_code(),
                contact_person="李四",
            ),
            channel="post",
            received_on=D(2024, 12, 29),
            actor=office,
        )
    assert intake.application.received_on == D(2024, 12, 29)
    y1, y2 = report_figures(agency=agency, year=2024), report_figures(agency=agency, year=2025)
    assert column_of(y1, "new") == {"research": 1, "total": 1}
    assert column_of(y1, "carried_out") == {"research": 1, "total": 1}
    assert column_of(y2, "new") == {} and column_of(y2, "carried_in") == {"research": 1, "total": 1}


def test_a_reply_dated_on_a_weekend_or_holiday_counts_once(agency):
    case_row(agency, D(2025, 9, 20), D(2025, 10, 4), "partial")  # a Saturday in the National Day holiday
    case_row(agency, D(2025, 3, 1), D(2025, 3, 9), "disclosed")  # a Sunday
    figures = report_figures(agency=agency, year=2025)
    assert figures.table3["partial"]["total"] == 1 and figures.table3["disclosed"]["total"] == 1
    assert figures.table3["total"]["total"] == 2 and check(figures) == []


@pytest.mark.parametrize("leaf", list(LEAF_OUTCOME))
@pytest.mark.parametrize("column", COLUMNS[:-1])
def test_every_outcome_and_applicant_type_lands_in_its_row_and_column(agency, leaf, column):
    c = case_row(agency, D(2025, 5, 6), D(2025, 5, 20), LEAF_OUTCOME[leaf], column=column)
    figures = report_figures(agency=agency, year=2025)
    nonzero = {(r, col) for r, row in figures.table3.items() for col, v in row.items() if v}
    assert nonzero == {(row, col) for row in ("new", leaf, "total") for col in (column, "total")}
    assert list(drilldown(agency=agency, year=2025, table="table3", row=leaf, column=column)) == [c]
    assert not drilldown(
        agency=agency, year=2025, table="table3", row=leaf, column=COLUMNS[column == "natural"]
    )
    assert check(figures) == []


def test_an_organisation_without_a_type_counts_under_other(agency):
    case_row(agency, D(2025, 5, 6), column="")
    assert column_of(report_figures(agency=agency, year=2025), "new") == {"other_org": 1, "total": 1}
    assert drilldown(agency=agency, year=2025, table="table3", row="new", column="other_org").count() == 1


def test_lapses_count_as_other_handling_1_and_2(agency):
    case_row(agency, D(2025, 2, 1), D(2025, 3, 1), "other_no_correction", status="closed")
    case_row(agency, D(2025, 2, 1), D(2025, 3, 2), "other_fee_unpaid", status="closed")
    figures = report_figures(agency=agency, year=2025)
    assert figures.table3["ot_1"]["total"] == figures.table3["ot_2"]["total"] == 1


def test_voided_repeats_never_count_and_a_statutory_repeat_is_five_2(agency):
    first = case_row(agency, D(2025, 4, 1), D(2025, 4, 10), "disclosed")
    voided = case_row(agency, D(2025, 4, 1), status="voided")
    voided.duplicate_of = first
    voided.save()
    case_row(agency, D(2025, 6, 1), D(2025, 6, 3), "np_repeated")  # a real repeat request, answered
    figures = report_figures(agency=agency, year=2025)
    assert figures.table3["new"]["total"] == 2
    assert figures.table3["np_2"]["total"] == 1
    assert figures.table3["carried_out"]["total"] == 0
    assert voided not in drilldown(agency=agency, year=2025, table="table3", row="new", column="total")
    assert check(figures) == []


def test_an_approved_but_not_issued_reply_is_carried_over(agency):
    case_row(agency, D(2025, 12, 20), None, "disclosed", status="approved")
    figures = report_figures(agency=agency, year=2025)
    assert figures.table3["carried_out"]["total"] == 1 and figures.table3["total"]["total"] == 0


def test_other_agencies_cases_do_not_count(agency):
    case_row(AgencyFactory(), D(2025, 4, 1), D(2025, 4, 2), "disclosed")
    assert all(
        v == 0 for row in report_figures(agency=agency, year=2025).table3.values() for v in row.values()
    )


def test_every_cell_is_present_with_zero(agency):
    figures = report_figures(agency=agency, year=2025)
    assert [r.key for r in TABLE3_ROWS] == list(figures.table3)
    assert all(list(row) == COLUMNS for row in figures.table3.values())
    assert sum(len(r) for r in figures.table4.values()) == 15
    assert sum(len(r) for r in figures.table2.values()) == 10


def appeal(application, kind, filed, result="pending", decided=None):
    return Appeal.objects.create(
        application=application, kind=kind, filed_on=filed, result=result, decided_on=decided
    )


def test_table_4_counts_appeals_in_their_filing_year_with_the_result_known_on_31_december(agency):
    c = case_row(agency, D(2024, 3, 1), D(2024, 3, 20), "nd_4")
    appeal(c, "reconsideration", D(2024, 4, 1), "maintained", D(2024, 6, 1))
    appeal(c, "litigation_after", D(2024, 7, 1), "corrected", D(2025, 2, 1))  # decided next year
    appeal(c, "litigation_direct", D(2025, 1, 5), "other", D(2025, 3, 1))
    y1, y2 = report_figures(agency=agency, year=2024), report_figures(agency=agency, year=2025)
    assert y1.table4["reconsideration"] == {
        "maintained": 1,
        "corrected": 0,
        "other": 0,
        "pending": 0,
        "total": 1,
    }
    assert y1.table4["litigation_after"]["pending"] == 1 and y1.table4["litigation_after"]["total"] == 1
    assert y1.table4["litigation_direct"]["total"] == 0
    assert y2.table4["litigation_after"]["total"] == 0
    assert y2.table4["litigation_direct"]["other"] == 1
    assert list(
        drilldown(agency=agency, year=2024, table="table4", row="litigation_after", column="pending")
    ) == [c]
    assert not drilldown(agency=agency, year=2024, table="table4", row="litigation_after", column="corrected")
    assert check(y1) == [] and check(y2) == []


def test_drilldown_refuses_unknown_cells(agency):
    for table, row, column in (
        ("table9", "new", "total"),
        ("table3", "x", "total"),
        ("table4", "x", "total"),
    ):
        with pytest.raises(ValueError):
            drilldown(agency=agency, year=2025, table=table, row=row, column=column)
    with pytest.raises(ValueError):
        drilldown(agency=agency, year=2025, table="table3", row="new", column="x")


def test_opening_balance_feeds_two_once_audited(agency):
    office = staff(agency, Role.OFFICE)
    balance = opening_balance_set(
        actor=office, agency=agency, year=2025, values={"natural": 2, "commercial": 1}, note="据2024年度报告"
    )
    case_row(agency, D(2024, 11, 1), D(2025, 1, 10), "disclosed")
    case_row(agency, D(2024, 11, 2), D(2025, 1, 11), "disclosed")
    case_row(agency, D(2024, 11, 3), D(2025, 1, 12), "cp_1", column="commercial")
    y = report_figures(agency=agency, year=2025)
    assert column_of(y, "carried_in") == {"natural": 2, "commercial": 1, "total": 3}
    assert check(y) == []
    assert AuditEvent.objects.filter(action="opening_balance_set", target_id=str(balance.pk)).exists()
    with pytest.raises(ValidationError):
        opening_balance_set(actor=office, agency=agency, year=2025, values={"natural": 1}, note="再次")
    # Another year is derived as before.
    assert report_figures(agency=agency, year=2024).table3["carried_in"]["total"] == 0


def test_opening_balance_without_its_cases_breaks_the_identity_and_says_where(agency):
    office = staff(agency, Role.OFFICE)
    opening_balance_set(actor=office, agency=agency, year=2025, values={"natural": 2}, note="据2024年度报告")
    case_row(agency, D(2024, 11, 1), D(2025, 1, 10), "disclosed")
    failures = check(report_figures(agency=agency, year=2025))
    assert {(f.code, tuple(f.columns)) for f in failures} == {
        ("t3_identity", ("natural",)),
        ("t3_identity", ("total",)),
    }


@pytest.mark.parametrize(
    "kwargs",
    [
        {"values": {"natural": -1}},
        {"values": {"natural": "abc"}},
        {"values": {"natural": 1.5}},
        {"values": {"nobody": 1}},
        {"note": " "},
        {"year": 2999},
    ],
)
def test_opening_balance_refuses_bad_input(agency, kwargs):
    office = staff(agency, Role.OFFICE)
    with pytest.raises(ValidationError):
        opening_balance_set(
            actor=office,
            agency=agency,
            **{"year": 2025, "values": {"natural": 1}, "note": "据报告", **kwargs},
        )


def test_opening_balance_only_by_the_agencys_office(agency):
    for actor in (staff(agency, Role.CLERK), staff(AgencyFactory(), Role.OFFICE)):
        with pytest.raises(PermissionDenied):
            opening_balance_set(actor=actor, agency=agency, year=2025, values={}, note="据报告")


def test_the_outcomes_catalogue_is_covered_by_the_leaves():
    assert set(LEAF_OUTCOME.values()) == set(OUTCOMES)
