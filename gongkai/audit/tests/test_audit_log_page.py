"""安全审计员's audit log page: who may read it (三员分立), filters, masking, paging, CSV."""

import csv
import datetime
import io

import pytest
import time_machine
from django.urls import reverse

from gongkai.audit.models import AuditEvent
from gongkai.audit.services import audit_record
from gongkai.core.roles import Role
from gongkai.testing.factories import UserFactory, staff

pytestmark = pytest.mark.django_db
URL = "/staff/audit/"


@pytest.fixture
def auditor(team):
    return staff(team.agency, Role.AUDITOR)


def event(actor, action: str, *, agency, comment: str = "") -> AuditEvent:
    return audit_record(actor=actor, action=action, target=actor, agency=agency, comment=comment)


def test_the_url_is_the_one_named():
    assert reverse("audit_staff:log") == URL


@pytest.mark.parametrize("role", [Role.ADMIN, Role.SECURITY_ADMIN, Role.OFFICE, Role.LEADER, Role.SUPERVISOR])
def test_nobody_but_the_auditor_reads_it(client, team, role):
    client.force_login(staff(team.agency, role))

    assert client.get(URL).status_code == 403


def test_an_auditor_who_is_also_an_administrator_is_refused(client, team):
    client.force_login(staff(team.agency, Role.AUDITOR, Role.ADMIN))

    response = client.get(URL)

    assert response.status_code == 403


def test_a_superuser_cannot_read_it_even_with_the_auditor_role(client, team):
    client.force_login(staff(team.agency, Role.AUDITOR, is_superuser=True, is_staff=True))

    assert client.get(URL).status_code == 403


def test_the_auditor_reads_their_agency_and_the_platform_but_not_another_agency(
    client, team, other_team, auditor
):
    event(team.clerk, "ours", agency=team.agency)
    event(other_team.clerk, "theirs", agency=other_team.agency)
    event(team.clerk, "platform_wide", agency=None)
    client.force_login(auditor)

    content = client.get(URL).content.decode()

    assert "ours" in content and "platform_wide" in content
    assert "theirs" not in content
    assert "no-store" in client.get(URL)["Cache-Control"]


def test_it_filters_by_date_actor_action_and_scope(client, team, auditor):
    with time_machine.travel(datetime.datetime(2025, 3, 1, 10, tzinfo=datetime.UTC)):
        event(team.clerk, "early_one", agency=team.agency)
    with time_machine.travel(datetime.datetime(2025, 3, 5, 10, tzinfo=datetime.UTC)):
        event(team.leader, "late_one", agency=team.agency)
        event(team.leader, "platform_one", agency=None)
    client.force_login(auditor)

    def shown(**params):
        content = client.get(URL, params).content.decode()
        return {a for a in ("early_one", "late_one", "platform_one") if f"<td>{a}</td>" in content}

    assert shown() == {"early_one", "late_one", "platform_one"}
    assert shown(date_from="2025-03-02") == {"late_one", "platform_one"}
    assert shown(date_to="2025-03-01") == {"early_one"}
    assert shown(actor=team.clerk.username) == {"early_one"}
    assert shown(action="late_one") == {"late_one"}
    assert shown(scope="platform") == {"platform_one"}
    assert shown(scope="agency") == {"early_one", "late_one"}
    # A malformed filter shows a message, never a 500, and filters nothing.
    response = client.get(URL, {"date_from": "2025-13-40", "action": "nonsense"})
    assert response.status_code == 200


def test_personal_data_in_comments_is_masked(client, team, auditor):
    event(team.clerk, "note", agency=team.agency, comment="申请人电话13812345678")
    client.force_login(auditor)

    content = client.get(URL).content.decode()

    assert "13812345678" not in content
    assert "138" in content


def test_it_pages_by_fifty(client, team, auditor):
    for n in range(55):
        event(team.clerk, f"bulk_{n}", agency=team.agency)
    client.force_login(auditor)

    first = client.get(URL).content.decode()
    second = client.get(URL, {"page": 2}).content.decode()

    assert "第 1 / 2 页" in first
    assert "<td>bulk_54</td>" in first and "<td>bulk_0</td>" not in first
    assert "<td>bulk_0</td>" in second


def test_it_exports_the_filtered_log_as_csv_and_audits_the_export(client, team, auditor):
    event(team.clerk, "=cmd|calc", agency=team.agency, comment="电话13812345678")
    event(team.leader, "other", agency=team.agency)
    client.force_login(auditor)

    response = client.get(URL, {"format": "csv", "actor": team.clerk.username})

    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "时间"
    assert len(rows) == 2
    assert rows[1][3] == "'=cmd|calc"  # no formula in a spreadsheet
    assert "13812345678" not in text
    assert AuditEvent.objects.filter(action="audit_log_export", actor=auditor).exists()


def test_the_system_administrator_does_not_see_it_in_the_admin(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)

    assert client.get("/admin/audit/auditevent/").status_code == 404
