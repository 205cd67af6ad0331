"""One submission, one case: the form sent twice, parallel POSTs, the API retried; 疑似重复 and 作废."""

import datetime
import io
import json
import re
import threading
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from gongkai.applications import selectors, services
from gongkai.applications.intake import application_intake
from gongkai.applications.models import Application, CaseEvent, Notice, SubmissionClaim
from gongkai.applications.workflow import Action, Status, TransitionRefused
from gongkai.audit.models import AuditEvent
from gongkai.testing.builders import online_applicant
from gongkai.testing.factories import AgencyFactory


def form_page_token(client: Client) -> str:
    page = client.get(reverse("applications:apply")).content.decode()
    return re.search(r'name="form_token" value="([^"]+)"', page).group(1)


@pytest.fixture
def agency(fresh_cache):
    return AgencyFactory()


# -- the form -------------------------------------------------------------------------------------


def test_the_same_form_posted_twice_stores_one_case_and_shows_the_same_receipt(agency):
    client = Client()
    token = form_page_token(client)
    data = {**online_applicant(), "agency": agency.pk, "form_token": token}
    first = client.post(reverse("applications:apply"), data)
    second = client.post(reverse("applications:apply"), data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Application.objects.count() == 1
    assert Notice.objects.count() == 1 and CaseEvent.objects.count() == 1
    receipt = client.get(second["Location"]).content.decode()
    assert "这份申请已经提交过，以下是该申请的受理回执（未重复登记）。" in receipt
    assert Application.objects.get().query_code in receipt


def test_the_same_token_from_another_browser_shows_the_first_receipt(agency):
    """The back button after the session was lost, or a double click racing the cookie."""
    token = form_page_token(Client())
    data = {**online_applicant(), "agency": agency.pk, "form_token": token}
    first = Client().post(reverse("applications:apply"), data)
    other = Client()
    second = other.post(reverse("applications:apply"), data)
    assert first["Location"] == second["Location"]
    assert other.get(second["Location"]).status_code == 200
    assert Application.objects.count() == 1


def test_a_fresh_form_per_page_and_a_new_request_with_a_new_form_is_a_new_case(agency):
    client = Client()
    one, two = form_page_token(client), form_page_token(client)
    assert one != two
    client.post(reverse("applications:apply"), {**online_applicant(), "agency": agency.pk, "form_token": one})
    client.post(
        reverse("applications:apply"),
        {
            **online_applicant(description="另一件事：2024年本县学校食堂招标结果"),
            "agency": agency.pk,
            "form_token": two,
        },
    )
    assert Application.objects.count() == 2


def test_the_same_content_without_a_token_within_the_window_is_the_first_case(agency, settings):
    settings.INTAKE_DUPLICATE_WINDOW_SECONDS = 600
    client = Client()
    start = datetime.datetime(2025, 3, 3, 2, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        first = client.post(reverse("applications:apply"), {**online_applicant(), "agency": agency.pk})
        traveller.shift(datetime.timedelta(minutes=9))
        second = client.post(reverse("applications:apply"), {**online_applicant(), "agency": agency.pk})
        assert first["Location"] == second["Location"]
        assert Application.objects.count() == 1
        # After the window the same content is kept as a new case, flagged 疑似重复 (same day).
        traveller.shift(datetime.timedelta(minutes=2))
        third = client.post(reverse("applications:apply"), {**online_applicant(), "agency": agency.pk})
    assert third["Location"] != first["Location"]
    later = Application.objects.order_by("pk").last()
    assert later.duplicate_of == Application.objects.order_by("pk").first()


def test_a_refused_submission_leaves_its_token_free_for_the_corrected_one(agency):
    client = Client()
    token = form_page_token(client)
    refused = client.post(
        reverse("applications:apply"),
        {**online_applicant(phone="12"), "agency": agency.pk, "form_token": token},
    )
    assert refused.status_code == 200
    assert token in refused.content.decode()  # the same form, the same token
    assert not SubmissionClaim.objects.exists()
    stored = client.post(
        reverse("applications:apply"), {**online_applicant(), "agency": agency.pk, "form_token": token}
    )
    assert stored.status_code == 302
    assert Application.objects.count() == 1


# -- the API --------------------------------------------------------------------------------------


def api_post(client: Client, agency, key: str | None = None, **overrides):
    body = json.dumps({**online_applicant(**overrides), "agency": agency.code})
    headers: dict[str, Any] = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post("/api/v1/requests", body, content_type="application/json", **headers)


def test_the_same_api_body_twice_without_a_key_is_one_case(agency):
    client = Client()
    first = api_post(client, agency)
    second = api_post(client, agency)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["query_code"] == second.json()["query_code"]
    assert Application.objects.count() == 1


def test_a_retry_with_the_same_idempotency_key_is_one_case_even_after_the_window(agency, settings):
    settings.INTAKE_DUPLICATE_WINDOW_SECONDS = 60
    client = Client()
    start = datetime.datetime(2025, 3, 3, 2, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        first = api_post(client, agency, key="b6f1c1e0-3d2a-4f7e-9a51-2f1d4c7e8a90")
        traveller.shift(datetime.timedelta(hours=2))
        second = api_post(client, agency, key="b6f1c1e0-3d2a-4f7e-9a51-2f1d4c7e8a90")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["query_code"] == second.json()["query_code"]
    assert Application.objects.count() == 1


def test_an_idempotency_key_used_for_other_content_is_refused(agency):
    client = Client()
    api_post(client, agency, key="key-1")
    refused = api_post(client, agency, key="key-1", description="完全不同的另一件申请内容")
    assert refused.status_code == 422
    assert "Idempotency-Key 已用于另一份内容不同的申请" in refused.json()["errors"]["idempotency_key"][0]
    assert Application.objects.count() == 1


def test_different_keys_for_the_same_body_within_the_window_are_still_one_case(agency):
    client = Client()
    first = api_post(client, agency, key="key-a")
    second = api_post(client, agency, key="key-b")
    assert first.json()["query_code"] == second.json()["query_code"]
    # key-b now leads to the same case too
    assert api_post(client, agency, key="key-b").json()["query_code"] == first.json()["query_code"]


def test_the_openapi_document_states_the_idempotency_key():
    document = Client().get("/api/v1/openapi.json").json()
    parameters = document["paths"]["/api/v1/requests"]["post"]["parameters"]
    header = next(p for p in parameters if p["name"] == "Idempotency-Key")
    assert header["in"] == "header" and "不会重复登记" in header["description"]


# -- parallel submissions (PostgreSQL: real concurrent transactions) ------------------------------


def _in_threads(work, count: int = 4) -> list:
    results: list = [None] * count
    barrier = threading.Barrier(count)

    def run(n: int) -> None:
        try:
            barrier.wait()
            results[n] = work(n)
        except Exception as exc:
            results[n] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel transactions need PostgreSQL")
@pytest.mark.parametrize("way", ["form_token", "idempotency_key", "same_body"])
def test_parallel_duplicates_store_one_case(way):
    agency = AgencyFactory()
    key = {"form_token": "T" * 32, "idempotency_key": "retry-42", "same_body": ""}[way]

    def submit(n: int):
        return application_intake(
            agency=agency,
            data=online_applicant(),
            form_token=key if way == "form_token" else "",
            idempotency_key=key if way == "idempotency_key" else "",
        )

    results = _in_threads(submit)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert Application.objects.count() == 1
    assert {r.application.pk for r in results} == {Application.objects.get().pk}
    assert sum(r.created for r in results) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel transactions need PostgreSQL")
def test_parallel_posts_of_one_form_show_one_receipt():
    agency = AgencyFactory()
    token = form_page_token(Client())
    data = {**online_applicant(), "agency": agency.pk, "form_token": token}
    results = _in_threads(lambda n: Client().post(reverse("applications:apply"), data))
    assert {r.status_code for r in results} == {302}
    assert len({r["Location"] for r in results}) == 1
    assert Application.objects.count() == 1


# -- 疑似重复 and 作废 -------------------------------------------------------------------------------


@pytest.fixture
def repeat(team):
    first = application_intake(agency=team.agency, data=online_applicant()).application
    second = application_intake(
        agency=team.agency, data=online_applicant(description="2024年本县义务教育学校布局调整方案及听证记录")
    ).application
    return team, first, second


def test_a_same_day_repeat_is_kept_and_flagged(repeat):
    team, first, second = repeat
    assert first.duplicate_of is None
    assert second.duplicate_of == first
    other_person = application_intake(
        agency=team.agency,
        data=online_applicant(phone="13600001111", id_number="E12345678", id_type="passport", name="李四"),
    ).application
    assert other_person.duplicate_of is None


def test_the_queue_shows_the_flag(repeat, client):
    team, _first, _second = repeat
    client.force_login(team.office)
    page = client.get(reverse("applications_staff:queue") + "?queue=new").content.decode()
    assert page.count("疑似重复") == 1


def test_the_office_voids_a_repeat_with_a_reason_audited_and_not_counted(repeat):
    team, first, second = repeat
    voided = services.application_transition(
        actor=team.office, application=second, action=Action.VOID, reason="与同日申请重复，申请人电话确认"
    )
    assert voided.status == Status.VOIDED and voided.outcome == ""
    assert voided.void_reason == "与同日申请重复，申请人电话确认"
    event = AuditEvent.objects.filter(action="application_void").get()
    assert event.comment == "与同日申请重复，申请人电话确认"
    assert list(Application.objects.reported()) == [first]
    counts = selectors.report_counts(agency_id=team.agency.pk, year=first.received_on.year)
    assert counts["received"] == {"natural": 1}
    assert selectors.queue(team.office, "open") and second.pk not in {
        row.application.pk for row in selectors.queue(team.office, "open")
    }


def test_voiding_needs_the_flag_a_reason_and_the_office(repeat):
    team, first, second = repeat
    with pytest.raises(TransitionRefused, match="只有标记为疑似重复的申请可以作废"):
        services.application_transition(
            actor=team.office, application=first, action=Action.VOID, reason="重复"
        )
    with pytest.raises(TransitionRefused):
        services.application_transition(actor=team.office, application=second, action=Action.VOID, reason=" ")
    with pytest.raises((TransitionRefused, ValidationError, PermissionError)):
        services.application_transition(
            actor=team.clerk, application=second, action=Action.VOID, reason="重复"
        )
    assert Application.objects.get(pk=second.pk).status == Status.REGISTERED


def test_the_case_page_offers_void_for_a_flagged_case_only(repeat, client):
    team, first, second = repeat
    client.force_login(team.office)
    assert (
        "作废（重复提交）"
        in client.get(reverse("applications_staff:detail", args=[second.pk])).content.decode()
    )
    assert (
        "作废（重复提交）"
        not in client.get(reverse("applications_staff:detail", args=[first.pk])).content.decode()
    )


def test_the_tick_forgets_claims_after_a_month(agency):
    from django.core.management import call_command

    with time_machine.travel(datetime.datetime(2025, 3, 3, 2, 0, tzinfo=datetime.UTC), tick=False):
        application_intake(agency=agency, data=online_applicant(), form_token="F" * 32)
    assert SubmissionClaim.objects.count() == 2  # the token and the content
    with time_machine.travel(datetime.datetime(2025, 4, 3, 2, 0, tzinfo=datetime.UTC), tick=False):
        call_command("gongkai_tick", stdout=io.StringIO())
    assert not SubmissionClaim.objects.exists()
