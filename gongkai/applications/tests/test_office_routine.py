"""Issue 13 §3: no traps in the office's routine on the case page.

Forwarding names a department (no default); 补正 may still be asked for after forwarding while
its 7-working-day window from receipt runs, and is refused in Chinese after it; a window that
passed is 已过, not a missed deadline; the handling office reads the postal address without
unmasking; a closed case shows no working days left; dates appear in one format.
"""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from gongkai.applications import identity, services
from gongkai.applications.intake import application_intake
from gongkai.applications.models import Application
from gongkai.applications.workflow import Action, TransitionRefused
from gongkai.testing import builders
from gongkai.testing.pages import case_page

CHINA = ZoneInfo("Asia/Shanghai")
RECEIVED = datetime.date(2025, 9, 26)  # a Friday; 7 working days later is 13 October (National Day)
ADDRESS = "某省某市某县城关镇解放路18号3单元502室"


def moment(text: str) -> datetime.datetime:
    d = datetime.date.fromisoformat(text)
    return datetime.datetime(d.year, d.month, d.day, 10, tzinfo=CHINA)


@pytest.fixture
def traveller():
    with time_machine.travel(moment("2025-09-26"), tick=False) as traveller:
        yield traveller


def section(page: str, heading_id: str) -> str:
    match = re.search(rf'aria-labelledby="{heading_id}".*?</section>', page, flags=re.S)
    assert match, heading_id
    return match.group(0)


# -- forwarding -----------------------------------------------------------------------------------


def test_the_department_choice_starts_empty(client, team, traveller):
    application = builders.register(team, received_on=RECEIVED)
    page = case_page(client, team.office, application)
    select = re.search(r'<select id="dept" name="department" required>(.*?)</select>', page, flags=re.S)
    assert select
    options = re.findall(r"<option[^>]*>", select.group(1))
    assert options[0] == '<option value="">'
    assert not any("selected" in o for o in options)
    assert "请选择股室" in select.group(1)


def test_the_service_refuses_a_forward_without_a_department(team, traveller):
    application = builders.register(team, received_on=RECEIVED)
    with pytest.raises(TransitionRefused) as refused:
        services.application_transition(
            actor=team.office, application=application, action=Action.FORWARD, department=None
        )
    assert refused.value.message == "请选择承办股室。"
    assert refused.value.field == "department"
    assert Application.objects.get(pk=application.pk).status == "registered"


# -- 补正 after forwarding, within the window ----------------------------------------------------


def test_a_correction_may_be_asked_for_after_forwarding_within_seven_working_days(client, team, traveller):
    application = builders.forward(team, builders.register(team, received_on=RECEIVED))
    traveller.move_to(moment("2025-10-13"))  # the 7th working day after receipt (National Day)
    assert "发出补正告知</button>" in case_page(client, team.office, application)

    client.force_login(team.office)
    response = client.post(
        reverse("applications_staff:action", args=[application.pk]),
        {"action": "request_correction", "reason": "请写明所需信息的年度。", "correction_days": "10"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "awaiting_correction"

    # The corrected request goes back to the department that had it.
    traveller.move_to(moment("2025-10-15"))
    services.application_transition(
        actor=team.office, application=application, action=Action.RECEIVE_CORRECTION
    )
    application.refresh_from_db()
    assert application.status == "forwarded"
    assert application.department_id == team.department.pk
    # Asked once: not offered again.
    assert "发出补正告知</button>" not in case_page(client, team.office, application)


def test_after_the_window_a_correction_is_refused_in_chinese(client, team, traveller):
    application = builders.forward(team, builders.register(team, received_on=RECEIVED))
    traveller.move_to(moment("2025-10-14"))  # the 8th working day
    page = case_page(client, team.office, application)
    assert "发出补正告知</button>" not in page

    client.force_login(team.office)
    items = "请写明所需信息的年度。"
    response = client.post(
        reverse("applications_staff:action", args=[application.pk]),
        {"action": "request_correction", "reason": items, "correction_days": "10"},
    )
    assert response.status_code == 200
    assert "补正告知须在收到申请之日起7个工作日内作出" in response.content.decode()
    assert "2025年10月13日" in response.content.decode()
    assert Application.objects.get(pk=application.pk).status == "forwarded"


# -- milestones -----------------------------------------------------------------------------------


def test_a_correction_window_that_passed_unused_is_neutral(client, team, traveller):
    application = builders.forward(team, builders.register(team, received_on=RECEIVED))
    traveller.move_to(moment("2025-10-20"))
    page = case_page(client, team.office, application)
    line = re.search(r"<li>补正告知期限：(.*?)</li>", page, flags=re.S)
    assert line
    assert "已过" in line.group(1)
    assert "warn" not in line.group(1) and "超期" not in line.group(1)


def test_a_reply_deadline_missed_is_still_flagged(client, team, traveller):
    application = builders.forward(team, builders.register(team, received_on=RECEIVED))
    traveller.move_to(moment("2025-11-05"))
    page = case_page(client, team.office, application)
    line = re.search(r"<li>答复期限：(.*?)</li>", page, flags=re.S)
    assert line and '<span class="badge warn">已超期</span>' in line.group(1)


# -- the postal address ---------------------------------------------------------------------------


@pytest.fixture
def by_post(team, traveller) -> Application:
    application = builders.register(team, received_on=RECEIVED, delivery="post", address=ADDRESS)
    return builders.forward(team, application)


def test_the_office_reads_the_postal_address_without_unmasking(client, team, by_post):
    page = case_page(client, team.office, by_post)
    assert ADDRESS in page
    assert by_post.id_number not in page and by_post.phone not in page
    assert identity.mask_phone(by_post.phone) in page


@pytest.mark.parametrize("who", ["clerk", "dept_head", "leader", "secrecy", "other_clerk", "supervisor"])
def test_other_staff_see_the_address_masked(client, team, by_post, who):
    page = case_page(client, getattr(team, who), by_post)
    assert ADDRESS not in page


def test_an_address_for_pickup_stays_masked_for_the_office(client, team, traveller):
    application = builders.register(team, received_on=RECEIVED, address=ADDRESS)
    assert ADDRESS not in case_page(client, team.office, application)


# -- closed cases and dates -----------------------------------------------------------------------


def test_a_replied_case_shows_no_working_days_left(client, team, traveller):
    application = builders.advance_case(team, builders.register(team, received_on=RECEIVED), to="replied")
    page = case_page(client, team.office, application)
    assert "剩余工作日" not in page
    assert not re.search(r"剩余\s*\d+\s*个工作日", page)
    assert "已于2025年9月26日办结" in page


def test_a_voided_case_is_not_shown_as_counting(client, team, traveller):
    def submit(note: str) -> Application:
        return application_intake(
            agency=team.agency,
            data=builders.applicant(purpose_note=note),
            files=[],
            channel="window",
            received_on=RECEIVED,
            actor=team.office,
        ).application

    first, repeat = submit(""), submit("再次提交")
    assert repeat.duplicate_of_id == first.pk
    services.application_transition(
        actor=team.office, application=repeat, action=Action.VOID, reason="同一申请人当日重复提交"
    )
    page = case_page(client, team.office, repeat)
    assert "剩余工作日" not in page and "计时中" not in page
    assert "答复稿" not in page  # nothing to draft, nothing drafted


def test_the_case_page_shows_dates_in_one_format(client, team, traveller):
    application = builders.forward(team, builders.register(team, received_on=RECEIVED))
    traveller.move_to(moment("2025-10-20"))
    page = case_page(client, team.office, application)
    # ISO dates only as the values of date inputs, never as text.
    text = re.sub(r'value="\d{4}-\d{2}-\d{2}"', "", page)
    text = re.sub(r'datetime="[^"]*"', "", text)
    assert not re.search(r"\d{4}-\d{1,2}-\d{1,2}", text)
    assert "2025年9月26日" in page
