"""Reads for the confidentiality review of the annual report (保密审查提示).

What is checked: the report's text sections (gongkai.reports.sections.SECTIONS), each named by
its Chinese heading; the tables hold only counts. The rules and wording are in
``gongkai.core.review_findings``, as for catalogue items and request replies. Plain module, no
Django import.
"""

from __future__ import annotations

from collections.abc import Mapping

from gongkai.core.review_findings import Part, ReviewFinding, review_findings
from gongkai.reports.sections import PART_HEADINGS, SECTIONS, Section


def section_where(section: Section) -> str:
    """E.g. 一、总体情况（一）主动公开; the part heading alone for 五 and 六."""
    return PART_HEADINGS[section.part] + section.heading


def text_findings(text: Mapping[str, str]) -> list[ReviewFinding]:
    """Warnings for the report's text sections, in report order (missing sections are empty)."""
    return review_findings(Part(section_where(s), text.get(s.key) or "") for s in SECTIONS)
