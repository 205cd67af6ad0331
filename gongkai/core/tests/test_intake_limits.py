"""Anonymous intake limits: per address and for everyone, the total upload size, the honeypot."""

import datetime
import json

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from gongkai.applications import identity
from gongkai.applications.models import Application, ApplicationFile
from gongkai.core import ratelimit
from gongkai.testing.factories import AgencyFactory
from gongkai.testing.files import minimal_pdf

ID_NUMBER = identity.make_resident_id(datetime.date(1980, 5, 6))


def form_data(agency, n: int = 0, **overrides) -> dict:
    return {
        "agency": agency.pk,
        "applicant_type": "natural",
        "name": "孙丽萍",
        "id_type": "resident_id",
        "id_number": ID_NUMBER,
        "phone": "13712345678",
        "email": "sunliping@example.com",
        "description": f"本镇2024年农村危房改造补助资金的发放名单（第{n}件）",
        "medium": "electronic",
        "delivery": "email",
        **overrides,
    }


def api_body(agency, n: int = 0) -> str:
    data = form_data(agency, n)
    data["agency"] = agency.code
    return json.dumps(data)


@pytest.fixture
def agency(fresh_cache):
    return AgencyFactory()


@pytest.fixture
def limits(settings):
    settings.INTAKE_LIMITS = {"applications": {"per_address": 3, "global": 5}}
    settings.INTAKE_LIMIT_WINDOW_SECONDS = 3600
    return settings


def test_the_form_refuses_the_fourth_in_an_hour_from_one_address_and_keeps_it(agency, limits):
    client = Client(REMOTE_ADDR="203.0.113.7")
    with time_machine.travel(datetime.datetime(2025, 3, 3, 10, 20, tzinfo=datetime.UTC), tick=False):
        for n in range(3):
            assert client.post(reverse("applications:apply"), form_data(agency, n)).status_code == 302
        refused = client.post(reverse("applications:apply"), form_data(agency, 3))
    assert refused.status_code == 429
    page = refused.content.decode()
    # 10:20 UTC is 18:20 in China; the window ends at 19:00 China time.
    assert "同一网络每小时最多提交3件政府信息公开申请" in page
    assert "请在19:00以后（约40分钟后）再提交" in page
    assert "第3件" in page  # what was typed is still in the form
    assert Application.objects.count() == 3


def test_the_limit_lifts_when_the_hour_is_over(agency, limits):
    client = Client(REMOTE_ADDR="203.0.113.7")
    with time_machine.travel(datetime.datetime(2025, 3, 3, 10, 20, tzinfo=datetime.UTC), tick=False) as t:
        for n in range(4):
            client.post(reverse("applications:apply"), form_data(agency, n))
        t.shift(datetime.timedelta(minutes=41))
        assert client.post(reverse("applications:apply"), form_data(agency, 9)).status_code == 302
    assert Application.objects.count() == 4


def test_a_forged_forwarding_header_does_not_reset_the_limit(agency, limits):
    limits.TRUSTED_PROXY_COUNT = 1
    client = Client(REMOTE_ADDR="10.0.0.2")
    for n in range(4):
        response = client.post(
            reverse("applications:apply"),
            form_data(agency, n),
            HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, 203.0.113.7",
        )
    assert response.status_code == 429
    assert Application.objects.count() == 3


def test_everyone_together_is_limited_too(agency, limits):
    for n in range(5):
        client = Client(REMOTE_ADDR=f"203.0.113.{n}")
        assert client.post(reverse("applications:apply"), form_data(agency, n)).status_code == 302
    refused = Client(REMOTE_ADDR="198.51.100.1").post(reverse("applications:apply"), form_data(agency, 5))
    assert refused.status_code == 429
    assert "当前网上提交的政府信息公开申请过多，系统暂停受理" in refused.content.decode()


def test_invalid_submissions_and_repeats_do_not_use_up_places(agency, limits):
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(5):
        assert client.post(reverse("applications:apply"), form_data(agency, phone="12")).status_code == 200
    for _ in range(5):  # the same content again: answered with the first case
        client.post(reverse("applications:apply"), form_data(agency, 1))
    assert client.post(reverse("applications:apply"), form_data(agency, 2)).status_code == 302
    assert Application.objects.count() == 2


def test_the_api_answers_429_with_retry_after_and_a_chinese_detail(agency, limits):
    client = Client(REMOTE_ADDR="203.0.113.7")
    with time_machine.travel(datetime.datetime(2025, 3, 3, 10, 20, tzinfo=datetime.UTC), tick=False):
        for n in range(3):
            response = client.post("/api/v1/requests", api_body(agency, n), content_type="application/json")
            assert response.status_code == 201
        refused = client.post("/api/v1/requests", api_body(agency, 3), content_type="application/json")
    assert refused.status_code == 429
    assert refused["Retry-After"] == str(40 * 60)
    assert "请在19:00以后" in refused.json()["detail"]
    assert Application.objects.count() == 3


def test_the_form_and_the_api_share_the_limit(agency, limits):
    client = Client(REMOTE_ADDR="203.0.113.7")
    for n in range(3):
        client.post(reverse("applications:apply"), form_data(agency, n))
    refused = client.post("/api/v1/requests", api_body(agency, 3), content_type="application/json")
    assert refused.status_code == 429


def test_every_bucket_has_a_limit_and_an_unknown_one_is_a_configuration_error(settings):
    for bucket in ratelimit.BUCKETS:
        limit = ratelimit.limit_for(bucket)
        assert limit.per_address == settings.INTAKE_LIMIT_PER_ADDRESS or bucket == "applications"
        assert limit.window == settings.INTAKE_LIMIT_WINDOW_SECONDS
    with pytest.raises(Exception, match="Unknown intake bucket"):
        ratelimit.limit_for("petitions")


def test_buckets_count_apart_and_a_released_place_is_free_again(agency, limits):
    limits.INTAKE_LIMITS = {"applications": {"per_address": 1, "global": 5}, "complaints": {"per_address": 1}}
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.7")
    ticket = ratelimit.acquire("applications", request)
    with pytest.raises(ratelimit.RateLimited):
        ratelimit.acquire("applications", request)
    ratelimit.acquire("complaints", request)
    ratelimit.release(ticket)
    ratelimit.acquire("applications", request)


# -- total upload size -----------------------------------------------------------------------------


def test_files_over_the_total_are_refused_before_anything_is_stored(agency, settings, tmp_path):
    settings.INTAKE_UPLOAD_MAX_BYTES = 1024 * 1024
    pdf = minimal_pdf()
    big = pdf + b"%" + b"0" * (700 * 1024)  # a valid PDF with a long comment at the end
    files = [
        SimpleUploadedFile("a.pdf", big, content_type="application/pdf"),
        SimpleUploadedFile("b.pdf", big, content_type="application/pdf"),
    ]
    response = Client().post(reverse("applications:apply"), {**form_data(agency), "files": files})
    assert response.status_code == 413
    page = response.content.decode()
    assert "附件合计不能超过1 MB，申请未提交" in page
    assert "孙丽萍" in page and "第0件" in page  # the form is kept
    assert not Application.objects.exists()
    assert not ApplicationFile.objects.exists()
    media = settings.MEDIA_ROOT
    assert not any(path.is_file() for path in media.rglob("*")) if media.exists() else True


def test_files_within_the_total_are_taken(agency, settings):
    settings.INTAKE_UPLOAD_MAX_BYTES = 1024 * 1024
    pdf = SimpleUploadedFile("a.pdf", minimal_pdf(), content_type="application/pdf")
    response = Client().post(reverse("applications:apply"), {**form_data(agency), "files": [pdf]})
    assert response.status_code == 302
    assert ApplicationFile.objects.count() == 1


# -- honeypot --------------------------------------------------------------------------------------


def test_the_honeypot_is_hidden_by_a_class_not_an_inline_style(agency):
    page = Client().get(reverse("applications:apply")).content.decode()
    assert '<div class="gk-hp" aria-hidden="true">' in page
    assert 'name="homepage"' in page and 'tabindex="-1"' in page
    assert "style=" not in page.split('class="gk-hp"')[1].split("</div>")[0]


def test_a_filled_honeypot_stores_nothing(agency):
    response = Client().post(reverse("applications:apply"), form_data(agency, homepage="http://spam.example"))
    assert response.status_code == 400
    assert "提交未成功" in response.content.decode()
    assert not Application.objects.exists()


def test_the_status_look_up_has_the_honeypot_too(agency):
    page = Client().get(reverse("applications:status")).content.decode()
    assert 'class="gk-hp"' in page
    response = Client().post(
        reverse("applications:status"),
        {"query_code": "23456789ABCD", "phone_tail": "5678", "homepage": "x"},
    )
    assert "提交未成功" in response.content.decode()


def test_the_default_cache_is_shared_between_processes(settings):
    from django.conf import settings as live

    backend = live.CACHES["default"]["BACKEND"]
    assert "locmem" not in backend.lower()
    assert timezone.now()  # settings module imported as configured
