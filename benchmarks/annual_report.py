"""Time the annual report's figures and checks for one agency with 100,000 requests over three years.

    .venv/bin/python benchmarks/annual_report.py [--cases 100000] [--repeat 5] [--seed 14]
    .venv/bin/python benchmarks/annual_report.py --db postgres --url postgres://…/gk_scratch

Data. One agency; ``--cases`` requests received on random days of 2023–2025 (Beijing dates),
applicants spread over the six columns of table 三 (60 % natural persons), 90 % concluded 0–60
days after receipt with an outcome drawn from the 21 leaf rows (so some cross a year end), the
rest still open; 1 % voided repeats; one appeal in 50 concluded cases (random kind, result and
decision 0–300 days after filing). A second agency with a tenth as many cases shares the tables.
Rows are bulk-created (the services are not what is measured); then ANALYZE. SQLite writes a
scratch file in the temp directory; PostgreSQL needs a scratch database (it is flushed).

Measure. ``report_figures(agency, year=2024)`` followed by ``check(figures, previous=…)`` with
last year's figures, on a warmed connection; once to warm up, then ``--repeat`` times;
time.perf_counter around the pair; min / median / max in ms. Also counts the queries.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BATCH = 5000


def build(n_cases: int, seed: int):
    from django.core.management import call_command
    from django.db import connection, transaction

    from gongkai.applications.models import Appeal, Application
    from gongkai.organisation.models import Agency
    from gongkai.reports.format import LEAF_OUTCOME

    call_command("migrate", verbosity=0)
    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    rng = random.Random(seed)
    outcomes = sorted(LEAF_OUTCOME.values())
    columns = ["commercial", "research", "public_welfare", "legal_service", "other_org"]
    first = dt.date(2023, 1, 1).toordinal()
    last = dt.date(2025, 12, 31).toordinal()
    agencies = [
        Agency.objects.create(
            name=f"基准测试局{i}", short_name=f"基准{i}", code=f"11440000MB{i:08d}", slug=f"bench-{i}"
        )
        for i in (1, 2)
    ]
    started = time.perf_counter()
    for agency, count in ((agencies[0], n_cases), (agencies[1], n_cases // 10)):
        made = 0
        while made < count:
            rows, appeal_rows = [], []
            for _ in range(min(BATCH, count - made)):
                received = dt.date.fromordinal(rng.randint(first, last))
                natural = rng.random() < 0.6
                voided = rng.random() < 0.01
                replied = None
                if not voided and rng.random() < 0.9:
                    replied = received + dt.timedelta(days=rng.randint(0, 60))
                rows.append(
                    Application(
                        agency=agency,
                        channel="online",
                        received_on=received,
                        applicant_type="natural" if natural else "legal",
                        org_type="" if natural else rng.choice(columns),
                        name="申请人",
                        phone="13912345678",
                        description="所需政府信息",
                        medium="electronic",
                        delivery="email",
                        status="voided" if voided else ("replied" if replied else "forwarded"),
                        outcome=rng.choice(outcomes) if replied else "",
                        replied_on=replied,
                    )
                )
            with transaction.atomic():
                created = Application.objects.bulk_create(rows, batch_size=1000)
                for application in created:
                    if application.replied_on and rng.random() < 0.02:
                        filed = application.replied_on + dt.timedelta(days=rng.randint(1, 60))
                        result = rng.choice(["maintained", "corrected", "other", "pending"])
                        decided = (
                            filed + dt.timedelta(days=rng.randint(0, 300)) if result != "pending" else None
                        )
                        appeal_rows.append(
                            Appeal(
                                application=application,
                                kind=rng.choice(["reconsideration", "litigation_direct", "litigation_after"]),
                                filed_on=filed,
                                result=result,
                                decided_on=decided,
                            )
                        )
                Appeal.objects.bulk_create(appeal_rows, batch_size=1000)
            made += len(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return agencies[0], time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--url", help="PostgreSQL URL of a scratch database (default: DATABASE_URL)")
    args = parser.parse_args()

    os.environ.setdefault("GONGKAI_VAR_DIR", tempfile.mkdtemp(prefix="gongkai-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    os.environ.setdefault("GONGKAI_MANIFEST_STATIC", "0")
    if args.db == "postgres":
        url = args.url or os.environ.get("DATABASE_URL")
        if not url:
            parser.error("--db postgres needs --url or DATABASE_URL (a scratch database: it is flushed)")
        os.environ["DATABASE_URL"] = url
    else:
        os.environ.pop("DATABASE_URL", None)
        path = Path(tempfile.gettempdir()) / "gongkai-report-bench" / f"report-{args.cases}.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            p.unlink(missing_ok=True)
        os.environ["SQLITE_PATH"] = str(path)

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gongkai.reports.checks import check
    from gongkai.reports.figures import report_figures

    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version")
        version = cursor.fetchone()[0]
    agency, build_seconds = build(args.cases, args.seed)
    print(
        f"{connection.vendor} {version}; Python {platform.python_version()}; "
        f"{platform.processor() or platform.machine()}"
    )
    print(f"built {args.cases} + {args.cases // 10} cases in {build_seconds:.1f} s")

    def run():
        previous = report_figures(agency=agency, year=2023)
        started = time.perf_counter()
        figures = report_figures(agency=agency, year=2024)
        failures = check(figures, previous=previous)
        return time.perf_counter() - started, figures, failures

    run()  # warm-up
    timings = []
    for _ in range(args.repeat):
        seconds, figures, failures = run()
        timings.append(seconds * 1000)
    with CaptureQueriesContext(connection) as queries:
        report_figures(agency=agency, year=2024)
    t3 = figures.table3
    print(
        f"2024: 一 {t3['new']['total']}, 二 {t3['carried_in']['total']}, （七） {t3['total']['total']}, "
        f"四 {t3['carried_out']['total']}; 表四 总计 {sum(g['total'] for g in figures.table4.values())}; "
        f"failures {[f.code for f in failures]}"
    )
    print(
        f"report_figures + check: min {min(timings):.0f} ms, median {statistics.median(timings):.0f} ms, "
        f"max {max(timings):.0f} ms over {args.repeat} runs; {len(queries)} queries"
    )


if __name__ == "__main__":
    main()
