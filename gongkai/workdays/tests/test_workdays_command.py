"""The `workdays` management command, as operators and scripts use it."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from gongkai.audit.models import AuditEvent
from gongkai.workdays.models import CalendarDay, ConfirmedYear

NOTICE_2027 = """date,type,name
2027-01-01,holiday,元旦
2027-01-02,holiday,元旦
2027-01-03,holiday,元旦
2027-02-05,holiday,春节
2027-02-06,holiday,春节
2027-02-07,holiday,春节
2027-02-08,holiday,春节
2027-02-09,holiday,春节
2027-02-10,holiday,春节
2027-02-11,holiday,春节
2027-02-12,holiday,春节
2027-02-20,workday,春节
"""


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("workdays", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue().strip()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2025-09-26", 20, "2025-10-30"),  # Friday before the adjusted working Sunday 28 Sept
        ("2025-10-03", 1, "2025-10-09"),  # received on a National Day holiday
        ("2024-02-09", 1, "2024-02-18"),  # Spring Festival eve 2024: next is the adjusted working Sunday
        ("2025-04-26", 1, "2025-04-27"),  # Saturday before the adjusted working Sunday 27 April
        ("2026-03-06", 0, "2026-03-06"),
    ],
)
def test_it_adds_working_days(start, n, expected):
    out, err = run("add", start, str(n))
    assert out == expected
    assert err == ""


@pytest.mark.django_db
def test_it_warns_on_stderr_when_a_year_is_unconfirmed():
    out, err = run("add", "2026-12-20", "20")
    assert out == "2027-01-15"  # Monday to Friday only
    assert "节假日安排尚未确认" in err


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "answer"),
    [
        ("2025-09-28", "yes"),
        ("2025-10-01", "no"),
        ("2025-10-11", "yes"),
        ("2025-10-12", "no"),
        ("2025-10-13", "yes"),
    ],
)
def test_it_tells_whether_a_day_is_a_working_day(day, answer):
    assert run("is-workday", day)[0] == answer


@pytest.mark.django_db
def test_it_imports_a_notice_and_the_year_becomes_confirmed(tmp_path):
    notice = tmp_path / "2027.csv"
    notice.write_text(NOTICE_2027, encoding="utf-8")

    out, _ = run("import", str(notice), "--source", "国办发明电〔2026〕7号（示例）")

    assert "2027年" in out and "12天" in out
    assert ConfirmedYear.objects.get(year=2027).source == "国办发明电〔2026〕7号（示例）"
    assert CalendarDay.objects.filter(day__year=2027).count() == 12
    assert AuditEvent.objects.filter(action="calendar_changed").count() == 1
    # The same extension as above now skips New Year's Day and counts no warning.
    out, err = run("add", "2026-12-20", "20")
    assert out == "2027-01-18"
    assert err == ""
    assert run("is-workday", "2027-02-20")[0] == "yes"  # an adjusted working Saturday
    years, _ = run("years")
    assert "2027  已确认" in years


@pytest.mark.django_db
def test_it_replaces_a_year_on_a_second_import(tmp_path):
    notice = tmp_path / "2027.csv"
    notice.write_text(NOTICE_2027, encoding="utf-8")
    run("import", str(notice))
    notice.write_text("date,type,name\n2027-01-01,holiday,元旦\n", encoding="utf-8")
    run("import", str(notice))
    assert CalendarDay.objects.filter(day__year=2027).count() == 1
    assert run("is-workday", "2027-02-08")[0] == "yes"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("date,type,name\n2027-13-01,holiday,元旦\n", "第2行"),
        ("date,type,name\n2027-01-01,maybe,元旦\n", "第2行"),
        ("date,type,name\n2027-01-01,holiday,元旦\n2028-01-01,holiday,元旦\n", "年"),
        ("", ""),
    ],
)
def test_it_refuses_a_bad_notice_and_changes_nothing(tmp_path, content, message):
    notice = tmp_path / "bad.csv"
    notice.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        run("import", str(notice))
    assert message in str(refused.value)
    assert not CalendarDay.objects.exists()
    assert not ConfirmedYear.objects.exists()


@pytest.mark.django_db
def test_it_refuses_bad_arguments():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("add", "2025/13/01", "3")
    with pytest.raises(CommandError, match="负数"):
        run("add", "2025-01-01", "-1")


@pytest.mark.django_db
def test_it_lists_the_bundled_years_as_confirmed():
    years, _ = run("years")
    assert "2025  已确认" in years
    assert "2004  已确认" in years
    assert "2027  未确认" in years
