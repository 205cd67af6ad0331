"""python manage.py workdays add DATE N | is-workday DATE | import FILE | years"""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gongkai.workdays.calendar import unconfirmed_warning
from gongkai.workdays.selectors import current_calendar, year_statuses
from gongkai.workdays.services import CalendarImportError, calendar_import_notice


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"日期格式应为 YYYY-MM-DD：{text}") from None


class Command(BaseCommand):
    help = "Working-day arithmetic and the holiday calendar (工作日历)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="print the date N working days after DATE (DATE itself not counted)")
        add.add_argument("date")
        add.add_argument("n", type=int)
        check = sub.add_parser("is-workday", help="print yes or no")
        check.add_argument("date")
        load = sub.add_parser("import", help="load a year's holidays from a CSV (date,type,name)")
        load.add_argument("file", type=Path)
        load.add_argument("--source", default="", help="the notice's title and number")
        sub.add_parser("years", help="list the years and whether they are confirmed")

    def handle(self, *args, action, **options):
        calendar = current_calendar()
        if action == "add":
            start, n = _date(options["date"]), options["n"]
            if n < 0:
                raise CommandError("工作日数不能为负数。")
            try:
                due = calendar.add(start, n)
            except ValueError as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(due.isoformat())
            warning = unconfirmed_warning(calendar.unconfirmed_years_between(start, due))
            if warning:
                self.stderr.write(f"警告：{warning}")
        elif action == "is-workday":
            day = _date(options["date"])
            try:
                self.stdout.write("yes" if calendar.is_workday(day) else "no")
            except ValueError as exc:
                raise CommandError(str(exc)) from None
            warning = unconfirmed_warning(calendar.unconfirmed_years_between(day, day))
            if warning:
                self.stderr.write(f"警告：{warning}")
        elif action == "import":
            try:
                text = options["file"].read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(f"无法读取文件：{exc}") from None
            try:
                year, count = calendar_import_notice(actor=None, text=text, source=options["source"])
            except CalendarImportError as exc:
                raise CommandError(exc.message) from None
            self.stdout.write(f"已导入{year}年节假日安排，共{count}天；{year}年已确认。")
        elif action == "years":
            for status in year_statuses():
                mark = "已确认" if status.confirmed else "未确认（按周一至周五推算）"
                detail = (
                    f"放假{status.holidays}天，调休上班{status.adjusted_workdays}天"
                    if status.confirmed
                    else ""
                )
                self.stdout.write(f"{status.year}  {mark}  {detail}  {status.source}".rstrip())
