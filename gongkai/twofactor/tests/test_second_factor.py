"""The second factor: enrolment, the TOTP step after the password, the requirement per role,
/admin/ behind it, throttling, disabling, the security administrator's reset, and the audit."""

import time

import pytest
import time_machine
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.audit.models import AuditEvent
from gongkai.core.roles import Role
from gongkai.testing.factories import PASSWORD, UserFactory, staff
from gongkai.twofactor import services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _required(settings):
    settings.GONGKAI_2FA_REQUIRED = True
    settings.GONGKAI_2FA_REQUIRED_ROLES = None


def code(device: TOTPDevice, *, offset: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset * device.step
    return f"{totp.token():06d}"


def wrong_code(device: TOTPDevice) -> str:
    valid = {code(device, offset=k) for k in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)


def enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=True)


def password_step(client, user, next_url: str = ""):
    data = {"username": user.username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("workbench:login"), data)


def actions(user) -> list[str]:
    return list(
        AuditEvent.objects.filter(
            target_type="organisation.user", target_id=str(user.pk), action__startswith="second_factor"
        )
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_a_required_role_is_taken_to_enrolment_after_the_password_and_can_do_nothing_else(client, team):
    response = password_step(client, team.leader)
    assert response.status_code == 302

    for url in ("/staff/", "/staff/items/", "/", "/admin/", reverse("twofactor:security")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("twofactor:enrol")), url
    # A POST elsewhere is refused too, without acting.
    assert client.post(reverse("catalogue_staff:create"), {"title": "x"})["Location"] == reverse(
        "twofactor:enrol"
    )

    page = client.get(reverse("twofactor:enrol"))
    assert page.status_code == 200
    content = page.content.decode()
    assert "<svg" in content and "data:image" not in content  # the QR code, drawn on the server
    device = TOTPDevice.objects.get(user=team.leader, confirmed=False)
    assert device.config_url.split("secret=")[1][:4] in content.replace(" ", "")


def test_enrolment_with_a_right_code_verifies_the_session_and_is_audited(client, team):
    password_step(client, team.leader)
    client.get(reverse("twofactor:enrol"))
    device = TOTPDevice.objects.get(user=team.leader)

    with time_machine.travel(time.time(), tick=False) as traveller:
        wrong = client.post(reverse("twofactor:enrol"), {"code": wrong_code(device)})
        assert "动态验证码不正确" in wrong.content.decode()
        traveller.shift(2)  # past the 1-second wait after one failure
        right = client.post(reverse("twofactor:enrol"), {"code": code(device), "next": "/staff/items/"})

    assert right.status_code == 302
    assert right["Location"] == "/staff/items/"
    assert client.get("/staff/").status_code == 200
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert actions(team.leader) == ["second_factor_failed", "second_factor_enrolled"]
    event = AuditEvent.objects.filter(action="second_factor_enrolled").get()
    assert event.data["address"] == "127.0.0.1"
    assert event.agency == team.agency


def test_an_enrolled_account_passes_the_totp_step_after_the_password(client, team):
    device = enrolled(team.clerk)

    response = password_step(client, team.clerk, next_url="/staff/items/")
    follow = client.get(response["Location"])
    assert follow["Location"] == f"{reverse('twofactor:verify')}?next=%2Fstaff%2Fitems%2F"
    assert client.get("/staff/").status_code == 302

    verify = client.post(reverse("twofactor:verify"), {"code": code(device), "next": "/staff/items/"})

    assert verify["Location"] == "/staff/items/"
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get("/staff/").status_code == 200
    assert "second_factor_passed" in actions(team.clerk)


def test_a_used_code_is_not_accepted_twice(client, team):
    device = enrolled(team.clerk)
    token = code(device)
    password_step(client, team.clerk)
    assert client.post(reverse("twofactor:verify"), {"code": token}).status_code == 302
    client.post(reverse("workbench:logout"))

    password_step(client, team.clerk)
    again = client.post(reverse("twofactor:verify"), {"code": token})

    assert again.status_code == 200
    assert client.get("/staff/").status_code == 302


def test_wrong_codes_are_throttled_and_audited(client, team):
    device = enrolled(team.clerk)
    password_step(client, team.clerk)
    with time_machine.travel(time.time(), tick=False):
        first = client.post(reverse("twofactor:verify"), {"code": "12345x"})
        assert "6位数字" in first.content.decode()  # a malformed code is not an attempt
        wrong = client.post(reverse("twofactor:verify"), {"code": wrong_code(device)})
        assert "不正确" in wrong.content.decode()
        # Within the 1-second wait even the right code is refused, and says when to try again.
        refused = client.post(reverse("twofactor:verify"), {"code": code(device)})
        assert "错误次数过多，请2秒后再试" in refused.content.decode()
        assert client.get("/staff/").status_code == 302
    failures = AuditEvent.objects.filter(action="second_factor_failed", target_id=str(team.clerk.pk))
    assert [e.data["throttled"] for e in failures.order_by("id")] == [False, True]
    assert failures.first().data["failures"] == 1


def test_an_optional_role_signs_in_with_the_password_alone_and_may_enrol(client, team):
    password_step(client, team.supervisor)

    assert client.get("/staff/").status_code == 200
    assert "建议绑定" in client.get(reverse("twofactor:security")).content.decode()


def test_the_requirement_can_be_turned_off_for_a_trial(client, team, settings):
    settings.GONGKAI_2FA_REQUIRED = False
    password_step(client, team.leader)

    assert client.get("/staff/").status_code == 200


def test_the_required_roles_are_configurable(client, team, settings):
    settings.GONGKAI_2FA_REQUIRED_ROLES = ["leader"]
    password_step(client, team.clerk)
    assert client.get("/staff/").status_code == 200

    client.post(reverse("workbench:logout"))
    password_step(client, team.leader)
    assert client.get("/staff/")["Location"].startswith(reverse("twofactor:enrol"))


@pytest.mark.parametrize(
    "role",
    [
        Role.CLERK,
        Role.DEPT_HEAD,
        Role.SECRECY_REVIEWER,
        Role.LEADER,
        Role.OFFICE,
        Role.LEADING_GROUP,
        Role.ADMIN,
        Role.SECURITY_ADMIN,
        Role.AUDITOR,
    ],
)
def test_every_role_that_unmasks_or_signs_off_and_every_officer_must_enrol(client, team, role):
    person = staff(team.agency, role, department=team.department)
    password_step(client, person)

    assert client.get("/staff/")["Location"].startswith(reverse("twofactor:enrol"))


def test_the_django_admin_is_behind_the_second_factor(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.post(reverse("admin:login"), {"username": admin.username, "password": PASSWORD})

    response = client.get("/admin/")
    assert response["Location"].startswith(reverse("twofactor:enrol"))
    assert client.get("/admin/organisation/user/")["Location"].startswith(reverse("twofactor:enrol"))

    client.get(reverse("twofactor:enrol"))
    device = TOTPDevice.objects.get(user=admin)
    client.post(reverse("twofactor:enrol"), {"code": code(device)})
    assert client.get("/admin/").status_code == 200
    # The system administrator neither sees authenticators nor the audit log there.
    content = client.get("/admin/").content.decode()
    assert "/admin/otp_totp/" not in content
    assert "/admin/audit/" not in content
    assert client.get("/admin/audit/auditevent/").status_code == 404


def test_the_partly_signed_in_account_can_sign_out(client, team):
    password_step(client, team.leader)

    response = client.post(reverse("workbench:logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_an_optional_account_can_disable_with_a_current_code(client, team):
    device = enrolled(team.supervisor)
    password_step(client, team.supervisor)
    client.post(reverse("twofactor:verify"), {"code": code(device)})

    response = client.post(reverse("twofactor:security"), {"code": code(device, offset=1)})

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=team.supervisor).exists()
    assert actions(team.supervisor)[-1] == "second_factor_disabled"


def test_a_required_account_cannot_disable(client, team):
    device = enrolled(team.leader)
    password_step(client, team.leader)
    client.post(reverse("twofactor:verify"), {"code": code(device)})

    page = client.get(reverse("twofactor:security")).content.decode()
    assert "不能停用" in page
    assert client.post(reverse("twofactor:security"), {"code": code(device, offset=1)}).status_code == 403
    assert TOTPDevice.objects.filter(user=team.leader).exists()


def verified_login(client, user) -> None:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or enrolled(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def test_the_security_administrator_resets_a_lost_authenticator_audited(client, team):
    security_admin = staff(team.agency, Role.SECURITY_ADMIN)
    enrolled(team.leader)
    verified_login(client, security_admin)

    listing = client.get(reverse("twofactor:accounts")).content.decode()
    assert team.leader.username in listing and "已绑定" in listing
    response = client.post(reverse("twofactor:reset", args=[team.leader.pk]), {"reason": "手机丢失"})

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=team.leader).exists()
    event = AuditEvent.objects.get(action="second_factor_reset")
    assert (event.actor, event.comment, event.data["devices"]) == (security_admin, "手机丢失", 1)
    # The leader enrols again at the next sign-in.
    client.post(reverse("workbench:logout"))
    password_step(client, team.leader)
    assert client.get("/staff/")["Location"].startswith(reverse("twofactor:enrol"))


@pytest.mark.parametrize("who", ["admin", "leader", "other_agency", "self"])
def test_nobody_else_resets_a_second_factor(client, team, other_team, who):
    security_admin = staff(team.agency, Role.SECURITY_ADMIN)
    actor = {
        "admin": staff(team.agency, Role.ADMIN),
        "leader": team.leader,
        "other_agency": staff(other_team.agency, Role.SECURITY_ADMIN),
        "self": security_admin,
    }[who]
    target = security_admin if who == "self" else team.leader
    enrolled(target)
    verified_login(client, actor)

    response = client.post(reverse("twofactor:reset", args=[target.pk]), {"reason": "手机丢失"})

    assert response.status_code in {200, 403, 404}
    if who == "self":
        # Refused by the service: the accounts page again, saying why (issue 13).
        assert response.status_code == 200
        assert 'class="msg error"' in response.content.decode()
    assert TOTPDevice.objects.filter(user=target).exists()
    assert not AuditEvent.objects.filter(action="second_factor_reset").exists()


def test_an_operator_resets_from_the_command_line(team):
    from django.core.management import call_command

    enrolled(team.leader)

    call_command("second_factor_reset", team.leader.username, "--reason", "唯一的安全保密管理员手机丢失")

    assert not TOTPDevice.objects.filter(user=team.leader).exists()
    event = AuditEvent.objects.get(action="second_factor_reset")
    assert event.actor is None and event.data["address"] == "command"


def test_a_reset_without_a_reason_is_refused_beside_the_field(client, team):
    security_admin = staff(team.agency, Role.SECURITY_ADMIN)
    enrolled(team.leader)
    verified_login(client, security_admin)

    response = client.post(reverse("twofactor:reset", args=[team.leader.pk]), {"reason": ""})

    assert response.status_code == 200
    assert "请填写重置原因" in response.content.decode()
    assert TOTPDevice.objects.filter(user=team.leader).exists()


def test_the_service_refuses_a_reset_by_the_wrong_person(team):
    enrolled(team.leader)
    with pytest.raises(services.PermissionDenied):
        services.reset(actor=team.office, user=team.leader, address="127.0.0.1")


def test_an_unknown_role_in_the_setting_is_a_startup_error(settings):
    from gongkai.twofactor.apps import check_required_roles

    settings.GONGKAI_2FA_REQUIRED_ROLES = ["leader", "leadr"]

    assert [e.id for e in check_required_roles()] == ["gongkai.E2FA01"]
    settings.GONGKAI_2FA_REQUIRED_ROLES = ["leader"]
    assert check_required_roles() == []


def test_enrolling_a_new_authenticator_does_not_skip_the_code_step(client, team):
    device = enrolled(team.supervisor)  # optional role, enrolled: the code step still applies
    password_step(client, team.supervisor)

    assert client.get(reverse("twofactor:enrol"))["Location"] == reverse("twofactor:verify")
    response = client.post(reverse("twofactor:enrol"), {"code": "123456"})

    assert response["Location"] == reverse("twofactor:verify")
    assert list(TOTPDevice.objects.filter(user=team.supervisor)) == [device]
    assert client.get("/staff/").status_code == 302
