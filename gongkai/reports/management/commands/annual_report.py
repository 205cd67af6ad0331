"""python manage.py annual_report --agency CODE --year YYYY --format json|docx|pdf|xlsx --output PATH

Writes an agency's annual report (政府信息公开工作年度报告) for a calendar year: the figures derived
from the records now (gongkai.reports.figures.report_figures), the text sections of the agency's
AnnualReport for that year when there is one, otherwise the generated first draft. CODE is the
agency's code (机构代码) or its slug. ``--output -`` writes JSON to standard output.
Errors are reported in Chinese and exit with status 1.
"""

from __future__ import annotations

import datetime
import pathlib

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from gongkai.organisation.models import Agency
from gongkai.reports.drafting import first_draft
from gongkai.reports.export import EXPORTERS
from gongkai.reports.figures import report_figures
from gongkai.reports.models import AnnualReport

# The 2021 format (国办公开办函〔2021〕30号) applies from the reports for 2021 on.
FIRST_YEAR = 2021
BEIJING = datetime.timezone(datetime.timedelta(hours=8))


class Command(BaseCommand):
    help = "导出机关的政府信息公开工作年度报告（JSON、DOCX、PDF 或 XLSX）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--agency", required=True, help="机关的机构代码或网址标识")
        parser.add_argument("--year", required=True, help="报告年度，如 2025")
        parser.add_argument("--format", required=True, choices=sorted(EXPORTERS), help="导出格式")
        parser.add_argument("--output", required=True, help="输出文件路径；JSON 可用 - 表示标准输出")

    def handle(self, *args, agency: str, year: str, output: str, **options) -> None:
        fmt: str = options["format"]
        found = Agency.objects.filter(Q(code=agency.strip().upper()) | Q(slug=agency.strip())).first()
        if found is None:
            raise CommandError(f"找不到机关“{agency}”：请使用机关的机构代码或网址标识。")
        this_year = datetime.datetime.now(BEIJING).year
        try:
            number = int(year)
        except ValueError:
            raise CommandError(f"年度“{year}”无效：请写四位数字的年份，如 {this_year - 1}。") from None
        if not FIRST_YEAR <= number <= this_year:
            raise CommandError(
                f"年度“{year}”无效：可导出 {FIRST_YEAR} 年至 {this_year} 年的年度报告"
                "（2021年起适用国办公开办函〔2021〕30号格式）。"
            )
        if output == "-" and fmt != "json":
            raise CommandError(f"{fmt.upper()} 是二进制格式，不能写到标准输出：请用 --output 指定文件路径。")
        path = None if output == "-" else pathlib.Path(output)
        if path is not None and not path.parent.is_dir():
            raise CommandError(f"输出目录“{path.parent}”不存在。")

        figures = report_figures(agency=found, year=number)
        report = AnnualReport.objects.filter(agency=found, year=number).first()
        text = report.text if report is not None else first_draft(figures, found.name)
        data = EXPORTERS[fmt](figures, text, agency_name=found.name)
        if path is None:
            self.stdout.write(data.decode("utf-8"), ending="\n")
            return
        path.write_bytes(data)
        source = "年度报告的文字部分" if report is not None else "自动生成的初稿文字"
        self.stderr.write(
            f"已导出 {found.name} {number} 年度报告（{fmt.upper()}，{len(data)} 字节，{source}）到 {path}"
        )
