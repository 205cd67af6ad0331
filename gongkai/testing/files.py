"""Small, well-formed files for tests that upload attachments.

Uploads are parsed (``documents.upload_content``): a PDF must be a real one, with a cross-reference
table and a page tree, or it is refused as disguised.
"""

from __future__ import annotations

import functools
import io

from django.core.files.uploadedfile import SimpleUploadedFile


@functools.cache
def minimal_pdf(pages: int = 1) -> bytes:
    """A valid PDF of ``pages`` blank A4 pages (no text, no scripts, nothing embedded)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_upload(name: str = "附件.pdf", content: bytes | None = None) -> SimpleUploadedFile:
    """A PDF as a form's file field receives it: ``content``, by default minimal_pdf()."""
    return SimpleUploadedFile(
        name, minimal_pdf() if content is None else content, content_type="application/pdf"
    )
