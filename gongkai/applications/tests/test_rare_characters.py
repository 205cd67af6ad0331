"""The case page warns before a letter prints 〓 for a character no PDF font has (issue 10, §4)."""

import datetime
import io
import re

from django.urls import reverse
from pypdf import PdfReader

from gongkai.applications import identity, services
from gongkai.documents.render import MISSING_GLYPH

UNCOVERED = "\ue000"  # private use: no font has it


def register(team, name: str):
    return services.application_submit(
        agency=team.agency,
        data={
            "applicant_type": "natural",
            "name": name,
            "id_type": "resident_id",
            "id_number": identity.make_resident_id(datetime.date(1975, 3, 14)),
            "phone": "13923456789",
            "description": "本县2024年度城乡低保资金发放情况",
            "medium": "paper",
            "delivery": "pickup",
        },
        channel="window",
        received_on=datetime.date.today(),
        actor=team.office,
    )


def case_page(client, user, application) -> str:
    client.force_login(user)
    response = client.get(reverse("applications_staff:detail", args=[application.pk]))
    assert response.status_code == 200
    return response.content.decode()


def receipt_pdf_text(client, application) -> str:
    notice = application.notices.get()
    url = reverse("applications_staff:notice_file", args=[application.pk, notice.pk, "pdf"])
    response = client.get(url)
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return re.sub(r"[\s\x00]+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))


def test_a_name_with_an_extension_b_character_prints_in_the_receipt_without_warning(client, team):
    application = register(team, "张𠮷")
    page = case_page(client, team.office, application)
    assert 'id="unprintable"' not in page
    text = receipt_pdf_text(client, application)
    assert "张𠮷：" in text and MISSING_GLYPH not in text


def test_a_character_no_font_has_is_listed_on_the_case_page(client, team):
    application = register(team, f"李{UNCOVERED}明")
    page = case_page(client, team.office, application)
    warning = re.search(r'<p class="msg error" role="alert" id="unprintable">(.*?)</p>', page, flags=re.S)
    assert warning, "no warning on the case page"
    assert f"{UNCOVERED}（U+E000）" in warning.group(1)
    assert "〓" in warning.group(1)
    # And the letter itself shows the mark where the character was, never dropping it silently.
    assert f"李{MISSING_GLYPH}明：" in receipt_pdf_text(client, application)
