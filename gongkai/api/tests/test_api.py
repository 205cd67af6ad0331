"""The public JSON API: its OpenAPI document, and every response checked against that document."""

import datetime
import json
import re

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from openapi_spec_validator import validate as validate_spec

from gongkai.applications import services
from gongkai.applications.applicant import BY_NAME
from gongkai.applications.identity import make_credit_code, make_resident_id
from gongkai.applications.lookup import CODE_LIMIT, CODE_REFUSAL, LOOKUP_LIMIT
from gongkai.applications.models import Application
from gongkai.applications.workflow import Action
from gongkai.testing import builders
from gongkai.testing.factories import AgencyFactory

CJK = re.compile(r"[\u4e00-\u9fff]")
OPENAPI_URL = "/api/v1/openapi.json"
NAME = "李雪梅"
PHONE = "13812345678"
DESCRIPTION = "请公开2024年本县城区道路改造工程的招标文件和中标结果。"


# The look-up limiter counts failures in the cache; each test starts with a clean slate.
pytestmark = pytest.mark.usefixtures("fresh_cache")


def natural(agency, **fields) -> dict:
    return {
        "agency": agency.code,
        "applicant_type": "natural",
        "name": NAME,
        "id_type": "resident_id",
        "id_number": make_resident_id(datetime.date(1985, 3, 14)),
        "phone": PHONE,
        "address": "广东省阳江市江城区东风一路8号",
        "postcode": "529500",
        "email": "lixm@example.cn",
        "description": DESCRIPTION,
        "document_hint": "阳城建〔2024〕12号",
        "medium": "electronic",
        "delivery": "email",
        **fields,
    }


def legal(agency, **fields) -> dict:
    return {
        "agency": agency.slug,
        "applicant_type": "legal",
        "name": "阳江市海陵岛建筑工程有限公司",
        "org_type": "commercial",
        "credit_code": make_credit_code(),
        "legal_representative": "陈建国",
        "contact_person": "林晓",
        "phone": "0662-3381234",
        "address": "广东省阳江市江城区新江北路2号",
        "description": "申请公开本公司所在工业园区的环境影响评价批复文件。",
        "medium": "paper",
        "delivery": "post",
        **fields,
    }


def submitted(team, **fields) -> Application:
    """Submitted online by the applicant of ``natural``."""
    return builders.register(team, channel="online", **natural(team.agency, **fields))


# -- The OpenAPI document -----------------------------------------------------------------------


def _resolve(document: dict, schema: dict) -> dict:
    if "$ref" in schema:
        return document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _enum_of(document: dict, schema: dict) -> list[str]:
    for option in [schema, *schema.get("anyOf", [])]:
        option = _resolve(document, option)
        if "enum" in option:
            return option["enum"]
    raise AssertionError(f"no enum in {schema}")


def test_it_serves_a_valid_openapi_document(client):
    response = client.get(OPENAPI_URL)
    assert response.status_code == 200
    document = json.loads(response.content)
    validate_spec(document)
    assert document["info"]["title"] == "政务公开平台 API"
    assert document["info"]["version"] == "1"
    assert set(document["paths"]) == {
        "/api/v1/agencies",
        "/api/v1/items",
        "/api/v1/requests",
        "/api/v1/requests/{query_code}",
    }


def test_it_documents_every_response(openapi_document):
    paths = openapi_document["paths"]
    assert set(paths["/api/v1/agencies"]["get"]["responses"]) == {"200"}
    assert set(paths["/api/v1/requests"]["post"]["responses"]) == {"200", "201", "400", "413", "422", "429"}
    assert set(paths["/api/v1/requests/{query_code}"]["get"]["responses"]) == {
        "200",
        "400",
        "404",
        "422",
        "429",
    }
    for operations in paths.values():
        for operation in operations.values():
            assert CJK.search(operation["summary"])
            for answer in operation["responses"].values():
                assert CJK.search(answer["description"]), answer


def test_the_request_body_lists_required_fields_and_enums(openapi_document):
    body = openapi_document["paths"]["/api/v1/requests"]["post"]["requestBody"]
    assert body["required"] is True
    schema = _resolve(openapi_document, body["content"]["application/json"]["schema"])
    assert set(schema["required"]) == {
        "agency",
        "applicant_type",
        "name",
        "phone",
        "description",
        "medium",
        "delivery",
    }
    fields = schema["properties"]
    assert _enum_of(openapi_document, fields["applicant_type"]) == ["natural", "legal"]
    assert _enum_of(openapi_document, fields["medium"]) == ["paper", "electronic"]
    assert _enum_of(openapi_document, fields["delivery"]) == ["pickup", "post", "email", "online"]
    assert "commercial" in _enum_of(openapi_document, fields["org_type"])
    assert "resident_id" in _enum_of(openapi_document, fields["id_type"])
    assert fields["description"]["minLength"] == 1
    assert fields["description"]["maxLength"] == 2000
    assert "公民（自然人）" in fields["applicant_type"]["description"]


def test_every_field_has_a_chinese_description(openapi_document):
    for name, schema in openapi_document["components"]["schemas"].items():
        for field, prop in schema["properties"].items():
            assert CJK.search(prop.get("description", "")), f"{name}.{field} has no Chinese description"
    for operation in openapi_document["paths"]["/api/v1/requests/{query_code}"].values():
        for parameter in operation["parameters"]:
            assert CJK.search(parameter["description"])


def test_the_status_schema_has_no_personal_fields(openapi_document):
    fields = set(openapi_document["components"]["schemas"]["RequestStatus"]["properties"])
    assert not fields & {"name", "phone", "id_number", "credit_code", "address", "email", "description"}


def test_the_docs_page_needs_no_cdn(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert not re.search(r"""(src|href)=["']https?://""", html)


def test_without_ninja_installed_there_is_no_docs_page_rather_than_a_cdn_one(client, settings):
    settings.INSTALLED_APPS = [app for app in settings.INSTALLED_APPS if app != "ninja"]
    assert client.get("/api/v1/docs").status_code == 404


# -- GET /agencies --------------------------------------------------------------------------------


def test_it_lists_the_agencies_that_accept_requests(api, team):
    closed = AgencyFactory(is_active=False)
    response = api.get("/api/v1/agencies")
    assert response.status_code == 200
    rows = response.json()
    codes = [row["code"] for row in rows]
    assert team.agency.code in codes
    assert closed.code not in codes
    row = next(row for row in rows if row["code"] == team.agency.code)
    assert row == {
        "code": team.agency.code,
        "name": team.agency.name,
        "short_name": team.agency.short_name,
        "slug": team.agency.slug,
        "rule_set": "national-2019",
        "rule_set_name": "全国通用规则（政府信息公开条例2019年修订）",
    }


# -- POST /requests ---------------------------------------------------------------------------------


def test_it_accepts_a_request_from_a_citizen(api, team):
    response = api.post("/api/v1/requests", natural(team.agency))
    assert response.status_code == 201, response.content
    body = response.json()
    application = Application.objects.get(query_code=body["query_code"])
    assert application.agency == team.agency
    assert application.channel == "online"
    assert application.name == NAME
    # The deprecated document_hint is kept at the end of the one description field.
    assert application.description == f"{DESCRIPTION}\n（文件名称、文号或其他特征：阳城建〔2024〕12号）"
    assert application.received_on == timezone.localdate()
    assert body["received_on"] == timezone.localdate().isoformat()
    assert body["due_on"] > body["received_on"]
    assert body["status"] == "registered"
    assert body["status_label"] == "已受理"


def test_it_accepts_a_request_from_an_organisation_by_agency_slug(api, team):
    response = api.post("/api/v1/requests", legal(team.agency))
    assert response.status_code == 201, response.content
    application = Application.objects.get(query_code=response.json()["query_code"])
    assert application.applicant_type == "legal"
    assert application.org_type == "commercial"
    assert application.credit_code == make_credit_code()
    assert application.id_number == ""


def test_a_blank_id_type_is_not_chosen_rather_than_invalid(api, team):
    response = api.post("/api/v1/requests", legal(team.agency, id_type="", id_number=""))
    assert response.status_code == 201, response.content
    response = api.post("/api/v1/requests", natural(team.agency, id_type=""))
    assert response.json() == {"errors": {"id_type": ["请选择证件类型。"]}}


def test_it_answers_in_readable_utf8(api, team):
    response = api.post("/api/v1/requests", natural(team.agency, name=""))
    assert response["Content-Type"].startswith("application/json")
    assert "请填写姓名或名称。" in response.content.decode("utf-8")


def test_it_stores_values_trimmed_like_the_form(api, team):
    response = api.post("/api/v1/requests", natural(team.agency, name=f"  {NAME} ", phone=" 138 1234 5678 "))
    application = Application.objects.get(query_code=response.json()["query_code"])
    assert application.name == NAME
    assert application.phone == PHONE


def test_it_needs_no_csrf_token(team):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/v1/requests", json.dumps(natural(team.agency)), content_type="application/json"
    )
    assert response.status_code == 201, response.content


def _bad_id(agency) -> dict:
    number = make_resident_id(datetime.date(1985, 3, 14))
    wrong = "0" if number[-1] != "0" else "1"
    return natural(agency, id_number=number[:-1] + wrong)


def _bad_credit(agency) -> dict:
    code = make_credit_code()
    wrong = "0" if code[-1] != "0" else "1"
    return legal(agency, credit_code=code[:-1] + wrong)


def _without(payload: dict, *keys: str) -> dict:
    return {k: v for k, v in payload.items() if k not in keys}


INVALID = {
    "bad ID check digit": (_bad_id, "id_number", "身份证号码校验位不正确，请核对后重新填写"),
    "bad credit code": (_bad_credit, "credit_code", "统一社会信用代码校验位不正确，请核对后重新填写"),
    "credit code failing GB 11714": (
        lambda a: legal(a, credit_code="91440881MA4UKL2Y02"),
        "credit_code",
        "统一社会信用代码第9至17位（组织机构代码）的校验位不正确，请核对后重新填写",
    ),
    "ID number as credit code": (
        lambda a: legal(a, credit_code="440881198511020258"),
        "credit_code",
        "这像是居民身份证号码，不是统一社会信用代码",
    ),
    "no ID number": (lambda a: natural(a, id_number=""), "id_number", "请填写证件号码。"),
    "no ID type": (lambda a: _without(natural(a), "id_type"), "id_type", "请选择证件类型。"),
    "no organisation type": (lambda a: _without(legal(a), "org_type"), "org_type", "请选择组织类型。"),
    "no contact person": (lambda a: legal(a, contact_person=""), "contact_person", "请填写联系人。"),
    "missing name": (lambda a: _without(natural(a), "name"), "name", "请填写姓名或名称。"),
    "empty name": (lambda a: natural(a, name=""), "name", "请填写姓名或名称。"),
    "blank name": (lambda a: natural(a, name="   "), "name", "请填写姓名或名称。"),
    "missing description": (
        lambda a: _without(natural(a), "description"),
        "description",
        "请描述所需政府信息的内容。",
    ),
    "blank description": (
        lambda a: natural(a, description=" \n\t "),
        "description",
        "请描述所需政府信息的内容。",
    ),
    "description too long": (
        lambda a: natural(a, description="文" * 2001),
        "description",
        "内容描述不能超过2000字，请精简或分次申请。",
    ),
    "bad medium": (lambda a: natural(a, medium="fax"), "medium", "请从所列选项中选择获取信息的载体形式。"),
    "bad applicant type": (
        lambda a: natural(a, applicant_type="company"),
        "applicant_type",
        "请从所列选项中选择申请人类型。",
    ),
    "bad ID type": (
        lambda a: natural(a, id_type="driving_licence"),
        "id_type",
        "请从所列选项中选择证件类型。",
    ),
    "bad delivery": (lambda a: natural(a, delivery="fax"), "delivery", "请从所列选项中选择获取信息的方式。"),
    "bad email": (lambda a: natural(a, email="lixm@"), "email", "请填写有效的电子邮箱。"),
    "email delivery without email": (
        lambda a: _without(natural(a), "email"),
        "email",
        "选择电子邮件获取的，请填写电子邮箱。",
    ),
    "post without address": (lambda a: legal(a, address=""), "address", "选择邮寄的，请填写通信地址。"),
    "bad postcode": (lambda a: natural(a, postcode="5295"), "postcode", "邮政编码应为6位数字。"),
    "bad phone": (lambda a: natural(a, phone="12345"), "phone", "请填写有效的手机号码或固定电话"),
    "unknown field": (lambda a: natural(a, id_no="x"), "id_no", "不支持的字段"),
    "wrong type": (lambda a: natural(a, name=42), "name", "应为字符串"),
    "unknown agency": (
        lambda a: {**natural(a), "agency": "nope"},
        "agency",
        "未找到该受理机关，请填写机关列表中的机构代码或网址标识。",
    ),
}


@pytest.mark.parametrize(("build", "field", "message"), INVALID.values(), ids=INVALID.keys())
def test_it_refuses_an_invalid_request_and_stores_nothing(api, team, build, field, message):
    before = Application.objects.count()
    response = api.post("/api/v1/requests", build(team.agency))
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert field in errors, errors
    assert any(m.startswith(message) for m in errors[field]), errors
    assert all(CJK.search(m) for messages in errors.values() for m in messages), errors
    assert Application.objects.count() == before


def test_it_lists_every_missing_field_at_once(api, team):
    response = api.post("/api/v1/requests", {})
    assert response.status_code == 422
    errors = response.json()["errors"]
    # The applicant's fields say what the forms say (applications.applicant); the agency is the API's own.
    assert errors["agency"] == ["必填"]
    for field in ("applicant_type", "name", "phone", "description", "medium", "delivery"):
        assert errors[field] == [BY_NAME[field].required_message]
    assert Application.objects.count() == 0


def test_it_refuses_an_inactive_agency(api, team):
    team.agency.is_active = False
    team.agency.save()
    response = api.post("/api/v1/requests", natural(team.agency))
    assert response.status_code == 422
    assert response.json() == {"errors": {"agency": ["该机关暂不受理网上申请。"]}}
    assert Application.objects.count() == 0


def test_it_refuses_a_body_that_is_not_json(api, team):
    response = api.post("/api/v1/requests", "{name: 李雪梅", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "请求体不是有效的 JSON"}
    assert Application.objects.count() == 0


def test_it_refuses_a_json_array(api, team):
    response = api.post("/api/v1/requests", [natural(team.agency)])
    assert response.status_code == 422
    assert CJK.search(json.dumps(response.json(), ensure_ascii=False))
    assert Application.objects.count() == 0


# -- GET /requests/{query_code} ---------------------------------------------------------------------


def status_url(application: Application) -> str:
    return f"/api/v1/requests/{application.query_code}"


def test_it_shows_the_status_of_a_request(api, team):
    application = submitted(team)
    response = api.get(status_url(application), phone_tail="5678")
    assert response.status_code == 200
    body = response.json()
    assert body["query_code"] == application.query_code
    assert body["agency"] == {"code": team.agency.code, "name": team.agency.name}
    assert body["status"] == "registered"
    assert body["status_label"] == "已受理"
    assert body["received_on"] == timezone.localdate().isoformat()
    assert body["paused"] is False
    assert body["paused_reason"] is None
    assert body["extension_days"] == 0
    assert body["outcome"] is None
    assert body["outcome_label"] is None
    assert body["replied_on"] is None
    assert "no-cache" in response["Cache-Control"]


def test_the_status_contains_nothing_personal(api, team):
    application = submitted(team)
    response = api.get(status_url(application), phone_tail="5678")
    text = response.content.decode()
    for personal in (
        NAME,
        PHONE,
        application.id_number,
        application.address,
        application.email,
        DESCRIPTION,
        "阳城建〔2024〕12号",
    ):
        assert personal not in text
        assert json.dumps(personal) not in text  # nor \\u-escaped


def test_the_query_code_is_not_case_sensitive(api, team):
    application = submitted(team)
    response = api.get(f"/api/v1/requests/{application.query_code.lower()}", phone_tail="5678")
    assert response.status_code == 200


def test_a_draft_outcome_stays_hidden_until_the_reply(api, team):
    application = submitted(team)
    services.reply_draft_save(
        actor=team.office, application=application, outcome_code="disclosed", reply_text="现予以公开。"
    )
    assert api.get(status_url(application), phone_tail="5678").json()["outcome"] is None


def test_it_shows_the_outcome_once_replied(api, team):
    application = submitted(team)
    services.reply_draft_save(
        actor=team.office, application=application, outcome_code="disclosed", reply_text="现予以公开。"
    )
    services.application_transition(actor=team.office, application=application, action=Action.ANSWER_ON_SPOT)
    body = api.get(status_url(application), phone_tail="5678").json()
    assert body["status"] == "replied"
    assert body["status_label"] == "已答复"
    assert body["outcome"] == "disclosed"
    assert body["outcome_label"] == "予以公开"
    assert body["replied_on"] == timezone.localdate().isoformat()
    assert body["paused"] is False
    assert "现予以公开" not in json.dumps(body, ensure_ascii=False)


def test_it_shows_a_paused_clock_and_why(api, team):
    application = submitted(team)
    services.consultation_start(
        actor=team.office, application=application, third_party="某建设公司", matter="是否涉及商业秘密"
    )
    body = api.get(status_url(application), phone_tail="5678").json()
    assert body["paused"] is True
    assert CJK.search(body["paused_reason"])
    assert "某建设公司" not in json.dumps(body, ensure_ascii=False)


def test_it_shows_a_correction_request_as_awaiting_correction(api, team):
    application = submitted(team)
    services.application_transition(
        actor=team.office,
        application=application,
        action=Action.REQUEST_CORRECTION,
        reason="请明确所需信息的时间范围。",
    )
    body = api.get(status_url(application), phone_tail="5678").json()
    assert body["status"] == "awaiting_correction"
    assert body["status_label"] == "待补正"
    assert body["paused"] is True


def test_internal_stages_show_as_in_progress(api, team):
    application = submitted(team)
    builders.forward(team, application)
    body = api.get(status_url(application), phone_tail="5678").json()
    assert body["status"] == "forwarded"
    assert body["status_label"] == "办理中"


def test_it_shows_an_approved_extension(api, team):
    application = submitted(team)
    extension = services.extension_request(
        actor=team.office, application=application, days=10, reason="需要调取档案，无法按期答复。"
    )
    services.extension_decide(actor=team.leader, extension=extension, approve=True)
    before = application.received_on
    body = api.get(status_url(application), phone_tail="5678").json()
    assert body["extension_days"] == 10
    assert body["due_on"] > before.isoformat()
    assert "调取档案" not in json.dumps(body, ensure_ascii=False)


def test_a_lapsed_request_shows_its_outcome(api, team):

    application = submitted(team)
    services.application_transition(
        actor=team.office,
        application=application,
        action=Action.REQUEST_CORRECTION,
        reason="请补充时间范围。",
    )
    with time_machine.travel(timezone.now() + datetime.timedelta(days=60), tick=False):
        services.application_transition(actor=team.office, application=application, action=Action.LAPSE)
        body = api.get(status_url(application), phone_tail="5678").json()
    assert body["status"] == "closed"
    assert body["status_label"] == "已终止"
    assert body["outcome"] == "other_no_correction"
    assert body["outcome_label"] == "其他处理：逾期不补正"
    assert body["paused"] is False
    assert body["replied_on"] is not None


def test_wrong_tail_and_wrong_code_give_the_same_404(api, team):
    application = submitted(team)
    wrong_tail = api.get(status_url(application), phone_tail="0000")
    wrong_code = api.get("/api/v1/requests/ZZZZZZZZZZZZ", phone_tail="5678")
    short_code = api.get("/api/v1/requests/ABC", phone_tail="5678")
    assert wrong_tail.status_code == wrong_code.status_code == short_code.status_code == 404
    assert wrong_tail.content == wrong_code.content == short_code.content
    assert wrong_tail.json() == {"detail": "未找到对应的申请"}


def test_a_malformed_phone_tail_is_a_validation_error(api, team):
    application = submitted(team)
    response = api.get(status_url(application), phone_tail="56a8")
    assert response.status_code == 422
    assert response.json() == {"errors": {"phone_tail": ["格式不正确（应为联系电话的后4位数字）"]}}
    missing = api.get(status_url(application))
    assert missing.json() == {"errors": {"phone_tail": ["必填"]}}


def wrong_code(n: int) -> str:
    return f"/api/v1/requests/23456789{n:04d}"


def test_wrong_tails_for_one_code_block_that_code_even_with_the_right_tail(api, team):
    application = submitted(team)
    for _ in range(CODE_LIMIT):
        assert api.get(status_url(application), phone_tail="0000").status_code == 404
    response = api.get(status_url(application), phone_tail="5678")
    assert response.status_code == 429
    assert response.json() == {"detail": CODE_REFUSAL.rstrip("。")}
    assert response["Retry-After"] == "3600"


def test_fewer_wrong_tails_still_allow_the_right_pair(api, team):
    application = submitted(team)
    for _ in range(CODE_LIMIT - 1):
        api.get(status_url(application), phone_tail="0000")
    assert api.get(status_url(application), phone_tail="5678").status_code == 200


def test_many_wrong_codes_from_one_client_block_it(api, team):
    application = submitted(team)
    for n in range(LOOKUP_LIMIT):
        assert api.get(wrong_code(n), phone_tail="5678").status_code == 404
    response = api.get(status_url(application), phone_tail="5678")
    assert response.status_code == 429
    assert response.json() == {"detail": "查询失败次数过多，请15分钟后再试"}
    assert response["Retry-After"] == "900"


def test_the_address_limit_is_per_client(team):
    application = submitted(team)
    guesser = Client(REMOTE_ADDR="203.0.113.7")
    for n in range(LOOKUP_LIMIT):
        guesser.get(wrong_code(n), {"phone_tail": "0000"})
    assert guesser.get(status_url(application), {"phone_tail": "5678"}).status_code == 429
    other = Client(REMOTE_ADDR="198.51.100.20")
    assert other.get(status_url(application), {"phone_tail": "5678"}).status_code == 200


def test_the_limit_is_shared_with_the_html_query_page(client, team):
    application = submitted(team)
    for _ in range(CODE_LIMIT):
        page = client.post("/apply/status/", {"query_code": application.query_code, "phone_tail": "0000"})
        assert page.status_code == 404
    response = client.get(status_url(application), {"phone_tail": "5678"})
    assert response.status_code == 429


def test_the_block_lifts_after_fifteen_minutes(client, team):
    application = submitted(team)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for n in range(LOOKUP_LIMIT):
            client.get(wrong_code(n), {"phone_tail": "0000"})
        assert client.get(status_url(application), {"phone_tail": "5678"}).status_code == 429
        traveller.shift(datetime.timedelta(minutes=15, seconds=1))
        assert client.get(status_url(application), {"phone_tail": "5678"}).status_code == 200
