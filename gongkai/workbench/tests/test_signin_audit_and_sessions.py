"""Sign-in events in the audit trail, password rules and changes, role changes, session expiry."""

import datetime
import json

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from gongkai.audit.models import AuditEvent
from gongkai.core.roles import Role
from gongkai.demo import builder
from gongkai.organisation.models import StaffRole, User
from gongkai.testing.factories import PASSWORD

ADDRESS = "203.0.113.77"
NEW_PASSWORD = "青山绿水-2025-归档"


def sign_in(client, username, password, *, url=None):
    return client.post(
        url or reverse("workbench:login"), {"username": username, "password": password}, REMOTE_ADDR=ADDRESS
    )


def events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def no_password_in_the_trail(*passwords):
    text = json.dumps(
        [[e.target_label, e.comment, e.from_state, e.to_state, e.data] for e in AuditEvent.objects.all()],
        ensure_ascii=False,
    )
    return not any(p in text for p in passwords)


# -- the audit trail -------------------------------------------------------------------------------


def test_it_audits_sign_in_and_sign_out_with_the_address(client, team):
    assert sign_in(client, team.clerk.username, PASSWORD).status_code == 302
    client.post(reverse("workbench:logout"), REMOTE_ADDR=ADDRESS)
    [signin] = events("signin")
    [signout] = events("signout")
    assert signin.actor == team.clerk and signin.target_id == str(team.clerk.pk)
    assert signin.agency == team.agency
    assert signin.data == {"address": ADDRESS, "site": "staff"}
    assert signout.actor == team.clerk and signout.data == {"address": ADDRESS}


def test_it_audits_a_failed_sign_in_without_the_password(client, team):
    sign_in(client, team.clerk.username, "Secret-Guess-42")
    [failed] = events("signin_failed")
    assert failed.actor is None
    assert failed.target_id == str(team.clerk.pk)
    assert failed.data["address"] == ADDRESS
    assert failed.data["username"] == team.clerk.username
    assert failed.data["locked"] is False
    assert no_password_in_the_trail("Secret-Guess-42")


def test_it_audits_an_unknown_username_without_creating_an_account(client, db):
    accounts = User.objects.count()
    sign_in(client, "nobody-here", "Secret-Guess-42")
    [failed] = events("signin_failed")
    assert failed.target_type == "organisation.user" and failed.target_id == ""
    assert failed.target_label == "nobody-here"
    assert failed.data["unknown_account"] is True
    assert failed.data["address"] == ADDRESS
    assert User.objects.count() == accounts
    assert no_password_in_the_trail("Secret-Guess-42")


def test_it_keeps_control_characters_of_a_typed_username_out_of_the_trail(client, db):
    sign_in(client, "evil\x1b[2J\u202ename", "Secret-Guess-42")
    [failed] = events("signin_failed")
    assert failed.target_label == failed.data["username"] == "evil[2Jname"


def test_it_audits_the_lockout_once_with_the_address(client, team):
    for _ in range(7):
        sign_in(client, team.clerk.username, "wrong-password")
    [lockout] = events("signin_lockout")
    assert lockout.data["address"] == ADDRESS and lockout.data["scope"] == ["account"]
    assert [e.data["locked"] for e in events("signin_failed")] == [False] * 4 + [True] * 3


def test_it_audits_a_password_change_by_the_user(client, team):
    client.force_login(team.clerk)
    response = client.post(
        reverse("workbench:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        REMOTE_ADDR=ADDRESS,
    )
    assert response.status_code == 302
    team.clerk.refresh_from_db()
    assert team.clerk.check_password(NEW_PASSWORD)
    [change] = events("password_change")
    assert change.actor == team.clerk and change.data == {"address": ADDRESS, "by_self": True}
    assert no_password_in_the_trail(NEW_PASSWORD, PASSWORD)
    # Still signed in after the change.
    assert client.get(reverse("workbench:home")).status_code == 200


def test_it_refuses_a_weak_new_password_in_chinese(client, team):
    client.force_login(team.clerk)
    response = client.post(
        reverse("workbench:password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["new_password2"])
    assert "密码长度太短，至少需要 12 个字符" in errors
    assert "密码只包含数字" in errors
    assert not events("password_change")


@pytest.fixture
def platform_admin(db):
    return User.objects.create_superuser("platform-admin", password=PASSWORD)


def test_it_audits_a_password_set_in_the_admin(client, team, platform_admin):
    client.force_login(platform_admin)
    url = reverse("admin:auth_user_password_change", args=[team.clerk.pk])
    response = client.post(
        url,
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
        REMOTE_ADDR=ADDRESS,
    )
    assert response.status_code == 302
    [change] = events("password_change")
    assert change.actor == platform_admin and change.target_id == str(team.clerk.pk)
    assert change.data == {"address": ADDRESS, "by_self": False}


def test_it_refuses_a_weak_password_in_the_admin(client, team, platform_admin):
    client.force_login(platform_admin)
    url = reverse("admin:auth_user_password_change", args=[team.clerk.pk])
    response = client.post(url, {"password1": "short", "password2": "short", "usable_password": "true"})
    assert response.status_code == 200
    assert not events("password_change")


def test_it_audits_role_changes_made_in_the_admin(client, team, platform_admin):
    client.force_login(platform_admin)
    user = team.clerk
    url = reverse("admin:organisation_user_change", args=[user.pk])
    form = client.get(url).context["adminform"].form
    role = StaffRole.objects.get(user=user)
    data = {
        "username": user.username,
        "full_name": user.full_name,
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "is_staff": "on",
        "agency": user.agency_id,
        "department": user.department_id or "",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": form.initial["date_joined"].strftime("%Y-%m-%d"),
        "date_joined_1": form.initial["date_joined"].strftime("%H:%M:%S"),
        "roles-TOTAL_FORMS": "2",
        "roles-INITIAL_FORMS": "1",
        "roles-MIN_NUM_FORMS": "0",
        "roles-MAX_NUM_FORMS": "1000",
        "roles-0-id": role.pk,
        "roles-0-user": user.pk,
        "roles-0-role": Role.CLERK.value,
        "roles-1-id": "",
        "roles-1-user": user.pk,
        "roles-1-role": Role.DEPT_HEAD.value,
    }
    response = client.post(url, data, REMOTE_ADDR=ADDRESS)
    assert response.status_code == 302, response.context["adminform"].form.errors
    [change] = events("roles_change")
    assert change.actor == platform_admin and change.target_id == str(user.pk)
    assert change.data["added"] == [Role.DEPT_HEAD.value] and change.data["removed"] == []
    assert change.data["flags"] == {"is_staff": [False, True]}
    assert change.data["address"] == ADDRESS
    assert "股室负责人" in change.comment
    # Saving again without a change writes nothing more.
    data["roles-INITIAL_FORMS"] = "2"
    data["roles-TOTAL_FORMS"] = "2"
    data["roles-1-id"] = StaffRole.objects.get(user=user, role=Role.DEPT_HEAD).pk
    client.post(url, data)
    assert len(events("roles_change")) == 1


# -- password rules --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("Ab3-short", "密码长度太短"),
        ("123456789012345", "只包含数字"),
        ("password123456", "太常见"),
        ("zhangsan.clerk", "相似"),
    ],
)
def test_the_validators_refuse_weak_passwords(db, password, fragment):
    user = User(username="zhangsan.clerk", full_name="张三")
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user)
    assert fragment in " ".join(refused.value.messages)


def test_the_validators_accept_the_test_and_demo_passwords(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    demo_password = builder._demo_password()
    for username in ("admin", "hrss-clerk", "civil-office"):
        validate_password(PASSWORD, User(username=username))
        validate_password(demo_password, User(username=username, full_name="人社局经办人（演示）"))


# -- sessions --------------------------------------------------------------------------------------


def test_a_session_ends_after_eight_idle_hours_and_slides_with_use(client, team, time_machine):
    start = datetime.datetime(2025, 3, 3, 8, 30, tzinfo=datetime.UTC)
    time_machine.move_to(start, tick=False)
    assert sign_in(client, team.clerk.username, PASSWORD).status_code == 302
    home = reverse("workbench:home")
    # Used every seven and a half hours: still signed in after a day and a half.
    for hours in (7.5, 15, 22.5, 30, 37.5):
        time_machine.move_to(start + datetime.timedelta(hours=hours), tick=False)
        assert client.get(home).status_code == 200
    time_machine.move_to(start + datetime.timedelta(hours=37.5 + 8, minutes=1), tick=False)
    response = client.get(home)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("workbench:login"))


def session_cookie(response):
    return response.cookies["sessionid"]


def test_the_staff_session_cookie_ends_with_the_browser(client, team):
    response = sign_in(client, team.clerk.username, PASSWORD)
    cookie = session_cookie(response)
    assert cookie["max-age"] == "" and cookie["expires"] == ""


def test_the_admin_session_cookie_ends_with_the_browser_even_when_staff_cookies_do_not(
    client, team, platform_admin, settings
):
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = False
    staff_cookie = session_cookie(sign_in(Client(), team.clerk.username, PASSWORD))
    assert staff_cookie["max-age"] == 8 * 3600
    response = sign_in(client, platform_admin.username, PASSWORD, url=reverse("admin:login"))
    assert response.status_code == 302
    cookie = session_cookie(response)
    assert cookie["max-age"] == "" and cookie["expires"] == ""
    # Later admin pages keep it a browser-session cookie.
    later = client.get(reverse("admin:index"))
    assert later.status_code == 200
    assert session_cookie(later)["max-age"] == ""
    assert events("signin")[-1].data == {"address": ADDRESS, "site": "admin"}
