"""python manage.py gongkai_tick [--loop SECONDS]

Cron runs it every 10 minutes; it is safe to run twice, concurrently or late (see
gongkai.applications.reminders). With --loop it keeps running until SIGTERM or SIGINT, finishing
the tick in progress first.
"""

import logging
import signal
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connection

from gongkai.applications import reminders
from gongkai.applications.intake import claims_forget
from gongkai.core import health
from gongkai.search.services import attachments_extract_pending

logger = logging.getLogger(__name__)


def optimize_database() -> None:
    """Keep SQLite's query planner statistics fresh (cheap when nothing changed); PostgreSQL autovacuums."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA optimize")


class Command(BaseCommand):
    help = (
        "Send due-soon reminders and overdue escalations for requests for disclosure (提醒与督办), "
        "and extract the text of attachments still waiting for it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop",
            type=int,
            metavar="SECONDS",
            help="run again every SECONDS until SIGTERM, instead of once",
        )

    def handle(self, *args, loop: int | None = None, **options):
        if loop is None:
            self.run_once()
            return
        if loop < 1:
            raise CommandError("--loop 的间隔至少为1秒。")
        self.stopping = False
        previous = {sig: signal.signal(sig, self.on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            while not self.stopping:
                close_old_connections()
                try:
                    self.run_once()
                except Exception:
                    # A database hiccup must not end the loop; the next tick catches up.
                    logger.exception("gongkai_tick 执行失败，稍后重试。")
                deadline = time.monotonic() + loop
                while not self.stopping and time.monotonic() < deadline:
                    time.sleep(max(0.0, min(1.0, deadline - time.monotonic())))
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def on_signal(self, signum, frame) -> None:
        self.stopping = True

    def run_once(self) -> None:
        result = reminders.tick()
        optimize_database()
        line = f"提醒 {result.due_soon_sent} 件，督办 {result.overdue_sent} 件"
        if result.skipped:
            line += f"（已发送过或无人接收，跳过 {result.skipped} 件）"
        self.stdout.write(line)
        # Submission claims (one submission, one case) older than a month answer nothing any more.
        claims_forget()
        # Attachments whose text extraction has not run yet, or was cut by a crash (bounded in time).
        try:
            extracted = attachments_extract_pending()
        except Exception:
            logger.exception("附件文字提取失败，下次再试。")
        else:
            if extracted:
                self.stdout.write(f"提取附件文字 {extracted} 个")
        # The heartbeat /readyz reads (gongkai.core.health): this run finished.
        health.tick_record()
