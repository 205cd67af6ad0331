"""What every rendering of an annual report shows: the title, and the six official sections in
order, each with its text parts or its table (国办公开办函〔2021〕30号).

``report_blocks`` puts the tables as laid out by ``layout`` and the report's text sections
(``sections.SECTIONS``) in the six sections; ``report_content`` adds the agency's name (looked up
from ``figures.agency_id`` when not given) for the document exports (``export``, ``export_docx``,
``export_pdf``, ``export_xlsx``) and the ``report_tables`` template tags.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from gongkai.organisation.models import Agency

from .format import SECTION_HEADINGS, Figures
from .layout import Grid, report_grids
from .sections import SECTIONS

CellUrl = Callable[[str, str, str], str | None]
TABLE_PARTS = {"proactive": "table2", "requests": "table3", "appeals": "table4"}


def report_title(agency_name: str, year: int) -> str:
    """'示范县人力资源和社会保障局2025年政府信息公开工作年度报告' (the published reports' form)."""
    return f"{agency_name}{year}年政府信息公开工作年度报告"


def paragraphs(text: str | None) -> tuple[str, ...]:
    """A text section split into its paragraphs (one per line; blank lines dropped)."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return tuple(line.strip() for line in lines if line.strip())


@dataclass(frozen=True)
class Part:
    key: str  # a sections.SECTIONS key
    heading: str  # '（一）主动公开', or '' for a part that is the whole section (五, 六)
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Block:
    """One of the six sections in order: its heading and either text parts or a table."""

    key: str  # a format.SECTION_HEADINGS key
    heading: str
    parts: tuple[Part, ...] = ()
    grid: Grid | None = None


def report_blocks(
    figures: Figures, text: Mapping[str, str] | None, *, id_prefix: str = "", cell_url: CellUrl | None = None
) -> tuple[Block, ...]:
    """The six sections (一 … 六) with their text parts or tables, in the official order."""
    text = text or {}
    grids = {g.key: g for g in report_grids(figures, id_prefix=id_prefix)}
    blocks = []
    for key, heading in SECTION_HEADINGS:
        if key in TABLE_PARTS:
            grid = grids[TABLE_PARTS[key]]
            blocks.append(Block(key, heading, grid=grid.with_urls(cell_url) if cell_url else grid))
        else:
            parts = tuple(
                Part(s.key, s.heading, paragraphs(text.get(s.key))) for s in SECTIONS if s.part == key
            )
            blocks.append(Block(key, heading, parts=parts))
    return tuple(blocks)


@dataclass(frozen=True)
class ReportContent:
    """What every document export renders."""

    agency_name: str
    year: int
    figures: Figures
    blocks: tuple[Block, ...]

    @property
    def title(self) -> str:
        return report_title(self.agency_name, self.year)


def _agency_name(figures: Figures) -> str:
    return Agency.objects.only("name").get(pk=figures.agency_id).name


def report_content(
    figures: Figures, text: Mapping[str, str] | None, *, agency_name: str | None = None
) -> ReportContent:
    name = agency_name if agency_name is not None else _agency_name(figures)
    return ReportContent(name, figures.year, figures, report_blocks(figures, text))
