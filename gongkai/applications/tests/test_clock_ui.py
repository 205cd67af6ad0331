"""The request clock as staff see it: the case page and the workbench queues, under time travel.

Cases are set up with the services the pages call; what is checked is what the pages show on real
dates (the 2025 National Day holiday; 2027, whose holidays are not yet confirmed).
"""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from gongkai.applications import services
from gongkai.applications.workflow import Action
from gongkai.testing import builders
from gongkai.testing.pages import case_page

CHINA = ZoneInfo("Asia/Shanghai")
UNCONFIRMED = "该年度节假日安排尚未确认"


def moment(text: str) -> datetime.datetime:
    d = datetime.date.fromisoformat(text)
    return datetime.datetime(d.year, d.month, d.day, 10, tzinfo=CHINA)


@pytest.fixture
def traveller():
    with time_machine.travel(moment("2025-09-26"), tick=False) as traveller:
        yield traveller


def go(traveller, text: str) -> None:
    traveller.move_to(moment(text))


def register(team, received_on: str, description: str = builders.APPLICANT["description"]):
    return builders.register(
        team, received_on=datetime.date.fromisoformat(received_on), description=description
    )


def cell(page: str, header: str) -> str:
    """The text of the table cell right after the row header ``header`` on the case page."""
    match = re.search(rf'<th scope="row">{header}</th><td>(.*?)</td>', page, flags=re.S)
    assert match, f"no {header} on the page"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def queue_codes(client, user, name: str) -> list[str]:
    client.force_login(user)
    response = client.get(reverse("applications_staff:queue"), {"queue": name})
    assert response.status_code == 200
    return re.findall(r'<a href="/staff/applications/\d+/">([A-Z0-9]{12})</a>', response.content.decode())


def queue_row(client, user, name: str, application) -> list[str]:
    client.force_login(user)
    content = client.get(reverse("applications_staff:queue"), {"queue": name}).content.decode()
    match = re.search(rf">{application.query_code}</a></td>(.*?)</tr>", content, flags=re.S)
    assert match, f"{application.query_code} not in the {name} queue"
    cells = re.findall(r"<td>(.*?)</td>", match.group(1), flags=re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", c)).strip() for c in cells]


def test_it_counts_working_days_across_the_national_day_holiday(client, team, traveller):
    application = register(team, "2025-09-26")

    page = case_page(client, team.office, application)
    assert cell(page, "收到申请") == "2025年9月26日（当面提交）"
    assert cell(page, "起算日") == "2025年9月26日"
    assert cell(page, "答复期限") == "2025年10月30日"
    assert cell(page, "计时") == "计时中"
    assert cell(page, "已用工作日") == "0"
    assert cell(page, "剩余工作日") == "20"

    # Sunday 28 September is worked; 1–8 October are not; Saturday 11 October is worked.
    go(traveller, "2025-10-11")
    page = case_page(client, team.office, application)
    assert cell(page, "已用工作日") == "6"
    assert cell(page, "剩余工作日") == "14"
    assert queue_row(client, team.office, "open", application)[-2:] == ["2025-10-30", "14"]


def test_it_shows_why_the_clock_is_paused_and_lists_the_case_as_paused(client, team, traveller):
    consulting = register(team, "2025-09-26", "征求意见的申请")
    fee = register(team, "2025-09-26", "收费的申请")
    suspended = register(team, "2025-09-26", "中止的申请")
    running = register(team, "2025-09-26", "正常计时的申请")
    go(traveller, "2025-09-29")
    services.consultation_start(
        actor=team.office, application=consulting, third_party="某公司", matter="商业秘密"
    )
    services.fee_notice(actor=team.office, application=fee, amount="50")
    services.suspend(actor=team.office, application=suspended, reason="洪水")

    go(traveller, "2025-10-13")
    for application, reason in (
        (consulting, "征求第三方意见"),
        (fee, "等待缴费"),
        (suspended, "不可抗力中止"),
    ):
        page = case_page(client, team.office, application)
        assert cell(page, "计时") == f"暂停：{reason}"
        assert reason in queue_row(client, team.office, "open", application)[1]
    assert sorted(queue_codes(client, team.office, "paused")) == sorted(
        a.query_code for a in (consulting, fee, suspended)
    )
    assert running.query_code not in queue_codes(client, team.office, "paused")

    services.consultation_answer(actor=team.office, application=consulting, note="不同意")
    services.fee_paid(actor=team.office, application=fee)
    services.resume(actor=team.office, application=suspended)
    assert queue_codes(client, team.office, "paused") == []
    for application in (consulting, fee, suspended):
        page = case_page(client, team.office, application)
        assert cell(page, "计时") == "计时中"
        # 30 Sep, 9, 10, 11 and 13 Oct were paused: five working days later than 30 October.
        assert cell(page, "答复期限") == "2025年11月6日"
    assert cell(case_page(client, team.office, running), "答复期限") == "2025年10月30日"


def test_it_shows_the_applicant_the_pause_on_the_status_page(client, team, traveller):
    application = register(team, "2025-09-26")
    go(traveller, "2025-09-29")
    services.consultation_start(
        actor=team.office, application=application, third_party="某公司", matter="商业秘密"
    )

    response = Client().post(
        reverse("applications:status"), {"query_code": application.query_code, "phone_tail": "6789"}
    )

    content = response.content.decode()
    assert "已受理" in content
    assert "（征求第三方意见）" in content


def test_it_stops_the_clock_while_waiting_for_a_correction(client, team, traveller):
    application = register(team, "2025-09-26")
    go(traveller, "2025-09-29")
    services.application_transition(
        actor=team.office, application=application, action=Action.REQUEST_CORRECTION, reason="请写明年份"
    )

    go(traveller, "2025-10-13")
    page = case_page(client, team.office, application)
    assert cell(page, "计时") == "暂停：等待申请人补正"
    assert cell(page, "已用工作日") == "0"
    assert application.query_code in queue_codes(client, team.office, "paused")

    services.application_transition(
        actor=team.office, application=application, action=Action.RECEIVE_CORRECTION
    )
    page = case_page(client, team.office, application)
    assert cell(page, "起算日") == "2025年10月13日"
    assert cell(page, "答复期限") == "2025年11月10日"
    assert cell(page, "剩余工作日") == "20"
    assert application.query_code not in queue_codes(client, team.office, "paused")


def test_it_marks_a_case_overdue_the_day_after_its_due_date(client, team, traveller):
    application = register(team, "2025-09-26")

    go(traveller, "2025-10-30")
    page = case_page(client, team.office, application)
    assert cell(page, "剩余工作日") == "0"
    assert "已超期" not in page
    assert application.query_code not in queue_codes(client, team.office, "overdue")

    go(traveller, "2025-10-31")
    page = case_page(client, team.office, application)
    assert '<span class="badge warn">已超期</span>' in page
    assert application.query_code in queue_codes(client, team.office, "overdue")
    assert application.query_code not in queue_codes(client, team.office, "due_soon")
    assert queue_row(client, team.office, "overdue", application)[-1] == "已超期1个工作日"

    go(traveller, "2025-11-04")
    assert queue_row(client, team.office, "overdue", application)[-1] == "已超期3个工作日"


def test_it_lists_cases_due_within_three_working_days(client, team, traveller):
    application = register(team, "2025-09-26")  # due 2025-10-30, a Thursday

    go(traveller, "2025-10-24")  # Friday: four working days to go
    assert application.query_code not in queue_codes(client, team.office, "due_soon")

    go(traveller, "2025-10-27")  # Monday: three working days to go
    assert application.query_code in queue_codes(client, team.office, "due_soon")
    assert cell(case_page(client, team.office, application), "剩余工作日") == "3"

    go(traveller, "2025-10-30")
    assert application.query_code in queue_codes(client, team.office, "due_soon")


def test_it_takes_a_replied_case_out_of_the_clock_queues(client, team, traveller):
    application = register(team, "2025-09-26")
    go(traveller, "2025-10-28")
    # Not on the spot (that is only on the day of receipt): forwarded, reviewed and issued today.
    builders.advance_case(team, application, to="replied")

    go(traveller, "2025-11-20")
    for name in ("due_soon", "overdue", "paused", "open", "new", "mine"):
        assert application.query_code not in queue_codes(client, team.office, name), name
    assert application.query_code in queue_codes(client, team.office, "done")
    page = case_page(client, team.office, application)
    assert cell(page, "计时") == "已于2025年10月28日办结"
    assert "已超期" not in page


def test_it_warns_when_the_due_date_falls_in_a_year_without_confirmed_holidays(client, team, traveller):
    go(traveller, "2026-12-15")
    application = register(team, "2026-12-15")
    within_2026 = register(team, "2026-11-02", "年内到期的申请")

    page = case_page(client, team.office, application)
    assert UNCONFIRMED in page
    assert "2027年" in page
    assert cell(page, "答复期限").startswith("2027年1月")
    row = queue_row(client, team.office, "open", application)
    assert "节假日未确认" in row[-2]

    assert UNCONFIRMED not in case_page(client, team.office, within_2026)
    assert "节假日未确认" not in queue_row(client, team.office, "open", within_2026)[-2]


def test_it_shows_the_local_rules_milestones_and_flags_a_missed_one(client, team, traveller):
    team.agency.rule_set = "seed-local"
    team.agency.save()
    application = register(team, "2025-09-26")

    go(traveller, "2025-10-13")
    page = case_page(client, team.office, application)
    assert "转交股室期限：2025年10月10日" in page  # five working days for the office
    # A deadline of the office passed unmet: flagged as missed (a mere window would say 已过).
    assert re.search(r"转交股室期限：2025年10月10日\s*<span class=\"badge warn\">已超期</span>", page)

    builders.forward(team, application)
    page = case_page(client, team.office, application)
    assert "转交股室期限：2025年10月10日 —— 已于2025年10月13日完成" in page
    assert "股室答复期限：2025年10月27日" in page  # ten working days for the department
