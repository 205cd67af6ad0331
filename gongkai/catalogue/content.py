"""An item's content in one place: which fields staff edit, which the public page shows, their JSON
form, and how a change of them reads.

- ``CONTENT_FIELDS``: what staff edit on a draft and what a revision may change on a published item.
- ``SNAPSHOT_FIELDS``: everything the public item page shows (the content fields plus the 索引号,
  发布日期 and 有效性 that publication and the 有效性 service set); a version keeps these.
- JSON form (``to_json``/``from_json``): dates and datetimes as ISO strings, category and
  department as primary keys. A revision stores its changes so (``ItemRevision.changes``), a
  version its snapshot (``ItemVersion.content``).
"""

import datetime
from typing import Any

from gongkai.catalogue.models import Category, Item
from gongkai.organisation.models import Department

CONTENT_FIELDS = (
    "title",
    "summary",
    "body",
    "publisher",
    "written_on",
    "document_number",
    "genre",
    "document_type",
    "effective_on",
    "category",
    "department",
    "disclosure_mode",
    "scope",
)
# Set by publication and by the 有效性 service, never by a revision, and shown on the public page.
PUBLICATION_FIELDS = ("index_number", "published_at", "validity", "validity_note")
SNAPSHOT_FIELDS = CONTENT_FIELDS + PUBLICATION_FIELDS
DATE_FIELDS = ("written_on", "effective_on")
DATETIME_FIELDS = ("published_at",)
_RELATED: dict[str, type[Category] | type[Department]] = {"category": Category, "department": Department}


def content_of(item: Item, fields: tuple[str, ...] = CONTENT_FIELDS) -> dict[str, Any]:
    """The item's values of ``fields`` as model values (category and department as rows)."""
    return {name: getattr(item, name) for name in fields}


def to_json(values: dict[str, Any]) -> dict[str, Any]:
    """Model values → JSON-safe values: rows as their primary key, dates as ISO strings."""
    result = {}
    for name, value in values.items():
        if name in _RELATED:
            result[name] = value.pk if value is not None else None
        elif isinstance(value, datetime.date):  # datetimes too
            result[name] = value.isoformat()
        else:
            result[name] = value
    return result


def from_json(data: dict[str, Any]) -> dict[str, Any]:
    """JSON values → model values: categories and departments loaded (one that no longer exists
    is None), ISO strings back to dates and datetimes. Unknown keys are dropped."""
    values: dict[str, Any] = {}
    for name, value in data.items():
        if name not in SNAPSHOT_FIELDS:
            continue
        if name in _RELATED:
            values[name] = _RELATED[name]._default_manager.filter(pk=value).first() if value else None
        elif name in DATE_FIELDS:
            values[name] = datetime.date.fromisoformat(value) if value else None
        elif name in DATETIME_FIELDS:
            values[name] = datetime.datetime.fromisoformat(value) if value else None
        else:
            values[name] = value
    return values


_FIELDS = {field.name: field for field in Item._meta.fields}


def field_label(name: str) -> str:
    """The field's Chinese name (名称, 正文, 文号 …)."""
    return str(_FIELDS[name].verbose_name)


def shown(name: str, value: Any) -> Any:
    """A value as staff read it: choice fields (体裁, 公文类别, 公开方式 …) by their Chinese label."""
    choices = dict(_FIELDS[name].flatchoices)
    return choices.get(value, value) if choices else value


def field_changes(before: Item, after: dict[str, Any]) -> list[dict[str, Any]]:
    """A row for each field of ``after`` (model values), in SNAPSHOT_FIELDS order:
    ``[{"name", "label" (the field's Chinese name), "old" (``before``'s value), "new"}]``, choice
    fields shown by their Chinese label."""
    order = {name: index for index, name in enumerate(SNAPSHOT_FIELDS)}
    return [
        {
            "name": name,
            "label": field_label(name),
            "old": shown(name, getattr(before, name)),
            "new": shown(name, value),
        }
        for name, value in sorted(after.items(), key=lambda pair: order.get(pair[0], len(order)))
    ]
