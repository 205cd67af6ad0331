"""Time the working-day arithmetic behind request deadlines on 1,000,000 synthetic cases.

    .venv/bin/python benchmarks/deadlines.py [--cases 1000000] [--seed 4]

Each case is received on a random day in 2020–2027 and is due 20 working days later; some 30%
carry an extension of 1–15 working days and some 20% a pause (consultation, fee, suspension)
of 1–30 calendar days starting up to 25 days after receipt. Per case the due date is

    add(received, 20 + extension + count(pause_start, pause_end))

exactly what the request clock does. Only that arithmetic is timed (time.perf_counter, one
process, one core): first one call per case (``count`` and ``add``), then the batch path
(``add_many``). Building the calendar and the synthetic cases is not timed. No Django.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gongkai.workdays.bundled import BUNDLED_SOURCE, bundled_calendar  # noqa: E402


def build_cases(n: int, seed: int) -> tuple[list[dt.date], list[int], list[dt.date | None], list[dt.date]]:
    rng = random.Random(seed)
    first = dt.date(2020, 1, 1).toordinal()
    last = dt.date(2027, 12, 31).toordinal()
    received, extension, pause_start, pause_end = [], [], [], []
    for _ in range(n):
        day = rng.randint(first, last)
        received.append(dt.date.fromordinal(day))
        extension.append(rng.randint(1, 15) if rng.random() < 0.3 else 0)
        if rng.random() < 0.2:
            start = day + rng.randint(0, 25)
            pause_start.append(dt.date.fromordinal(start))
            pause_end.append(dt.date.fromordinal(start + rng.randint(1, 30)))
        else:
            pause_start.append(None)
            pause_end.append(received[-1])
    return received, extension, pause_start, pause_end


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args()

    cal = bundled_calendar()
    received, extension, pause_start, pause_end = build_cases(args.cases, args.seed)
    add, count = cal.add, cal.count
    n = args.cases

    # 1. One call per case.
    t0 = time.perf_counter()
    due_single = [
        add(r, 20 + e + (count(s, p) if s is not None else 0))
        for r, e, s, p in zip(received, extension, pause_start, pause_end, strict=True)
    ]
    single = time.perf_counter() - t0

    # 2. Batch: the pauses' counts, then one add_many over every case.
    t0 = time.perf_counter()
    ns = [
        20 + e + (count(s, p) if s is not None else 0)
        for e, s, p in zip(extension, pause_start, pause_end, strict=True)
    ]
    due_batch = cal.add_many(received, ns)
    batch = time.perf_counter() - t0

    assert due_single == due_batch, "single and batch results differ"
    assert all(cal.is_workday(d) for d in due_single[:1000])
    unconfirmed = sum(1 for d in due_single if not cal.is_confirmed(d.year))

    print(f"calendar: {BUNDLED_SOURCE}, Python {platform.python_version()}, {platform.machine()}")
    print(
        f"cases: {n:,} (received 2020–2027; {sum(1 for e in extension if e):,} extended, "
        f"{sum(1 for s in pause_start if s is not None):,} paused; "
        f"{unconfirmed:,} due in an unconfirmed year)"
    )
    print(f"one call per case (count + add): {single:.3f} s total, {n / single:,.0f} cases/s")
    print(f"batch (count + add_many):        {batch:.3f} s total, {n / batch:,.0f} cases/s")
    goal = "met" if min(single, batch) < 2.0 else "MISSED"
    print(f"goal < 2 s: {goal}")


if __name__ == "__main__":
    main()
