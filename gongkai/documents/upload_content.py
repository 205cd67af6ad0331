"""Looking inside an uploaded PDF, DOCX or XLSX for what must not be published or handed to staff.

A PDF is parsed with pypdf and every object is examined without decoding page content: the file is
refused when it does not parse as a PDF, or when any object carries JavaScript (a /JS entry, an action
of type /JavaScript, a /JavaScript name tree), a /Launch action, or an embedded file (/EmbeddedFile,
/EmbeddedFiles, /FileAttachment annotations). Name escapes such as ``/J#61vaScript`` are decoded by the
parser, so they are caught like the plain names. The walk is bounded in objects and time; a file too
complex to check within the bounds is refused rather than passed unchecked.

A DOCX or XLSX is opened as a ZIP without inflating it: the file is refused when it is not a ZIP, has
no ``[Content_Types].xml`` or not the main part its extension promises, carries macros (vbaProject.bin,
a macro-enabled content type), or declares more members, more inflated bytes or a higher compression
ratio than the limits below (a zip bomb).

Every refusal is a ``ContentRefused`` with a Chinese message for the uploader. Pure module: no Django.
"""

from __future__ import annotations

import time
import zipfile
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from pypdf.generic import PdfObject

# PDF bounds: objects examined and seconds spent (a 20 MB PDF has far fewer than 500,000 objects).
PDF_MAX_OBJECTS = 500_000
PDF_MAX_SECONDS = 15.0

# Keys and values (after the parser has decoded #xx escapes) that mark active or embedded content.
PDF_BAD_KEYS = {
    "/JS": "JavaScript脚本",
    "/JavaScript": "JavaScript脚本",
    "/EmbeddedFiles": "嵌入文件",
    "/EmbeddedFile": "嵌入文件",
    "/Launch": "启动外部程序的动作",
}
PDF_BAD_NAMES = {
    "/JavaScript": "JavaScript脚本",
    "/Launch": "启动外部程序的动作",
    "/EmbeddedFile": "嵌入文件",
    "/FileAttachment": "文件附件注释（嵌入文件）",
}

# ZIP (OOXML) bounds.
ZIP_MAX_MEMBERS = 10_000
ZIP_MAX_TOTAL_INFLATED = 256 * 1024 * 1024
ZIP_MAX_RATIO = 100  # inflated / compressed, for members inflating to more than ZIP_RATIO_FLOOR
ZIP_RATIO_FLOOR = 1024 * 1024
CONTENT_TYPES_MAX = 1024 * 1024

# The main part's content type each extension promises.
OOXML_MAIN_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}


class ContentRefused(ValueError):
    """The file's content is not acceptable; ``message`` (Chinese) says why, without the file name."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --------------------------------------------------------------------------------------------- pdf


def check_pdf(stream: IO[bytes]) -> None:
    """Refuse a PDF that does not parse or that carries JavaScript, launch actions or embedded files.

    ``stream`` is the whole file, seekable. Raises ContentRefused; returns None for an acceptable file.
    """
    from pypdf import PdfReader
    from pypdf.generic import DictionaryObject, IndirectObject

    broken = ContentRefused("文件以PDF标识开头，但无法按PDF格式解析，可能已损坏或被伪装。")
    try:
        stream.seek(0)
        reader = PdfReader(stream, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ContentRefused("PDF文件设有打开密码，无法进行安全检查，请去除密码后上传。")
        root = reader.trailer["/Root"].get_object()
        if not isinstance(root, DictionaryObject) or root.get("/Type") != "/Catalog" or "/Pages" not in root:
            raise broken
        len(reader.pages)  # walks the page tree: a broken one raises
        # Everything reachable from the trailer, and every object the cross-reference tables list
        # (a viewer rebuilding a damaged file may find those too).
        starts: list[PdfObject] = [reader.trailer]
        for generation, entries in reader.xref.items():
            starts.extend(IndirectObject(number, generation, reader) for number in entries)
        starts.extend(IndirectObject(number, 0, reader) for number in reader.xref_objStm)
        finding = _walk_pdf(starts)
    except ContentRefused:
        raise
    except RecursionError:
        raise ContentRefused("PDF文件结构嵌套过深，无法完成安全检查。") from None
    except Exception:  # anything pypdf raises on a damaged or hostile file
        raise broken from None
    if finding:
        raise ContentRefused(f"PDF文件含有{finding}，出于安全考虑不予接受。请删除后重新生成PDF再上传。")


def _walk_pdf(starts: list[PdfObject]) -> str | None:
    """The first dangerous construct found among the objects reachable from ``starts``, or None."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    deadline = time.monotonic() + PDF_MAX_SECONDS
    seen: set[tuple[int, int]] = set()
    stack: list[PdfObject | None] = list(reversed(starts))
    examined = 0
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            obj = obj.get_object()
        examined += 1
        if examined > PDF_MAX_OBJECTS or (examined % 1000 == 0 and time.monotonic() > deadline):
            raise ContentRefused("PDF文件结构过于复杂，无法在限定时间内完成安全检查。")
        if isinstance(obj, DictionaryObject):  # includes streams: their dictionary, never their data
            for name, value in obj.items():
                if name in PDF_BAD_KEYS:
                    return PDF_BAD_KEYS[name]
                if name == "/Parent":
                    continue  # reached from the parent anyway; keeps the stack small
                stack.append(value)
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
        elif isinstance(obj, NameObject) and obj in PDF_BAD_NAMES:
            return PDF_BAD_NAMES[obj]
    return None


# --------------------------------------------------------------------------------------------- ooxml


def check_ooxml(stream: IO[bytes], suffix: str) -> None:
    """Refuse a DOCX/XLSX that is not valid OOXML, carries macros, or is a zip bomb.

    ``suffix`` is '.docx' or '.xlsx'. Nothing is inflated except [Content_Types].xml (at most 1 MB).
    Raises ContentRefused.
    """
    kind = suffix.lstrip(".").upper()
    not_ooxml = ContentRefused(f"文件不是有效的{kind}文档（缺少必需的组成部分），可能已损坏或被伪装。")
    try:
        stream.seek(0)
        archive = zipfile.ZipFile(stream)
        members = archive.infolist()
    except Exception:
        raise ContentRefused(f"文件不是有效的{kind}文档（无法按压缩包读取），可能已损坏或被伪装。") from None
    if len(members) > ZIP_MAX_MEMBERS:
        raise ContentRefused(f"{kind}文档包含的部件过多（超过{ZIP_MAX_MEMBERS}个），不予接受。")
    total = 0
    for member in members:
        total += member.file_size
        ratio_too_high = member.file_size > ZIP_RATIO_FLOOR and member.file_size > ZIP_MAX_RATIO * max(
            member.compress_size, 1
        )
        if total > ZIP_MAX_TOTAL_INFLATED or ratio_too_high:
            raise ContentRefused(
                f"{kind}文档解压后体积异常（超过{ZIP_MAX_TOTAL_INFLATED // (1024 * 1024)}MB或压缩比过高），"
                "疑似“压缩炸弹”，不予接受。"
            )
    names = {member.filename for member in members}
    if any(name.lower().rsplit("/", 1)[-1] in {"vbaproject.bin", "vbadata.xml"} for name in names):
        raise ContentRefused(
            f"{kind}文档含有宏（VBA代码），出于安全考虑不予接受。请另存为不含宏的{kind}后上传。"
        )
    try:
        info = archive.getinfo("[Content_Types].xml")
        if info.file_size > CONTENT_TYPES_MAX:
            raise not_ooxml
        content_types = archive.read(info).decode("utf-8", errors="replace")
    except ContentRefused:
        raise
    except Exception:
        raise not_ooxml from None
    if "macroenabled" in content_types.lower() or "vbaproject" in content_types.lower():
        raise ContentRefused(
            f"{kind}文档含有宏（VBA代码），出于安全考虑不予接受。请另存为不含宏的{kind}后上传。"
        )
    if OOXML_MAIN_TYPES[suffix] not in content_types:
        raise not_ooxml
