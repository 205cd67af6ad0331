"""Table 二 of the annual report (二、主动公开政府信息情况), from the catalogue and the yearly figures.

Rows and columns are the contract's ``gongkai.reports.format.TABLE2_ROWS`` (国办公开办函〔2021〕30号).
The counting rules, each also written in docs/annual-report.md (table 二):

第二十条第（一）项 — 规章 and 行政规范性文件, from the catalogue items whose 公文类别 is that type
and that are proactively disclosed to the public (``Item.objects.public()``: published or filed,
面向社会, 主动公开; drafts, items in review, withdrawn, internal and not-disclosed items never count):

- ``issued`` 本年制发件数: 成文日期 in the year. 制发 is the agency's making and issuing of the
  document (制定、印发), and the 成文日期 is that date as printed on it; the portal's 发布日期
  only says when the page went up and may fall in the next year. A counted item must carry its
  成文日期 (catalogue.services); an item that somehow lacks one counts by its 发布日期.
- ``repealed`` 本年废止件数: items that are 已废止 or 已失效 on 31 December per their 有效性
  history (catalogue.ValidityChange, by the date each change took effect) and were not on
  31 December of the year before: repealed or expired during the year and not restored by the
  year's end. 已修改 does not end a document's force.
- ``in_force`` 现行有效件数: on 31 December, 成文日期 on or before it, 施行日期 on or before it
  (现行 = now in force: a document issued in December that takes effect in January is issued in
  the year but not yet in force), and neither 已废止 nor 已失效 per the history.

The history is replayed as recorded now: a change recorded late with its true date corrects the
year it belongs to. An item with no history row has its present 有效性 on every date.

第二十条第（五）（六）（八）项 — 行政许可 / 行政处罚 / 行政强制 ``decisions`` and 行政事业性收费
``amount`` (万元, Decimal): the disclosure office's YearlyFigures for the agency and year
(gongkai.reports.yearly); 0 when none were entered.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from gongkai.catalogue.models import ENDED_VALIDITIES, DocumentType, Item, ValidityChange
from gongkai.organisation.models import Agency
from gongkai.reports.format import empty_table2
from gongkai.reports.models import YearlyFigures
from gongkai.reports.yearly import YEARLY_FIELDS

# Table 二 row key → the catalogue's 公文类别.
DOCUMENT_ROWS: dict[str, str] = {"rules": DocumentType.RULES, "normative": DocumentType.NORMATIVE}
DOCUMENT_COLUMNS = ("issued", "repealed", "in_force")


def _counted_items(agency: Agency) -> QuerySet[Item]:
    return Item.objects.public().filter(agency=agency, document_type__in=list(DOCUMENT_ROWS.values()))


def _issued_on(item: Item) -> datetime.date | None:
    if item.written_on:
        return item.written_on
    return timezone.localdate(item.published_at) if item.published_at else None


class _History:
    """The 有效性 of each item on any date, replayed from its ValidityChange rows."""

    def __init__(self, items: list[Item]) -> None:
        self.current = {item.pk: item.validity for item in items}
        self.initial: dict[int, str] = {}
        self.changes: dict[int, list[tuple[datetime.date, str]]] = defaultdict(list)
        rows = ValidityChange.objects.filter(item_id__in=list(self.current)).order_by(
            "changed_on", "recorded_at", "id"
        )
        for item_id, changed_on, from_validity, to_validity in rows.values_list(
            "item_id", "changed_on", "from_validity", "to_validity"
        ):
            self.initial.setdefault(item_id, from_validity)
            self.changes[item_id].append((changed_on, to_validity))

    def ended_on(self, item_id: int, day: datetime.date) -> bool:
        """Whether the item is 已废止 or 已失效 at the end of ``day``."""
        if item_id not in self.initial:
            return self.current[item_id] in ENDED_VALIDITIES
        state = self.initial[item_id]
        for changed_on, to_validity in self.changes[item_id]:
            if changed_on > day:
                break
            state = to_validity
        return state in ENDED_VALIDITIES


def _document_cells(item: Item, history: _History, year: int) -> dict[str, bool]:
    """Which of the three columns the item counts in for ``year`` (see the module's rules)."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    issued_on = _issued_on(item)
    exists = issued_on is not None and issued_on <= last
    ended = history.ended_on(item.pk, last)
    return {
        "issued": issued_on is not None and first <= issued_on <= last,
        "repealed": exists and ended and not history.ended_on(item.pk, first - datetime.timedelta(days=1)),
        "in_force": exists and item.effective_on is not None and item.effective_on <= last and not ended,
    }


def _document_counts(agency: Agency, year: int) -> dict[str, dict[str, list[int]]]:
    fields = ("pk", "document_type", "written_on", "effective_on", "published_at", "validity")
    items = list(_counted_items(agency).only(*fields))
    history = _History(items)
    cells: dict[str, dict[str, list[int]]] = {row: {c: [] for c in DOCUMENT_COLUMNS} for row in DOCUMENT_ROWS}
    row_of = {kind: row for row, kind in DOCUMENT_ROWS.items()}
    for item in items:
        for column, counted in _document_cells(item, history, year).items():
            if counted:
                cells[row_of[item.document_type]][column].append(item.pk)
    return cells


def table2_figures(*, agency: Agency, year: int) -> dict[str, dict[str, int | Decimal]]:
    """Table 二 for one agency and calendar year (Beijing dates).

    Returns ``{row key: {column key: value}}`` with every cell of ``format.TABLE2_ROWS`` present:
    ints, except ``["fees"]["amount"]``, a Decimal in 万元. Rules: see the module docstring.
    """
    table = empty_table2()
    for row, columns in _document_counts(agency, year).items():
        for column, ids in columns.items():
            table[row][column] = len(ids)
    entered = YearlyFigures.objects.filter(agency=agency, year=year).first()
    if entered is not None:
        for f in YEARLY_FIELDS:
            value = getattr(entered, f.value_name)
            table[f.key][f.column] = Decimal(value) if f.column == "amount" else int(value)
    return table


def table2_items(*, agency: Agency, year: int, row: str, column: str) -> QuerySet[Item]:
    """The catalogue items behind one cell of the 第二十条第（一）项 block (the drill-down).

    ``row``: "rules" or "normative"; ``column``: "issued", "repealed" or "in_force". Raises
    KeyError for any other cell (the other rows come from YearlyFigures, not from items).
    """
    if row not in DOCUMENT_ROWS or column not in DOCUMENT_COLUMNS:
        raise KeyError((row, column))
    ids = _document_counts(agency, year)[row][column]
    return Item.objects.filter(pk__in=ids).order_by("written_on", "id")
