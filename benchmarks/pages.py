"""Time the public portal's pages on a catalogue of N published items.

    .venv/bin/python benchmarks/pages.py [--items 20000] [--repeat 30]

Builds a throw-away database (a fresh SQLite file under a temp dir, or the
database named by DATABASE_URL — a scratch one: it is flushed), bulk-creates published
items for two agencies, then requests each page through Django's test client
(the full middleware and template stack, no network) and prints p50/p95 in ms.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="gongkai-bench-")
    os.environ.setdefault("GONGKAI_VAR_DIR", tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    os.environ.setdefault("GONGKAI_MANIFEST_STATIC", "0")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from gongkai.catalogue.models import Category, Item
    from gongkai.catalogue.services import categories_seed_defaults
    from gongkai.organisation.models import Agency, Department, User

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    user = User.objects.create(username="bench")
    rng = random.Random(7)
    agencies = []
    for n in range(2):
        agency = Agency.objects.create(
            name=f"基准测试第{n}局", short_name=f"第{n}局", code=f"11441234MB2C0000{n}A", slug=f"bench-{n}"
        )
        categories_seed_defaults(agency=agency)
        dept = Department.objects.create(agency=agency, name="业务股")
        agencies.append((agency, dept, list(Category.objects.filter(agency=agency, parent__isnull=False))))
    words = [
        "社会保险",
        "就业",
        "低保",
        "养老金",
        "救助",
        "政府信息公开",
        "劳动关系",
        "人才",
        "补贴",
        "审批",
        "通知",
        "办法",
        "公告",
    ]
    now = timezone.now()
    started = time.perf_counter()
    batch = []
    for i in range(args.items):
        agency, dept, cats = agencies[i % 2]
        title = "关于" + "".join(rng.sample(words, 3)) + f"的通知（第{i}号）"
        batch.append(
            Item(
                agency=agency,
                department=dept,
                category=rng.choice(cats),
                title=title,
                body="<p>" + "，".join(rng.choices(words, k=80)) + "。</p>",
                publisher=agency.name,
                status="published",
                published_at=now - timezone.timedelta(hours=i),
                index_number=f"{agency.code}/2026-{i:07d}",
                created_by=user,
                is_public=True,
            )
        )
        if len(batch) == 2000:
            Item.objects.bulk_create(batch)
            batch = []
    Item.objects.bulk_create(batch)
    # A live database keeps statistics up to date (autovacuum, PRAGMA optimize); do the same here.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"built {args.items} items in {time.perf_counter() - started:.1f}s")

    client = Client(HTTP_HOST="127.0.0.1")
    sample = Item.objects.order_by("?").first()
    agency, _, cats = agencies[0]
    pages = {
        "home": "/",
        "list, page 1": "/items/",
        "list, page 50": "/items/?page=50",
        "list, agency + category": f"/items/?agency={agency.slug}&category={cats[0].parent_id}",
        "list, agency + year": f"/items/?agency={agency.slug}&year=2026",
        "column: statutory": "/column/statutory/",
        "item page": f"/items/{sample.pk}/",
        "print view": f"/items/{sample.pk}/print/",
        "RSS feed": "/feeds/items.rss",
        "sitemap.xml": "/sitemap.xml",
    }
    print(f"{'page':<28}{'p50 ms':>10}{'p95 ms':>10}")
    for name, url in pages.items():
        assert client.get(url).status_code == 200, url
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        print(f"{name:<28}{statistics.median(times):>10.1f}{p95:>10.1f}")


if __name__ == "__main__":
    main()
