"""Text cells of the workbooks the platform exports (openpyxl): never a formula.

openpyxl writes any string starting with '=' as a formula, and Excel evaluates text typed or pasted
with a leading '=', '+', '-' or '@' (and DDE tricks such as '|', or a leading tab or carriage
return): text typed by an applicant ("=HYPERLINK(…)") must stay text. ``put_text`` stores every
string with the string type (never 'f'), gives one that starts like a formula Excel's quotePrefix
flag (the cell stays text when someone edits it) and drops control characters Excel cannot store.
Every XLSX export (the annual report, the request ledger) writes its text through it.
"""

from __future__ import annotations

from openpyxl.cell.cell import TYPE_STRING, Cell

from gongkai.documents.render import _clean

__all__ = ["EXCEL_CELL_LIMIT", "FORMULA_START", "put_text", "starts_like_formula"]

FORMULA_START = ("=", "+", "-", "@", "|", "\t", "\r")
EXCEL_CELL_LIMIT = 32767


def starts_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_START) or text.lstrip().startswith(FORMULA_START)


def put_text(cell: Cell, text: str) -> None:
    """Store ``text`` as a string Excel will not evaluate (see the module docstring); a text longer
    than a cell holds is cut at Excel's limit."""
    text = _clean(text)[:EXCEL_CELL_LIMIT]
    cell.value = text
    cell.data_type = TYPE_STRING
    if starts_like_formula(text):
        cell.quotePrefix = True
