"""Checking uploaded attachments by their content, not only their name.

Plain module: no Django import.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

import filetype

from gongkai.documents.upload_content import OOXML_MAIN_TYPES, ContentRefused, check_ooxml, check_pdf

# Allowed kinds: name suffixes and the type their first bytes must show.
ALLOWED = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}
ALLOWED_LABEL = "PDF、DOCX、XLSX、JPG、PNG"


class UploadRejected(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    content_type: str
    size: int
    sha256: str


def _size_label(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".") + "MB"
    return f"{size / 1024:.0f}KB" if size >= 1024 else f"{size}字节"


NAME_MAX = 200  # characters, as Attachment.original_name and ApplicationFile.original_name hold


def fit_name(name: str, limit: int = NAME_MAX) -> str:
    """``name`` cut to ``limit`` characters, keeping its extension: the stem is shortened, never the
    suffix; a joiner or trailing dot/space left at the cut is dropped.

    E.g. 300 × 'a' + '.pdf' → 196 × 'a' + '.pdf'.
    """
    if len(name) <= limit:
        return name
    path = PurePath(name)
    suffix = path.suffix if len(path.suffix) < limit else ""
    stem = name[: len(name) - len(suffix)] if suffix else name
    stem = stem[: limit - len(suffix)].rstrip(" .\u200d") or "附件"
    return stem + suffix


def check_upload(name: str, stream: IO[bytes], size: int, *, max_bytes: int) -> CheckedUpload:
    """Refuse empty, oversize, unknown, disguised or dangerous files, with a Chinese message.

    ``stream`` is the whole uploaded file (seekable; read from the start, left at an unspecified
    position). Beyond the name and the magic bytes, PDFs are parsed and refused when they carry
    JavaScript, launch actions or embedded files or do not parse; DOCX/XLSX are refused when they are not
    OOXML, carry macros or are zip bombs (``upload_content``). Raises UploadRejected.
    """
    clean_name = fit_name(PurePath(name.replace("\\", "/")).name.strip() or "附件")
    suffix = PurePath(clean_name).suffix.lower()
    if suffix not in ALLOWED:
        raise UploadRejected(f"不支持的附件类型“{suffix or '无扩展名'}”，只接受{ALLOWED_LABEL}文件。")
    if size == 0:
        raise UploadRejected(f"附件“{clean_name}”是空文件。")
    if size > max_bytes:
        raise UploadRejected(f"附件“{clean_name}”超过{_size_label(max_bytes)}的大小限制。")
    stream.seek(0)
    head = stream.read(8192)
    detected = filetype.guess_mime(head)
    if detected != ALLOWED[suffix]:
        raise UploadRejected(
            f"附件“{clean_name}”的内容与扩展名“{suffix}”不符，可能已损坏或被伪装，请检查后重新上传。"
        )
    try:
        if suffix == ".pdf":
            check_pdf(stream)
        elif suffix in OOXML_MAIN_TYPES:
            check_ooxml(stream, suffix)
    except ContentRefused as exc:
        raise UploadRejected(f"附件“{clean_name}”：{exc.message}") from None
    return CheckedUpload(name=clean_name, content_type=ALLOWED[suffix], size=size, sha256="")


def sha256_of(chunks: Iterable[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return digest.hexdigest()
