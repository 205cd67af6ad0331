"""Text of attachments (PDF, DOCX, XLSX) for the search index. Plain module, no Django.

Extraction never raises: a damaged or image-only file simply adds no text.
"""

import io
import logging

logger = logging.getLogger(__name__)

MAX_CHARS = 200_000  # per attachment: enough for any notice or table, bounded for huge files


def _pdf(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join((page.extract_text() or "").replace("\x00", "") for page in reader.pages)


def _docx(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def _xlsx(data: bytes) -> str:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    lines = []
    for sheet in book.worksheets:
        lines.append(sheet.title)
        for row in sheet.iter_rows(values_only=True):
            cells = [str(v) for v in row if v is not None]
            if cells:
                lines.append(" ".join(cells))
    book.close()
    return "\n".join(lines)


READERS = {
    "application/pdf": _pdf,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": _docx,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": _xlsx,
}


def attachment_text(data: bytes, content_type: str) -> str:
    reader = READERS.get(content_type)
    if reader is None:
        return ""
    try:
        return reader(data)[:MAX_CHARS]
    except Exception as exc:  # a broken file must not stop publishing
        logger.warning("could not extract text from a %s attachment: %s", content_type, exc)
        return ""
