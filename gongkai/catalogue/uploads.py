"""Checking uploaded attachments by their content, not only their name.

Plain module: no Django import.
"""

import hashlib
from dataclasses import dataclass
from pathlib import PurePath

import filetype

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


def check_upload(name: str, head: bytes, size: int, *, max_bytes: int) -> CheckedUpload:
    """Refuse empty, oversize, unknown or disguised files, with a Chinese message."""
    clean_name = PurePath(name.replace("\\", "/")).name.strip() or "附件"
    suffix = PurePath(clean_name).suffix.lower()
    if suffix not in ALLOWED:
        raise UploadRejected(f"不支持的附件类型“{suffix or '无扩展名'}”，只接受{ALLOWED_LABEL}文件。")
    if size == 0:
        raise UploadRejected(f"附件“{clean_name}”是空文件。")
    if size > max_bytes:
        raise UploadRejected(f"附件“{clean_name}”超过{_size_label(max_bytes)}的大小限制。")
    detected = filetype.guess_mime(head)
    if detected != ALLOWED[suffix]:
        raise UploadRejected(
            f"附件“{clean_name}”的内容与扩展名“{suffix}”不符，可能已损坏或被伪装，请检查后重新上传。"
        )
    return CheckedUpload(name=clean_name[:200], content_type=ALLOWED[suffix], size=size, sha256="")


def sha256_of(chunks) -> str:
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return digest.hexdigest()
