"""The staff calendar page: who sees it, who imports, and the November reminder."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.core.roles import Role
from gongkai.testing.factories import UserFactory, staff
from gongkai.workdays.models import CalendarDay, ConfirmedYear

URL = "/staff/calendar/"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def upload(text: str, name: str = "2027.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_it_is_at_the_named_url():
    assert reverse("workdays:years") == URL


@pytest.mark.django_db
def test_it_sends_anonymous_visitors_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/?next=")


@pytest.mark.django_db
def test_it_refuses_a_signed_in_user_without_an_agency_role(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(URL).status_code == 403


@pytest.mark.django_db
def test_it_lists_the_confirmed_years_for_any_staff(client, team):
    client.force_login(team.clerk)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "2026年" in page and "已确认" in page and "chinesecalendar" in page
    assert "导入年度节假日安排" not in page  # only administrators import


@pytest.mark.django_db
def test_it_refuses_an_import_by_a_non_administrator(client, team):
    client.force_login(team.office)
    response = client.post(URL, {"file": upload("date,type,name\n2027-01-01,holiday,元旦\n")})
    assert response.status_code == 403
    assert not CalendarDay.objects.exists()


@pytest.mark.django_db
def test_it_lets_an_administrator_import_a_notice(client, team):
    admin = staff(team.agency, Role.ADMIN)
    client.force_login(admin)
    response = client.post(
        URL,
        {
            "file": upload("date,type,name\n2027-01-01,holiday,元旦\n2027-02-20,班,春节\n"),
            "source": "示例通知",
        },
    )
    assert response.status_code == 302
    assert ConfirmedYear.objects.get(year=2027).confirmed_by == admin
    assert CalendarDay.objects.get(day=datetime.date(2027, 2, 20)).kind == "workday"
    assert "已导入2027年节假日安排" in client.get(URL).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("date,type,name\n2027-02-30,holiday,春节\n", "第2行"),
        ("not a csv at all", ""),
    ],
)
def test_it_shows_a_clear_message_for_a_bad_file(client, team, content, message):
    client.force_login(staff(team.agency, Role.ADMIN))
    response = client.post(URL, {"file": upload(content)})
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert message in response.content.decode()
    assert not CalendarDay.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_file_that_is_not_utf8(client, team):
    client.force_login(staff(team.agency, Role.ADMIN))
    response = client.post(URL, {"file": SimpleUploadedFile("x.csv", "日期,类型\n".encode("gbk"))})
    assert "UTF-8" in response.content.decode()


@pytest.mark.django_db
def test_it_reminds_administrators_from_november_when_next_year_is_unconfirmed(client, team):
    admin = staff(team.agency, Role.ADMIN)
    client.force_login(admin)
    with time_machine.travel(datetime.datetime(2026, 10, 31, 10, tzinfo=SHANGHAI)):
        assert "尚未录入" not in client.get(reverse("workbench:home")).content.decode()
    with time_machine.travel(datetime.datetime(2026, 11, 1, 10, tzinfo=SHANGHAI)):
        client.force_login(admin)  # a day later: the session has ended after 8 idle hours
        assert "2027年节假日安排尚未录入" in client.get(reverse("workbench:home")).content.decode()
        assert "2027年节假日安排尚未录入" in client.get(URL).content.decode()
        client.force_login(team.clerk)  # clerks are not the ones to act on it
        assert "尚未录入" not in client.get(reverse("workbench:home")).content.decode()
        ConfirmedYear.objects.create(year=2027, source="示例")
        client.force_login(admin)
        assert "尚未录入" not in client.get(reverse("workbench:home")).content.decode()
