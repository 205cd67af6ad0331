"""Several rendered PDFs as one, for printing a batch of letters in one go.

Pure module: no Django import. Each part keeps its own pages (and its own '第 N 页 共 M 页'); an
outline entry marks where each part begins, so the printer's preview can jump between letters.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence

from pypdf import PdfReader, PdfWriter

__all__ = ["combine_pdfs"]


def _pdf_date(when: datetime.datetime) -> str:
    """A PDF date string (ISO 32000 §7.9.4): D:YYYYMMDDHHmmSS with the UTC offset as +HH'mm'."""
    offset = when.strftime("%z")
    return when.strftime("D:%Y%m%d%H%M%S") + (f"{offset[:3]}'{offset[3:]}'" if offset else "")


def combine_pdfs(
    parts: Sequence[tuple[str, bytes]], *, title: str, author: str, when: datetime.datetime
) -> bytes:
    """One PDF of ``parts`` ((outline label, PDF bytes) pairs) in the order given.

    ``title`` and ``author`` go into the document information; ``when`` is its creation time.
    Raises ValueError for no parts.
    """
    if not parts:
        raise ValueError("没有要合并的PDF")
    writer = PdfWriter()
    for label, data in parts:
        writer.append(PdfReader(io.BytesIO(data)), outline_item=label)
    stamp = _pdf_date(when)
    writer.add_metadata(
        {"/Title": title, "/Author": author, "/Creator": "Gongkai", "/CreationDate": stamp, "/ModDate": stamp}
    )
    writer.page_mode = "/UseOutlines"
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
