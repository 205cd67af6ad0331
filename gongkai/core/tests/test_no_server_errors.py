"""No input, however malformed, gets a 5xx (DESIGN.md §6.9): a hypothesis-driven fuzz of every
public and staff form, each posted (or, for search pages, sent as a query) by the person who
uses it, with hostile values in every field: noncharacters and control characters, huge strings,
wrong types, bad ids, missing fields, dates in year 1 and 99999. Bounded and derandomised.

Fields come from the forms themselves where a view uses one, so a field added later is fuzzed
too; the case page's small action forms post raw fields, listed here.
"""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.applications.forms import (
    AppealForm,
    ApplyForm,
    RegisterForm,
    ReplyDraftForm,
    SatisfactionForm,
    StatusForm,
)
from gongkai.catalogue.forms import AttachmentForm, ItemForm, RevisionForm, TransitionForm, ValidityForm
from gongkai.core.roles import Role
from gongkai.core.textinput import refusal_message
from gongkai.reports.forms_yearly import YearlyFiguresForm
from gongkai.testing import builders
from gongkai.testing.factories import staff

pytestmark = pytest.mark.django_db

HOSTILE = [
    "\ufffe",
    "\uffff",
    "名称\ufffe",
    "a\x01b",
    "\x00",
    "\x1b[31m",
    "\ud800",
    "x" * 20_000,
    "",
    " ",
    "-1",
    "0",
    "1",
    "2",
    "99999999999999999999999999",
    "1.5",
    "abc",
    "0001-01-01",
    "99999-12-31",
    "2025-02-30",
    "2025-10-10",
    "<script>alert(1)</script>",
    "{申请人.__class__}",
    "𠮷",
    "１２３",
    "%00",
    "natural",
    "approve",
]
VALUES = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=30))
FUZZ = settings(
    max_examples=25, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck)
)


def fields_of(*forms, extra=()) -> list[str]:
    names = [name for form in forms for name in form.base_fields]
    return list(dict.fromkeys([*names, *extra]))


MISSING = object()


def hostile_data(names):
    """One to three fields of a valid submission replaced: a hostile value, several values, or
    the field left out (so the rest of the form is valid and the value reaches the service)."""
    value = st.one_of(VALUES, st.lists(VALUES, min_size=2, max_size=3), st.just(MISSING))
    return st.dictionaries(st.sampled_from(names), value, min_size=1, max_size=3)


def clean_for_transport(data: dict) -> dict:
    # A browser cannot send a lone surrogate in a form (it is not UTF-8): the API fuzz covers JSON.
    def fix(v):
        if isinstance(v, list):
            return [fix(x) for x in v]
        return v.encode("utf-8", "replace").decode() if isinstance(v, str) else v

    return {k: fix(v) for k, v in data.items()}


@pytest.fixture
def world(team):
    """A case and an item at the stages where their forms are offered."""
    application = builders.register(team)
    draft = team.draft()
    published = team.published("关于城乡低保资金发放情况的公告")
    admin = staff(team.agency, Role.ADMIN, Role.OFFICE)
    return {"team": team, "application": application, "draft": draft, "published": published, "admin": admin}


def check(client: Client, method: str, url: str, data: dict) -> None:
    client.raise_request_exception = False
    data = clean_for_transport(data)
    response = client.get(url, data) if method == "GET" else client.post(url, data)
    assert response.status_code < 500, (method, url, data, response.status_code)


def apply_data(agency, **changes):
    data = {
        "agency": agency.pk,
        "applicant_type": "natural",
        "name": "赵建国",
        "id_type": "passport",
        "id_number": "E12345678",
        "phone": "13923456789",
        "description": "本县2024年度城乡低保资金发放情况",
        "medium": "paper",
        "delivery": "pickup",
    }
    return {**data, **changes}


def public_forms(world):
    agency, application = world["team"].agency, world["application"]
    lookup = {"query_code": application.query_code, "phone_tail": "6789"}
    return [
        ("POST", reverse("applications:apply"), fields_of(ApplyForm), apply_data(agency)),
        ("GET", reverse("applications:apply"), ["agency"], {}),
        ("POST", reverse("applications:status"), fields_of(StatusForm), lookup),
        (
            "POST",
            reverse("applications:satisfaction"),
            fields_of(SatisfactionForm),
            {**lookup, "rating": "satisfied", "comment": "谢谢"},
        ),
        (
            "GET",
            reverse("search:search"),
            ["q", "agency", "category", "department", "year", "validity", "genre", "page", "sort"],
            {"q": "低保"},
        ),
        ("GET", reverse("search:suggest"), ["q"], {}),
        ("GET", reverse("catalogue:list"), ["agency", "category", "department", "year", "page"], {}),
        ("GET", reverse("portal:display"), ["mode", "next"], {}),
        (
            "POST",
            reverse("workbench:login"),
            ["username", "password", "next"],
            {"username": world["team"].clerk.username, "password": "wrong-password"},
        ),
    ]


def staff_forms(world):
    team, application, draft, published = (
        world["team"],
        world["application"],
        world["draft"],
        world["published"],
    )
    case = application.pk
    ops = {
        "consultation_start": ["third_party", "matter", "on"],
        "consultation_answer": ["note", "on"],
        "fee_notice": ["amount", "on"],
        "fee_paid": ["on"],
        "suspend": ["reason", "on"],
        "resume": ["on"],
        "extension_request": ["days", "reason"],
    }
    forms = [
        (
            team.office,
            "POST",
            reverse("applications_staff:register"),
            fields_of(RegisterForm),
            {**apply_data(team.agency), "channel": "window", "received_on": str(datetime.date.today())},
        ),
        (team.office, "GET", reverse("applications_staff:queue"), ["queue"], {}),
        (
            team.office,
            "POST",
            reverse("applications_staff:action", args=[case]),
            ["action", "reason", "department", "on", "correction_days"],
            {"action": "request_correction", "reason": "请写明年份", "correction_days": "10"},
        ),
        (
            team.office,
            "POST",
            reverse("applications_staff:reply", args=[case]),
            fields_of(ReplyDraftForm),
            {},
        ),
        (
            team.office,
            "POST",
            reverse("applications_staff:appeal", args=[case]),
            fields_of(AppealForm, extra=["appeal"]),
            {
                "kind": "reconsideration",
                "filed_on": str(datetime.date.today()),
                "result": "pending",
                "note": "x",
            },
        ),
        (
            team.office,
            "POST",
            reverse("applications_staff:templates"),
            ["kind", "body"],
            {"kind": "receipt", "body": "{申请人}：已收到。"},
        ),
        (team.clerk, "POST", reverse("catalogue_staff:create"), fields_of(ItemForm), {}),
        (team.clerk, "POST", reverse("catalogue_staff:edit", args=[draft.pk]), fields_of(ItemForm), {}),
        (
            team.clerk,
            "POST",
            reverse("catalogue_staff:action", args=[draft.pk]),
            fields_of(TransitionForm),
            {},
        ),
        (
            team.office,
            "POST",
            reverse("catalogue_staff:validity", args=[published.pk]),
            fields_of(ValidityForm),
            {},
        ),
        (
            team.office,
            "POST",
            reverse("reports_staff:yearly_figures", kwargs={"agency": team.agency.slug, "year": 2025}),
            fields_of(YearlyFiguresForm),
            {},
        ),
        (
            team.clerk,
            "POST",
            reverse("catalogue_staff:attachment_upload", args=[draft.pk]),
            fields_of(AttachmentForm),
            {},
        ),
        (
            team.clerk,
            "POST",
            reverse("catalogue_staff:revise", args=[published.pk]),
            fields_of(RevisionForm),
            {},
        ),
        (team.clerk, "GET", reverse("catalogue_staff:list"), ["status", "q", "page"], {}),
        (world["admin"], "POST", reverse("workdays:years"), ["file", "source"], {}),
        (
            team.clerk,
            "POST",
            reverse("workbench:password_change"),
            ["old_password", "new_password1", "new_password2"],
            {"old_password": "wrong-password"},
        ),
    ]
    valid = {"third_party": "某公司", "matter": "商业秘密", "note": "同意", "amount": "50", "reason": "洪水"}
    valid |= {"days": "5", "on": str(datetime.date.today())}
    forms += [
        (
            team.office,
            "POST",
            reverse("applications_staff:operate", args=[case, op]),
            names,
            {name: valid[name] for name in names},
        )
        for op, names in ops.items()
    ]
    return forms


def fuzzer(client: Client, method: str, url: str, names: list[str], base: dict):
    @FUZZ
    @given(data=hostile_data(names))
    def fuzz(data):
        merged = {**base, **data}
        check(client, method, url, {k: v for k, v in merged.items() if v is not MISSING})

    return fuzz


def test_no_public_form_answers_a_server_error(world):
    client = Client()
    for method, url, names, base in public_forms(world):
        fuzzer(client, method, url, names, base)()


def test_no_staff_form_answers_a_server_error(world):
    client = Client()
    for user, method, url, names, base in staff_forms(world):
        client.force_login(user)
        fuzzer(client, method, url, names, base)()


# -- the named examples ---------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["\ufffe", "\uffff", "a\x01b", "\x1f", "\ufdd0", "\U0010ffff"])
@pytest.mark.parametrize("field", ["name", "description", "address"])
def test_the_apply_form_refuses_unsavable_characters_and_keeps_what_was_typed(client, team, field, bad):
    response = client.post(
        reverse("applications:apply"), apply_data(team.agency, **{field: f"低保{bad}情况"})
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors[field] == [refusal_message(bad)]
    assert "无法保存" in response.content.decode()
    assert form.data["description"] and form.data["name"]  # the form is kept


@pytest.mark.parametrize("bad", ["\ufffe", "\uffff", "a\x01b", "\ud800", "\x00"])
def test_the_api_refuses_unsavable_characters_with_a_field_message(client, team, bad):
    body = {**apply_data(team.agency, name=f"赵{bad}"), "agency": team.agency.code}
    import json

    response = client.post(
        "/api/v1/requests", json.dumps(body, ensure_ascii=True), content_type="application/json"
    )
    assert response.status_code == 422
    assert "name" in response.json()["errors"]
    assert all("\\u" not in m for m in response.json()["errors"]["name"])


@pytest.mark.parametrize("year", ["1", "0", "99999", "10000", "-5", "1899"])
def test_a_year_outside_the_calendar_is_ignored_on_the_list_and_refused_by_the_api(client, year):
    assert client.get(reverse("catalogue:list"), {"year": year}).status_code == 200
    response = client.get("/api/v1/items", {"year": year})
    assert response.status_code == 422 and response.json()["errors"]["year"]


def test_a_malformed_hidden_id_on_the_appeal_form_is_a_message(client, world):
    team, application = world["team"], world["application"]
    client.force_login(team.office)
    for bad in ("abc", "99999999999999999999999", "-1", "\ufffe"):
        response = client.post(
            reverse("applications_staff:appeal", args=[application.pk]),
            {"appeal": bad, "kind": "reconsideration", "filed_on": "2025-10-10", "result": "pending"},
            follow=True,
        )
        assert response.status_code == 200
        assert "要修改的复议或诉讼记录不存在" in response.content.decode()


@pytest.mark.parametrize("days", ["abc", "1.5", "-3", "99999999999999999999"])
def test_a_non_integer_extension_is_a_chinese_message(client, world, days):
    team, application = world["team"], world["application"]
    client.force_login(team.office)
    response = client.post(
        reverse("applications_staff:operate", args=[application.pk, "extension_request"]),
        {"days": days, "reason": "需要调取档案"},
        follow=True,
    )
    page = response.content.decode()
    assert "延长天数（工作日）应填写整数" in page or "延长期限至少为1个工作日" in page
    assert "invalid literal" not in page


def test_a_body_over_the_limit_is_a_chinese_413(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    client.raise_request_exception = False
    page = client.post(reverse("applications:apply"), {"description": "低" * 2000})
    assert page.status_code == 413 and "超过了大小限制" in page.content.decode()
    api = client.post("/api/v1/requests", "{" + " " * 4000 + "}", content_type="application/json")
    assert api.status_code == 413 and "超过了大小限制" in api.json()["detail"]


def test_too_many_fields_and_a_broken_multipart_body_are_chinese_400s(client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    client.raise_request_exception = False
    many = client.post(reverse("applications:apply"), {f"f{i}": "1" for i in range(20)})
    assert many.status_code == 400 and "字段数量超过了限制" in many.content.decode()
    broken = client.post(
        reverse("applications:apply"), "--x\r\nbroken", content_type="multipart/form-data; boundary="
    )
    assert broken.status_code == 400 and "请求的格式不正确" in broken.content.decode()
    api = client.post("/api/v1/requests", "--x", content_type="multipart/form-data; boundary=")
    assert api.status_code in (400, 422)
