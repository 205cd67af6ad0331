"""Tables 二, 三 and 四 as rows for the simple HTML tables of the staff and public pages."""

from collections.abc import Iterable
from typing import Any

from gongkai.reports.format import (
    TABLE2_ROWS,
    TABLE3_COLUMNS,
    TABLE3_ROWS,
    TABLE4_GROUPS,
    TABLE4_RESULTS,
    Figures,
)

# table → row → column → URL
Links = dict[str, dict[str, dict[str, str]]]


def table_rows(figures: Figures, links: Links | None = None) -> dict[str, list[Any]]:
    """{"t2": [...], "t3": [...], "t4": [...]} rows of {"label", "group", "cells": [{"value", "url"}]}.

    ``links``: table → row → column → URL (drill-down), for the cells that have one.
    """
    links = links or {}

    def cells(table: str, row: str, columns: Iterable[str], values: dict[str, int]) -> list[dict[str, Any]]:
        return [{"value": values[c], "url": links.get(table, {}).get(row, {}).get(c)} for c in columns]

    return {
        "t2": [
            {
                "label": r.label,
                "group": r.section,
                "cells": [{"label": label, "value": figures.table2[r.key][c]} for c, label in r.columns],
            }
            for r in TABLE2_ROWS
        ],
        "t3_columns": [label for _, label in TABLE3_COLUMNS],
        "t3": [
            {
                "key": r.key,
                "label": r.label,
                "group": r.group_label or "",
                "cells": cells("table3", r.key, [c for c, _ in TABLE3_COLUMNS], figures.table3[r.key]),
            }
            for r in TABLE3_ROWS
        ],
        "t4_columns": [label for _, label in TABLE4_RESULTS],
        "t4": [
            {
                "label": label,
                "cells": cells("table4", g, [c for c, _ in TABLE4_RESULTS], figures.table4[g]),
            }
            for g, label in TABLE4_GROUPS
        ],
    }
