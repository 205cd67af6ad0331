"""python manage.py search_index rebuild|update|check"""

import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from tqdm import tqdm

from gongkai.catalogue.models import Item
from gongkai.search.index import stale_and_missing, sync_item
from gongkai.search.models import SearchEntry
from gongkai.search.selectors import NotUTF8Database, check_database

BATCH = 500


class Command(BaseCommand):
    help = "Maintain the full-text search index: rebuild it, bring it up to date, or check it."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild", "update", "check"])
        parser.add_argument("--no-progress", action="store_true", help="no progress bar (for cron)")

    def handle(self, *args, action, no_progress, **options):
        try:
            check_database()
        except NotUTF8Database as exc:
            self.stderr.write(str(exc))
            raise SystemExit(2) from None
        if action == "check":
            missing, stale = stale_and_missing()
            self.stdout.write(
                f"已索引 {SearchEntry.objects.count()} 条；缺失 {len(missing)} 条；过期 {len(stale)} 条。"
            )
            if missing or stale:
                raise SystemExit(1)
            return
        if action == "rebuild":
            # Resumable: items are (re)indexed in primary-key batches, each its own transaction;
            # entries that are no longer public are removed at the end.
            ids = list(Item.objects.public().order_by("pk").values_list("pk", flat=True))
        else:
            missing, stale = stale_and_missing()
            ids = sorted(set(missing) | set(stale))
        started = time.perf_counter()
        bar = tqdm(total=len(ids), unit="条", disable=no_progress, file=self.stderr)
        for offset in range(0, len(ids), BATCH):
            with transaction.atomic():
                for item in Item.objects.filter(pk__in=ids[offset : offset + BATCH]):
                    sync_item(item)
                    bar.update(1)
        bar.close()
        removed = 0
        with transaction.atomic():
            for pk in SearchEntry.objects.exclude(item__in=Item.objects.public()).values_list(
                "pk", flat=True
            ):
                sync_item(Item.objects.get(pk=pk))
                removed += 1
        if connection.vendor == "sqlite" and action == "rebuild":
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO search_fts(search_fts) VALUES('optimize')")
        elapsed = time.perf_counter() - started
        rate = len(ids) / elapsed if elapsed else 0
        self.stdout.write(
            f"已处理 {len(ids)} 条（移除 {removed} 条），用时 {elapsed:.1f} 秒，每秒 {rate:.0f} 条。"
        )
