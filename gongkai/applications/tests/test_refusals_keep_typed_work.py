"""Issue 13 §1: a refused case action gives the case page back with the form as typed.

Each form of the case page is posted, as staff post it, with an input the service refuses. The
answer is the case page itself (HTTP 200, never a redirect that drops the form), with every typed
value back in its field and the refusal beside it.
"""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils.html import escape

from gongkai.applications import services
from gongkai.applications.models import Application, ExtensionRequest
from gongkai.testing import builders

CHINA = ZoneInfo("Asia/Shanghai")
RECEIVED = datetime.date(2025, 9, 26)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2025, 9, 29, 10, tzinfo=CHINA), tick=False):
        yield


def post(client, user, url: str, data: dict):
    client.force_login(user)
    response = client.post(url, data)
    assert response.status_code == 200, response.get("Location")
    return response.content.decode()


def form(page: str, form_id: str) -> str:
    """The HTML of the form with ``id=form_id``."""
    match = re.search(rf'<form[^>]*id="{form_id}".*?</form>', page, flags=re.S)
    assert match, f"no form {form_id} on the page"
    return match.group(0)


@pytest.fixture
def forwarded(team) -> Application:
    return builders.forward(team, builders.register(team, received_on=RECEIVED))


def test_a_partly_disclosed_reply_without_its_reason_keeps_outcome_and_text(client, team, forwarded):
    text = "经审查，申请公开的信息中部分内容涉及第三方商业秘密，现将其余部分提供如下。"
    page = post(
        client,
        team.clerk,
        reverse("applications_staff:reply", args=[forwarded.pk]),
        {"outcome": "partial", "reply_text": text, "withheld_note": ""},
    )

    reply = form(page, "form-reply")
    assert re.search(r'<option value="partial"[^>]*selected', reply)
    assert escape(text) in reply
    assert "须写明不予公开的内容和理由" in reply  # beside the form, not only at the top
    assert Application.objects.get(pk=forwarded.pk).reply_text == ""


def test_a_reply_form_left_incomplete_keeps_what_was_typed(client, team, forwarded):
    text = "草拟中的答复内容，尚未选择办理结果。"
    page = post(
        client,
        team.clerk,
        reverse("applications_staff:reply", args=[forwarded.pk]),
        {"outcome": "", "reply_text": text, "withheld_note": ""},
    )
    reply = form(page, "form-reply")
    assert escape(text) in reply
    assert 'class="errorlist' in reply


def test_an_extension_longer_than_the_rule_keeps_days_and_reason(client, team, forwarded):
    reason = "需要调取多个年度的纸质档案并逐页核对，工作量较大。"
    page = post(
        client,
        team.clerk,
        reverse("applications_staff:operate", args=[forwarded.pk, "extension_request"]),
        {"days": "30", "reason": reason},
    )

    extension = form(page, "form-extension_request")
    assert 'value="30"' in extension
    assert escape(reason) in extension
    assert "延长期限最长不得超过20个工作日" in extension
    assert not ExtensionRequest.objects.filter(application=forwarded).exists()


def test_a_forward_without_a_department_is_refused_beside_the_choice(client, team):
    application = builders.register(team, received_on=RECEIVED)
    note = "请业务股核实2024年度数据后答复。"
    page = post(
        client,
        team.office,
        reverse("applications_staff:action", args=[application.pk]),
        {"action": "forward", "department": "", "reason": note},
    )

    forward = form(page, "form-forward")
    assert "请选择承办股室" in forward
    assert escape(note) in forward
    assert Application.objects.get(pk=application.pk).status == "registered"


def test_a_refused_correction_keeps_its_items_and_period(client, team, forwarded):
    items = "请写明所需信息的年度和具体名称。"
    page = post(
        client,
        team.office,
        reverse("applications_staff:action", args=[forwarded.pk]),
        {"action": "request_correction", "reason": items, "correction_days": "45"},
    )
    correction = form(page, "form-request_correction")
    assert escape(items) in correction
    assert 'value="45"' in correction
    assert "补正期限应为1至30个工作日" in correction


def test_a_rejection_of_an_extension_without_a_reason_is_shown_beside_it(client, team, forwarded):
    extension = services.extension_request(actor=team.clerk, application=forwarded, days=5, reason="档案较多")
    page = post(
        client,
        team.office,
        reverse("applications_staff:extension_decide", args=[forwarded.pk, extension.pk]),
        {"decision": "reject", "note": "  "},
    )
    rejection = form(page, f"form-extension-{extension.pk}")
    assert "须填写理由" in rejection
    assert ExtensionRequest.objects.get(pk=extension.pk).state == "pending"


def test_a_delivery_without_its_method_keeps_the_proof(client, team):
    application = builders.register(team, received_on=RECEIVED)
    receipt = application.notices.get(kind="receipt")
    page = post(
        client,
        team.office,
        reverse("applications_staff:notice_delivered", args=[application.pk, receipt.pk]),
        {"method": "", "proof": "EMS 1187654321", "on": "2025-09-29"},
    )
    delivery = form(page, f"form-delivered-{receipt.pk}")
    assert 'value="EMS 1187654321"' in delivery
    assert "请选择送达方式" in delivery


def test_a_suspension_dated_tomorrow_keeps_its_reason(client, team, forwarded):
    reason = "因台风停电，档案室无法开放。"
    page = post(
        client,
        team.office,
        reverse("applications_staff:operate", args=[forwarded.pk, "suspend"]),
        {"reason": reason, "on": "2025-09-30"},
    )
    suspend = form(page, "form-suspend")
    assert escape(reason) in suspend
    assert "日期不能晚于今天" in suspend


def test_an_appeal_with_an_impossible_date_keeps_the_form(client, team):
    application = builders.advance_case(team, builders.register(team, received_on=RECEIVED), to="replied")
    page = post(
        client,
        team.office,
        reverse("applications_staff:appeal", args=[application.pk]),
        {"kind": "reconsideration", "filed_on": "2025-09-01", "result": "pending", "note": "市政府受理"},
    )
    appeal = form(page, "form-appeal")
    assert 'value="市政府受理"' in appeal
    assert "提起日期应在答复日期之后" in appeal
