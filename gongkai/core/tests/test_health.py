"""Liveness (/healthz) and readiness (/readyz) for the load balancer (issue 19, gongkai.core.health)."""

import datetime
import json

import pytest
import time_machine
from django.core.cache import caches
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal
from django.db import OperationalError, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gongkai.core import apps as core_apps
from gongkai.core import health

pytestmark = pytest.mark.django_db

# What a real failure message carries: hosts, users, passwords, paths. None of it may be answered.
LEAKY = "connection to server at db-internal.example (10.1.2.3) failed: password s3cr3t for gongkai_app"
NOW = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def no_heartbeat(db):
    """A shared cache (Redis) outlives the test's transaction: start without a heartbeat."""
    caches["default"].delete(health.TICK_CACHE_KEY)


def boom(*args, **kwargs):
    raise OperationalError(LEAKY)


def get(client, path):
    response = client.get(path)
    return response, json.loads(response.content)


def assert_probe_headers(response):
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies  # no session, no CSRF cookie


# -- liveness ----------------------------------------------------------------------------------------


def test_healthz_answers_ok_without_touching_the_database(client):
    with CaptureQueriesContext(connections["default"]) as queries:
        response, body = get(client, "/healthz")
    assert response.status_code == 200
    assert body == {"status": "ok"}
    assert_probe_headers(response)
    assert not queries.captured_queries


def test_healthz_stays_up_when_the_database_is_down(client, monkeypatch):
    monkeypatch.setattr(connections["default"], "cursor", boom)
    response, body = get(client, "/healthz")
    assert (response.status_code, body) == (200, {"status": "ok"})


def test_probes_refuse_writes(client):
    assert client.post("/healthz").status_code == 405
    assert client.post("/readyz").status_code == 405
    assert client.head("/readyz").status_code == 200


# -- readiness ---------------------------------------------------------------------------------------


def test_readyz_ok_after_a_recent_tick(client):
    with time_machine.travel(NOW - datetime.timedelta(minutes=9), tick=False):
        call_command("gongkai_tick")  # the command records its heartbeat
    with time_machine.travel(NOW, tick=False):
        response, body = get(client, "/readyz")
    assert response.status_code == 200
    assert body == {
        "status": "ok",
        "checks": {
            "database": {"status": "ok"},
            "cache": {"status": "ok"},
            "media": {"status": "ok"},
            "tick": {"status": "ok", "age_seconds": 540, "max_age_seconds": 1800},
        },
    }
    assert_probe_headers(response)


def test_readyz_leaves_no_probe_file_behind(client, settings):
    get(client, "/readyz")
    assert default_storage.listdir(health.MEDIA_PROBE_DIR)[1] == []


def test_database_down_is_503_and_names_only_the_check(client, monkeypatch, settings):
    health.tick_record()
    monkeypatch.setattr(connections["default"], "cursor", boom)
    response, body = get(client, "/readyz")
    assert response.status_code == 503
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == {"status": "fail"}
    assert body["checks"]["media"] == {"status": "ok"}
    # Without Redis the cache is a database table: it fails with the database.
    database_cache = settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache")
    assert body["checks"]["cache"] == {"status": "fail" if database_cache else "ok"}
    assert_probe_headers(response)


def test_cache_down_is_503(client, monkeypatch):
    health.tick_record()
    monkeypatch.setattr(caches["default"], "set", boom)
    monkeypatch.setattr(caches["default"], "get", boom)
    response, body = get(client, "/readyz")
    assert response.status_code == 503
    assert body["status"] == "unavailable"
    assert body["checks"]["cache"] == {"status": "fail"}
    assert body["checks"]["database"] == {"status": "ok"}
    # The heartbeat lives in the cache too: unreadable, so unknown (the cache check says why).
    assert body["checks"]["tick"]["status"] == "unknown"


def test_cache_answering_wrong_values_is_503(client, monkeypatch):
    monkeypatch.setattr(caches["default"], "get", lambda *args, **kwargs: None)
    response, body = get(client, "/readyz")
    assert response.status_code == 503
    assert body["checks"]["cache"] == {"status": "fail"}


def unwritable_media(settings, tmp_path):
    """MEDIA_ROOT below a plain file: no directory can be made there (even as root)."""
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    settings.MEDIA_ROOT = blocker / "media"


def test_media_storage_not_writable_is_503(client, settings, tmp_path):
    unwritable_media(settings, tmp_path)
    response, body = get(client, "/readyz")
    assert response.status_code == 503
    assert body["checks"]["media"] == {"status": "fail"}


def test_stale_tick_is_degraded_but_ready(client):
    """Every app server would report the same: taking them all out of the pool helps nobody."""
    health.tick_record(now=NOW - datetime.timedelta(seconds=1801))
    with time_machine.travel(NOW, tick=False):
        response, body = get(client, "/readyz")
    assert response.status_code == 200
    assert body["status"] == "degraded"
    assert body["checks"]["tick"] == {"status": "stale", "age_seconds": 1801, "max_age_seconds": 1800}


def test_tick_age_limit_is_a_setting(client, settings):
    settings.HEALTH_TICK_MAX_AGE_SECONDS = 60
    health.tick_record(now=timezone.now() - datetime.timedelta(minutes=5))
    response, body = get(client, "/readyz")
    assert (response.status_code, body["status"]) == (200, "degraded")
    assert body["checks"]["tick"]["status"] == "stale"


def test_never_recorded_tick_is_degraded_unknown(client):
    response, body = get(client, "/readyz")
    assert response.status_code == 200
    assert body["status"] == "degraded"
    assert body["checks"]["tick"] == {"status": "unknown", "age_seconds": None, "max_age_seconds": 1800}


def test_tick_still_succeeds_when_its_heartbeat_cannot_be_stored(monkeypatch):
    monkeypatch.setattr(caches["default"], "set", boom)
    assert health.tick_record() is False
    call_command("gongkai_tick")  # does not raise


def test_body_holds_no_secret_when_everything_fails(client, monkeypatch, settings, tmp_path):
    unwritable_media(settings, tmp_path)
    monkeypatch.setattr(connections["default"], "cursor", boom)
    monkeypatch.setattr(caches["default"], "set", boom)
    monkeypatch.setattr(caches["default"], "get", boom)
    response, body = get(client, "/readyz")
    assert response.status_code == 503
    assert {check["status"] for check in body["checks"].values()} == {"fail", "unknown"}
    text = response.content.decode()
    database = settings.DATABASES["default"]
    forbidden = ["db-internal", "10.1.2.3", "s3cr3t", "gongkai_app", "OperationalError", "Traceback"]
    forbidden += [str(settings.MEDIA_ROOT), settings.SECRET_KEY, str(database["NAME"])]
    forbidden += [value for value in (database.get("HOST"), database.get("USER")) if value]
    for secret in forbidden:
        assert secret not in text, secret
    # Only the documented shape: check names and outcomes.
    assert set(body) == {"status", "checks"}
    assert set(body["checks"]) == {"database", "cache", "media", "tick"}


def test_probes_are_not_redirected_to_https(client, settings):
    """The load balancer probes the app port over plain HTTP."""
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/").status_code == 301


def test_migrate_creates_the_cache_table(monkeypatch):
    """Found by /readyz on a fresh `make run`: `migrate` left the cache table out, so every cache
    use (the intake limits, the lock-out, the tick's heartbeat) failed until createcachetable."""
    calls = []
    monkeypatch.setattr(core_apps, "call_command", lambda *args, **kwargs: calls.append(args))
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert calls == [("createcachetable",)]
