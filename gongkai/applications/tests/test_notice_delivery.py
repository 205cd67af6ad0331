"""Letters in bulk and their delivery (issue 13, point 4), through the staff pages.

The office's list of letters waiting to be printed or delivered (own agency only), the batch print
as one PDF shown in the browser, the delivery form's default (the applicant's chosen way) and its
explanation of the 送达日期, a failed delivery recorded with its reason, and the correction period,
which runs from the delivery of the correction notice and never starts when it did not arrive.
Time is frozen around the 2025 National Day holiday (1–8 October off, Sat 11 October worked).
"""

import datetime
import io
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.urls import reverse
from pypdf import PdfReader

from gongkai.applications import services
from gongkai.applications.models import Application, DeliveryState, Notice
from gongkai.audit.models import AuditEvent
from gongkai.testing import builders
from gongkai.testing.files import pdf_upload

CHINA = ZoneInfo("Asia/Shanghai")
RECEIVED = datetime.date(2025, 9, 26)

pytestmark = pytest.mark.django_db


def moment(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, 10, tzinfo=CHINA)


@pytest.fixture
def traveller():
    with time_machine.travel(moment(RECEIVED), tick=False) as traveller:
        yield traveller


def go(traveller, text: str) -> None:
    traveller.move_to(moment(datetime.date.fromisoformat(text)))


def register(team, **data) -> Application:
    data = {"address": "广东省阳江市江城区东风路8号", "email": "lmh@example.com", **data}
    return builders.register(team, received_on=RECEIVED, **data)


def post(client, user, url: str, data: dict) -> tuple[int, list[tuple[int, str]]]:
    """(status, flashed messages) of a POST as ``user``."""
    client.force_login(user)
    response = client.post(url, data)
    flashed = [(m.level, m.message) for m in get_messages(response.wsgi_request)]
    client.cookies.pop("messages", None)
    return response.status_code, flashed


def errors(flashed) -> str:
    return " ".join(text for level, text in flashed if level == message_levels.ERROR)


def page(client, user, application: Application) -> str:
    client.force_login(user)
    response = client.get(reverse("applications_staff:detail", args=[application.pk]))
    assert response.status_code == 200
    return response.content.decode()


def act(client, user, application: Application, action: str, **data):
    url = reverse("applications_staff:action", args=[application.pk])
    return post(client, user, url, {"action": action, "reason": "", **data})


def deliver(client, user, notice: Notice, **data):
    url = reverse("applications_staff:notice_delivered", args=[notice.application_id, notice.pk])
    return post(client, user, url, data)


def fail(client, user, notice: Notice, **data):
    url = reverse("applications_staff:notice_failed", args=[notice.application_id, notice.pk])
    return post(client, user, url, data)


def pdf_text(data: bytes) -> str:
    # pypdf reads the embedded CID font's text with a NUL before each character.
    return re.sub(r"[\s\x00]+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))


# -- the list of letters waiting to be delivered ---------------------------------------------------


def test_the_list_shows_the_own_agencys_undelivered_letters_only(client, team, other_team, traveller):
    waiting = register(team)
    delivered = register(team, name="钱多多")
    theirs = register(other_team, name="孙小明")
    delivered_receipt = delivered.notices.get()
    services.notice_mark_delivered(
        actor=team.office, notice=delivered_receipt, method="当面领取", on=RECEIVED
    )
    failed = register(team, name="周到", delivery="post")
    services.notice_mark_failed(
        actor=team.office, notice=failed.notices.get(), reason="returned", on=RECEIVED
    )

    url = reverse("applications_staff:deliveries")
    client.force_login(team.office)
    html = client.get(url).content.decode()
    assert waiting.query_code in html and waiting.notices.get().number in html
    assert failed.query_code in html and "送达失败" in html and "邮件被退回" in html
    assert delivered.query_code not in html
    assert theirs.query_code not in html
    assert reverse("applications_staff:detail", args=[waiting.pk]) in html
    assert "自行领取" in html and "邮寄" in html  # the applicant's chosen way
    assert "批量打印" in html
    # The request queue links to it.
    queue = client.get(reverse("applications_staff:queue")).content.decode()
    assert url in queue

    client.force_login(other_team.office)
    html = client.get(url).content.decode()
    assert theirs.query_code in html and waiting.query_code not in html and failed.query_code not in html

    client.force_login(team.clerk)
    assert client.get(url).status_code == 403
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and reverse("workbench:login") in response["Location"]


def test_batch_print_gives_one_pdf_of_the_chosen_letters_shown_in_the_browser(
    client, team, other_team, traveller
):
    first, second, third = (register(team, name=name) for name in ("李明华", "钱多多", "周到"))
    theirs = register(other_team, name="孙小明")
    chosen = [first.notices.get(), second.notices.get()]
    url = reverse("applications_staff:deliveries_print")
    client.force_login(team.office)
    response = client.get(url, {"notice": [n.pk for n in chosen] + [theirs.notices.get().pk]})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert "sandbox" not in response["Content-Security-Policy"]
    data = b"".join(response.streaming_content)
    singles = [
        PdfReader(io.BytesIO(n.pdf.open("rb").read()))
        for n in Notice.objects.filter(pk__in=[n.pk for n in chosen])
    ]
    assert len(PdfReader(io.BytesIO(data)).pages) == sum(len(r.pages) for r in singles) >= 2
    text = pdf_text(data)
    assert all(n.number in text for n in chosen)
    assert third.notices.get().number not in text
    assert theirs.notices.get().number not in text and "孙小明" not in text  # another agency's letter
    # Printed in full to be sent: each letter printed is audited as a full view of personal data.
    printed = AuditEvent.objects.filter(action="personal_data_view", actor=team.office)
    assert sorted(int(e.target_id) for e in printed) == sorted([first.pk, second.pk])

    # Another agency's office chooses our letters: nothing is printed.
    client.force_login(other_team.office)
    response = client.post(url, {"notice": [n.pk for n in chosen]})
    assert response.status_code == 302 and response["Location"] == reverse("applications_staff:deliveries")
    client.force_login(team.clerk)
    assert client.post(url, {"notice": [chosen[0].pk]}).status_code == 403
    client.force_login(team.office)
    assert client.post(url, {"notice": ["x"]}).status_code == 302  # nothing chosen


# -- a letter opens in the browser; uploads stay downloads -----------------------------------------


def test_a_letters_pdf_opens_in_the_browser_and_its_docx_downloads(client, team, traveller):
    application = register(team)
    notice = application.notices.get()
    client.force_login(team.office)
    for query in ("", "?full=1"):
        url = reverse("applications_staff:notice_file", args=[application.pk, notice.pk, "pdf"]) + query
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("inline")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" not in response["Content-Security-Policy"]
    docx = client.get(reverse("applications_staff:notice_file", args=[application.pk, notice.pk, "docx"]))
    assert docx["Content-Disposition"].startswith("attachment")


def test_an_uploaded_file_still_downloads_sandboxed(client, team, traveller):
    application = builders.register(team, received_on=RECEIVED, files=[pdf_upload("身份证.pdf")])
    stored = application.files.get()
    client.force_login(team.office)
    response = client.get(reverse("applications_staff:file", args=[application.pk, stored.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response["Content-Security-Policy"]


def test_the_applicants_own_receipt_opens_in_the_browser(client, team):
    form = builders.online_applicant(agency=team.agency.pk)
    assert client.post(reverse("applications:apply"), form).status_code == 302
    application = Application.objects.get()
    response = client.get(reverse("applications:receipt_pdf", args=[application.query_code]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert "no-store" in response["Cache-Control"]


# -- the delivery form ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("way", "method"),
    [("pickup", "当面领取"), ("post", "邮寄"), ("email", "电子邮件"), ("online", "网上获取")],
)
def test_the_delivery_form_defaults_to_the_applicants_chosen_way(client, team, traveller, way, method):
    application = register(team, delivery=way)
    notice = application.notices.get()
    html = page(client, team.office, application)
    select = re.search(rf'<select id="dm-{notice.pk}" name="method"[^>]*>(.*?)</select>', html, flags=re.S)
    assert select, "the delivery form offers the 送达方式 as a choice"
    selected = re.findall(r'<option value="([^"]*)" selected>', select.group(1))
    assert selected == [method]
    # The 送达日期 is explained beside the field: it starts the periods for reconsideration and suit.
    assert "送达日期是申请人实际收到文书的日期" in html
    assert "六十日内申请行政复议" in html and "六个月内提起行政诉讼" in html


def test_it_refuses_a_delivery_method_that_is_not_one_of_the_choices(client, team, traveller):
    notice = register(team).notices.get()
    status, flashed = deliver(client, team.office, notice, method="飞鸽传书", on="2025-09-26")
    assert status == 200 and "请选择送达方式" in errors(flashed)  # the page again, the form as typed
    assert Notice.objects.get(pk=notice.pk).delivered_on is None


# -- a failed delivery ------------------------------------------------------------------------------


def test_a_failed_delivery_is_recorded_with_its_reason_and_a_new_attempt_may_follow(client, team, traveller):
    application = register(team, delivery="post")
    notice = application.notices.get()
    go(traveller, "2025-09-30")

    status, flashed = fail(client, team.office, notice, reason="", on="2025-09-30")
    assert "失败的原因" in errors(flashed)
    status, flashed = fail(client, team.office, notice, reason="other", on="2025-09-30")
    assert "写明情况" in errors(flashed)
    status, flashed = fail(
        client,
        team.office,
        notice,
        reason="address_unknown",
        method="邮寄",
        on="2025-09-30",
        note="门牌号不存在",
    )
    assert status == 302 and not errors(flashed)

    notice.refresh_from_db()
    assert notice.delivery_state == DeliveryState.FAILED and notice.delivered_on is None
    assert (notice.delivery_failure, notice.delivery_failed_on) == (
        "address_unknown",
        datetime.date(2025, 9, 30),
    )
    event = AuditEvent.objects.get(action="notice_delivery_failed")
    assert event.actor == team.office and event.target_id == str(application.pk)
    assert "地址不详" in event.comment and "门牌号不存在" in event.comment
    html = page(client, team.office, application)
    assert "送达失败" in html and "地址不详" in html and "门牌号不存在" in html

    # A new attempt, after the failure, succeeds.
    go(traveller, "2025-10-10")
    status, flashed = deliver(client, team.office, notice, method="当面领取", on="2025-09-29")
    assert "送达失败日期" in errors(flashed)  # not before the failed attempt
    status, flashed = deliver(
        client, team.office, notice, method="当面领取", on="2025-10-10", proof="本人签收"
    )
    assert not errors(flashed)
    notice.refresh_from_db()
    assert notice.delivery_state == DeliveryState.DELIVERED and notice.delivered_on == datetime.date(
        2025, 10, 10
    )
    html = page(client, team.office, application)
    assert "2025年10月10日 当面领取（本人签收）" in html and "此前于2025年9月30日送达失败" in html
    # Delivered: neither a second delivery nor a failure can be recorded over it.
    assert "已于2025年10月10日登记送达" in errors(
        deliver(client, team.office, notice, method="邮寄", on="2025-10-10")[1]
    )
    assert "不能再登记送达失败" in errors(
        fail(client, team.office, notice, reason="refused", on="2025-10-10")[1]
    )


def test_another_agencys_office_cannot_record_a_failed_delivery(client, team, other_team, traveller):
    notice = register(team).notices.get()
    client.force_login(other_team.office)
    url = reverse("applications_staff:notice_failed", args=[notice.application_id, notice.pk])
    assert client.post(url, {"reason": "returned", "on": "2025-09-26"}).status_code == 404
    _, flashed = fail(client, team.clerk, notice, reason="returned", on="2025-09-26")
    assert "政务公开办公室" in errors(flashed)
    assert Notice.objects.get(pk=notice.pk).delivery_state == DeliveryState.PENDING


# -- the correction period runs from the delivery of the correction notice --------------------------


def do(client, user, application: Application, op: str, **data):
    return post(client, user, reverse("applications_staff:operate", args=[application.pk, op]), data)


def _correction(client, team, traveller) -> tuple[Application, Notice]:
    application = register(team)
    go(traveller, "2025-09-29")
    _, flashed = act(
        client, team.office, application, "request_correction", reason="请补充身份证明", correction_days="10"
    )
    assert not errors(flashed)
    return application, application.notices.get(kind="correction")


def test_the_correction_period_runs_from_the_day_the_notice_was_delivered(client, team, traveller):
    application, notice = _correction(client, team, traveller)
    go(traveller, "2025-10-09")
    assert not errors(deliver(client, team.office, notice, method="邮寄", on="2025-10-09")[1])
    # add(10-09, 10): 10-10, 10-11 (worked Sat), 10-13 … 10-17, 10-20, 10-21, 10-22. Counted from
    # the day the notice was issued (09-29) it would have ended on 10-20.
    assert "2025年10月22日" in page(client, team.office, application)
    go(traveller, "2025-10-21")
    assert "补正期限尚未届满" in errors(act(client, team.office, application, "lapse")[1])
    go(traveller, "2025-10-22")
    assert "补正期限尚未届满" in errors(act(client, team.office, application, "lapse")[1])
    go(traveller, "2025-10-23")
    assert not errors(act(client, team.office, application, "lapse")[1])
    application.refresh_from_db()
    assert (application.status, application.outcome) == ("closed", "other_no_correction")


def test_no_lapse_when_the_correction_notice_never_arrived(client, team, traveller):
    application, notice = _correction(client, team, traveller)
    go(traveller, "2025-09-30")
    assert not errors(fail(client, team.office, notice, reason="returned", method="邮寄", on="2025-09-30")[1])

    go(traveller, "2025-11-20")  # long after the period would have ended
    refusal = errors(act(client, team.office, application, "lapse")[1])
    assert "补正告知书未能送达" in refusal
    application.refresh_from_db()
    assert application.status == "awaiting_correction" and application.outcome == ""
    html = page(client, team.office, application)
    assert 'id="correction-undelivered"' in html
    assert 'name="action" value="lapse"' not in html  # the page does not offer it either

    # Delivered at last on 11-20: the period runs from then (add(11-20, 10) = 12-04).
    assert not errors(deliver(client, team.office, notice, method="当面领取", on="2025-11-20")[1])
    go(traveller, "2025-12-04")
    assert "补正期限尚未届满" in errors(act(client, team.office, application, "lapse")[1])
    go(traveller, "2025-12-05")
    assert not errors(act(client, team.office, application, "lapse")[1])


# -- the same for the fee notice: the payment period runs from its delivery ------------------------


def test_no_fee_lapse_when_the_fee_notice_never_arrived_and_the_period_runs_from_delivery(
    client, team, traveller
):
    application = register(team)
    go(traveller, "2025-09-29")
    assert not errors(do(client, team.office, application, "fee_notice", amount="120")[1])
    notice = application.notices.get(kind="fee")
    go(traveller, "2025-10-09")
    assert not errors(
        fail(client, team.office, notice, reason="no_such_person", method="邮寄", on="2025-10-09")[1]
    )

    go(traveller, "2025-11-20")  # counted from 09-29 the period ended on 11-03
    assert "收费通知未能送达" in errors(do(client, team.office, application, "fee_lapse")[1])
    assert 'id="fee-notice-undelivered"' in page(client, team.office, application)
    assert Application.objects.get(pk=application.pk).status == "registered"

    # Delivered on 11-20: add(11-20, 20) = 12-18 (no holidays).
    assert not errors(deliver(client, team.office, notice, method="当面领取", on="2025-11-20")[1])
    go(traveller, "2025-12-18")
    assert "缴费期限尚未届满" in errors(do(client, team.office, application, "fee_lapse")[1])
    go(traveller, "2025-12-19")
    assert not errors(do(client, team.office, application, "fee_lapse")[1])
    application.refresh_from_db()
    assert (application.status, application.outcome) == ("closed", "other_fee_unpaid")
