"""The applicant's rules are written once (``applications.applicant``) and read the same everywhere.

Every bad submission goes in through the three ways a request comes in: the public form, the
office's registration form and the API. Each must refuse it with the same fields wrong, in the
same Chinese words, and store nothing; and the OpenAPI document must show the same limits.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.applications import identity
from gongkai.applications.applicant import (
    ASKED_FIELDS,
    BY_NAME,
    DESCRIPTION_MAX,
    FIELDS,
    clean_applicant,
)
from gongkai.applications.forms import ApplyForm, RegisterForm
from gongkai.applications.models import ApplicantType, Application, CaseEvent, DeliveryWay, Medium
from gongkai.testing.world import Team

OPENAPI_URL = "/api/v1/openapi.json"
ID_NUMBER = identity.make_resident_id(datetime.date(1979, 11, 23))
BAD_ID_NUMBER = ID_NUMBER[:-1] + ("0" if ID_NUMBER[-1] != "0" else "1")
CREDIT_CODE = identity.make_credit_code()
BAD_CREDIT_CODE = CREDIT_CODE[:-1] + ("1" if CREDIT_CODE[-1] != "1" else "2")
LEFT_OUT = None  # the field is not sent at all

Errors = dict[str, list[str]]


@pytest.fixture(autouse=True)
def _fresh_rate_limit(db: None) -> Iterator[None]:
    # The cache is the database cache: the limiter's counters must not carry over between cases.
    cache.clear()
    yield
    cache.clear()


def citizen(**changes: str | None) -> dict[str, str | None]:
    data: dict[str, str | None] = {
        "applicant_type": "natural",
        "name": "吴晓燕",
        "id_type": "resident_id",
        "id_number": ID_NUMBER,
        "phone": "13612345678",
        "address": "广东省阳江市江城区南恩路18号",
        "postcode": "529500",
        "email": "wuxy@example.cn",
        "description": "2024年本区老旧小区改造项目的资金安排和实施名单",
        "medium": "electronic",
        "delivery": "email",
    }
    return {**data, **changes}


def organisation(**changes: str | None) -> dict[str, str | None]:
    data: dict[str, str | None] = {
        "applicant_type": "legal",
        "name": "阳江市漠阳江物流有限公司",
        "id_type": "",
        "id_number": "",
        "org_type": "commercial",
        "credit_code": CREDIT_CODE,
        "legal_representative": "梁志强",
        "contact_person": "陈敏",
        "delivery": "post",
    }
    return citizen(**{**data, **changes})


# (case, what is sent, the field refused, its message)
BAD: list[tuple[str, dict[str, str | None], str, str]] = [
    ("missing name", citizen(name=LEFT_OUT), "name", "请填写姓名或名称。"),
    ("blank name", citizen(name="   "), "name", "请填写姓名或名称。"),
    ("name too long", citizen(name="张" * 101), "name", "姓名或组织名称不能超过100个字。"),
    ("bad ID check digit", citizen(id_number=BAD_ID_NUMBER), "id_number", identity.ID_CHECK_MESSAGE),
    ("short ID number", citizen(id_number=ID_NUMBER[:-2]), "id_number", identity.ID_LENGTH_MESSAGE),
    ("no ID number", citizen(id_number=""), "id_number", "请填写证件号码。"),
    ("no ID type", citizen(id_type=""), "id_type", "请选择证件类型。"),
    ("unknown ID type", citizen(id_type="driving_licence"), "id_type", "请从所列选项中选择证件类型。"),
    (
        "bad credit code",
        organisation(credit_code=BAD_CREDIT_CODE),
        "credit_code",
        identity.CREDIT_CHECK_MESSAGE,
    ),
    ("no credit code", organisation(credit_code=""), "credit_code", "请填写统一社会信用代码。"),
    ("no organisation type", organisation(org_type=""), "org_type", "请选择组织类型。"),
    ("unknown organisation type", organisation(org_type="bank"), "org_type", "请从所列选项中选择组织类型。"),
    ("no contact person", organisation(contact_person=""), "contact_person", "请填写联系人。"),
    ("bad phone", citizen(phone="12345"), "phone", identity.PHONE_MESSAGE),
    ("missing phone", citizen(phone=LEFT_OUT), "phone", "请填写联系电话。"),
    ("phone too long", citizen(phone="1" * 31), "phone", "联系电话不能超过30个字。"),
    ("email delivery without email", citizen(email=""), "email", "选择电子邮件获取的，请填写电子邮箱。"),
    ("bad email", citizen(email="wuxy@"), "email", "请填写有效的电子邮箱。"),
    ("post without address", organisation(address=""), "address", "选择邮寄的，请填写通信地址。"),
    ("address too long", citizen(address="路" * 201), "address", "通信地址不能超过200个字。"),
    ("short postcode", citizen(postcode="5299"), "postcode", "邮政编码应为6位数字。"),
    ("long postcode", citizen(postcode="5299001"), "postcode", "邮政编码应为6位数字。"),
    ("postcode with a letter", citizen(postcode="52990a"), "postcode", "邮政编码应为6位数字。"),
    ("missing description", citizen(description=LEFT_OUT), "description", "请描述所需政府信息的内容。"),
    (
        "description too long",
        citizen(description="申" * (DESCRIPTION_MAX + 1)),
        "description",
        f"内容描述不能超过{DESCRIPTION_MAX}字，请精简或分次申请。",
    ),
    ("no applicant type", citizen(applicant_type=LEFT_OUT), "applicant_type", "请选择申请人类型。"),
    (
        "unknown applicant type",
        citizen(applicant_type="company"),
        "applicant_type",
        "请从所列选项中选择申请人类型。",
    ),
    ("unknown medium", citizen(medium="fax"), "medium", "请从所列选项中选择获取信息的载体形式。"),
    ("no delivery", citizen(delivery=LEFT_OUT), "delivery", "请选择获取信息的方式。"),
    ("unknown delivery", citizen(delivery="fax"), "delivery", "请从所列选项中选择获取信息的方式。"),
]


def _sent(data: dict[str, str | None]) -> dict[str, str]:
    return {key: value for key, value in data.items() if value is not LEFT_OUT}


def _form_errors(response: Any) -> Errors:
    assert response.status_code == 200, response.status_code
    return {field: list(messages) for field, messages in response.context["form"].errors.items()}


def through_the_public_form(team: Team, data: dict[str, str | None]) -> Errors:
    response = Client().post(reverse("applications:apply"), {**_sent(data), "agency": team.agency.pk})
    return _form_errors(response)


def through_the_registration_form(team: Team, data: dict[str, str | None]) -> Errors:
    office = Client()
    office.force_login(team.office)
    response = office.post(
        reverse("applications_staff:register"),
        {
            **_sent(data),
            "agency": team.agency.pk,
            "channel": "window",
            "received_on": timezone.localdate().isoformat(),
        },
    )
    return _form_errors(response)


def through_the_api(team: Team, data: dict[str, str | None]) -> Errors:
    body = json.dumps({**_sent(data), "agency": team.agency.code})
    response = Client().post("/api/v1/requests", body, content_type="application/json")
    assert response.status_code == 422, response.content
    errors: Errors = response.json()["errors"]
    return errors


ENTRY_POINTS = [through_the_public_form, through_the_registration_form, through_the_api]


@pytest.mark.parametrize(("data", "field", "message"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_every_way_in_refuses_the_same_field_in_the_same_words(
    team: Team, data: dict[str, str | None], field: str, message: str
) -> None:
    answers = {entry.__name__: entry(team, data) for entry in ENTRY_POINTS}

    for entry, errors in answers.items():
        assert errors.get(field) == [message], (entry, errors)
    # Not only the field in question: every way in finds exactly the same problems.
    assert answers["through_the_public_form"] == answers["through_the_registration_form"]
    assert answers["through_the_public_form"] == answers["through_the_api"]
    assert Application.objects.count() == 0
    assert CaseEvent.objects.count() == 0


def test_every_problem_is_reported_at_once_and_alike(team: Team) -> None:
    data = citizen(
        name="", id_number=BAD_ID_NUMBER, phone="12345", postcode="52", delivery="post", address=""
    )
    expected = {
        "name": ["请填写姓名或名称。"],
        "id_number": [identity.ID_CHECK_MESSAGE],
        "phone": [identity.PHONE_MESSAGE],
        "postcode": ["邮政编码应为6位数字。"],
        "address": ["选择邮寄的，请填写通信地址。"],
    }

    for entry in ENTRY_POINTS:
        assert entry(team, data) == expected, entry.__name__
    assert Application.objects.count() == 0


def test_the_service_applies_the_same_rules() -> None:
    with pytest.raises(ValidationError) as refused:
        clean_applicant(citizen(name="", email="wuxy@", description="申" * (DESCRIPTION_MAX + 1)))

    assert refused.value.message_dict == {
        "name": ["请填写姓名或名称。"],
        "email": ["请填写有效的电子邮箱。"],
        "description": [f"内容描述不能超过{DESCRIPTION_MAX}字，请精简或分次申请。"],
    }


def test_a_good_request_is_stored_alike_from_the_form_and_the_api(team: Team) -> None:
    full_width_id = ID_NUMBER.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789X"})
    typed = citizen(id_number=full_width_id, phone="136 1234 5678", name=" 吴晓燕 ")

    Client().post(reverse("applications:apply"), {**_sent(typed), "agency": team.agency.pk})
    body = json.dumps({**_sent(typed), "agency": team.agency.code, "description": "另一份申请的内容描述"})
    response = Client().post("/api/v1/requests", body, content_type="application/json")

    assert response.status_code == 201, response.content
    online, api = Application.objects.order_by("pk")
    for application in (online, api):
        assert application.name == "吴晓燕"
        assert application.id_number == ID_NUMBER
        assert application.phone == "13612345678"
        assert application.org_type == application.credit_code == ""


# -- The declaration and what is built from it -------------------------------------------------


def _property(document: dict[str, Any], name: str) -> dict[str, Any]:
    """The schema of a RequestIn property, with an optional one's string or enum branch merged in."""
    prop: dict[str, Any] = document["components"]["schemas"]["RequestIn"]["properties"][name]
    for option in prop.get("anyOf", []):
        if option.get("type") != "null":
            prop = {**prop, **option}
    return prop


def test_the_openapi_document_shows_the_declared_constraints(client: Client) -> None:
    document = client.get(OPENAPI_URL).json()
    request_in = document["components"]["schemas"]["RequestIn"]

    assert _property(document, "description")["maxLength"] == DESCRIPTION_MAX
    assert _property(document, "applicant_type")["enum"] == ApplicantType.values
    assert _property(document, "medium")["enum"] == Medium.values
    assert _property(document, "delivery")["enum"] == DeliveryWay.values
    assert _property(document, "postcode")["pattern"] == BY_NAME["postcode"].pattern
    # document_hint: deprecated, merged into description (still accepted from older clients).
    assert set(request_in["properties"]) == {"agency", "document_hint", *ASKED_FIELDS}
    assert request_in["properties"]["document_hint"].get("deprecated") is True
    assert set(request_in["required"]) == {"agency"} | {
        f.name for f in FIELDS if f.asked and f.always_required
    }
    for spec in FIELDS:
        if not spec.asked:
            continue
        prop = _property(document, spec.name)
        assert prop.get("maxLength") == spec.max_length, spec.name
        assert prop.get("enum", []) == spec.choice_values, spec.name
        assert spec.short_label in prop["description"], spec.name
    assert "申请人为公民时必填" in _property(document, "id_number")["description"]
    assert "选择邮寄时必填" in _property(document, "address")["description"]


@pytest.mark.parametrize("form_class", [ApplyForm, RegisterForm])
def test_the_forms_are_built_from_the_declaration(form_class: type[ApplyForm]) -> None:
    fields = form_class.base_fields
    for spec in FIELDS:
        if not spec.asked:
            assert spec.name not in fields
            continue
        field = fields[spec.name]
        # A field of one type of applicant sits under that type's heading: labelled without "（公民填写）".
        assert field.label == (spec.short_label if spec.applies_to else spec.label)
        assert field.required == spec.always_required, spec.name
        assert getattr(field, "max_length", None) == spec.max_length, spec.name
        assert field.help_text == spec.hint
        if spec.choices is not None:
            offered = [value for value, _ in field.choices if value]  # type: ignore[attr-defined]
            assert offered == spec.choice_values


def _tag(page: str, name: str) -> str:
    found = re.search(rf'<(?:input|textarea)[^>]*\bname="{name}"[^>]*>', page)
    assert found, name
    return found.group(0)


def test_the_public_form_carries_the_limits_and_input_hints(client: Client, team: Team) -> None:
    page = client.get(reverse("applications:apply")).content.decode()

    assert f'maxlength="{DESCRIPTION_MAX}"' in _tag(page, "description")
    for attribute in ('maxlength="30"', 'inputmode="tel"', 'autocomplete="tel"', "required"):
        assert attribute in _tag(page, "phone")
    for attribute in ('maxlength="6"', 'inputmode="numeric"', 'autocomplete="postal-code"'):
        assert attribute in _tag(page, "postcode")
    for attribute in ('type="email"', 'maxlength="254"', 'autocomplete="email"'):
        assert attribute in _tag(page, "email")
    assert 'aria-describedby="id_phone_helptext"' in _tag(page, "phone")
    assert f'<span class="helptext" id="id_phone_helptext">{BY_NAME["phone"].hint}</span>' in page


def test_no_declared_length_is_longer_than_its_column() -> None:
    for spec in FIELDS:
        column = Application._meta.get_field(spec.name)
        column_length = getattr(column, "max_length", None)
        if spec.max_length is not None and column_length is not None:
            assert spec.max_length <= column_length, spec.name
