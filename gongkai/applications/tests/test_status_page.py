"""The applicant's status page (issue 13, point 8): the correction deadline and what to correct while
a correction is awaited, a timeline of what happened, the receipt and every letter to the applicant
downloadable after code + phone tail (for that case only), query codes typed with spaces or in lower
case, and look-up limits by code as well as by address (a service hall shares one address).
"""

import datetime
import io
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from gongkai.applications import services
from gongkai.applications.lookup import CODE_LIMIT, CODE_REFUSAL, normalise_code
from gongkai.applications.models import Application, Notice
from gongkai.applications.workflow import Action
from gongkai.testing import builders

pytestmark = pytest.mark.usefixtures("fresh_cache")

CHINA = ZoneInfo("Asia/Shanghai")
MONDAY = datetime.date(2025, 11, 3)
TAIL = "6789"  # builders.APPLICANT's phone 13923456789
HALL = "203.0.113.50"


@pytest.fixture(autouse=True)
def _monday():
    with time_machine.travel(datetime.datetime(2025, 11, 3, 10, tzinfo=CHINA), tick=False) as traveller:
        yield traveller


def look_up(client: Client, code: str, tail: str = TAIL):
    return client.post(reverse("applications:status"), {"query_code": code, "phone_tail": tail})


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def pdf_text(response) -> str:
    data = b"".join(response.streaming_content) if response.streaming else response.content
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"[\s\x00]+", "", "".join(page.extract_text() for page in reader.pages))


def correction_requested(team, reason: str = "请写明所需信息的年份和具体项目名称") -> Application:
    application = builders.register(team, received_on=MONDAY)
    return services.application_transition(
        actor=team.office,
        application=application,
        action=Action.REQUEST_CORRECTION,
        reason=reason,
        correction_days=10,
        on=MONDAY,
    )


# -- the deadline while a correction is awaited ---------------------------------------------------


def test_it_shows_the_correction_deadline_and_what_to_correct_not_the_reply_deadline(client, team):
    application = correction_requested(team)
    response = look_up(client, application.query_code)
    assert response.status_code == 200
    text = text_of(response)
    # 10 working days from Monday 3 November 2025: Monday 17 November.
    assert "补正期限 2025年11月17日" in text
    assert "请写明所需信息的年份和具体项目名称" in text
    assert "自收到补正材料之日起重新计算" in text
    # The 20-working-day reply date (1 December) is not what the applicant is waiting for now.
    assert "2025年12月1日" not in text


def test_the_api_gives_the_correction_deadline_too(client, team):
    application = correction_requested(team)
    response = client.get(f"/api/v1/requests/{application.query_code}", {"phone_tail": TAIL})
    assert response.json()["correction_due_on"] == "2025-11-17"
    assert "请写明" not in response.content.decode()  # the free text stays on the page


def test_the_correction_text_is_shown_with_personal_data_masked(client, team):
    application = correction_requested(team, reason="请补充身份证明，联系我们13800001111")
    text = text_of(look_up(client, application.query_code))
    assert "13800001111" not in text
    assert "138****1111" in text


def test_once_corrected_it_shows_the_reply_deadline_again(client, team, _monday):
    application = correction_requested(team)
    _monday.move_to(datetime.datetime(2025, 11, 5, 10, tzinfo=CHINA))
    services.application_transition(
        actor=team.office, application=application, action=Action.RECEIVE_CORRECTION
    )
    text = text_of(look_up(client, application.query_code))
    assert "补正期限" not in text
    assert "答复期限 2025年12月3日" in text  # 20 working days from Wednesday 5 November
    assert "收到补正材料" in text


# -- the timeline ---------------------------------------------------------------------------------


def test_it_tells_what_happened_without_names_or_internal_notes(client, team, _monday):
    application = builders.register(team, received_on=MONDAY)
    builders.forward(team, application)
    _monday.move_to(datetime.datetime(2025, 11, 4, 10, tzinfo=CHINA))
    services.suspend(actor=team.office, application=application, reason="机房火灾，档案暂时无法调阅")
    _monday.move_to(datetime.datetime(2025, 11, 6, 10, tzinfo=CHINA))
    services.resume(actor=team.office, application=application)
    application.refresh_from_db()
    builders.advance_case(team, application, to="replied")

    text = text_of(look_up(client, application.query_code))
    steps = re.search(r"办理经过(.*?)受理回执和告知书", text).group(1)
    for label in ("收到申请", "转交承办部门办理", "中止办理", "恢复办理", "作出答复"):
        assert label in steps, label
    assert steps.index("收到申请") < steps.index("转交承办部门办理") < steps.index("中止办理")
    assert steps.index("中止办理") < steps.index("恢复办理") < steps.index("作出答复")
    assert "2025年11月4日 中止办理" in steps
    # No staff names, departments or notes.
    assert team.department.name not in text
    for person in (team.office, team.clerk, team.leader):
        for name in (person.get_full_name(), person.username):
            if name:
                assert name not in text, name


def test_it_tells_of_an_extension_and_shows_the_extended_deadline(client, team, _monday):
    application = builders.forward(team, builders.register(team, received_on=MONDAY))
    _monday.move_to(datetime.datetime(2025, 11, 20, 10, tzinfo=CHINA))
    extension = services.extension_request(
        actor=team.clerk, application=application, days=10, reason="需调取历年档案（内部说明）"
    )
    services.extension_decide(actor=team.office, extension=extension, approve=True)
    text = text_of(look_up(client, application.query_code))
    assert "2025年11月20日 延长答复期限10个工作日" in text
    assert "已依法延期10个工作日" in text
    assert "内部说明" not in text


def test_it_shows_the_delivery_of_the_reply(client, team, _monday):
    application = builders.register(team, received_on=MONDAY)
    builders.advance_case(team, application, to="replied")
    reply = application.notices.get(kind="reply")
    _monday.move_to(datetime.datetime(2025, 11, 7, 10, tzinfo=CHINA))
    services.notice_mark_delivered(
        actor=team.office, notice=reply, method="当面领取", on=datetime.date(2025, 11, 7)
    )
    text = text_of(look_up(client, application.query_code))
    assert "2025年11月7日 政府信息公开申请答复书送达" in text


# -- the letters, after code + phone tail ---------------------------------------------------------


def notice_url(notice: Notice) -> str:
    return reverse("applications:notice_pdf", args=[notice.application.query_code, notice.pk])


def test_after_the_look_up_the_receipt_and_every_letter_can_be_downloaded(client, team):
    application = correction_requested(team)
    page = look_up(client, application.query_code).content.decode()
    kinds = set()
    for notice in application.notices.all():
        assert notice_url(notice) in page
        response = client.get(notice_url(notice))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
        text = pdf_text(response)
        assert application.query_code in text
        kinds.add(notice.kind)
    assert kinds == {"receipt", "correction"}


def test_the_applicants_copy_has_personal_data_masked(client, team):
    application = builders.register(team, received_on=MONDAY, description="请公开，本人电话13800001111")
    look_up(client, application.query_code)
    receipt = application.notices.get(kind="receipt")
    text = pdf_text(client.get(notice_url(receipt)))
    assert "13800001111" not in text


def test_without_the_look_up_no_letter_can_be_downloaded(client, team):
    application = correction_requested(team)
    for notice in application.notices.all():
        assert client.get(notice_url(notice)).status_code == 404
    # A wrong phone tail does not open them either.
    look_up(client, application.query_code, "0000")
    for notice in application.notices.all():
        assert client.get(notice_url(notice)).status_code == 404


def test_a_look_up_of_one_case_does_not_open_another_cases_letters(client, team):
    mine = builders.register(team, received_on=MONDAY)
    other = builders.register(team, received_on=MONDAY, phone="13611112222", name="钱多多")
    assert look_up(client, mine.query_code).status_code == 200
    other_receipt = other.notices.get(kind="receipt")
    # Neither by its own URL nor by putting the other letter's number under my code.
    assert client.get(notice_url(other_receipt)).status_code == 404
    crossed = reverse("applications:notice_pdf", args=[mine.query_code, other_receipt.pk])
    assert client.get(crossed).status_code == 404


def test_the_letter_to_a_consulted_third_party_is_not_the_applicants(client, team):
    application = builders.forward(team, builders.register(team, received_on=MONDAY))
    services.consultation_start(
        actor=team.office,
        application=application,
        third_party="阳江市某某建材有限公司",
        matter="是否同意公开合同",
    )
    page = look_up(client, application.query_code).content.decode()
    assert "阳江市某某建材有限公司" not in page  # the consultation's note stays internal
    letter = application.notices.filter(kind="consultation").first()
    assert letter is not None
    assert client.get(notice_url(letter)).status_code == 404
    assert notice_url(letter) not in page


# -- the query code as typed ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        lambda code: code.lower(),
        lambda code: f"{code[:4]} {code[4:8]} {code[8:]}",
        lambda code: f"{code[:4]}-{code[4:8]}-{code[8:]}".lower(),
        lambda code: f"  {code[:6]}\u3000{code[6:]} ",
    ],
    ids=["lower-case", "spaces", "hyphens-lower", "full-width-space"],
)
def test_it_finds_a_code_typed_with_spaces_or_in_lower_case(client, team, typed):
    application = builders.register(team, received_on=MONDAY)
    response = look_up(client, typed(application.query_code))
    assert response.status_code == 200
    assert "办理情况" in response.content.decode()


def test_the_api_finds_a_code_typed_with_spaces_or_in_lower_case(client, team):
    application = builders.register(team, received_on=MONDAY)
    code = application.query_code
    for typed in (code.lower(), f"{code[:4]}-{code[4:8]}-{code[8:]}", f"{code[:6]} {code[6:]}"):
        response = client.get(f"/api/v1/requests/{typed}", {"phone_tail": TAIL})
        assert response.status_code == 200, typed
        assert response.json()["query_code"] == code


def test_normalise_code():
    assert normalise_code(" abcd-efgh ｊｋｍｎ ") == "ABCDEFGHJKMN"


# -- look-up limits: by code as well as by address ------------------------------------------------


def test_thirty_people_behind_one_address_each_find_their_own_case(team):
    hall = Client(REMOTE_ADDR=HALL)
    cases = [
        builders.register(team, received_on=MONDAY, phone=f"139{n:04d}{n:04d}", name=f"申请人{n}")
        for n in range(30)
    ]
    for n, application in enumerate(cases):
        if n % 3 == 0:  # some of them mistype their phone tail first
            assert look_up(hall, application.query_code, "9999").status_code == 404
        assert look_up(hall, application.query_code, f"{n:04d}").status_code == 200, n


def test_six_wrong_tails_for_one_code_are_refused_with_a_clear_message(team):
    application = builders.register(team, received_on=MONDAY)
    guesser = Client(REMOTE_ADDR="198.51.100.9")
    for n in range(CODE_LIMIT):
        assert look_up(guesser, application.query_code, f"{n:04d}").status_code == 404
    refused = look_up(guesser, application.query_code, "0009")
    assert refused.status_code == 429
    assert CODE_REFUSAL in refused.content.decode()
    # The code is locked for everyone, even with the right tail, typed in any way.
    elsewhere = Client(REMOTE_ADDR="192.0.2.77")
    assert look_up(elsewhere, application.query_code.lower(), TAIL).status_code == 429
    api = elsewhere.get(f"/api/v1/requests/{application.query_code}", {"phone_tail": TAIL})
    assert api.status_code == 429
    assert api["Retry-After"] == "3600"
    # Other codes at the same address are still found.
    other = builders.register(team, received_on=MONDAY, phone="13611112222", name="钱多多")
    assert look_up(guesser, other.query_code, "2222").status_code == 200


def test_the_code_lock_ends_after_an_hour(team, _monday):
    application = builders.register(team, received_on=MONDAY)
    client = Client()
    for n in range(CODE_LIMIT):
        look_up(client, application.query_code, f"{n:04d}")
    assert look_up(client, application.query_code, TAIL).status_code == 429
    _monday.shift(datetime.timedelta(minutes=61))
    assert look_up(client, application.query_code, TAIL).status_code == 200


@pytest.mark.parametrize("typed", ["", "x" * 40, "a\x01b", "ＡＢＣ", "ABC DEF 123 456 789"])
def test_any_typed_code_gets_a_plain_answer(client, team, typed):
    response = look_up(client, typed, "1234")
    assert response.status_code in (200, 404)
