"""Staff pages of an item's publication history: the versions, one version, what the public saw
on a given day. Staff of the owning agency only (``selectors.staff_item`` is a 404 for others)."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from gongkai.catalogue import history_selectors, selectors
from gongkai.core.params import date_param
from gongkai.core.views import staff_required

BAD_DATE = "“{}”不是有效的日期：请按“年-月-日”填写1900年至2100年间的日期，如 2025-03-01。"
FUTURE_DATE = "{:%Y年%-m月%-d日}还没有到：发布历史只记录已经发生的公开，不能查询今天以后的日期。"


def _day(raw: str) -> tuple:
    """(date or None, Chinese error or "") from the query's ``date`` parameter (Beijing date)."""
    if not raw.strip():
        return None, ""
    day = date_param(raw)
    if day is None:
        return None, BAD_DATE.format(raw.strip())
    if day > timezone.localdate():
        return None, FUTURE_DATE.format(day)
    return day, ""


@staff_required
@require_safe
def item_history(request, pk: int):
    item = selectors.staff_item(request.user, pk)
    raw = request.GET.get("date", "")[:40]
    day, error = _day(raw)
    return render(
        request,
        "catalogue/staff/item_history.html",
        {
            "item": item,
            "rows": history_selectors.history_rows(item),
            "date_value": raw.strip(),
            "date_error": error,
            "seen": history_selectors.seen_on(item, day) if day else None,
            "today": timezone.localdate(),
        },
    )


@staff_required
@require_safe
def item_version(request, pk: int, number: int):
    item = selectors.staff_item(request.user, pk)
    version = history_selectors.item_version(item, number)
    return render(
        request,
        "catalogue/staff/item_version.html",
        {
            "item": item,
            "version": version,
            "shown": history_selectors.version_as_item(version),
            "files": history_selectors.version_files(item, version),
            "changes": history_selectors.version_changes(version),
        },
    )
