"""Importing real documents into draft catalogue items."""

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from gongkai.catalogue import services as catalogue_services
from gongkai.catalogue.models import Category, Genre, Item
from gongkai.core.html import paragraphs_to_html
from gongkai.importing.cleaning import CleanDocument, clean_file
from gongkai.organisation.models import Agency, Department, User

SUPPORTED_SUFFIXES = {".txt", ".text", ".md", ".htm", ".html", ".docx"}
FALLBACK_CATEGORY = "其他"

# Title words that name the genre (体裁), Simplified and Traditional.
GENRE_WORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("报告", "報告"), Genre.REPORT),
    (("制度",), Genre.RULES),
    (("计划", "計劃", "规划", "規劃", "要点", "要點"), Genre.PLAN),
    (("意见", "意見"), Genre.OPINION),
    (("办法", "辦法"), Genre.MEASURES),
    (("规定", "規定"), Genre.PROVISIONS),
    (("通知",), Genre.NOTICE),
    (("公告",), Genre.ANNOUNCEMENT),
    (("指南",), Genre.GUIDE),
)


@dataclass
class ImportResult:
    path: Path
    item: Item | None = None
    document: CleanDocument | None = None
    category_guessed: bool = False
    error: str = ""
    notes: list[str] = field(default_factory=list)


def guess_genre(title: str) -> str:
    for words, genre in GENRE_WORDS:
        if any(word in title for word in words):
            return genre
    return Genre.OTHER


def _category_for(agency: Agency, hint: str | None, default: str | None) -> tuple[Category, bool]:
    categories = Category.objects.filter(agency=agency, is_active=True)
    for name, guessed in ((default, False), (hint, True), (FALLBACK_CATEGORY, False)):
        if name:
            found = categories.filter(name=name).order_by("parent_id", "order").first()
            if found:
                return found, guessed
    raise Category.DoesNotExist(f"机关“{agency.name}”没有可用的主题分类，请先设置分类。")


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files as given, and supported files found under directories, in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES)
            )
        else:
            found.append(path)
    return found


def document_import(
    *,
    actor: User,
    agency: Agency,
    path: Path,
    department: Department | None = None,
    category_name: str | None = None,
) -> ImportResult:
    """Read one file into a draft item; any failure leaves nothing behind."""
    result = ImportResult(path=path)
    try:
        document = clean_file(path)
    except (OSError, ValueError) as exc:
        result.error = str(exc) or exc.__class__.__name__
        return result
    result.document = document
    if not document.paragraphs:
        result.error = "未能从文件中读出正文。"
        return result
    try:
        category, guessed = _category_for(agency, document.category_hint, category_name)
        with transaction.atomic():
            result.item = catalogue_services.item_create(
                actor=actor,
                agency=agency,
                department=department,
                category=category,
                title=document.title[:300],
                body=paragraphs_to_html(document.paragraphs),
                written_on=document.written_on,
                genre=guess_genre(document.title),
                source_note=f"导入自 {path.name}",
            )
    except Exception as exc:
        result.error = getattr(exc, "message", None) or "; ".join(getattr(exc, "messages", [])) or str(exc)
        return result
    result.category_guessed = guessed
    result.notes = list(document.removed)
    return result
