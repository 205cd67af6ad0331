"""gongkai_tick: due-soon reminders and overdue escalations, each sent once per case and due date.

One window request received on Monday 2025-03-03 under the national rules (20 working days) is
due on 2025-03-31: it enters the 3-working-day window on 2025-03-26 and is overdue from 2025-04-01.
"""

import datetime
import io
import os
import signal
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Value
from django.db.models.functions import Concat
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongkai.applications import reminders, services
from gongkai.applications.identity import make_resident_id
from gongkai.applications.models import Application, Reminder, StaffNotification
from gongkai.applications.workflow import Action
from gongkai.organisation.models import Department, User
from gongkai.testing import builders
from gongkai.workdays.selectors import current_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
RECEIVED = datetime.date(2025, 3, 3)
DUE = datetime.date(2025, 3, 31)
WINDOW_OPENS = datetime.date(2025, 3, 26)
FIRST_OVERDUE_DAY = datetime.date(2025, 4, 1)

APPLICANT_NAME = "欧阳明月"
APPLICANT_PHONE = "13912345678"
APPLICANT_ID = make_resident_id(datetime.date(1985, 6, 1))
APPLICANT = {
    "applicant_type": "natural",
    "name": APPLICANT_NAME,
    "id_type": "resident_id",
    "id_number": APPLICANT_ID,
    "phone": APPLICANT_PHONE,
    "address": "测试市人民路1号",
    "email": "applicant@example.com",
    "description": "请提供2024年度本县农村公路建设项目的招标文件、中标结果公告及资金使用情况",
    "medium": "electronic",
    "delivery": "email",
}


def at(day: datetime.date, hour: int = 9):
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI), tick=False
    )


def address(user: User) -> str:
    return f"{user.username}@example.gov.cn"


def recipients() -> set[str]:
    return {to for message in mail.outbox for to in message.to}


@pytest.fixture(autouse=True)
def _mail(settings, team, other_team):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://gongkai.example.gov.cn"
    User.objects.update(email=Concat("username", Value("@example.gov.cn")))


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Tick on a day, with the e-mail that waits for the commit actually sent."""

    def run_on(day: datetime.date) -> reminders.TickResult:
        with at(day), django_capture_on_commit_callbacks(execute=True):
            return reminders.tick()

    return run_on


def window_case(team, received: datetime.date = RECEIVED, **data) -> Application:
    with at(received):
        return builders.register(team, received_on=received, **{**APPLICANT, **data})


def forwarded_case(team, department: Department | None = None, **data) -> Application:
    application = window_case(team, **data)
    with at(RECEIVED + datetime.timedelta(days=1)):
        return builders.forward(team, application, department)


# ---------------------------------------------------------------- who is told


def test_it_reminds_only_the_department_clerks_of_a_forwarded_case(team, other_team, run):
    application = forwarded_case(team)
    forwarded_case(other_team)

    result = run(WINDOW_OPENS)

    assert result == reminders.TickResult(due_soon_sent=2, overdue_sent=0, skipped=0)
    mine = [m for m in mail.outbox if application.query_code in m.subject]
    assert [m.to for m in mine] == [[address(team.clerk)]]
    assert mine[0].subject == f"【即将到期】政府信息公开申请 {application.query_code} 须于2025年3月31日前答复"
    assert address(team.other_clerk) not in recipients()
    assert address(team.office) not in recipients()
    assert recipients() == {address(team.clerk), address(other_team.clerk)}
    assert list(StaffNotification.objects.filter(application=application).values_list("user", flat=True)) == [
        team.clerk.pk
    ]


def test_it_reminds_the_office_of_a_case_not_yet_forwarded(team, run):
    window_case(team)

    run(WINDOW_OPENS)

    assert recipients() == {address(team.office)}


def test_it_reminds_the_department_heads_of_a_case_in_department_review(team, run):
    application = forwarded_case(team)
    with at(datetime.date(2025, 3, 20)):
        builders.advance_case(team, application, to="dept_review")

    run(WINDOW_OPENS)

    assert recipients() == {address(team.dept_head)}


def test_it_falls_back_to_the_office_when_the_department_has_no_clerk(team, run):
    empty = Department.objects.create(agency=team.agency, name="无人股")
    forwarded_case(team, department=empty)

    run(WINDOW_OPENS)

    assert recipients() == {address(team.office)}


def test_it_escalates_an_overdue_case_to_the_office_and_the_leaders(team, other_team, run):
    application = forwarded_case(team)

    result = run(FIRST_OVERDUE_DAY)

    assert result == reminders.TickResult(due_soon_sent=0, overdue_sent=1, skipped=0)
    assert recipients() == {address(team.office), address(team.leader)}
    assert {m.subject for m in mail.outbox} == {
        f"【已超期】政府信息公开申请 {application.query_code} 已超过2025年3月31日的答复期限"
    }
    notified = set(StaffNotification.objects.values_list("user", flat=True))
    assert notified == {team.office.pk, team.leader.pk}
    assert all(n.text.startswith("【已超期】") for n in StaffNotification.objects.all())


def test_it_tells_staff_without_an_e_mail_address_in_the_workbench_only(team, run):
    User.objects.filter(pk=team.leader.pk).update(email="")
    window_case(team)

    run(FIRST_OVERDUE_DAY)

    assert recipients() == {address(team.office)}
    assert StaffNotification.objects.filter(user=team.leader).count() == 1


# ---------------------------------------------------------------- once, and only when due


def test_it_sends_nothing_before_the_window(team, run):
    forwarded_case(team)

    assert run(WINDOW_OPENS - datetime.timedelta(days=1)) == reminders.TickResult()
    assert mail.outbox == []
    assert not Reminder.objects.exists()


def test_it_sends_each_reminder_once_when_run_twice(team, run):
    application = forwarded_case(team)

    run(WINDOW_OPENS)
    again = run(WINDOW_OPENS)

    assert again == reminders.TickResult(due_soon_sent=0, overdue_sent=0, skipped=1)
    assert len(mail.outbox) == 1
    assert list(Reminder.objects.values_list("application", "kind", "due_on")) == [
        (application.pk, "due_soon", DUE)
    ]
    assert StaffNotification.objects.count() == 1


def test_it_catches_up_when_run_late_without_duplicates(team, run):
    application = forwarded_case(team)

    # No run on the 26th or 27th: the 28th still finds the case inside the window.
    assert run(datetime.date(2025, 3, 28)).due_soon_sent == 1
    # Nothing runs for a week after the due date; the next run escalates once.
    assert run(datetime.date(2025, 4, 8)).overdue_sent == 1
    assert run(datetime.date(2025, 4, 8)).overdue_sent == 0
    assert run(datetime.date(2025, 4, 9)) == reminders.TickResult(skipped=1)

    assert sorted(Reminder.objects.filter(application=application).values_list("kind", "due_on")) == [
        ("due_soon", DUE),
        ("overdue", DUE),
    ]
    assert sorted(to for m in mail.outbox for to in m.to) == sorted(
        [address(team.clerk), address(team.office), address(team.leader)]
    )


def test_a_case_first_seen_overdue_is_escalated_without_a_late_due_soon_reminder(team, run):
    forwarded_case(team)

    result = run(datetime.date(2025, 4, 8))

    assert result == reminders.TickResult(overdue_sent=1)
    assert list(Reminder.objects.values_list("kind", flat=True)) == ["overdue"]


def test_a_case_replied_before_the_due_date_gets_nothing(team, run):
    application = window_case(team)
    with at(datetime.date(2025, 3, 20)):
        services.reply_draft_save(
            actor=team.office, application=application, outcome_code="disclosed", reply_text="现予公开。"
        )
        # Answered at the window on the day of receipt, entered in the system on 20 March.
        services.application_transition(
            actor=team.office, application=application, action=Action.ANSWER_ON_SPOT, on=RECEIVED
        )

    run(WINDOW_OPENS)
    run(datetime.date(2025, 4, 8))

    assert mail.outbox == []
    assert not Reminder.objects.exists()
    assert not StaffNotification.objects.exists()


def test_an_extension_that_moves_the_due_date_is_reminded_again(team, run):
    application = forwarded_case(team)
    run(WINDOW_OPENS)
    with at(datetime.date(2025, 3, 27)):
        extension = services.extension_request(
            actor=team.clerk, application=application, days=20, reason="涉及多个年度档案，需调取查阅"
        )
        services.extension_decide(actor=team.office, extension=extension, approve=True)
    new_due = current_calendar().add(RECEIVED, 40)

    assert run(FIRST_OVERDUE_DAY) == reminders.TickResult()
    assert run(new_due - datetime.timedelta(days=1)).due_soon_sent == 1

    assert sorted(Reminder.objects.values_list("kind", "due_on")) == [
        ("due_soon", DUE),
        ("due_soon", new_due),
    ]
    assert [m.to for m in mail.outbox] == [[address(team.clerk)], [address(team.clerk)]]
    assert mail.outbox[1].subject.endswith(f"须于{new_due.year}年{new_due.month}月{new_due.day}日前答复")


# ---------------------------------------------------------------- paused clocks


def test_a_paused_case_gets_no_due_soon_reminder(team, run):
    application = forwarded_case(team)
    with at(datetime.date(2025, 3, 20)):
        services.consultation_start(
            actor=team.office,
            application=application,
            third_party="某建设公司",
            matter="是否同意公开中标金额",
        )

    assert run(datetime.date(2025, 3, 28)) == reminders.TickResult()
    assert mail.outbox == []


def test_an_overdue_case_suspended_afterwards_is_escalated_once_not_daily(team, run):
    application = forwarded_case(team)
    run(FIRST_OVERDUE_DAY)
    with at(datetime.date(2025, 4, 2)):
        services.suspend(actor=team.office, application=application, reason="台风停工")

    # The paused clock's due date moves with each paused working day; the escalation does not.
    for day in (datetime.date(2025, 4, 3), datetime.date(2025, 4, 7), datetime.date(2025, 4, 8)):
        assert run(day).overdue_sent == 0

    assert list(Reminder.objects.values_list("kind", "due_on")) == [("overdue", DUE)]
    assert len(mail.outbox) == 2


def test_a_case_that_went_overdue_before_its_pause_is_escalated_during_the_pause(team, run):
    application = forwarded_case(team)
    with at(datetime.date(2025, 4, 2)):
        services.suspend(actor=team.office, application=application, reason="台风停工")

    assert run(datetime.date(2025, 4, 8)).overdue_sent == 1
    assert run(datetime.date(2025, 4, 9)).overdue_sent == 0
    assert list(Reminder.objects.values_list("kind", "due_on")) == [("overdue", DUE)]


def test_a_case_paused_on_its_due_date_is_not_escalated_on_a_day_off(team, run):
    application = forwarded_case(team)
    with at(DUE):
        services.suspend(actor=team.office, application=application, reason="台风停工")

    # Saturday after the Qingming Friday: the paused clock briefly reads "overdue".
    assert run(datetime.date(2025, 4, 5)) == reminders.TickResult()
    assert run(datetime.date(2025, 4, 7)) == reminders.TickResult()
    assert mail.outbox == []


# ---------------------------------------------------------------- concurrency


def test_the_claim_is_won_once_and_leaves_the_transaction_usable(team):
    application = window_case(team)

    with transaction.atomic():
        assert reminders.claim(application=application, kind="overdue", due_on=DUE) is True
        # A second worker's insert hits the unique constraint; its transaction carries on.
        assert reminders.claim(application=application, kind="overdue", due_on=DUE) is False
        assert Reminder.objects.count() == 1
    assert reminders.claim(application=application, kind="overdue", due_on=FIRST_OVERDUE_DAY) is True


def test_a_reminder_claimed_by_another_run_is_not_sent_again(team, run):
    application = forwarded_case(team)
    Reminder.objects.create(application=application, kind="due_soon", due_on=DUE)

    assert run(WINDOW_OPENS) == reminders.TickResult(skipped=1)
    assert mail.outbox == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)")
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_send_once(team, monkeypatch):
    forwarded_case(team)
    # Both runs have found the case due before either claims it: the database decides.
    barrier = threading.Barrier(2, timeout=30)
    real_remind = reminders.remind

    def remind_after_both_found_it(due: reminders.Due) -> bool | None:
        barrier.wait()
        return real_remind(due)

    monkeypatch.setattr(reminders, "remind", remind_after_both_found_it)
    results: list[reminders.TickResult] = []

    def worker() -> None:
        try:
            results.append(reminders.tick())
        finally:
            connection.close()

    with at(WINDOW_OPENS):
        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

    assert sorted((r.due_soon_sent, r.skipped) for r in results) == [(0, 1), (1, 0)]
    assert Reminder.objects.count() == 1
    assert len(mail.outbox) == 1


# ---------------------------------------------------------------- what is said


def test_messages_carry_the_case_but_nothing_personal(team, run):
    application = forwarded_case(
        team,
        description=f"本人{APPLICANT_NAME}（电话{APPLICANT_PHONE}）申请公开2024年度本县农村公路建设项目招标文件",
    )

    run(WINDOW_OPENS)
    run(FIRST_OVERDUE_DAY)

    texts = [m.subject + m.body for m in mail.outbox] + list(
        StaffNotification.objects.values_list("text", flat=True)
    )
    assert len(texts) == 6
    for text in texts:
        assert application.query_code in text
        for secret in (APPLICANT_NAME, APPLICANT_PHONE, APPLICANT_ID, "人民路", "applicant@example.com"):
            assert secret not in text
    body = mail.outbox[0].body
    assert "收到申请日期：2025年3月3日" in body
    assert "答复期限：2025年3月31日" in body
    assert "剩余工作日：3个" in body
    assert f"办理页面：https://gongkai.example.gov.cn/staff/applications/{application.pk}/" in body
    assert "申请内容：本人****（电话***********）申请公开2024年…" in body
    assert "已超期：1个工作日" in mail.outbox[-1].body


def test_the_subject_of_the_request_is_cut_to_30_characters(team):
    application = window_case(team)

    assert reminders.request_subject(application) == APPLICANT["description"][:30] + "…"


def test_the_subject_hides_id_numbers_and_mobiles_also_in_full_width_digits(team):
    other_id = make_resident_id(datetime.date(1990, 1, 2))
    full_width = other_id.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    application = window_case(team, description=f"{full_width}、１３８００１３８０００")

    assert reminders.request_subject(application) == f"{'*' * 18}、{'*' * 11}"


# ---------------------------------------------------------------- command and workbench


def test_the_command_prints_a_summary_and_optimizes_sqlite(team, django_capture_on_commit_callbacks):
    forwarded_case(team)
    window_case(team, received=datetime.date(2025, 2, 17))

    out = io.StringIO()
    with (
        at(WINDOW_OPENS),
        django_capture_on_commit_callbacks(execute=True),
        CaptureQueriesContext(connection) as queries,
    ):
        call_command("gongkai_tick", stdout=out)
    assert out.getvalue() == "提醒 1 件，督办 1 件\n"
    optimized = any(q["sql"] == "PRAGMA optimize" for q in queries.captured_queries)
    assert optimized == (connection.vendor == "sqlite")

    out = io.StringIO()
    with at(WINDOW_OPENS):
        call_command("gongkai_tick", stdout=out)
    assert out.getvalue() == "提醒 0 件，督办 0 件（已发送过或无人接收，跳过 2 件）\n"


def test_the_loop_stops_at_sigterm_after_finishing_its_tick(transactional_db, monkeypatch):
    calls = []

    def tick() -> reminders.TickResult:
        calls.append(1)
        os.kill(os.getpid(), signal.SIGTERM)
        return reminders.TickResult()

    monkeypatch.setattr(reminders, "tick", tick)
    before = signal.getsignal(signal.SIGTERM)
    out = io.StringIO()

    call_command("gongkai_tick", "--loop", "60", stdout=out)

    assert calls == [1]
    assert out.getvalue() == "提醒 0 件，督办 0 件\n"
    assert signal.getsignal(signal.SIGTERM) == before


def test_the_workbench_home_shows_the_unread_reminders(team, run, client):
    application = forwarded_case(team)
    run(WINDOW_OPENS)

    client.force_login(team.clerk)
    page = client.get(reverse("workbench:home")).content.decode()
    assert "提醒与督办" in page
    assert f'href="{reverse("applications_staff:detail", args=[application.pk])}"' in page

    client.force_login(team.other_clerk)
    assert "提醒与督办" not in client.get(reverse("workbench:home")).content.decode()
