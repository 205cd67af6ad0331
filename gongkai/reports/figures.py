"""The figures of the annual report, derived from the records (国办公开办函〔2021〕30号).

Every cell of tables 三 and 四 is one database query over the agency's cases; ``drilldown`` returns
the cases behind a cell with the same filters. The counting rules are stated next to each rule
below and in ``docs/annual-report.md``. Dates: ``received_on``, ``replied_on``, ``filed_on`` and
``decided_on`` are calendar dates in Beijing time (the intake stamps ``received_on`` with
``timezone.localdate()`` under TIME_ZONE = Asia/Shanghai), so a year runs from 1 January to
31 December Beijing time.

The counting is done by GROUP BY in the database (four queries for table 三, one for table 四),
never by a Python loop over the cases.
"""

from __future__ import annotations

import datetime

from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When

from gongkai.applications.models import Appeal, ApplicantType, Application
from gongkai.reports.format import (
    LEAF_OUTCOME,
    OUTCOME_LEAF,
    TABLE3_APPLICANT_COLUMNS,
    TABLE4_GROUPS,
    TABLE4_RESULTS,
    Figures,
    empty_table2,
    empty_table3,
    empty_table4,
)
from gongkai.reports.models import OpeningBalance
from gongkai.reports.table2 import table2_figures

__all__ = ["drilldown", "report_figures"]

_COLUMN_KEYS = tuple(key for key, _ in TABLE3_APPLICANT_COLUMNS)
_ORG_COLUMNS = _COLUMN_KEYS[1:]

# The applicant column (Application.applicant_column) as a database expression: 自然人 for a
# natural person; an organisation by its type, an organisation without a type under 其他.
_COLUMN = Case(
    When(applicant_type=ApplicantType.NATURAL, then=Value("natural")),
    When(org_type="", then=Value("other_org")),
    default=F("org_type"),
    output_field=CharField(),
)


def _bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _cases(agency) -> QuerySet[Application]:
    # Rule: voided repeats (作废, a technical duplicate of a case already registered — the same
    # submission twice, or the same applicant's same request the same day, set aside by the office
    # with a reason) are not requests at all: never 本年新收, never a result, never （五）2 重复申请.
    # 2.重复申请 is a statutory reply (Regulation art. 36(6)) to a new request for information
    # already answered, and counts like any other reply. (Application.objects.reported().)
    return Application.objects.reported().filter(agency=agency)


def _concluded_before(day: datetime.date) -> Q:
    # Rule: a request is concluded on the date of its concluding act — the reply (答复书, whatever
    # its outcome), or the lapse recorded when the correction or fee period ran out (逾期不补正 →
    # （六）1, 逾期未缴费 → （六）2) — all stored as ``replied_on`` with the outcome. A reply dated on
    # a weekend or holiday counts on that date, once. An outcome the report does not know keeps
    # the case open (it cannot be put in any row).
    return Q(replied_on__lt=day, outcome__in=list(OUTCOME_LEAF))


def _new(agency, year: int) -> QuerySet[Application]:
    # Rule 一、本年新收: requests whose received date (收到申请日期) falls in the year. For a
    # request by post that is the date it was signed for, even when it is registered later
    # (Regulation art. 31(2)); online, the day it was submitted, Beijing time.
    start, end = _bounds(year)
    return _cases(agency).filter(received_on__range=(start, end))


def _carried_in(agency, year: int) -> QuerySet[Application]:
    # Rule 二、上年结转: received before 1 January and not concluded by then — exactly last year's
    # 四, so this year's 二 equals last year's 四 by construction (30号 cross-year identity).
    start, _ = _bounds(year)
    return _cases(agency).filter(received_on__lt=start).exclude(_concluded_before(start))


def _concluded(agency, year: int) -> QuerySet[Application]:
    # Rule 三、本年度办理结果: each request concluded in the year counts once, in the one leaf row
    # of its outcome (outcomes.OUTCOMES; 部分公开 only as 部分公开, 30号 row text), whenever it was
    # received. （七）总计 is the sum of the 21 leaf rows (no subtotal rows).
    start, end = _bounds(year)
    return _cases(agency).filter(replied_on__range=(start, end), outcome__in=list(OUTCOME_LEAF))


def _carried_out(agency, year: int) -> QuerySet[Application]:
    # Rule 四、结转下年度继续办理: received by 31 December and not concluded by then.
    _, end = _bounds(year)
    return (
        _cases(agency)
        .filter(received_on__lte=end)
        .exclude(_concluded_before(end + datetime.timedelta(days=1)))
    )


def _by_column(queryset: QuerySet[Application], *extra: str) -> list[dict]:
    return list(queryset.order_by().annotate(column=_COLUMN).values("column", *extra).annotate(n=Count("id")))


def _fill(row: dict[str, int], counts: list[dict]) -> None:
    for entry in counts:
        column = entry["column"] if entry["column"] in _COLUMN_KEYS else "other_org"
        row[column] += entry["n"]


def _opening_balance(agency, year: int) -> dict[str, int] | None:
    balance = OpeningBalance.objects.filter(agency=agency, year=year).first()
    if balance is None:
        return None
    return {key: int(balance.values.get(key, 0)) for key in _COLUMN_KEYS}


def _table3(agency, year: int) -> dict[str, dict[str, int]]:
    table = empty_table3()
    _fill(table["new"], _by_column(_new(agency, year)))
    balance = _opening_balance(agency, year)
    if balance is not None:
        # Rule: an agency that starts on the platform mid-stream enters, once, the 结转 its last
        # report published (OpeningBalance, audited). For that year it is the 二 (column by
        # column) in place of the derived figure: it is what last year's published 四 said. The
        # carried-in requests themselves are registered with their original received dates so that
        # their conclusions land in 三; if they are not, the column identity names the difference.
        table["carried_in"].update(balance)
    else:
        _fill(table["carried_in"], _by_column(_carried_in(agency, year)))
    for entry in _by_column(_concluded(agency, year), "outcome"):
        _fill(table[OUTCOME_LEAF[entry["outcome"]]], [entry])
    _fill(table["carried_out"], _by_column(_carried_out(agency, year)))
    for key in LEAF_OUTCOME:
        for column in _COLUMN_KEYS:
            table["total"][column] += table[key][column]
    for row in table.values():
        row["total"] = sum(row[c] for c in _COLUMN_KEYS)
    return table


def _appeals(agency, year: int) -> QuerySet[Appeal]:
    # Rule 四 (table): an appeal (行政复议, or 行政诉讼 directly or after reconsideration) about one of
    # the agency's replies counts once, in the year it was filed (提起日期), with the result known on
    # 31 December of that year: decided by then → 结果维持 / 结果纠正 / 其他结果; not yet decided →
    # 尚未审结. Its later decision does not move it to another year (the table counts cases, and a
    # case counted twice would break the cross-year sums); an appeal filed in the year and decided
    # later is 尚未审结 in that year's report. 总计 is the sum of the four results.
    start, _ = _bounds(year)
    return Appeal.objects.filter(
        application__in=_cases(agency), filed_on__range=(start, datetime.date(year, 12, 31))
    )


def _result_as_of(year: int) -> Case:
    _, end = _bounds(year)
    decided = ~Q(result=Appeal.Result.PENDING) & (Q(decided_on__isnull=True) | Q(decided_on__lte=end))
    return Case(When(decided, then=F("result")), default=Value("pending"), output_field=CharField())


def _table4(agency, year: int) -> dict[str, dict[str, int]]:
    table = empty_table4()
    counts = (
        _appeals(agency, year)
        .order_by()
        .annotate(outcome=_result_as_of(year))
        .values("kind", "outcome")
        .annotate(n=Count("id"))
    )
    for entry in counts:
        if entry["kind"] in table:
            table[entry["kind"]][entry["outcome"]] += entry["n"]
    for row in table.values():
        row["total"] = sum(row[r] for r, _ in TABLE4_RESULTS if r != "total")
    return table


def _table2(agency, year: int) -> dict:
    table = empty_table2()  # every cell present even if a row were missing upstream
    for key, values in table2_figures(agency=agency, year=year).items():
        table.setdefault(key, {}).update(values)
    return table


def report_figures(*, agency, year: int) -> Figures:
    """The figures of ``agency``'s report for calendar ``year`` (Beijing dates).

    Tables 三 and 四 from the cases and appeals, table 二 from gongkai.reports.table2. Every cell
    present, 0 where nothing counts. The counting rules: this module's comments and
    docs/annual-report.md.
    """
    return Figures(
        agency_id=agency.pk,
        year=year,
        table2=_table2(agency, year),
        table3=_table3(agency, year),
        table4=_table4(agency, year),
    )


def _column_filter(column: str) -> Q:
    if column == "total":
        return Q()
    if column == "natural":
        return Q(applicant_type=ApplicantType.NATURAL)
    if column == "other_org":
        return ~Q(applicant_type=ApplicantType.NATURAL) & (
            Q(org_type__in=["", "other_org"]) | ~Q(org_type__in=_ORG_COLUMNS)
        )
    if column in _ORG_COLUMNS:
        return ~Q(applicant_type=ApplicantType.NATURAL) & Q(org_type=column)
    raise ValueError(f"未知的列：{column}")


def drilldown(*, agency, year: int, table: str, row: str, column: str) -> QuerySet[Application]:
    """The cases behind one cell, with the same filters as ``report_figures``.

    ``table`` is ``"table3"`` (``row`` a TABLE3_ROWS key, ``column`` a TABLE3_COLUMNS key) or
    ``"table4"`` (``row`` a TABLE4_GROUPS key, ``column`` a TABLE4_RESULTS key: the cases whose
    appeals make the cell; a case with two appeals in one cell is listed once). For 二 in a year
    with an opening balance the list holds the registered cases only. Raises ValueError for an
    unknown table, row or column.
    """
    if table == "table4":
        groups = dict(TABLE4_GROUPS)
        results = dict(TABLE4_RESULTS)
        if row not in groups or column not in results:
            raise ValueError(f"未知的单元格：{row}/{column}")
        appeals = _appeals(agency, year).filter(kind=row).annotate(outcome=_result_as_of(year))
        if column != "total":
            appeals = appeals.filter(outcome=column)
        return _cases(agency).filter(pk__in=appeals.values("application_id"))
    if table != "table3":
        raise ValueError(f"未知的表格：{table}")
    if row == "new":
        cases = _new(agency, year)
    elif row == "carried_in":
        cases = _carried_in(agency, year)
    elif row == "total":
        cases = _concluded(agency, year)
    elif row == "carried_out":
        cases = _carried_out(agency, year)
    elif row in LEAF_OUTCOME:
        cases = _concluded(agency, year).filter(outcome=LEAF_OUTCOME[row])
    else:
        raise ValueError(f"未知的行：{row}")
    return cases.filter(_column_filter(column))
