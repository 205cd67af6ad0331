"""What a reader of an attachment sees, and what it hides. Plain module, no Django.

`extract(data, content_type, limits)` reads a PDF, DOCX or XLSX file and returns an `Extraction`:

- `text`: the text a reader sees when opening the file (PDF page text; DOCX body, headers,
  footers, footnotes, text boxes and tables, with tracked insertions as shown; XLSX cells of
  visible sheets, rows and columns). This, and only this, is indexed and shown.
- `hidden_parts`: what the file carries that a reader does not see, for the confidentiality
  review (保密审查): a list of `{"kind": KIND, "where": "<位置，中文>", "text": "<其文字，有上限>"}`,
  kinds in `HIDDEN_KINDS`.
- `state`: "done", "truncated" (then `limit` names the limit that cut it), "failed" (the file
  could not be read; `error` says why) or "skipped" (a type without text, e.g. an image).

Every read is bounded (`Limits`): decompressed bytes (ZIP members are streamed and never read past
their declared size; PDF streams are decoded under pypdf's output caps), PDF pages, wall time and
characters. At a limit the reader stops and keeps what it has read. The wall-time and memory
bounds are only hard in the worker process (`gongkai.search.extract_worker`), which is how the
application runs this module.
"""

from __future__ import annotations

import io

from gongkai.search import extract_ooxml, extract_xlsx
from gongkai.search.extract_collect import (
    DOCX,
    HIDDEN_KINDS,
    PDF,
    TYPES,
    XLSX,
    Collector,
    Extraction,
    LimitReached,
    Limits,
    embedded_text,
    type_of_name,
)

# The module's interface: extract() and what it takes and returns.
__all__ = ["DOCX", "HIDDEN_KINDS", "PDF", "TYPES", "XLSX", "Extraction", "LimitReached", "Limits", "extract"]


def extract(data: bytes, content_type: str, limits: Limits | None = None) -> Extraction:
    """Read `data` within `limits`. Never raises for a bad file: a damaged one is "failed" and
    keeps whatever was read before the damage."""
    limits = limits or Limits()
    if content_type not in TYPES:
        return Extraction(state="skipped")
    out = Collector(limits, read_into)
    try:
        read_into(data, content_type, out, depth=0)
    except LimitReached as reached:
        out.reached(reached.limit)
    except MemoryError:
        out.reached("memory")
    except Exception as exc:  # a damaged file: keep what was read before the damage, say why
        result = out.result()
        result.state = "failed"
        result.error = f"{type(exc).__name__}: {exc}"[:500]
        return result
    return out.result()


def read_into(data: bytes, content_type: str, out: Collector, *, depth: int) -> None:
    """Dispatch to the reader of the type (depth > 0: a file embedded in another one)."""
    if content_type == PDF:
        _pdf(data, out, depth=depth)
    elif content_type == DOCX:
        extract_ooxml.docx(data, out, depth=depth)
    elif content_type == XLSX:
        extract_xlsx.xlsx(data, out, depth=depth)


# -- PDF -----------------------------------------------------------------------------------------------
# Page text only (pypdf's extract_text). Annotations and embedded files are hidden parts.

_SKIPPED_ANNOTATIONS = {"/Link", "/Popup", "/Widget"}


def _pdf_string(value: object) -> str:
    return str(value) if value is not None else ""


# The content streams' and the resources' (object number, generation) pairs.
_PdfContentKey = tuple[tuple[tuple[int, int], ...], tuple[int, int]]


def _pdf_content_key(page: object) -> _PdfContentKey | None:
    """Pages whose content streams and resources are the same objects show the same text."""
    from pypdf.generic import IndirectObject

    contents = page.get("/Contents")  # type: ignore[attr-defined]
    resources = page.get("/Resources")  # type: ignore[attr-defined]
    if not isinstance(resources, IndirectObject):
        return None
    refs = contents if isinstance(contents, list) else [contents]
    if not refs or not all(isinstance(ref, IndirectObject) for ref in refs):
        return None
    return (tuple((ref.idnum, ref.generation) for ref in refs), (resources.idnum, resources.generation))


def _pdf_content_bytes(page: object) -> int:
    contents = page.get_contents()  # type: ignore[attr-defined]
    return len(contents.get_data()) if contents is not None else 0


def _pdf(data: bytes, out: Collector, *, depth: int) -> None:
    from pypdf import PdfReader, apply_configuration

    cap = max(1, min(out.bytes_left(), out.limits.unpacked_bytes))
    names = (
        "maximum_declared_stream_length",
        "array_based_stream_maximum_output_length",
        "jbig2_maximum_output_length",
        "lzw_maximum_output_length",
        "run_length_maximum_output_length",
        "zlib_maximum_output_length",
        "brotli_maximum_output_length",
        "image_maximum_buffer_size",
        "stream_decoding_work_maximum_length",
    )
    caps = dict.fromkeys(names, cap)
    with apply_configuration(None, **caps):
        reader = PdfReader(io.BytesIO(data))
        _pdf_embedded(reader, out, depth=depth)
        seen: dict[_PdfContentKey, str] = {}
        for number, page in enumerate(reader.pages, start=1):
            out.check_time()
            if number > out.limits.pages:
                raise LimitReached("pages")
            _pdf_annotations(page, number, out, depth=depth)
            if out.visible_full:
                out.reached("chars")
                continue
            key = _pdf_content_key(page)
            if key is not None and key in seen:
                text = seen[key]
            else:
                size = _pdf_content_bytes(page)
                if out.count_bytes(size) < size:
                    raise LimitReached("bytes")
                text = page.extract_text() or ""
                if key is not None:
                    seen[key] = text
            out.add_visible(text + "\n")


def _pdf_annotations(page: object, number: int, out: Collector, *, depth: int) -> None:
    for ref in page.get("/Annots") or []:  # type: ignore[attr-defined]
        annotation = ref.get_object()
        subtype = _pdf_string(annotation.get("/Subtype"))
        if subtype in _SKIPPED_ANNOTATIONS:
            continue
        if subtype == "/FileAttachment":
            spec = annotation.get("/FS")
            spec = spec.get_object() if spec is not None else {}
            name = _pdf_string(spec.get("/UF") or spec.get("/F")) or "未命名"
            out.add_hidden("embedded_file", f"嵌入文件“{name}”（第{number}页注释）", "")
            continue
        text = _pdf_string(annotation.get("/Contents"))
        if text.strip():
            out.add_hidden("annotation", f"PDF注释（第{number}页）", text)


def _pdf_embedded(reader: object, out: Collector, *, depth: int) -> None:
    for embedded in reader.attachment_list:  # type: ignore[attr-defined]
        out.check_time()
        name = embedded.name or "未命名"
        text = ""
        if type_of_name(name) and depth == 0:
            content = embedded.content
            if out.count_bytes(len(content)) < len(content):
                raise LimitReached("bytes")
            text = embedded_text(name, content, out, depth=depth)
        out.add_hidden("embedded_file", f"嵌入文件“{name}”", text)
