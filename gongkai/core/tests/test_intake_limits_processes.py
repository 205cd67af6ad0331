"""The intake limits hold across two worker processes sharing the configured cache.

Two ``python -m gongkai.core.tests.limit_worker`` processes start together and each tries 30
submissions from the same address; with a limit of 25 they must get exactly 25 places between them
(a per-process cache, or a non-atomic increment, gives more). Run against the default database
cache (on SQLite, or on PostgreSQL when the suite runs there) and against Redis on 127.0.0.1:6379.
"""

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]
LIMIT = 25
ATTEMPTS = 30


def _race(env: dict[str, str], tmp_path: Path) -> list[int]:
    env = {
        **os.environ,
        **env,
        "INTAKE_APPLICATIONS_PER_ADDRESS": str(LIMIT),
        "INTAKE_APPLICATIONS_GLOBAL": "100000",
        "PYTHONPATH": str(ROOT),
    }
    address = f"198.51.{uuid.uuid4().int % 256}.{uuid.uuid4().int % 256}"
    go = tmp_path / "go"
    workers = []
    for n in range(2):
        ready = tmp_path / f"ready{n}"
        command = [sys.executable, "-m", "gongkai.core.tests.limit_worker", str(ready), str(go)]
        command += [str(ATTEMPTS), address]
        workers.append(
            (
                ready,
                subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE),  # noqa: S603 our own worker
            )
        )
    for ready, process in workers:
        while not ready.exists():
            if process.poll() is not None:
                pytest.fail(process.stderr.read().decode())
            time.sleep(0.01)
    go.touch()
    counts = []
    for _, process in workers:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err.decode()
        counts.append(int(out.decode().strip().splitlines()[-1]))
    return counts


@pytest.mark.django_db(transaction=True)
def test_two_processes_share_the_database_cache(tmp_path):
    if connection.vendor == "postgresql":
        url = "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(**{**settings.DATABASES["default"]})
        env = {"DATABASE_URL": url, "REDIS_URL": ""}
    else:
        sqlite = tmp_path / "shared.sqlite3"
        env = {"DATABASE_URL": "", "REDIS_URL": "", "SQLITE_PATH": str(sqlite)}
        subprocess.run(
            [sys.executable, "manage.py", "createcachetable"],
            cwd=ROOT,
            env={**os.environ, **env},
            check=True,
        )
    counts = _race(env, tmp_path)
    assert sum(counts) == LIMIT, counts


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")
def test_two_processes_share_redis(tmp_path):
    counts = _race({"REDIS_URL": "redis://127.0.0.1:6379/15"}, tmp_path)
    assert sum(counts) == LIMIT, counts
