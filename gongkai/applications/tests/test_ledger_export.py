"""The request ledger (依申请公开台账) as XLSX: the queue's rows, filtered, masked, audited, and never
a formula (issue 13 §2)."""

import datetime
import io

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from gongkai.audit.models import AuditEvent
from gongkai.testing import builders
from gongkai.testing.builders import at

HYPERLINK = '=HYPERLINK("http://evil.example/","点此查看")'
FORMULAS = (HYPERLINK, "+1+2", "-3+4", "@SUM(1,2)", "\t=1+1")
EXPORT = reverse("applications_staff:ledger_export")


@pytest.fixture
def cases(team):
    with time_machine.travel(at(2025, 11, 3), tick=False):
        typed = builders.forward(team, builders.register(team, description=HYPERLINK))
        others = [
            builders.register(team, description=text, name=f"申请人{n}")
            for n, text in enumerate(FORMULAS[1:])
        ]
        personal = builders.register(
            team, description="请公开本人（电话13923456789）的低保审批材料", name="李秀英"
        )
        elsewhere = builders.forward(team, builders.register(team, name="张伟"), team.other_department)
    return {"typed": typed, "others": others, "personal": personal, "elsewhere": elsewhere}


def sheet_of(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return book.active


def rows_by_code(sheet) -> dict[str, tuple]:
    return {row[0].value: row for row in sheet.iter_rows(min_row=3) if row[0].value}


@pytest.mark.django_db
def test_the_ledger_opens_holds_the_rows_and_no_cell_is_a_formula(client, team, cases):
    client.force_login(team.office)
    with time_machine.travel(at(2025, 11, 26), tick=False):
        sheet = sheet_of(client.get(EXPORT, {"queue": "open"}))

    rows = rows_by_code(sheet)
    expected = [cases["typed"], *cases["others"], cases["personal"], cases["elsewhere"]]
    assert set(rows) == {a.query_code for a in expected}
    assert [c.value for c in next(sheet.iter_rows(min_row=2, max_row=2))][:3] == [
        "查询码",
        "申请人",
        "申请内容",
    ]
    typed = rows[cases["typed"].query_code]
    assert typed[2].value == HYPERLINK
    assert typed[2].data_type == "s"  # text, not a formula ('f')
    assert typed[2].quotePrefix
    assert typed[4].value == team.department.name
    assert typed[5].value == datetime.datetime(2025, 11, 3)  # a real date cell
    assert typed[6].value == datetime.datetime(2025, 12, 1)
    assert typed[7].value == 3
    assert typed[8].value == "3个工作日内到期：答复期限（2025-12-01）"
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
            if isinstance(cell.value, str) and cell.value.lstrip()[:1] in {"=", "+", "-", "@"}:
                assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate


@pytest.mark.django_db
def test_the_ledger_masks_personal_data_like_the_queue(client, team, cases):
    client.force_login(team.office)
    with time_machine.travel(at(2025, 11, 26), tick=False):
        sheet = sheet_of(client.get(EXPORT, {"queue": "open"}))

    texts = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    assert "13923456789" not in texts
    assert builders.APPLICANT["id_number"] not in texts
    assert "李秀英" in texts  # the applicant's name is what the search finds


@pytest.mark.django_db
def test_the_ledger_exports_the_queue_with_its_filter_and_is_audited(client, team, cases):
    client.force_login(team.office)
    with time_machine.travel(at(2025, 11, 26), tick=False):
        by_department = rows_by_code(
            sheet_of(client.get(EXPORT, {"queue": "open", "department": team.other_department.pk}))
        )
        code = cases["personal"].query_code
        by_code = rows_by_code(sheet_of(client.get(EXPORT, {"queue": "open", "q": code.lower()})))
        by_name = rows_by_code(sheet_of(client.get(EXPORT, {"queue": "new", "q": "李秀英"})))
        page = client.get(
            reverse("applications_staff:queue"), {"queue": "open", "q": "李秀英"}
        ).content.decode()

    assert set(by_department) == {cases["elsewhere"].query_code}
    assert set(by_code) == {code}
    assert set(by_name) == {code}
    event = AuditEvent.objects.filter(action="application_ledger_export").latest("pk")
    assert event.actor == team.office
    assert event.agency == team.agency
    assert event.data == {"queue": "new", "department": None, "search": "李秀英", "rows": 1}
    # The queue page links to the export of what it shows.
    assert f"{EXPORT}?queue=open&amp;q=%E6%9D%8E%E7%A7%80%E8%8B%B1" in page


@pytest.mark.django_db
def test_another_agencys_staff_and_anonymous_visitors_get_nothing(client, team, other_team, cases):
    ours = {a.query_code for a in [cases["typed"], *cases["others"], cases["personal"], cases["elsewhere"]]}
    with time_machine.travel(at(2025, 11, 26), tick=False):
        own = builders.register(other_team, name="外单位申请人")
        for outsider in (other_team.office, other_team.leader, other_team.clerk):
            client.force_login(outsider)
            for queue in ("open", "mine", "done", "overdue"):
                sheet = sheet_of(client.get(EXPORT, {"queue": queue}))
                texts = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
                assert not ours & set(rows_by_code(sheet)), (outsider, queue)
                assert team.agency.name not in texts
            # Our department's id filters their (own-agency) queue to nothing of ours either.
            sheet = sheet_of(client.get(EXPORT, {"queue": "open", "department": team.department.pk}))
            assert not ours & set(rows_by_code(sheet))
        client.force_login(other_team.office)
        assert set(rows_by_code(sheet_of(client.get(EXPORT, {"queue": "open"})))) == {own.query_code}

        client.logout()
        response = client.get(EXPORT, {"queue": "open"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("workbench:login"))
    assert not response.content
