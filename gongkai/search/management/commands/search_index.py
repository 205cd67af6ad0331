"""python manage.py search_index rebuild|update|check"""

import time

from django.core.management.base import BaseCommand
from django.db import transaction
from tqdm import tqdm

from gongkai.catalogue.models import Attachment, Item, TextState
from gongkai.search import ranked
from gongkai.search.index import fts_consistent, fts_orphans, fts_rebuild, stale_and_missing, sync_item
from gongkai.search.models import SearchEntry
from gongkai.search.selectors import NotUTF8Database, check_database
from gongkai.search.services import attachment_extract

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
            orphans, whole = fts_orphans(), fts_consistent()
            if orphans or not whole:
                self.stdout.write(
                    f"全文索引与检索条目不一致（多余 {orphans} 条），请运行 search_index rebuild 或 update。"
                )
            self._report_truncated()
            ranked_ok = self._check_ranked()
            if missing or stale or orphans or not whole or not ranked_ok:
                raise SystemExit(1)
            return
        if action == "rebuild":
            # Attachments of public items whose text was never extracted (e.g. uploaded before
            # extraction was stored): extracted first, each bounded in its own worker process.
            self._extract_waiting(no_progress)
            # Resumable: items are (re)indexed in primary-key batches, each its own transaction;
            # entries that are no longer public are removed at the end.
            ids = list(Item.objects.public().order_by("pk").values_list("pk", flat=True))
        else:
            missing, stale = stale_and_missing()
            ids = sorted(set(missing) | set(stale))
        started = time.perf_counter()
        bar = tqdm(total=len(ids), unit="条", disable=no_progress, file=self.stderr)
        # A rebuild rebuilds tantivy whole at the end (_sync_ranked); an update lets each batch's commit
        # carry its items to tantivy.
        with ranked.suspended(action == "rebuild"):
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
        # SQLite: an entry deleted or changed behind the services' back leaves postings in the
        # FTS5 index that replaying cannot remove; regenerate it from the entries. A rebuild always does.
        if action == "rebuild" or not fts_consistent():
            with transaction.atomic():
                fts_rebuild()
        elapsed = time.perf_counter() - started
        rate = len(ids) / elapsed if elapsed else 0
        self.stdout.write(
            f"已处理 {len(ids)} 条（移除 {removed} 条），用时 {elapsed:.1f} 秒，每秒 {rate:.0f} 条。"
        )
        self._sync_ranked(action)

    def _extract_waiting(self, no_progress: bool) -> None:
        waiting = list(
            Attachment.objects.filter(
                item__in=Item.objects.public(),
                revision__isnull=True,
                extraction_state__in=[TextState.PENDING, TextState.RUNNING],
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not waiting:
            return
        started = time.perf_counter()
        bar = tqdm(total=len(waiting), unit="个", disable=no_progress, file=self.stderr)
        for attachment_id in waiting:
            attachment_extract(attachment_id=attachment_id)  # stores the text, refreshes the entry
            bar.update(1)
        bar.close()
        self.stdout.write(f"提取附件文字 {len(waiting)} 个，用时 {time.perf_counter() - started:.1f} 秒。")

    def _report_truncated(self) -> None:
        """Entries cut to what one entry holds, and public attachments whose text is incomplete:
        reported, not failed (their limits are deliberate)."""
        cut = SearchEntry.objects.filter(truncated=True).count()
        if cut:
            self.stdout.write(f"文字过长而只索引了前一部分的条目 {cut} 条。")
        states = (
            Attachment.objects.filter(item__in=Item.objects.public(), revision__isnull=True)
            .exclude(extraction_state__in=[TextState.DONE, TextState.SKIPPED])
            .values_list("extraction_state", flat=True)
        )
        counts: dict[str, int] = {}
        for state in states:
            counts[state] = counts.get(state, 0) + 1
        labels = dict(TextState.choices)
        if counts:
            listed = "，".join(f"{labels[state]} {count} 个" for state, count in sorted(counts.items()))
            self.stdout.write(f"公开信息的附件文字：{listed}。")

    def _sync_ranked(self, action: str) -> None:
        """Tantivy (when configured): rebuilt from the entries, or brought in step with them."""
        if not ranked.enabled():
            return
        started = time.perf_counter()
        try:
            if action == "rebuild":
                entries = SearchEntry.objects.values(*ranked.ENTRY_FIELDS).iterator(chunk_size=2000)
                self.stdout.write(f"排序索引（tantivy）已重建：{ranked.rebuild(entries)} 条。")
            # Items whose writes failed (e.g. published while the rebuild held the writer).
            added, removed = ranked.reconcile()
        except ranked.Unavailable as exc:
            self.stderr.write(f"排序索引（tantivy）不可用：{exc}。请运行 search_index rebuild。")
            raise SystemExit(1) from None
        elapsed = time.perf_counter() - started
        self.stdout.write(f"排序索引（tantivy）补入 {added} 条，移除 {removed} 条，用时 {elapsed:.1f} 秒。")

    def _check_ranked(self) -> bool:
        """Tantivy (when configured): its documents against the entries."""
        if not ranked.enabled():
            return True
        found = ranked.differences()
        if found is None:
            self.stdout.write(
                f"排序索引（tantivy）不可用（{ranked.directory()}），请运行 search_index rebuild。"
            )
            return False
        missing, extra = found
        count, entries = ranked.document_count(), SearchEntry.objects.count()
        self.stdout.write(
            f"排序索引（tantivy）{count} 条，检索条目 {entries} 条；"
            f"缺失 {len(missing)} 条；多余 {len(extra)} 条。"
        )
        return count == entries and not missing and not extra
