"""Small, well-formed files for tests that upload attachments.

Uploads are parsed (``documents.upload_content``): a PDF must be a real one, with a cross-reference
table and a page tree, or it is refused as disguised.
"""

from __future__ import annotations

import io


def minimal_pdf(pages: int = 1) -> bytes:
    """A valid PDF of ``pages`` blank A4 pages (no text, no scripts, nothing embedded)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
