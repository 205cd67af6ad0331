"""The audit table is append-only in the database itself on PostgreSQL (migration 0003)."""

import pytest
from django.db import DatabaseError, connection, transaction

from gongkai.audit.models import AuditEvent
from gongkai.audit.services import audit_record

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)


@pytest.fixture
def recorded(team):
    return audit_record(actor=team.clerk, action="item_create", target=team.clerk, agency=team.agency)


@postgres_only
@pytest.mark.django_db
def test_the_database_refuses_update_and_delete(recorded):
    attempts = [
        lambda: AuditEvent.objects.filter(pk=recorded.pk).update(comment="改写"),
        lambda: AuditEvent.objects.filter(pk=recorded.pk).delete(),
        lambda: recorded.save(),  # an UPDATE of an existing row
    ]
    for attempt in attempts:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            attempt()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_auditevent")

    assert AuditEvent.objects.get(pk=recorded.pk).comment == ""


@postgres_only
@pytest.mark.django_db
def test_inserts_still_work(recorded, team):
    audit_record(actor=team.leader, action="item_sign", target=team.leader, agency=team.agency)

    assert AuditEvent.objects.count() == 2


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_is_still_flushed_after_it(team):
    # Teardown flushes with TRUNCATE, which the trigger allows; the next test starts empty.
    audit_record(actor=team.clerk, action="kept_until_flush", target=team.clerk, agency=team.agency)

    assert AuditEvent.objects.filter(action="kept_until_flush").count() == 1


@postgres_only
@pytest.mark.django_db
def test_the_previous_flush_left_nothing_behind():
    assert not AuditEvent.objects.filter(action="kept_until_flush").exists()


def test_the_trigger_is_installed_only_on_postgresql():
    from importlib import import_module

    migration = import_module("gongkai.audit.migrations.0003_append_only_trigger")

    assert "BEFORE UPDATE OR DELETE ON audit_auditevent" in migration.CREATE
