"""Run gongkai.search.extract in a child process with hard time and memory bounds. No Django.

`extract_isolated(data, content_type, limits)` starts `python -m gongkai.search.extract_worker`,
sends it the file on stdin and reads an `Extraction` as JSON from stdout. The child caps its own
address space (RLIMIT_AS = limits.memory_bytes) and CPU time, and interrupts itself with SIGALRM
at limits.seconds, keeping the text read so far; the parent kills it a few seconds later if it
still has not answered. A file can therefore cost the caller at most about limits.seconds of
wall time and no memory of its own, however it is built.

Protocol: stdin = one line of JSON {"content_type": str, "limits": {Limits fields}}, then the
file's bytes; stdout = one JSON object (Extraction.as_dict()).
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path
from types import FrameType
from typing import NoReturn

from gongkai.search.extract import Extraction, LimitReached, Limits, extract

GRACE_SECONDS = 5.0  # after the soft deadline, before the parent kills the child
_PROJECT_ROOT = Path(__file__).resolve().parents[2]


def extract_isolated(data: bytes, content_type: str, limits: Limits | None = None) -> Extraction:
    """The extraction of `data`, computed in a bounded child process. Never raises for a bad file;
    a child killed by the parent's timeout gives state "failed" with limit "time"."""
    limits = limits or Limits()
    header = json.dumps({"content_type": content_type, "limits": dataclasses.asdict(limits)}).encode()
    try:
        completed = subprocess.run(  # our own module, fixed arguments
            [sys.executable, "-m", "gongkai.search.extract_worker"],
            input=header + b"\n" + data,
            capture_output=True,
            timeout=limits.seconds + GRACE_SECONDS,
            cwd=_PROJECT_ROOT,
            env={**os.environ, "PYTHONPATH": str(_PROJECT_ROOT)},
            check=False,
        )
    except subprocess.TimeoutExpired:
        return Extraction(state="failed", limit="time", error="the extraction worker did not finish in time")
    try:
        result = json.loads(completed.stdout.decode("utf-8"))
        return Extraction(**result)
    except (ValueError, TypeError):
        tail = completed.stderr.decode("utf-8", "replace")[-300:]
        limit = "memory" if "MemoryError" in tail or completed.returncode == -9 else ""
        return Extraction(
            state="failed", limit=limit, error=f"worker exited with {completed.returncode}: {tail}"
        )


def _bound_self(limits: Limits) -> None:
    import resource
    import signal

    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    cpu = int(limits.seconds + GRACE_SECONDS)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))

    def time_up(signum: int, frame: FrameType | None) -> NoReturn:
        raise LimitReached("time")

    signal.signal(signal.SIGALRM, time_up)
    signal.setitimer(signal.ITIMER_REAL, limits.seconds)


def main() -> None:
    stdin = sys.stdin.buffer
    request = json.loads(stdin.readline())
    limits = Limits(**request["limits"])
    data = stdin.read()
    _bound_self(limits)
    try:
        result = extract(data, request["content_type"], limits)
    except LimitReached as reached:  # the alarm went off outside extract's own handler
        result = Extraction(state="failed", limit=reached.limit, error="interrupted")
    import signal

    signal.setitimer(signal.ITIMER_REAL, 0)
    sys.stdout.buffer.write(json.dumps(result.as_dict(), ensure_ascii=False).encode("utf-8"))
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    main()
