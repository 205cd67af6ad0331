"""One worker process of the two-process limit test (test_intake_limits_processes.py).

Run as ``python -m gongkai.core.tests.limit_worker <ready-file> <go-file> <attempts> <address>`` with
the cache configured by the environment (SQLITE_PATH, DATABASE_URL or REDIS_URL). It signals ready,
waits for the go file, takes as many places as it can and prints how many it got.
"""

import os
import sys
import time
from pathlib import Path


def main() -> None:
    ready, go, attempts, address = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    import django

    django.setup()
    from django.test import RequestFactory

    from gongkai.core import ratelimit

    request = RequestFactory().post("/", REMOTE_ADDR=address)
    ready.touch()
    deadline = time.monotonic() + 60
    while not go.exists():
        if time.monotonic() > deadline:
            sys.exit("no go signal")
        time.sleep(0.005)
    taken = 0
    for _ in range(attempts):
        try:
            ratelimit.acquire("applications", request)
        except ratelimit.RateLimited:
            continue
        taken += 1
    print(taken)


if __name__ == "__main__":
    main()
