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
import time
from dataclasses import asdict, dataclass, field

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TYPES = (PDF, DOCX, XLSX)

HIDDEN_KINDS = (
    "hidden_sheet",  # a sheet hidden or very hidden in the workbook
    "hidden_row",  # rows hidden (or of zero height) in a visible sheet
    "hidden_column",  # columns hidden (or of zero width) in a visible sheet
    "hidden_text",  # DOCX text with the hidden (vanish) property; XLSX cells formatted ;;;
    "comment",  # DOCX and XLSX comments (批注)
    "tracked_change",  # DOCX tracked deletions and moved-away text (修订)
    "annotation",  # PDF annotations (sticky notes, free text, highlights with a note)
    "embedded_file",  # a file embedded in the document; text holds its text when readable
)

# Each hidden part keeps at most this many characters; all parts together at most Limits.hidden_chars.
PART_CHARS = 20_000
MAX_PARTS = 500

MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Bounds of one extraction. Units: characters, bytes, pages, seconds."""

    chars: int = 200_000  # visible characters kept
    hidden_chars: int = 100_000  # characters of hidden parts kept, all parts together
    unpacked_bytes: int = 32 * MiB  # decompressed bytes read: ZIP members, PDF content streams
    pages: int = 500  # PDF pages read
    seconds: float = 20.0  # wall time
    memory_bytes: int = 1024 * MiB  # address space of the worker process (extract_worker only)


@dataclass
class Extraction:
    state: str  # "done" | "truncated" | "failed" | "skipped"
    text: str = ""
    hidden_parts: list[dict[str, str]] = field(default_factory=list)
    limit: str = ""  # "chars" | "hidden_chars" | "bytes" | "pages" | "time" | "memory", when truncated
    error: str = ""  # when failed: a short English reason for the log

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


class LimitReached(BaseException):
    """A limit was reached. A BaseException so that the libraries' `except Exception` cannot swallow it."""

    def __init__(self, limit: str) -> None:
        super().__init__(limit)
        self.limit = limit


def _clean(text: str) -> str:
    """No NUL (PostgreSQL refuses it) and no lone surrogates (not encodable)."""
    return text.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")


class Collector:
    """What the readers found so far, within the limits: read it back even after LimitReached."""

    def __init__(self, limits: Limits, deadline: float | None = None) -> None:
        self.limits = limits
        self.deadline = deadline if deadline is not None else time.monotonic() + limits.seconds
        self.visible: list[str] = []
        self.visible_chars = 0
        self.hidden: list[dict[str, str]] = []
        self.hidden_chars = 0
        self.unpacked = 0
        self.limit = ""  # the first limit reached

    def reached(self, limit: str) -> None:
        self.limit = self.limit or limit

    @property
    def visible_full(self) -> bool:
        return self.visible_chars >= self.limits.chars

    def add_visible(self, text: str) -> None:
        """Keep visible text up to the character limit; past it, note the limit and go on (hidden
        parts further on still matter to the review)."""
        text = _clean(text)
        if not text:
            return
        room = self.limits.chars - self.visible_chars
        if len(text) > room:
            self.reached("chars")
            text = text[: max(room, 0)]
        self.visible.append(text)
        self.visible_chars += len(text)

    def add_hidden(self, kind: str, where: str, text: str) -> None:
        assert kind in HIDDEN_KINDS, kind
        text = _clean(text).strip()
        room = self.limits.hidden_chars - self.hidden_chars
        if len(self.hidden) >= MAX_PARTS or (room <= 0 and text):
            self.reached("hidden_chars")
            return
        if len(text) > min(room, PART_CHARS):
            if room < PART_CHARS:
                self.reached("hidden_chars")
            text = text[: min(room, PART_CHARS)] + "…"
        self.hidden.append({"kind": kind, "where": where, "text": text})
        self.hidden_chars += len(text)

    def count_bytes(self, n: int) -> int:
        """Account for n decompressed bytes; returns how many of them are within the limit."""
        allowed = max(0, min(n, self.limits.unpacked_bytes - self.unpacked))
        self.unpacked += allowed
        return allowed

    def bytes_left(self) -> int:
        return self.limits.unpacked_bytes - self.unpacked

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise LimitReached("time")

    def result(self) -> Extraction:
        return Extraction(
            state="truncated" if self.limit else "done",
            text="".join(self.visible).strip(),
            hidden_parts=self.hidden,
            limit=self.limit,
        )


def extract(data: bytes, content_type: str, limits: Limits | None = None) -> Extraction:
    """Read `data` within `limits`. Never raises for a bad file: a damaged one is "failed" and
    keeps whatever was read before the damage."""
    limits = limits or Limits()
    if content_type not in TYPES:
        return Extraction(state="skipped")
    out = Collector(limits)
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
    else:
        from gongkai.search import extract_ooxml, extract_xlsx

        if content_type == DOCX:
            extract_ooxml.docx(data, out, depth=depth)
        elif content_type == XLSX:
            extract_xlsx.xlsx(data, out, depth=depth)


def type_of_name(name: str) -> str | None:
    lower = name.lower()
    for suffix, content_type in ((".pdf", PDF), (".docx", DOCX), (".xlsx", XLSX)):
        if lower.endswith(suffix):
            return content_type
    return None


def embedded_text(name: str, data: bytes, parent: Collector, *, depth: int) -> str:
    """The visible and hidden text of a file embedded in another (one level deep), within what is
    left of the parent's limits; it is a hidden part of the parent, so it counts there."""
    content_type = type_of_name(name)
    if content_type is None or depth >= 1:
        return ""
    room = max(0, parent.limits.hidden_chars - parent.hidden_chars)
    inner = Collector(
        Limits(
            chars=min(room, PART_CHARS),
            hidden_chars=min(room, PART_CHARS),
            unpacked_bytes=max(0, parent.bytes_left()),
            pages=parent.limits.pages,
            seconds=parent.limits.seconds,
        ),
        deadline=parent.deadline,
    )
    try:
        read_into(data, content_type, inner, depth=depth + 1)
    except LimitReached as reached:
        if reached.limit == "time":
            raise
    except Exception:  # noqa: S110 - a damaged embedded file: what was read is kept
        pass
    parent.unpacked += inner.unpacked
    found = [*inner.visible, *(f"\n{part['where']}：{part['text']}" for part in inner.hidden)]
    return "".join(found).strip()


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
