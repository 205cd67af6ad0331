"""python manage.py import_documents PATH… --agency SLUG --user USERNAME"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gongkai.importing.services import document_import, expand_paths
from gongkai.organisation.models import Agency, Department, User


class Command(BaseCommand):
    help = "Import plain-text, HTML and DOCX documents as draft catalogue items, cleaning site debris."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, help="files or folders to import")
        parser.add_argument("--agency", required=True, help="the agency's slug")
        parser.add_argument("--user", required=True, help="the drafting staff member (clerk or office)")
        parser.add_argument("--department", help="the department's name (default: the user's own)")
        parser.add_argument("--category", help="put every item in this category instead of guessing")

    def handle(self, *args, paths, agency, user, department, category, **options):
        try:
            agency_obj = Agency.objects.get(slug=agency)
        except Agency.DoesNotExist:
            raise CommandError(f"找不到机关“{agency}”。") from None
        try:
            actor = User.objects.get(username=user, agency=agency_obj)
        except User.DoesNotExist:
            raise CommandError(f"机关“{agency_obj.name}”没有用户“{user}”。") from None
        dept = actor.department
        if department:
            dept = Department.objects.filter(agency=agency_obj, name=department).first()
            if dept is None:
                raise CommandError(f"机关“{agency_obj.name}”没有股室“{department}”。")

        files = expand_paths(paths)
        if not files:
            raise CommandError("没有找到可导入的文件（支持 .txt .html .htm .docx）。")
        failures = 0
        for path in files:
            result = document_import(
                actor=actor, agency=agency_obj, path=path, department=dept, category_name=category
            )
            item, doc = result.item, result.document
            if result.error or item is None or doc is None:  # item and document come without an error
                failures += 1
                self.stderr.write(f"✗ {path}: {result.error}")
                continue
            self.stdout.write(
                f"✓ {path.name} → 草稿 #{item.pk}《{item.title}》"
                f" 成文日期 {doc.written_on or '未识别'}"
                f" · 分类 {item.category.name}{'（推测）' if result.category_guessed else ''}"
                f" · {len(doc.paragraphs)} 段"
            )
            for note in result.notes:
                self.stdout.write(f"    {note}")
        self.stdout.write(f"导入 {len(files) - failures} 个，失败 {failures} 个。")
        if failures:
            raise CommandError(f"{failures} 个文件未能导入。")
