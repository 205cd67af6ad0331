"""Form helpers shared by the apps: the error summary every public and staff form shows on top, and
the date input every form uses."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms


@dataclass(frozen=True)
class SummaryLine:
    """One problem of a form: the field's label, the message, and the id of its input ("" if none)."""

    label: str
    message: str
    anchor: str


class ErrorSummaryMixin(forms.Form):
    """``error_summary()``: every error of the bound form in field order, for the box at the top
    (core/_error_summary.html), which links each line to its field."""

    def error_summary(self) -> list[SummaryLine]:
        if not self.is_bound or not self.errors:
            return []
        lines = [SummaryLine("", str(message), "") for message in self.non_field_errors()]
        for name in self.fields:
            if name not in self.errors:
                continue
            bound = self[name]
            label = str(bound.label or "").split("（", 1)[0]
            lines += [SummaryLine(label, str(message), bound.auto_id or "") for message in bound.errors]
        return lines


class DateInput(forms.DateInput):
    """A browser date picker (``<input type="date">``), its value always written ``YYYY-MM-DD``.

    The picker reads only that form; Django's zh-hans input format would write ``2026/11/30``, which
    the browser shows as an empty field — and the date typed or given as initial would be lost on
    the next submit. Every date field of the project uses this widget."""

    input_type = "date"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")
