"""Urgency at a glance (issue 13 §2): each role's requests on its landing page (我的待办), queues that
count the agency's internal milestones and colour rows due within 3 working days, the department
filter and the search, under time travel on real dates (November 2025 has no holiday).

November 2025: a request received on Monday 3 November is due for reply on Monday 1 December
(20 working days); under the seed agency's rules (seed-local) the office forwards by 10 November and
the department answers within 10 working days of receiving it.
"""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from gongkai.applications import services
from gongkai.testing import builders
from gongkai.testing.builders import at
from gongkai.testing.pages import case_page, staff_page

D = datetime.date


@pytest.fixture
def traveller():
    with time_machine.travel(at(2025, 11, 3), tick=False) as traveller:
        yield traveller


def go(traveller, day: datetime.date) -> None:
    traveller.move_to(at(day.year, day.month, day.day))


def seed_local(team) -> None:
    team.agency.rule_set = "seed-local"
    team.agency.save()


def register(team, received_on: datetime.date, **data):
    return builders.register(team, received_on=received_on, **data)


def home(client, user) -> str:
    return staff_page(client, user, reverse("workbench:home"))


def section(html: str, anchor: str) -> str:
    """The part of the landing page under the heading ``id=anchor`` (up to the next heading)."""
    match = re.search(rf'id="{anchor}">(.*?)(?=<h[23] |</section>)', html, flags=re.S)
    return match.group(1) if match else ""


def queue_page(client, user, **params) -> str:
    client.force_login(user)
    response = client.get(reverse("applications_staff:queue"), params)
    assert response.status_code == 200
    return response.content.decode()


def codes(html: str) -> set[str]:
    return set(re.findall(r'<a href="/staff/applications/\d+/">([A-Z0-9]{12})</a>', html))


def row_class(html: str, application) -> str:
    """The class of the queue row of ``application`` ('' when it has none)."""
    code = application.query_code
    match = re.search(rf'<tr(?: class="([^"]*)")?><td[^>]*><a href="[^"]+">{code}</a>', html)
    assert match, f"{application.query_code} is not listed"
    return match.group(1) or ""


# -- the landing page of each role ---------------------------------------------------------------


@pytest.mark.django_db
def test_the_offices_landing_page_shows_overdue_and_due_soon_cases_and_extensions(
    client, team, other_team, traveller
):
    go(traveller, D(2025, 10, 20))
    late = register(team, D(2025, 10, 20), description="已超期的申请")  # due 17 November
    go(traveller, D(2025, 11, 3))
    soon = register(team, D(2025, 11, 3), description="即将到期的申请")  # due 1 December
    go(traveller, D(2025, 11, 20))
    calm = builders.forward(team, register(team, D(2025, 11, 20), description="刚收到的申请"))
    services.extension_request(actor=team.clerk, application=calm, days=5, reason="需协调多个股室")

    go(traveller, D(2025, 11, 26))
    page = home(client, team.office)

    assert codes(section(page, "req-overdue")) == {late.query_code}
    assert codes(section(page, "req-due-soon")) == {soon.query_code}
    # National rules: the disclosure office approves extensions.
    assert codes(section(page, "req-extensions")) == {calm.query_code}
    assert row_class(page, late) == "overdue"
    # Another agency's office sees none of it.
    assert not {late.query_code, soon.query_code, calm.query_code} & codes(home(client, other_team.office))


@pytest.mark.django_db
def test_a_leaders_landing_page_shows_extensions_and_refusals_awaiting_signoff(client, team, traveller):
    seed_local(team)  # seed 004 art. 20: the leader alone approves extensions
    refusal = builders.advance_case(
        team,
        register(team, D(2025, 11, 3), description="涉密文件"),
        to="leader_review",
        outcome="nd_state_secret",
        withheld_note="属于国家秘密",
    )
    disclosed = builders.advance_case(
        team, register(team, D(2025, 11, 3), description="可公开文件"), to="secrecy_review"
    )
    extended = builders.forward(team, register(team, D(2025, 11, 3), description="需延期的申请"))
    services.extension_request(actor=team.clerk, application=extended, days=5, reason="需协调")

    page = home(client, team.leader)

    assert codes(section(page, "req-waiting")) == {refusal.query_code}
    assert "待领导签发" in section(page, "req-waiting")
    assert codes(section(page, "req-extensions")) == {extended.query_code}
    assert disclosed.query_code not in page
    # Under seed-local rules the office does not approve extensions, but watches them wait.
    office = home(client, team.office)
    assert not section(office, "req-extensions")
    assert codes(section(office, "req-extensions-elsewhere")) == {extended.query_code}
    assert not section(home(client, team.clerk), "req-extensions-elsewhere")


@pytest.mark.django_db
def test_a_clerks_landing_page_shows_the_cases_forwarded_to_their_department(client, team, traveller):
    ours = builders.forward(team, register(team, D(2025, 11, 3), description="本股室的申请"))
    theirs = builders.forward(
        team, register(team, D(2025, 11, 3), description="其他股室的申请"), team.other_department
    )
    registered = register(team, D(2025, 11, 3), description="尚未转交的申请")

    page = home(client, team.clerk)

    assert codes(section(page, "req-waiting")) == {ours.query_code}
    assert theirs.query_code not in page and registered.query_code not in page
    assert codes(section(home(client, team.other_clerk), "req-waiting")) == {theirs.query_code}


# -- the agency's internal milestones count in the queues ------------------------------------------


@pytest.mark.django_db
def test_a_department_late_on_its_ten_day_answer_is_overdue_in_the_queue(client, team, traveller):
    seed_local(team)
    go(traveller, D(2025, 11, 4))
    application = builders.forward(team, register(team, D(2025, 11, 3)))  # the department answers by 18 Nov

    go(traveller, D(2025, 11, 18))
    assert application.query_code not in codes(queue_page(client, team.office, queue="overdue"))

    go(traveller, D(2025, 11, 19))  # the reply itself is due on 1 December
    overdue = queue_page(client, team.office, queue="overdue")
    assert application.query_code in codes(overdue)
    assert "已超期（1）" in overdue
    assert row_class(overdue, application) == "overdue"
    assert "股室答复期限已过（2025-11-18）" in overdue
    assert row_class(queue_page(client, team.clerk, queue="mine"), application) == "overdue"
    # The case page says the same.
    assert "股室答复期限（2025年11月18日）已过" in case_page(client, team.office, application)
    # And the office's landing page lists it as overdue.
    assert codes(section(home(client, team.office), "req-overdue")) == {application.query_code}


@pytest.mark.django_db
def test_an_office_late_on_its_five_day_forward_is_overdue_in_the_queue(client, team, traveller):
    seed_local(team)
    application = register(team, D(2025, 11, 3))  # forward by 10 November

    go(traveller, D(2025, 11, 11))
    overdue = queue_page(client, team.office, queue="overdue")
    assert application.query_code in codes(overdue)
    assert "转交股室期限已过（2025-11-10）" in overdue


@pytest.mark.django_db
def test_national_rules_have_no_department_milestone(client, team, traveller):
    go(traveller, D(2025, 11, 4))
    application = builders.forward(team, register(team, D(2025, 11, 3)))

    go(traveller, D(2025, 11, 19))
    assert application.query_code not in codes(queue_page(client, team.office, queue="overdue"))
    assert row_class(queue_page(client, team.office, queue="open"), application) == ""


# -- due within 3 working days -------------------------------------------------------------------


@pytest.mark.django_db
def test_rows_due_within_three_working_days_are_coloured_and_not_at_four(client, team, traveller):
    application = register(team, D(2025, 11, 3))  # reply due Monday 1 December

    go(traveller, D(2025, 11, 25))  # four working days before: 26, 27, 28 Nov, 1 Dec
    page = queue_page(client, team.office, queue="open")
    assert row_class(page, application) == ""
    assert application.query_code not in codes(queue_page(client, team.office, queue="due_soon"))

    go(traveller, D(2025, 11, 26))  # three working days before
    page = queue_page(client, team.office, queue="open")
    assert row_class(page, application) == "due-soon"
    assert application.query_code in codes(queue_page(client, team.office, queue="due_soon"))

    # Working days, not calendar days: on Friday 28 November the due date is one working day away.
    go(traveller, D(2025, 11, 28))
    assert row_class(queue_page(client, team.office, queue="open"), application) == "due-soon"


@pytest.mark.django_db
def test_a_department_milestone_due_within_three_working_days_colours_the_row(client, team, traveller):
    seed_local(team)
    go(traveller, D(2025, 11, 4))
    application = builders.forward(team, register(team, D(2025, 11, 3)))  # department answers by 18 Nov

    go(traveller, D(2025, 11, 12))  # four working days before
    assert row_class(queue_page(client, team.clerk, queue="mine"), application) == ""
    go(traveller, D(2025, 11, 13))  # three working days before; the reply is due only on 1 Dec
    page = queue_page(client, team.clerk, queue="mine")
    assert row_class(page, application) == "due-soon"
    assert "股室答复期限：2025-11-18" in page
    assert application.query_code in codes(queue_page(client, team.office, queue="due_soon"))


# -- filter and search ---------------------------------------------------------------------------


@pytest.fixture
def three_cases(team, traveller):
    ours = builders.forward(team, register(team, D(2025, 11, 3), name="李秀英"))
    theirs = builders.forward(team, register(team, D(2025, 11, 3), name="张伟"), team.other_department)
    waiting = register(team, D(2025, 11, 3), name="王芳")
    return ours, theirs, waiting


@pytest.mark.django_db
def test_the_queue_filters_by_department(client, team, other_team, three_cases):
    ours, theirs, _ = three_cases

    page = queue_page(client, team.office, queue="open", department=team.department.pk)
    assert codes(page) == {ours.query_code}
    assert f'<option value="{team.department.pk}" selected>' in page
    page = queue_page(client, team.office, queue="open", department=team.other_department.pk)
    assert codes(page) == {theirs.query_code}
    # Nonsense or another agency's department: no filter, no error.
    for junk in ("abc", "-1", "99999999999999999999", str(other_team.department.pk)):
        assert codes(queue_page(client, team.office, queue="open", department=junk)) == {
            c.query_code for c in three_cases
        }


@pytest.mark.django_db
def test_the_queue_finds_a_case_by_query_code_typed_loosely_or_by_applicant(client, team, three_cases):
    ours, theirs, waiting = three_cases
    code = ours.query_code
    loose = f" {code[:4].lower()} {code[4:8]}\u3000{code[8:].lower()} "

    assert codes(queue_page(client, team.office, queue="open", q=loose)) == {code}
    assert codes(queue_page(client, team.office, queue="open", q=code[:6].lower())) == {code}
    assert codes(queue_page(client, team.office, queue="open", q=f"{code[:4]}-{code[4:8]}-{code[8:]}")) == {
        code
    }
    full_width = "".join(chr(ord(ch) + 0xFEE0) for ch in code.lower())
    assert codes(queue_page(client, team.office, queue="open", q=full_width)) == {code}
    assert codes(queue_page(client, team.office, queue="open", q="张伟")) == {theirs.query_code}
    assert codes(queue_page(client, team.office, queue="open", q="秀英")) == {code}
    page = queue_page(client, team.office, queue="open", q="无此人")
    assert codes(page) == set()
    assert "没有符合筛选条件的申请" in page
    # The filter combines with the department and the queue, and the tabs keep it.
    page = queue_page(client, team.office, queue="open", q="王芳", department=team.department.pk)
    assert codes(page) == set()
    page = queue_page(client, team.office, queue="new", q="王芳")
    assert codes(page) == {waiting.query_code}
    assert "?queue=open&amp;q=%E7%8E%8B%E8%8A%B3" in page
    # Control characters and NUL in the search are dropped, never an error.
    assert codes(queue_page(client, team.office, queue="open", q="张\x00伟")) == {theirs.query_code}


# -- clocks are computed once per case, and only where needed ----------------------------------


@pytest.fixture
def clock_calls(monkeypatch):
    """The cases whose clock the selectors compute, one entry per computation."""
    from gongkai.applications import selectors

    calls: list[int] = []
    real = selectors.case_clock

    def counting(application, *args, **kwargs):
        calls.append(application.pk)
        return real(application, *args, **kwargs)

    monkeypatch.setattr(selectors, "case_clock", counting)
    return calls


@pytest.mark.django_db
def test_the_queue_page_computes_each_open_clock_once(client, team, three_cases, clock_calls):
    for name in ("mine", "new", "open", "overdue", "due_soon", "paused"):
        clock_calls.clear()
        queue_page(client, team.office, queue=name)
        assert sorted(clock_calls) == sorted(c.pk for c in three_cases), name


@pytest.mark.django_db
def test_a_clerks_landing_page_computes_clocks_only_for_the_cases_waiting_for_them(
    client, team, three_cases, clock_calls
):
    ours, _, _ = three_cases
    home(client, team.clerk)
    assert clock_calls == [ours.pk]
