"""Table 二 from the catalogue and the yearly figures: every column's rule on crafted items across
year boundaries (Beijing dates), the 有效性 history, and the yearly figures' rows."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from gongkai.catalogue import services
from gongkai.catalogue.models import Item, Validity, ValidityChange
from gongkai.catalogue.workflow import Action, TransitionRefused
from gongkai.reports.format import TABLE2_ROWS
from gongkai.reports.table2 import table2_figures, table2_items
from gongkai.reports.yearly_services import yearly_figures_set

BEIJING = ZoneInfo("Asia/Shanghai")
D = datetime.date


def doc(team, kind: str = "normative", *, written: D, effective: D | None = None, title: str = "", **fields):
    """A published document of ``kind`` with its 文号, 成文日期 and 施行日期."""
    return team.published(
        title or f"关于{kind}{written.isoformat()}的规定",
        document_type=kind,
        document_number=f"示文〔{written.year}〕{written.toordinal() % 97}号",
        written_on=written,
        effective_on=effective or written,
        **fields,
    )


def row(team, year: int, key: str = "normative") -> dict:
    return table2_figures(agency=team.agency, year=year)[key]


def set_validity(team, item, validity: str, on: D, note: str = "已被新文件废止"):
    return services.item_set_validity(
        actor=team.office, item=item, validity=validity, note=note, changed_on=on
    )


# -- shape ------------------------------------------------------------------------------------


def test_it_gives_every_cell_of_the_contract_even_with_nothing_recorded(team):
    table = table2_figures(agency=team.agency, year=2025)

    assert list(table) == [r.key for r in TABLE2_ROWS]
    for r in TABLE2_ROWS:
        assert list(table[r.key]) == [c for c, _ in r.columns]
    assert table["rules"] == {"issued": 0, "repealed": 0, "in_force": 0}
    assert table["fees"] == {"amount": Decimal("0")}
    assert isinstance(table["fees"]["amount"], Decimal)


# -- 本年制发件数 -----------------------------------------------------------------------------


def test_it_counts_issued_documents_by_their_written_date_across_the_new_year(team):
    doc(team, written=D(2024, 12, 31))
    doc(team, written=D(2025, 1, 1))
    doc(team, written=D(2025, 12, 31))

    assert row(team, 2024)["issued"] == 1
    assert row(team, 2025)["issued"] == 2
    assert row(team, 2026)["issued"] == 0


def test_it_keeps_rules_and_normative_documents_in_their_own_rows_and_ignores_other_documents(team):
    doc(team, "rules", written=D(2025, 3, 1))
    doc(team, "normative", written=D(2025, 3, 2))
    doc(team, "normative", written=D(2025, 3, 3))
    team.published("普通通知", written_on=D(2025, 3, 4))  # 其他公文

    assert row(team, 2025, "rules") == {"issued": 1, "repealed": 0, "in_force": 1}
    assert row(team, 2025, "normative") == {"issued": 2, "repealed": 0, "in_force": 2}


def test_it_counts_only_documents_disclosed_to_the_public(team):
    doc(team, written=D(2025, 5, 1), title="已发布的规范性文件")
    draft = team.draft(
        "草稿规范性文件",
        document_type="normative",
        document_number="示文〔2025〕1号",
        written_on=D(2025, 5, 2),
        effective_on=D(2025, 5, 2),
    )
    team.advance(draft, to="leader_review")
    doc(team, written=D(2025, 5, 3), title="内部公开的规范性文件", scope="internal")
    withdrawn = doc(team, written=D(2025, 5, 4), title="已撤回的规范性文件")
    services.item_transition(actor=team.office, item=withdrawn, action=Action.WITHDRAW, reason="内容有误")

    assert row(team, 2025) == {"issued": 1, "repealed": 0, "in_force": 1}


def test_it_counts_only_the_agencys_own_documents(team, other_team):
    doc(team, written=D(2025, 5, 1))
    doc(other_team, written=D(2025, 5, 1))
    doc(other_team, written=D(2025, 6, 1))

    assert row(team, 2025)["issued"] == 1
    assert row(other_team, 2025)["issued"] == 2


def test_it_counts_a_document_without_a_written_date_by_its_beijing_publication_date(team):
    # 00:30 on 1 January in Beijing is still 31 December in UTC.
    with time_machine.travel(datetime.datetime(2026, 1, 1, 0, 30, tzinfo=BEIJING), tick=False):
        item = doc(team, written=D(2025, 12, 20))
    Item.objects.filter(pk=item.pk).update(written_on=None)

    assert row(team, 2025)["issued"] == 0
    assert row(team, 2026)["issued"] == 1


# -- 现行有效件数 -----------------------------------------------------------------------------


def test_it_counts_a_document_in_force_only_from_its_effective_date(team):
    doc(team, written=D(2024, 12, 20), effective=D(2025, 1, 10))

    assert row(team, 2024) == {"issued": 1, "repealed": 0, "in_force": 0}
    assert row(team, 2025) == {"issued": 0, "repealed": 0, "in_force": 1}


def test_it_keeps_documents_in_force_year_after_year_until_repealed(team):
    item = doc(team, written=D(2022, 4, 1))
    set_validity(team, item, Validity.REPEALED, D(2025, 6, 30))

    assert [row(team, y)["in_force"] for y in (2021, 2022, 2023, 2024, 2025, 2026)] == [0, 1, 1, 1, 0, 0]


def test_it_keeps_an_amended_document_in_force(team):
    item = doc(team, written=D(2024, 4, 1))
    set_validity(team, item, Validity.AMENDED, D(2025, 2, 1), note="部分条款已修改")

    assert row(team, 2025) == {"issued": 0, "repealed": 0, "in_force": 1}


# -- 本年废止件数 -----------------------------------------------------------------------------


@pytest.mark.parametrize("validity", [Validity.REPEALED, Validity.EXPIRED])
def test_it_counts_a_repeal_or_expiry_in_the_year_it_took_effect(team, validity):
    item = doc(team, written=D(2023, 4, 1))
    set_validity(team, item, validity, D(2025, 1, 1))

    assert row(team, 2024) == {"issued": 0, "repealed": 0, "in_force": 1}
    assert row(team, 2025) == {"issued": 0, "repealed": 1, "in_force": 0}
    assert row(team, 2026) == {"issued": 0, "repealed": 0, "in_force": 0}


def test_it_counts_a_repeal_on_31_december_in_that_year(team):
    item = doc(team, written=D(2023, 4, 1))
    set_validity(team, item, Validity.REPEALED, D(2024, 12, 31))

    assert row(team, 2024) == {"issued": 0, "repealed": 1, "in_force": 0}
    assert row(team, 2025)["repealed"] == 0


def test_it_counts_a_document_issued_and_repealed_in_the_same_year_in_both_columns(team):
    item = doc(team, written=D(2025, 2, 1))
    set_validity(team, item, Validity.EXPIRED, D(2025, 11, 30), note="有效期届满")

    assert row(team, 2025) == {"issued": 1, "repealed": 1, "in_force": 0}


def test_it_does_not_count_a_repeal_undone_within_the_year(team):
    item = doc(team, written=D(2023, 4, 1))
    set_validity(team, item, Validity.REPEALED, D(2025, 3, 1))
    set_validity(team, item, Validity.VALID, D(2025, 3, 5), note="误标，恢复有效")

    assert row(team, 2025) == {"issued": 0, "repealed": 0, "in_force": 1}


def test_it_keeps_last_years_repeal_when_the_document_is_restored_this_year(team):
    item = doc(team, written=D(2023, 4, 1))
    set_validity(team, item, Validity.REPEALED, D(2024, 10, 1))
    set_validity(team, item, Validity.VALID, D(2025, 2, 1), note="重新施行")

    assert row(team, 2024) == {"issued": 0, "repealed": 1, "in_force": 0}
    assert row(team, 2025) == {"issued": 0, "repealed": 0, "in_force": 1}


def test_it_does_not_count_a_document_repealed_twice_as_two(team):
    item = doc(team, written=D(2023, 4, 1))
    set_validity(team, item, Validity.EXPIRED, D(2025, 3, 1), note="到期")
    set_validity(team, item, Validity.REPEALED, D(2025, 4, 1))

    assert row(team, 2025)["repealed"] == 1


def test_it_dates_a_change_recorded_without_a_date_by_the_beijing_calendar(team):
    with time_machine.travel(datetime.datetime(2025, 6, 1, 10, tzinfo=BEIJING), tick=False):
        item = doc(team, written=D(2025, 5, 1))
    # 00:30 on 1 January 2026 in Beijing (16:30 on 31 December in UTC): a 2026 repeal.
    with time_machine.travel(datetime.datetime(2026, 1, 1, 0, 30, tzinfo=BEIJING), tick=False):
        services.item_set_validity(actor=team.office, item=item, validity=Validity.REPEALED, note="废止")

    assert ValidityChange.objects.get(item=item).changed_on == D(2026, 1, 1)
    assert row(team, 2025) == {"issued": 1, "repealed": 0, "in_force": 1}
    assert row(team, 2026) == {"issued": 0, "repealed": 1, "in_force": 0}


def test_it_uses_the_present_validity_of_an_item_without_history(team):
    item = doc(team, written=D(2023, 4, 1))
    Item.objects.filter(pk=item.pk).update(validity=Validity.REPEALED)

    assert row(team, 2024) == {"issued": 0, "repealed": 0, "in_force": 0}


# -- the history itself -----------------------------------------------------------------------


def test_it_records_each_change_of_validity_with_its_date_and_no_row_for_a_note_only_change(team):
    item = doc(team, written=D(2023, 4, 1))
    set_validity(team, item, Validity.REPEALED, D(2025, 3, 1), note="被示文〔2025〕2号废止")
    set_validity(team, item, Validity.REPEALED, D(2025, 3, 1), note="被示文〔2025〕2号废止（更正说明）")

    change = ValidityChange.objects.get(item=item)
    assert (change.from_validity, change.to_validity) == ("valid", "repealed")
    assert change.changed_on == D(2025, 3, 1)
    assert change.note == "被示文〔2025〕2号废止"
    assert change.recorded_by == team.office


@pytest.mark.parametrize(
    ("on", "message"),
    [
        (datetime.date.today() + datetime.timedelta(days=2), "变更日期不能晚于今天"),
        (D(2023, 3, 31), "变更日期不能早于成文日期"),
    ],
)
def test_it_refuses_a_change_dated_in_the_future_or_before_the_document(team, on, message):
    item = doc(team, written=D(2023, 4, 1))

    with pytest.raises(TransitionRefused, match=message):
        set_validity(team, item, Validity.REPEALED, on)
    assert not ValidityChange.objects.exists()
    assert Item.objects.get(pk=item.pk).validity == Validity.VALID


def test_it_refuses_a_change_dated_before_the_last_one(team):
    item = doc(team, written=D(2023, 4, 1))
    set_validity(team, item, Validity.REPEALED, D(2025, 3, 1))

    with pytest.raises(TransitionRefused, match="不能早于上一次有效性变更的日期（2025年3月1日）"):
        set_validity(team, item, Validity.VALID, D(2025, 2, 1), note="恢复")
    assert ValidityChange.objects.count() == 1


def test_it_audits_the_date_of_the_change(team):
    from gongkai.audit.models import AuditEvent

    item = doc(team, written=D(2023, 4, 1))
    set_validity(team, item, Validity.EXPIRED, D(2025, 3, 1), note="到期")

    event = AuditEvent.objects.get(action="item_set_validity", target_id=str(item.pk))
    assert (event.from_state, event.to_state, event.data["changed_on"]) == ("valid", "expired", "2025-03-01")


# -- the drill-down ---------------------------------------------------------------------------


def test_it_lists_the_items_behind_each_document_cell(team):
    kept = doc(team, written=D(2025, 2, 1), title="仍有效的文件")
    repealed = doc(team, written=D(2024, 2, 1), title="年内废止的文件")
    set_validity(team, repealed, Validity.REPEALED, D(2025, 7, 1))

    def titles(column: str) -> list[str]:
        return [i.title for i in table2_items(agency=team.agency, year=2025, row="normative", column=column)]

    assert titles("issued") == [kept.title]
    assert titles("repealed") == [repealed.title]
    assert titles("in_force") == [kept.title]
    with pytest.raises(KeyError):
        table2_items(agency=team.agency, year=2025, row="fees", column="amount")


# -- the yearly figures' rows -----------------------------------------------------------------


def test_it_takes_the_other_rows_from_the_yearly_figures_of_that_agency_and_year(team, other_team):
    yearly_figures_set(
        actor=team.office,
        agency=team.agency,
        year=2025,
        values={
            "licensing_decisions": 1517,
            "licensing_source": "县政务服务中心审批系统",
            "penalty_decisions": 16,
            "penalty_source": "执法股案件台账",
            "enforcement_decisions": 0,
            "enforcement_source": "",
            "fees_amount": Decimal("1.2345"),
            "fees_source": "财务股收费台账",
        },
    )

    table = table2_figures(agency=team.agency, year=2025)
    assert table["licensing"] == {"decisions": 1517}
    assert table["penalty"] == {"decisions": 16}
    assert table["enforcement"] == {"decisions": 0}
    assert table["fees"] == {"amount": Decimal("1.2345")}
    assert table2_figures(agency=team.agency, year=2024)["licensing"] == {"decisions": 0}
    assert table2_figures(agency=other_team.agency, year=2025)["penalty"] == {"decisions": 0}


def test_the_report_figures_take_table_two_from_here(team):
    from gongkai.reports.figures import report_figures

    doc(team, "rules", written=D(2025, 2, 1))

    assert report_figures(agency=team.agency, year=2025).table2["rules"] == {
        "issued": 1,
        "repealed": 0,
        "in_force": 1,
    }


def test_it_reads_table_two_in_a_fixed_number_of_queries(team, django_assert_max_num_queries):
    for month in range(1, 7):
        item = doc(team, written=D(2024, month, 1))
        set_validity(team, item, Validity.REPEALED, D(2025, month, 2))
    doc(team, "rules", written=D(2025, 1, 5))

    with django_assert_max_num_queries(3):  # the items, their history, the yearly figures
        table = table2_figures(agency=team.agency, year=2025)
    assert table["normative"] == {"issued": 0, "repealed": 6, "in_force": 0}
