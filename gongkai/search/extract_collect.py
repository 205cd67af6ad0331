"""The shared parts of attachment text extraction: limits, result and the collector. No Django.

`Collector` gathers what the readers (`gongkai.search.extract` for PDF, `extract_ooxml` for DOCX,
`extract_xlsx` for XLSX) find, within `Limits`; `embedded_text` reads a file embedded in another
through the collector's `read` (the dispatcher `extract.read_into`), so the readers need not
import the dispatcher that imports them.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Protocol

MiB = 1024 * 1024

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


class Reader(Protocol):
    """Reads one file into the collector (``depth`` > 0: a file embedded in another)."""

    def __call__(self, data: bytes, content_type: str, out: Collector, *, depth: int) -> None: ...


class Collector:
    """What the readers found so far, within the limits: read it back even after LimitReached."""

    def __init__(self, limits: Limits, read: Reader, deadline: float | None = None) -> None:
        self.limits = limits
        self.read = read  # the readers' dispatcher (extract.read_into), for embedded files
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
        parent.read,
        deadline=parent.deadline,
    )
    try:
        parent.read(data, content_type, inner, depth=depth + 1)
    except LimitReached as reached:
        if reached.limit == "time":
            raise
    except Exception:  # noqa: S110 - a damaged embedded file: what was read is kept
        pass
    parent.unpacked += inner.unpacked
    found = [*inner.visible, *(f"\n{part['where']}：{part['text']}" for part in inner.hidden)]
    return "".join(found).strip()
