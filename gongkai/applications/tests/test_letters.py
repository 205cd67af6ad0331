"""Letter templates: only plain `{名称}` placeholders, refused on the templates page, inert when rendered.

`str.format_map` used to fill the templates, so an office could pad a field to 2,000,000 characters
(`{申请人:>2000000}`: every letter, every submission slowed) or print Python internals
(`{申请人.__class__.__mro__}`) into a letter sent to a citizen. Both are tried here through the
templates page (refused, form kept, nothing stored) and at render time from a stored row (inert).
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from gongkai.applications import identity
from gongkai.applications.letters import (
    COMMON_PLACEHOLDERS,
    DEFAULT_TEMPLATES,
    KIND_PLACEHOLDERS,
    TEMPLATE_MAX_CHARS,
    TemplateRefused,
    check_template,
    fill,
)
from gongkai.applications.models import Application, Notice, NoticeKind, NoticeTemplate
from gongkai.audit.models import AuditEvent
from gongkai.testing import builders

PAD = "{申请人:>2000000}"
MRO = "{申请人.__class__.__mro__}"
ATTACKS = [
    PAD,
    MRO,
    "{申请人!r}",
    "{申请人[0]}",
    "{0}",
    "{}",
    "{申请内容.__init__.__globals__}",
]


# -- pure: the check and the substitution ---------------------------------------------------------


def test_every_default_template_passes_its_own_check():
    assert set(DEFAULT_TEMPLATES) == set(KIND_PLACEHOLDERS) == set(NoticeKind.values)
    for kind, template in DEFAULT_TEMPLATES.items():
        assert check_template(template, kind) == template


@pytest.mark.parametrize("attack", ATTACKS)
def test_it_refuses_anything_but_a_plain_name_and_names_it(attack):
    with pytest.raises(TemplateRefused) as info:
        check_template(f"您好，{attack}。", "receipt")
    assert f"模板中的“{attack}”不是可用的占位符" in info.value.message
    assert "{申请人}" in info.value.message  # the list of what may be used


@pytest.mark.parametrize(
    ("template", "kind", "message"),
    [
        ("请补正：{补正事项}", "receipt", "“{补正事项}”不是可用的占位符：该占位符不能用于这类文书。"),
        ("{ 申请人 }", "reply", "占位符内不能有空格，请写成“{申请人}”。"),
        ("{申请人}", "reply", None),
        ("{补正事项}{补正期限}", "correction", None),
        ("{收费金额}元，{缴费期限}前", "fee", None),
        ("{{示例}} 与 {{", "reply", None),
        ("开 { 不闭", "reply", "模板中有单独的“{”。"),
        ("不开 } 却闭", "reply", "模板中有单独的“}”。"),
        ("{申请人\n}", "reply", "模板中有单独的“{”。"),
        ("{申请人:{收到日期}}", "reply", "模板中有单独的“{”。"),  # nested: the outer brace is stray
    ],
)
def test_it_checks_each_brace(template, kind, message):
    if message is None:
        assert check_template(template, kind) == template
    else:
        with pytest.raises(TemplateRefused) as info:
            check_template(template, kind)
        assert message in info.value.message


def test_it_bounds_the_length():
    assert check_template("字" * TEMPLATE_MAX_CHARS, "reply")
    with pytest.raises(TemplateRefused) as info:
        check_template("字" * (TEMPLATE_MAX_CHARS + 1), "reply")
    assert info.value.message == "模板不能超过5000字（当前5001字）。"


def test_it_fills_names_once_and_leaves_everything_else_as_written():
    values = {"申请人": "张三{查询码}", "查询码": "ABCD-1234"}
    assert fill("{申请人}，查询码{查询码}。", values) == ["张三{查询码}，查询码ABCD-1234。"]
    assert fill("{{申请人}} {{{申请人}}} }} {{", values) == ["{申请人} {张三{查询码}} } {"]
    assert fill("{未知}与{ 申请人 }", values) == ["{未知}与{ 申请人 }"]
    assert fill("第一段\n\n  第二段  ", values) == ["第一段", "第二段"]


@pytest.mark.parametrize("attack", ATTACKS)
def test_it_renders_a_stored_attack_as_written(attack):
    values = {"申请人": "张三", "收到日期": "2025年9月26日", "申请内容": "某事"}
    assert fill(f"您好，{attack}。", values) == [f"您好，{attack}。"]


def test_the_admin_applies_the_same_check():
    row = NoticeTemplate(kind="receipt", body=f"尊敬的{MRO}")
    with pytest.raises(ValidationError) as info:
        row.clean()
    assert "不是可用的占位符" in info.value.message_dict["body"][0]
    NoticeTemplate(kind="receipt", body="尊敬的{申请人}").clean()


def test_the_page_lists_only_names_the_letters_are_filled_with(team):
    # Every common placeholder is a key of values_for; a kind's own ones come from its service.
    from gongkai.applications.notices import values_for

    application = builders.register(team, channel="online", **_applicant())
    assert set(values_for(application, application.received_on)) == set(COMMON_PLACEHOLDERS)


# -- the templates page ---------------------------------------------------------------------------


def _applicant() -> dict:
    return {
        "applicant_type": "natural",
        "name": "李明华",
        "id_type": "resident_id",
        "id_number": identity.make_resident_id(datetime.date(1980, 5, 6)),
        "phone": "13812345678",
        "description": "2024年本县养老保险基金收支情况",
        "medium": "electronic",
        "delivery": "email",
        "email": "liminghua@example.com",
    }


@pytest.mark.parametrize("attack", [PAD, MRO])
def test_the_templates_page_refuses_an_attack_and_keeps_the_form(client, team, attack):
    client.force_login(team.office)
    body = f"本机关已收到{{申请人}}的申请。{attack}"

    response = client.post(reverse("applications_staff:templates"), {"kind": "receipt", "body": body})

    assert response.status_code == 200
    content = response.content.decode()
    assert escape(f"模板中的“{attack}”不是可用的占位符") in content
    assert f">{escape(body)}</textarea>" in content  # what was typed is still there
    assert not NoticeTemplate.objects.filter(agency=team.agency).exists()
    assert not AuditEvent.objects.filter(action="notice_template_save").exists()


def test_the_templates_page_refuses_an_overlong_template(client, team):
    client.force_login(team.office)
    response = client.post(
        reverse("applications_staff:templates"), {"kind": "reply", "body": "字" * (TEMPLATE_MAX_CHARS + 1)}
    )
    assert response.status_code == 200
    assert "模板不能超过5000字（当前5001字）。" in response.content.decode()
    assert not NoticeTemplate.objects.exists()


def test_literal_braces_saved_on_the_page_reach_the_letter(client, team):
    client.force_login(team.office)
    body = "{申请人}：本机关已收到您的申请（编号{{见回执}}）。"
    response = client.post(reverse("applications_staff:templates"), {"kind": "receipt", "body": body})
    assert response.status_code == 302
    assert NoticeTemplate.objects.get(agency=team.agency, kind="receipt").body == body

    response = Client().post(reverse("applications:apply"), {**_applicant(), "agency": team.agency.pk})

    assert response.status_code == 302
    receipt = Notice.objects.get(kind="receipt")
    assert "李明华：本机关已收到您的申请（编号{见回执}）。" in receipt.text


# -- render time: a row stored before the check (or written to the database directly) -----------


@pytest.mark.parametrize("attack", [PAD, MRO])
def test_a_stored_attack_is_inert_in_the_letter_a_citizen_gets(client, team, attack):
    NoticeTemplate.objects.create(agency=team.agency, kind="receipt", body=f"{{申请人}}：您好。{attack}")

    response = client.post(reverse("applications:apply"), {**_applicant(), "agency": team.agency.pk})

    assert response.status_code == 302
    application = Application.objects.get()
    receipt = application.notices.get(kind="receipt")
    assert f"李明华：您好。{attack}" in receipt.text
    assert len(receipt.text) < 2000
    assert "<class" not in receipt.text and "object" not in receipt.text
