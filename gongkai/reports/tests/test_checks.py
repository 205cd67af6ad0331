"""The report checks (gongkai.reports.checks): each made to fail names its rows and columns; and,
for random cases across three years, every check holds on the derived figures."""

import copy
import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from gongkai.applications.models import Appeal, Application
from gongkai.reports.checks import check, repeated_ratio
from gongkai.reports.figures import report_figures
from gongkai.reports.format import LEAF_OUTCOME, Figures
from gongkai.reports.sections import phrase
from gongkai.testing.factories import AgencyFactory

D = datetime.date


def consistent() -> Figures:
    """A small report whose every identity holds: 3 new + 1 carried in = 3 concluded + 1 carried out."""
    f = Figures(agency_id=1, year=2025)
    t = f.table3
    t["new"].update(natural=2, commercial=1, total=3)
    t["carried_in"].update(natural=1, total=1)
    t["disclosed"].update(natural=1, commercial=1, total=2)
    t["nd_3"].update(natural=1, total=1)
    t["total"].update(natural=2, commercial=1, total=3)
    t["carried_out"].update(natural=1, total=1)
    f.table4["reconsideration"].update(maintained=1, pending=1, total=2)
    return f


TEXT = {
    "on_request": f"{phrase('new_total', 3)}，{phrase('carried_in_total', 1)}，{phrase('total_total', 3)}。"
    f"其中{phrase('disclosed_total', 2)}。"
    f"{phrase('reconsideration_total', 2)}，{phrase('litigation_total', 0)}。",
    "problems": "一是答复文书格式不够统一。上年度问题已整改。",
    "other": "本机关未收取信息处理费。",
}


def codes(failures) -> set[str]:
    return {f.code for f in failures}


def test_a_consistent_report_passes_every_check():
    assert check(consistent(), previous=None, text=TEXT, previous_text=None) == []


def test_column_identity_names_the_four_rows_and_the_column():
    f = consistent()
    f.table3["new"]["commercial"] = 2
    f.table3["new"]["total"] = 4
    failures = [x for x in check(f) if x.code == "t3_identity"]
    assert [(x.rows, x.columns) for x in failures] == [
        (["new", "carried_in", "total", "carried_out"], ["commercial"]),
        (["new", "carried_in", "total", "carried_out"], ["total"]),
    ]
    assert "「商业企业」列" in failures[0].message and failures[0].blocking


def test_leaf_sum_names_the_total_row_and_the_column():
    f = consistent()
    f.table3["total"]["natural"] = 3
    f.table3["carried_out"]["natural"] = 0  # keep the column identity, break the leaf sum
    f.table3["total"]["total"] = 4
    f.table3["carried_out"]["total"] = 0
    failures = [x for x in check(f) if x.code == "t3_leaf_sum"]
    assert [x.columns for x in failures] == [["natural"], ["total"]]
    assert failures[0].rows[0] == "total" and "（七）总计（3）" in failures[0].message


def test_row_total_names_the_rows():
    f = consistent()
    f.table3["nd_3"]["total"] = 2
    failure = next(x for x in check(f) if x.code == "t3_row_total")
    assert failure.rows == ["nd_3"] and "3.危及“三安全一稳定”" in failure.message


def test_table_4_total_names_the_group():
    f = consistent()
    f.table4["litigation_after"]["corrected"] = 1
    failure = next(x for x in check(f) if x.code == "t4_total")
    assert (failure.table, failure.rows) == (
        "table4",
        ["litigation_after"],
    ) and "复议后起诉" in failure.message


def test_cross_year_names_the_columns_that_differ():
    last = consistent()
    last.year = 2024
    last.table3["carried_out"].update(natural=0, research=1)
    failure = next(x for x in check(consistent(), previous=last) if x.code == "cross_year")
    assert failure.rows == ["carried_in"] and failure.columns == ["natural", "research"]
    assert "2024年度报告" in failure.message


@pytest.mark.parametrize("bad", [None, "/", "", -1, 1.5, True])
def test_blank_or_invalid_cells_are_named(bad):
    f = consistent()
    f.table3["nd_5"]["research"] = bad
    failure = next(x for x in check(f) if x.code == "blank_cells")
    assert failure.cells == [("nd_5", "research")] and "5.属于三类内部事务信息/科研机构" in failure.message


def test_a_missing_row_or_table_2_cell_is_blank():
    f = consistent()
    del f.table3["np_2"]
    del f.table2["enforcement"]["decisions"]
    failures = {x.table: x for x in check(f) if x.code == "blank_cells"}
    assert failures["table3"].rows == ["np_2"] and len(failures["table3"].cells) == 7
    assert (
        failures["table2"].cells == [("enforcement", "decisions")]
        and "行政强制" in failures["table2"].message
    )


def test_text_figures_that_disagree_with_the_tables_are_named():
    text = {**TEXT, "on_request": TEXT["on_request"].replace(phrase("new_total", 3), phrase("new_total", 9))}
    failure = next(x for x in check(consistent(), text=text) if x.code == "text_figures")
    assert (failure.rows, failure.columns) == (["new"], ["total"]) and "（9）" in failure.message
    text = {**TEXT, "on_request": phrase("litigation_total", 1)}
    failure = next(x for x in check(consistent(), text=text) if x.code == "text_figures")
    assert failure.table == "table4" and failure.rows == ["litigation_direct", "litigation_after"]


def test_section_five_must_not_be_empty():
    failure = next(
        x for x in check(consistent(), text={**TEXT, "problems": "  "}) if x.code == "problems_empty"
    )
    assert failure.rows == ["problems"] and failure.blocking


def test_fees_in_table_2_must_be_explained_in_section_six():
    f = consistent()
    f.table2["fees"]["amount"] = Decimal("1.20")
    failure = next(x for x in check(f, text={**TEXT, "other": "无。"}) if x.code == "fees_unexplained")
    assert (failure.table, failure.rows, failure.columns) == ("table2", ["fees"], ["amount"])
    assert "fees_unexplained" not in codes(
        check(f, text={**TEXT, "other": "本年收取行政事业性收费1.2万元。"})
    )


def test_text_repeated_from_last_year_is_a_warning():
    last = {**TEXT, "on_request": TEXT["on_request"].replace("3", "7")}
    failures = check(consistent(), text=TEXT, previous_text=last)
    assert [(x.code, x.rows, x.blocking) for x in failures] == [
        ("text_repeated", ["overview"], False),
        ("text_repeated", ["problems"], False),
    ]
    fresh = {**TEXT, "problems": "今年新发现：网上申请渠道在移动端的填写体验较差，已组织专项优化并完成回访。"}
    assert [x.rows for x in check(consistent(), text=fresh, previous_text=last)] == [["overview"]]


def test_repeated_ratio_bounds():
    assert repeated_ratio("", "abc") == 0.0
    assert repeated_ratio("本年共收到申请12件，均按时答复。", "本年共收到申请3件，均按时答复。") == 1.0
    assert repeated_ratio("完全不同的一段新文字内容", "上年度的旧文字") == 0.0


def test_every_check_is_independent_of_the_others():
    f = copy.deepcopy(consistent())
    f.table4["reconsideration"]["total"] = 5
    assert codes(check(f)) == {"t4_total"}


# -- property: the derived figures always pass -------------------------------------------------

COLUMNS = ["natural", "commercial", "research", "public_welfare", "legal_service", "other_org", ""]
START = D(2023, 1, 1)
DAYS = (D(2025, 12, 31) - START).days

cases = st.lists(
    st.tuples(
        st.integers(0, DAYS),  # received, days after START
        st.one_of(st.none(), st.integers(0, 400)),  # concluded that many days later, or open
        st.sampled_from(sorted(LEAF_OUTCOME.values())),
        st.sampled_from(COLUMNS),
        st.booleans(),  # voided repeat
        st.lists(
            st.tuples(
                st.sampled_from(Appeal.Kind.values),
                st.integers(0, 200),  # filed that many days after the reply
                st.sampled_from(Appeal.Result.values),
                st.integers(0, 400),  # decided that many days after filing
            ),
            max_size=2,
        ),
    ),
    max_size=30,
)


@pytest.mark.django_db
@hsettings(max_examples=25)
@given(cases)
def test_random_cases_over_three_years_pass_every_check_and_chain(rows):
    agency = AgencyFactory.build(pk=None)
    agency.save()
    applications, appeals = [], []
    for received, after, outcome, column, voided, appeal_rows in rows:
        received_on = START + datetime.timedelta(days=received)
        replied_on = None if after is None or voided else received_on + datetime.timedelta(days=after)
        natural = column == "natural"
        application = Application(
            agency=agency,
            channel="online",
            received_on=received_on,
            applicant_type="natural" if natural else "legal",
            org_type="" if natural else column,
            name="甲",
            phone="13912345678",
            description="某信息",
            medium="paper",
            delivery="pickup",
            status="voided" if voided else ("replied" if replied_on else "forwarded"),
            outcome=outcome if replied_on else "",
            replied_on=replied_on,
        )
        applications.append(application)
        if replied_on:
            for kind, filed, result, decided in appeal_rows:
                filed_on = replied_on + datetime.timedelta(days=filed)
                done = result != "pending"
                appeals.append(
                    (
                        application,
                        kind,
                        filed_on,
                        result,
                        filed_on + datetime.timedelta(days=decided) if done else None,
                    )
                )
    Application.objects.bulk_create(applications)
    Appeal.objects.bulk_create(
        [Appeal(application=a, kind=k, filed_on=f, result=r, decided_on=d) for a, k, f, r, d in appeals]
    )
    previous = None
    for year in (2023, 2024, 2025):
        figures = report_figures(agency=agency, year=year)
        assert check(figures, previous=previous) == []
        if previous is not None:
            assert figures.table3["carried_in"] == previous.table3["carried_out"]
        previous = figures
    voided = sum(1 for r in rows if r[4])
    assert sum(report_figures(agency=agency, year=y).table3["new"]["total"] for y in (2023, 2024, 2025)) == (
        len(rows) - voided
    )
