"""Sign-in lock-out: per account, per address, unknown usernames, the admin site, unlock."""

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from gongkai.audit.models import AuditEvent
from gongkai.core.roles import Role
from gongkai.organisation.models import User
from gongkai.testing.factories import PASSWORD, staff

LOGIN = "workbench:login"


@pytest.fixture(autouse=True)
def _limits(settings):
    # The shipped defaults, stated here so the tests say what they count.
    settings.SIGNIN_FAILURE_LIMIT = 5
    settings.SIGNIN_ADDRESS_FAILURE_LIMIT = 20
    settings.SIGNIN_LOCKOUT_MINUTES = 30


def sign_in(client, username, password, *, address="203.0.113.5", url=None, **headers):
    return client.post(
        url or reverse(LOGIN), {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_it_refuses_the_right_password_after_200_wrong_ones(client, team):
    for n in range(200):
        response = sign_in(client, team.clerk.username, f"guess-{n}")
        assert response.status_code in (200, 429)
    response = sign_in(client, team.clerk.username, PASSWORD)
    assert response.status_code == 429
    assert not signed_in(client)
    text = response.content.decode()
    assert "登录失败次数过多" in text
    assert "之后再试" in text and "安全保密管理员" in text
    # The account's lock started at the fifth failure, the address's at the twentieth; one event each.
    locks = AuditEvent.objects.filter(action="signin_lockout").order_by("id")
    assert [(e.data["scope"], e.data["failures"]["account"]) for e in locks] == [
        (["account"], 5),
        (["address"], 20),
    ]


def test_it_answers_the_fifth_failure_with_the_lock_and_the_fourth_with_the_usual_message(client, team):
    for _ in range(4):
        response = sign_in(client, team.clerk.username, "wrong-password")
        assert response.status_code == 200
        assert "用户名或密码不正确" in response.content.decode()
    assert sign_in(client, team.clerk.username, "wrong-password").status_code == 429


def test_it_lifts_the_lock_after_the_lockout_period(client, team, time_machine):
    time_machine.move_to("2025-03-03 09:00 +0800", tick=False)
    for _ in range(5):
        sign_in(client, team.clerk.username, "wrong-password")
    time_machine.move_to("2025-03-03 09:29 +0800", tick=False)
    assert sign_in(client, team.clerk.username, PASSWORD).status_code == 429  # renews the lock
    time_machine.move_to("2025-03-03 09:58 +0800", tick=False)
    assert sign_in(client, team.clerk.username, PASSWORD).status_code == 429
    time_machine.move_to("2025-03-03 10:29 +0800", tick=False)
    assert sign_in(client, team.clerk.username, PASSWORD).status_code == 302
    assert signed_in(client)


def test_it_says_until_when_in_beijing_time(client, team, time_machine):
    time_machine.move_to("2025-03-03 09:00 +0800", tick=False)
    for _ in range(5):
        response = sign_in(client, team.clerk.username, "wrong-password")
    assert "请于 2025-03-03 09:30 之后再试" in response.content.decode()


def test_it_keeps_the_lock_until_unlocked_when_the_period_is_zero(client, team, settings, time_machine):
    settings.SIGNIN_LOCKOUT_MINUTES = 0
    time_machine.move_to("2025-03-03 09:00 +0800", tick=False)
    for _ in range(5):
        sign_in(client, team.clerk.username, "wrong-password")
    time_machine.move_to("2025-03-10 09:00 +0800", tick=False)
    response = sign_in(client, team.clerk.username, PASSWORD)
    assert response.status_code == 429
    assert "请联系本机关安全保密管理员解除锁定" in response.content.decode()


def test_it_locks_an_address_across_accounts(client, team):
    # 20 failures from one address, never more than 4 for one account.
    for n in range(20):
        sign_in(client, f"guessed-name-{n % 5}", "wrong-password", address="198.51.100.7")
    assert sign_in(client, team.clerk.username, PASSWORD, address="198.51.100.7").status_code == 429
    other = Client()
    assert sign_in(other, team.clerk.username, PASSWORD, address="198.51.100.8").status_code == 302


def test_it_locks_an_account_across_addresses(client, team):
    for n in range(5):
        sign_in(client, team.clerk.username, "wrong-password", address=f"198.51.100.{n + 1}")
    assert sign_in(client, team.clerk.username, PASSWORD, address="198.51.100.99").status_code == 429
    # Other accounts from those addresses are not affected.
    assert sign_in(Client(), team.office.username, PASSWORD, address="198.51.100.1").status_code == 302


def test_it_counts_the_address_the_proxy_saw_not_the_one_the_client_wrote(client, team, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(20):
        sign_in(
            client,
            f"guessed-name-{n % 5}",
            "wrong-password",
            address="10.0.0.2",  # the proxy
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 198.51.100.7",  # a forged entry, then the real client
        )
    locked = sign_in(
        client, team.clerk.username, PASSWORD, address="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    assert locked.status_code == 429
    event = AuditEvent.objects.filter(action="signin_failed").last()
    assert event.data["address"] == "198.51.100.7"


def test_it_treats_unknown_usernames_like_real_ones(client, team):
    answers = {}
    for username in (team.clerk.username, "no-such-person"):
        refused = [sign_in(Client(), username, "wrong-password") for _ in range(5)]
        locked = sign_in(Client(), username, PASSWORD)
        answers[username] = (
            [r.status_code for r in refused],
            refused[3].context["form"].non_field_errors(),
            locked.status_code,
            locked.content.decode(),
        )
    assert answers[team.clerk.username] == answers["no-such-person"]
    assert answers["no-such-person"][0] == [200, 200, 200, 200, 429]
    assert answers["no-such-person"][2] == 429
    assert not User.objects.filter(username="no-such-person").exists()


def test_the_admin_site_locks_too(client, db):
    admin = User.objects.create_superuser("platform-admin", password=PASSWORD)
    url = reverse("admin:login")
    for _ in range(5):
        sign_in(client, admin.username, "wrong-password", url=url)
    response = sign_in(client, admin.username, PASSWORD, url=url)
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert not signed_in(client)


def test_signing_in_forgets_only_the_accounts_own_failures_from_that_address(client, team):
    for _ in range(3):
        sign_in(client, team.clerk.username, "wrong-password", address="198.51.100.1")
    sign_in(client, team.clerk.username, "wrong-password", address="198.51.100.2")
    sign_in(client, "someone-else", "wrong-password", address="198.51.100.1")
    assert sign_in(client, team.clerk.username, PASSWORD, address="198.51.100.1").status_code == 302
    assert set(AccessAttempt.objects.values_list("username", "ip_address", "failures_since_start")) == {
        (team.clerk.username, "198.51.100.2", 1),
        ("someone-else", "198.51.100.1", 1),
    }


# -- unlock ---------------------------------------------------------------------------------------


def lock(username, address="203.0.113.5"):
    for _ in range(5):
        sign_in(Client(), username, "wrong-password", address=address)


@pytest.fixture
def security_admin(team):
    return staff(team.agency, Role.SECURITY_ADMIN, username="security-admin")


def test_a_security_administrator_unlocks_an_account_and_it_is_audited(client, team, security_admin):
    lock(team.clerk.username)
    client.force_login(security_admin)
    page = client.get(reverse("workbench:signin_locks"))
    assert page.status_code == 200
    assert team.clerk.username in page.content.decode()

    response = client.post(
        reverse("workbench:signin_locks"), {"username": team.clerk.username}, REMOTE_ADDR="192.0.2.50"
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="signin_unlock")
    assert event.actor == security_admin
    assert event.target_id == str(team.clerk.pk)
    assert event.data["address"] == "192.0.2.50"
    assert event.data["cleared"] == 1
    assert sign_in(Client(), team.clerk.username, PASSWORD).status_code == 302


def test_a_security_administrator_unlocks_an_address(client, team, security_admin):
    for n in range(20):
        sign_in(Client(), f"guessed-name-{n % 5}", "wrong-password", address="198.51.100.7")
    client.force_login(security_admin)
    assert "198.51.100.7" in client.get(reverse("workbench:signin_locks")).content.decode()
    client.post(reverse("workbench:signin_locks"), {"address": "198.51.100.7"})
    event = AuditEvent.objects.get(action="signin_unlock")
    assert event.data["locked_address"] == "198.51.100.7"
    assert sign_in(Client(), team.clerk.username, PASSWORD, address="198.51.100.7").status_code == 302


def test_only_a_security_administrator_of_the_agency_unlocks_its_accounts(client, team, other_team):
    lock(team.clerk.username)
    url = reverse("workbench:signin_locks")
    assert Client().get(url).status_code == 302  # anonymous: to the sign-in page
    client.force_login(team.office)
    assert client.get(url).status_code == 403
    assert client.post(url, {"username": team.clerk.username}).status_code == 403
    outsider = staff(other_team.agency, Role.SECURITY_ADMIN, username="other-security-admin")
    client.force_login(outsider)
    assert team.clerk.username not in client.get(url).content.decode()
    client.post(url, {"username": team.clerk.username})
    assert not AuditEvent.objects.filter(action="signin_unlock").exists()
    assert sign_in(Client(), team.clerk.username, PASSWORD).status_code == 429


def test_the_admin_action_unlocks_and_audits(client, team, db):
    admin = User.objects.create_superuser("platform-admin", password=PASSWORD)
    lock(team.clerk.username)
    client.force_login(admin)
    response = client.post(
        reverse("admin:organisation_user_changelist"),
        {"action": "unlock_signin", "_selected_action": [team.clerk.pk]},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="signin_unlock")
    assert event.actor == admin and event.target_id == str(team.clerk.pk)
    assert sign_in(Client(), team.clerk.username, PASSWORD).status_code == 302
