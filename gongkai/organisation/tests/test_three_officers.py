"""三员分立: the three officers' roles are exclusive, and the second-factor rule per role."""

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from gongkai.core.roles import (
    SECOND_FACTOR_ROLES,
    THREE_OFFICERS,
    Role,
    officer_conflicts,
    second_factor_required,
)
from gongkai.organisation.models import StaffRole
from gongkai.testing.factories import UserFactory, staff

roles_strategy = st.frozensets(st.sampled_from(list(Role)))


@given(roles=roles_strategy, superuser=st.booleans())
def test_a_conflict_is_two_or_more_officer_roles(roles, superuser):
    held = {r for r in THREE_OFFICERS if r in roles} | ({Role.ADMIN} if superuser else set())

    assert bool(officer_conflicts(roles, superuser=superuser)) == (len(held) > 1)


@given(roles=roles_strategy, superuser=st.booleans(), required=st.booleans())
def test_the_second_factor_is_required_only_while_switched_on(roles, superuser, required):
    result = second_factor_required(
        roles, superuser=superuser, required=required, required_roles=SECOND_FACTOR_ROLES
    )

    assert result == (required and (superuser or bool(roles & SECOND_FACTOR_ROLES)))


def test_only_the_supervisor_may_go_without_a_second_factor():
    assert set(Role) - SECOND_FACTOR_ROLES == {Role.SUPERVISOR}


def change_data(user, roles: list[str], *, superuser: bool) -> dict:
    now = timezone.localtime()
    data = {
        "username": user.username,
        "full_name": user.full_name,
        "is_active": "on",
        "is_staff": "on",
        "date_joined_0": now.strftime("%Y-%m-%d"),
        "date_joined_1": now.strftime("%H:%M:%S"),
        "agency": user.agency_id or "",
        "department": "",
        "roles-TOTAL_FORMS": str(len(roles)),
        "roles-INITIAL_FORMS": "0",
        "roles-MIN_NUM_FORMS": "0",
        "roles-MAX_NUM_FORMS": "1000",
    }
    if superuser:
        data["is_superuser"] = "on"
    for n, role in enumerate(roles):
        data[f"roles-{n}-role"] = role
        data[f"roles-{n}-user"] = str(user.pk)
    return data


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("roles", "superuser", "saved"),
    [
        (["auditor"], True, False),  # the superuser cannot make themselves (or anyone) an auditor too
        (["auditor", "security_admin"], False, False),
        (["admin", "auditor"], False, False),
        (["security_admin"], True, False),
        (["auditor", "office"], False, True),
        (["security_admin"], False, True),
    ],
)
def test_the_admin_refuses_to_join_the_three_officers_roles(client, team, roles, superuser, saved):
    admin = UserFactory(is_superuser=True, is_staff=True)
    person = staff(team.agency)
    client.force_login(admin)

    response = client.post(
        reverse("admin:organisation_user_change", args=[person.pk]),
        change_data(person, roles, superuser=superuser),
    )

    stored = set(StaffRole.objects.filter(user=person).values_list("role", flat=True))
    if saved:
        assert response.status_code == 302, response.content.decode()[:3000]
        assert stored == set(roles)
    else:
        assert response.status_code == 200
        assert "三员分立" in response.content.decode()
        assert stored == set()
