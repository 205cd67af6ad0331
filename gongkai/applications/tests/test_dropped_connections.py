"""A database connection that drops: a clear 503 "系统繁忙" instead of Django's 500, nothing
half-written, the typed form kept; and (PostgreSQL) a persistent connection killed between
requests is replaced by the health check before the next request uses it."""

import json
from unittest import mock
from wsgiref.util import setup_testing_defaults

import psycopg
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import InterfaceError, OperationalError, connection
from django.test import Client
from django.urls import reverse

from gongkai.applications.models import Application, SubmissionClaim
from gongkai.audit.models import AuditEvent
from gongkai.core.cache_headers import CacheHeadersMiddleware
from gongkai.core.dbdrops import BUSY, FORM_NOT_SAVED, RETRY_AFTER_SECONDS
from gongkai.testing.builders import online_applicant
from gongkai.testing.factories import AgencyFactory

DROPPED = OperationalError("server closed the connection unexpectedly")
# Inside application_intake's transaction, after the case was written: the write must roll back.
MID_INTAKE = "gongkai.applications.intake._same_day_case"

# The status look-up's selector: a query in a view.
FIND = "gongkai.applications.views.public.find_application"

pytestmark = pytest.mark.usefixtures("fresh_cache")


def look_up(client):
    return client.post(reverse("applications:status"), {"query_code": "ABCD2345", "phone_tail": "5678"})


def submit_by_api(client, agency):
    return client.post("/api/v1/requests", json.dumps(api_request(agency)), content_type="application/json")


def assert_busy(response) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "no-store" in response["Cache-Control"]


def assert_nothing_stored() -> None:
    assert Application.objects.count() == 0
    assert SubmissionClaim.objects.count() == 0
    assert not AuditEvent.objects.filter(action="application_submit").exists()


def api_request(agency) -> dict:
    fields = {k: v for k, v in online_applicant().items() if k not in {"confirm", "form_token"}}
    return {**fields, "agency": agency.code}


# -- pages and the API when a view's query fails --------------------------------------------------


def test_a_page_whose_query_fails_says_busy_in_chinese_not_500(client, team):
    failing = mock.patch(FIND, side_effect=DROPPED)
    with failing:
        response = client.post(
            reverse("applications:status"), {"query_code": "ABCD2345", "phone_tail": "5678"}
        )
    assert_busy(response)
    content = response.content.decode()
    assert BUSY in content
    assert "没有保存" in content and "后退" in content


def test_an_interface_error_is_a_dropped_connection_too(client, team):
    with mock.patch(
        "gongkai.applications.views.public.find_application", side_effect=InterfaceError("closed")
    ):
        response = client.post(
            reverse("applications:status"), {"query_code": "ABCD2345", "phone_tail": "5678"}
        )
    assert_busy(response)


def test_other_errors_stay_500(team):
    client = Client(raise_request_exception=False)
    with mock.patch(FIND, side_effect=RuntimeError("bug")):
        response = client.post(
            reverse("applications:status"), {"query_code": "ABCD2345", "phone_tail": "5678"}
        )
    assert response.status_code == 500
    assert "服务暂时不可用" in response.content.decode()


def test_a_connection_dropping_outside_the_view_says_busy_too(team):
    client = Client(raise_request_exception=False)
    client.force_login(team.clerk)
    after_the_view = mock.patch.object(CacheHeadersMiddleware, "__call__", side_effect=DROPPED)
    with after_the_view:
        response = client.get(reverse("workbench:home"))
    assert_busy(response)
    assert BUSY in response.content.decode()


def test_the_api_answers_busy_in_json_and_stores_nothing(client, team):
    with mock.patch(MID_INTAKE, side_effect=DROPPED):
        response = client.post(
            "/api/v1/requests", json.dumps(api_request(team.agency)), content_type="application/json"
        )
    assert_busy(response)
    assert response.json() == {"detail": BUSY}
    assert BUSY in response.content.decode()  # readable UTF-8, not \u escapes
    assert_nothing_stored()


def test_the_api_answers_busy_when_debug_is_on(client, team, settings):
    settings.DEBUG = True  # ninja's own answer would be a traceback
    with mock.patch(MID_INTAKE, side_effect=DROPPED):
        response = client.post(
            "/api/v1/requests", json.dumps(api_request(team.agency)), content_type="application/json"
        )
    assert_busy(response)
    assert response.json() == {"detail": BUSY}


# -- the forms keep what was typed ----------------------------------------------------------------


def test_the_apply_form_comes_back_as_typed_and_can_be_sent_again():
    agency = AgencyFactory()
    client = Client()
    page = client.get(reverse("applications:apply")).content.decode()
    token = page.split('name="form_token" value="', 1)[1].split('"', 1)[0]
    data = {**online_applicant(), "agency": agency.pk, "form_token": token}

    with mock.patch(MID_INTAKE, side_effect=DROPPED):
        response = client.post(reverse("applications:apply"), data)

    assert_busy(response)
    content = response.content.decode()
    assert FORM_NOT_SAVED in content
    for value in (data["name"], data["phone"], data["description"], token):
        assert value in content, value
    assert_nothing_stored()
    # The same form sent again once the database is back is stored once.
    again = client.post(reverse("applications:apply"), data)
    assert again.status_code == 302
    assert Application.objects.count() == 1


def test_the_office_registration_form_comes_back_as_typed(client, team):
    client.force_login(team.office)
    data = {
        **online_applicant(),
        "agency": team.agency.pk,
        "channel": "window",
        "received_on": "2024-05-06",
    }
    with mock.patch(MID_INTAKE, side_effect=DROPPED):
        response = client.post(reverse("applications_staff:register"), data)
    assert_busy(response)
    content = response.content.decode()
    assert FORM_NOT_SAVED in content
    for value in (data["name"], data["phone"], data["description"]):
        assert value in content, value
    assert_nothing_stored()


# -- PostgreSQL: a persistent connection killed between requests ---------------------------------


def _wsgi(app: WSGIHandler, path: str, method: str = "GET", body: bytes = b"", content_type: str = ""):
    """One request through Django's real WSGI handler, so request_started/finished run the
    connection housekeeping (CONN_MAX_AGE, health checks) the test client switches off."""
    environ: dict = {"PATH_INFO": path, "REQUEST_METHOD": method}
    if body:
        environ.update({"CONTENT_LENGTH": str(len(body)), "CONTENT_TYPE": content_type})
    setup_testing_defaults(environ)
    environ["wsgi.input"].write(body)
    environ["wsgi.input"].seek(0)
    status: list[str] = []

    def start_response(line: str, headers, exc_info=None):
        status.append(line)
        return lambda data: None

    response = app(environ, start_response)
    try:
        content = b"".join(response)
    finally:
        response.close()  # request_finished
    return int(status[0].split()[0]), content


def _terminate_backend_of(conn) -> None:
    """Kill ``conn``'s server process from a second connection and wait until it is gone."""
    pid = conn.connection.info.backend_pid
    params = conn.get_connection_params()
    with psycopg.connect(**{**params, "autocommit": True}) as killer:
        assert killer.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone() == (True,)
        for _ in range(100):
            if not killer.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone():
                return
            killer.execute("SELECT pg_sleep(0.05)")
    raise AssertionError("the backend did not go away")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="terminates a PostgreSQL backend")
def test_a_connection_dropped_between_requests_is_replaced_before_the_next_request():
    assert connection.settings_dict["CONN_MAX_AGE"] > 0  # persistent: reused across requests
    agency = AgencyFactory()
    app = WSGIHandler()
    assert _wsgi(app, "/api/v1/agencies")[0] == 200
    kept = connection.connection
    assert kept is not None  # the request left its connection open for the next one

    _terminate_backend_of(connection)

    statuses = [_wsgi(app, "/api/v1/agencies")[0]]
    body = json.dumps(api_request(agency)).encode()
    statuses.append(_wsgi(app, "/api/v1/requests", "POST", body, "application/json")[0])
    statuses += [_wsgi(app, "/api/v1/agencies")[0] for _ in range(3)]
    assert statuses == [200, 201, 200, 200, 200]
    assert connection.connection is not kept  # reconnected
    assert Application.objects.count() == 1
