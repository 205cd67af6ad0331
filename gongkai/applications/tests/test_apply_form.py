"""The application form as the citizen meets it, and the office's registration form (issue 13, points 3
and 7): only the chosen applicant type's fields count, required fields are marked, every mistake is
reported in one round under an error summary that links to each field, lost attachments are said
to be lost, no way of delivery is chosen for the applicant, labels end in "：", one description
field, and a printable 申请表 and 申请须知 for postal and window applicants.
"""

import datetime
import html
import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from gongkai.applications import identity
from gongkai.applications.applicant import FIELDS
from gongkai.applications.models import Application
from gongkai.testing import builders
from gongkai.testing.files import minimal_pdf, pdf_upload

pytestmark = pytest.mark.usefixtures("fresh_cache")

ID_NUMBER = identity.make_resident_id(datetime.date(1980, 5, 6))
CREDIT_CODE = identity.make_credit_code()
HTML_BYTES = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def natural(**overrides) -> dict:
    data = {
        "applicant_type": "natural",
        "name": "孙丽萍",
        "id_type": "resident_id",
        "id_number": ID_NUMBER,
        "phone": "13812345678",
        "address": "广东省阳江市阳东区东城镇建设路8号",
        "postcode": "529900",
        "email": "sunliping@example.com",
        "description": "本镇2024年农村危房改造补助资金的发放名单和标准",
        "medium": "electronic",
        "delivery": "email",
    }
    return {**data, **overrides}


def legal(**overrides) -> dict:
    company = {
        "applicant_type": "legal",
        "name": "阳江市海陵岛建筑工程有限公司",
        "id_type": "",
        "id_number": "",
        "org_type": "commercial",
        "credit_code": CREDIT_CODE,
        "legal_representative": "陈建国",
        "contact_person": "林晓",
    }
    return natural(**{**company, **overrides})


def apply(client, team, data: dict, files=()):
    return client.post(
        reverse("applications:apply"), {**data, "agency": team.agency.pk, "files": list(files)}
    )


def register(client, team, data: dict, **extra):
    client.force_login(team.office)
    body = {
        **data,
        "agency": team.agency.pk,
        "channel": "post",
        "received_on": timezone.localdate().isoformat(),
        **extra,
    }
    return client.post(reverse("applications_staff:register"), body)


def error_summary(page: str) -> str:
    found = re.search(r'<div class="error-summary"[^>]*>.*?</div>', page, flags=re.S)
    assert found, "no error summary on the page"
    return found.group(0)


# -- only the chosen applicant type's fields ------------------------------------------------------


@pytest.mark.parametrize("url", ["applications:apply", "applications_staff:register"])
def test_it_shows_each_applicant_types_fields_under_its_own_heading(client, team, url):
    client.force_login(team.office)
    page = client.get(reverse(url)).content.decode()
    natural_set = re.search(r'<fieldset[^>]*data-applicant-type="natural".*?</fieldset>', page, re.S)
    legal_set = re.search(r'<fieldset[^>]*data-applicant-type="legal".*?</fieldset>', page, re.S)
    assert natural_set and legal_set
    assert "<legend>自然人填写</legend>" in natural_set.group(0)
    assert 'name="id_number"' in natural_set.group(0) and 'name="credit_code"' not in natural_set.group(0)
    assert "<legend>法人或其他组织填写</legend>" in legal_set.group(0)
    assert 'name="credit_code"' in legal_set.group(0) and 'name="id_number"' not in legal_set.group(0)
    # The script that hides the fieldset not chosen is our own file, not inline and not from a CDN.
    assert re.search(r'<script src="/static/applications/applyform\.js[^"]*" defer>', page)


def test_it_ignores_what_was_typed_in_the_other_applicant_types_fields(client, team):
    # Without JavaScript both fieldsets show: a company that typed junk in the citizen's part is not
    # refused for it, and the junk is not stored.
    response = apply(client, team, legal(id_type="不存在的证件", id_number="x" * 60))
    assert response.status_code == 302, response.content.decode()[:2000]
    application = Application.objects.get()
    assert application.applicant_type == "legal"
    assert (application.id_type, application.id_number) == ("", "")
    assert application.credit_code == CREDIT_CODE


def test_the_registration_ignores_the_other_applicant_types_fields_too(client, team):
    response = register(client, team, natural(org_type="bogus", credit_code="123", contact_person="x" * 80))
    assert response.status_code == 302, response.content.decode()[:2000]
    application = Application.objects.get()
    assert (application.org_type, application.credit_code, application.contact_person) == ("", "", "")


def test_the_registration_form_starts_with_the_way_and_date_of_receipt(client, team):
    client.force_login(team.office)
    page = client.get(reverse("applications_staff:register")).content.decode()
    form = page[page.index('<form method="post"') :]
    hidden = ("csrfmiddlewaretoken", "form_token")
    names = [n for n in re.findall(r'\bname="([a-z_]+)"', form) if n not in hidden]
    assert names[:3] == ["channel", "received_on", "agency"], names[:5]
    assert names.index("applicant_type") < names.index("id_number")


# -- required fields marked -----------------------------------------------------------------------


def test_it_marks_the_required_fields_and_says_what_the_mark_means(client, team):
    page = client.get(reverse("applications:apply")).content.decode()
    assert '带<span class="required" aria-hidden="true">*</span>为必填项' in page
    for label in ("联系电话", "姓名或组织名称", "所需政府信息的内容描述", "证件号码", "统一社会信用代码"):
        assert re.search(rf">{label}<span class=\"required\" aria-hidden=\"true\">\*</span>：", page), label
    assert re.search(r"法定代表人：</label>", page)  # optional: no mark
    # Required of everyone: the HTML attribute; required within its type's fieldset: aria-required.
    assert re.search(r'<input[^>]*name="phone"[^>]*required', page)
    assert re.search(r'<input[^>]*name="id_number"[^>]*aria-required="true"', page)
    assert re.search(r'<input[^>]*name="credit_code"[^>]*aria-required="true"', page)
    assert "选择电子邮件获取时必填" in page and "选择邮寄时必填" in page


# -- all errors in one round, with a summary on top -----------------------------------------------


def test_it_reports_every_mistake_in_one_round_attachments_included(client, team, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    data = natural(id_number=ID_NUMBER[:-1] + "0" if ID_NUMBER[-1] != "0" else ID_NUMBER[:-1] + "1")
    data.update(phone="", email="", postcode="5299", description="")
    response = apply(client, team, data, files=[pdf_upload("伪装.pdf", HTML_BYTES)])

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"id_number", "phone", "email", "postcode", "description", "files"}
    assert not Application.objects.exists()


def test_the_error_summary_takes_focus_and_links_to_each_field(client, team):
    response = apply(client, team, natural(phone="", email="", delivery="email", description=""))
    page = response.content.decode()
    summary = error_summary(page)
    assert 'role="alert"' in summary and 'tabindex="-1"' in summary and "autofocus" in summary
    # Above the form.
    assert page.index('class="error-summary"') < page.index('<form method="post"')
    links = dict(re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary))
    assert links["id_phone"] == "联系电话：请填写联系电话。"
    assert links["id_email"] == "电子邮箱：选择电子邮件获取的，请填写电子邮箱。"
    assert links["id_description"] == "所需政府信息的内容描述：请描述所需政府信息的内容。"
    for anchor in links:
        assert f'id="{anchor}"' in page, anchor  # every link has its field


def test_the_error_summary_links_to_a_choice_left_unchosen(client, team):
    response = apply(client, team, natural(applicant_type="", delivery=""))
    page = response.content.decode()
    summary = error_summary(page)
    for name in ("applicant_type", "delivery"):
        assert f'href="#id_{name}"' in summary
        assert f'id="id_{name}"' in page


def test_the_registration_form_has_the_error_summary_too(client, team):
    response = register(client, team, natural(phone=""), channel="", received_on="")
    summary = error_summary(response.content.decode())
    for anchor in ("id_channel", "id_received_on", "id_phone"):
        assert f'href="#{anchor}"' in summary


def test_a_future_received_date_is_reported_with_the_other_mistakes(client, team):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = register(client, team, natural(phone=""), received_on=tomorrow)
    errors = response.context["form"].errors
    assert errors["received_on"] == ["收到申请的日期不能晚于今天。"]
    assert "phone" in errors


# -- attachments chosen again ---------------------------------------------------------------------


def test_it_says_the_chosen_files_must_be_chosen_again(client, team):
    response = apply(client, team, natural(phone=""), files=[pdf_upload("身份证.pdf", minimal_pdf())])
    page = response.content.decode()
    assert "您选择的附件未保存，请重新选择文件" in page
    assert "已填写的内容都保留在表单中" not in page


def test_it_does_not_mention_files_when_none_were_chosen(client, team):
    page = apply(client, team, natural(phone="")).content.decode()
    assert "附件未保存" not in page
    assert "已填写的内容都保留在表单中" in page


# -- the way of delivery --------------------------------------------------------------------------


def test_no_way_of_delivery_is_chosen_for_the_applicant(client, team):
    page = client.get(reverse("applications:apply")).content.decode()
    for radio in re.findall(r'<input[^>]*name="delivery"[^>]*>', page):
        assert "checked" not in radio


def test_an_unchosen_delivery_asks_for_the_delivery_not_an_email(client, team):
    response = apply(client, team, natural(delivery="", email=""))
    errors = response.context["form"].errors
    assert errors["delivery"] == ["请选择获取信息的方式。"]
    assert "email" not in errors


def test_an_email_is_needed_only_for_delivery_by_email(client, team):
    response = apply(client, team, natural(delivery="pickup", email=""))
    assert response.status_code == 302


# -- Chinese label punctuation --------------------------------------------------------------------


def label_texts(page: str) -> list[str]:
    texts = re.findall(r"<label[^>]*>(.*?)</label>", page, flags=re.S)
    texts += re.findall(r"<legend[^>]*>(.*?)</legend>", page, flags=re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", t)) for t in texts]


@pytest.mark.parametrize("url", ["applications:apply", "applications_staff:register", "applications:status"])
def test_no_label_ends_in_an_ascii_colon(client, team, url):
    client.force_login(team.office)
    for response in (client.get(reverse(url)), client.post(reverse(url), {"phone": ""})):
        texts = label_texts(response.content.decode())
        assert texts
        bad = [t for t in texts if ":" in t]
        assert not bad, bad


def test_django_forms_use_the_chinese_label_suffix():
    from django import forms

    class Any(forms.Form):
        name = forms.CharField(label="姓名")

    assert Any()["name"].label_tag() == '<label for="id_name">姓名：</label>'


# -- one description field ------------------------------------------------------------------------


def test_the_form_asks_for_the_information_once(client, team):
    page = client.get(reverse("applications:apply")).content.decode()
    assert 'name="document_hint"' not in page
    assert "document_hint" not in {spec.name for spec in FIELDS}
    assert "文号" in page  # the one field's hint asks for the name or number of the document


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_what_was_typed_in_the_second_field(team):
    application = builders.register(team, description="2024年危房改造补助名单")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([("applications", "0002_intake_claims_and_void")])
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE applications_application SET document_hint = %s WHERE id = %s",
            ["阳东建〔2024〕8号", application.pk],
        )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    application.refresh_from_db()
    assert (
        application.description == "2024年危房改造补助名单\n（文件名称、文号或其他特征：阳东建〔2024〕8号）"
    )


# -- the printable form and the instructions ------------------------------------------------------


def test_the_apply_page_links_the_printable_form_and_the_instructions(client, team):
    page = client.get(reverse("applications:apply")).content.decode()
    assert reverse("applications:paper_form") in page
    assert reverse("applications:instructions") in page


def test_the_printable_form_has_every_field_of_both_applicant_types(client, team):
    agency = team.agency
    agency.address, agency.postcode, agency.disclosure_office = "示范县人民路1号", "529500", "政务公开办公室"
    agency.phone, agency.office_hours = "0662-3380000", "工作日 8:30-12:00，14:30-17:30"
    agency.save()
    response = client.get(reverse("applications:paper_form"), {"agency": agency.pk})
    assert response.status_code == 200
    page = response.content.decode()
    assert "政府信息公开申请表" in page
    for spec in FIELDS:
        if spec.asked:
            assert spec.label.split("（")[0] in page, spec.name
    assert "自然人填写" in page and "法人或其他组织填写" in page
    assert "□ 居民身份证" in page and "□ 邮寄" in page
    assert page.count('class="write-line"') > 10
    assert "示范县人民路1号" in page and "529500" in page and "政务公开办公室" in page


def test_the_instructions_say_how_to_apply_by_post_and_at_the_window(client, team):
    agency = team.agency
    agency.address, agency.postcode, agency.phone = "示范县人民路1号", "529500", "0662-3380000"
    agency.office_hours = "工作日上午8:30至12:00"
    agency.save()
    page = client.get(reverse("applications:instructions"), {"agency": agency.pk}).content.decode()
    for text in (
        "信函",
        "当面提交",
        "20个工作日",
        "补正",
        "国办函〔2020〕109号",
        "示范县人民路1号",
        "529500",
        "0662-3380000",
        "工作日上午8:30至12:00",
    ):
        assert text in page, text


@pytest.mark.parametrize("agency", ["", "abc", "99999999", "1" * 40])
def test_the_printable_pages_take_any_agency_parameter(client, team, agency):
    for name in ("applications:paper_form", "applications:instructions"):
        assert client.get(reverse(name), {"agency": agency}).status_code == 200
