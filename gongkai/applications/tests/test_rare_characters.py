"""The case page warns before a letter prints 〓 for a character no PDF font has (issue 10, §4)."""

import io
import re

from django.urls import reverse
from pypdf import PdfReader

from gongkai.documents.render import MISSING_GLYPH
from gongkai.testing import builders
from gongkai.testing.pages import case_page

UNCOVERED = "\ue000"  # private use: no font has it


def receipt_pdf_text(client, application) -> str:
    notice = application.notices.get()
    url = reverse("applications_staff:notice_file", args=[application.pk, notice.pk, "pdf"])
    response = client.get(url)
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return re.sub(r"[\s\x00]+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))


def test_a_name_with_an_extension_b_character_prints_in_the_receipt_without_warning(client, team):
    application = builders.register(team, name="张𠮷")
    page = case_page(client, team.office, application)
    assert 'id="unprintable"' not in page
    text = receipt_pdf_text(client, application)
    assert "张𠮷：" in text and MISSING_GLYPH not in text


def test_a_character_no_font_has_is_listed_on_the_case_page(client, team):
    application = builders.register(team, name=f"李{UNCOVERED}明")
    page = case_page(client, team.office, application)
    warning = re.search(r'<p class="msg error" role="alert" id="unprintable">(.*?)</p>', page, flags=re.S)
    assert warning, "no warning on the case page"
    assert f"{UNCOVERED}（U+E000）" in warning.group(1)
    assert "〓" in warning.group(1)
    # And the letter itself shows the mark where the character was, never dropping it silently.
    assert f"李{MISSING_GLYPH}明：" in receipt_pdf_text(client, application)
