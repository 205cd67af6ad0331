"""Reads for the confidentiality review of catalogue items and revisions (保密审查提示).

What is checked: an item's title, summary, document number and body, and every attachment of
the item (visible text and hidden parts); for a revision, the fields it changes and the
attachments it adds (the live version was checked when it was published). The rules and wording
are in ``gongkai.core.review_findings``. Attachments are read as extraction stored them
(``Attachment.visible_text`` / ``hidden_parts``); one not extracted yet is itself a finding.
"""

from __future__ import annotations

from gongkai.catalogue.models import Attachment, Item, ItemRevision, TextState
from gongkai.core.html import html_to_text
from gongkai.core.review_findings import HiddenPart, Part, ReviewFinding, attachment_where, review_findings

FIELD_WHERE = {"title": "标题", "summary": "内容概述", "document_number": "文号", "body": "正文"}


def _field_parts(values: dict[str, object]) -> list[Part]:
    parts = []
    for name, where in FIELD_WHERE.items():
        value = values.get(name)
        if not value:
            continue
        text = html_to_text(str(value)) if name == "body" else str(value)
        parts.append(Part(where, text))
    return parts


def _attachment_parts(
    attachments: list[Attachment],
) -> tuple[list[Part], list[HiddenPart], dict[str, list[str]]]:
    parts: list[Part] = []
    hidden: list[HiddenPart] = []
    names: dict[str, list[str]] = {"pending": [], "unreadable": [], "truncated": []}
    for attachment in attachments:
        if not attachment.extraction_known:
            names["pending"].append(attachment.original_name)
            continue
        if attachment.extraction_state == TextState.FAILED:
            names["unreadable"].append(attachment.original_name)
        if attachment.extraction_state == TextState.TRUNCATED:
            names["truncated"].append(attachment.original_name)
        parts.append(Part(attachment_where(attachment.original_name), attachment.visible_text))
        hidden.extend(
            HiddenPart(attachment=attachment.original_name, kind=p["kind"], where=p["where"], text=p["text"])
            for p in attachment.hidden_parts_list
        )
    return parts, hidden, names


def item_findings(item: Item) -> list[ReviewFinding]:
    """Warnings for an item under review: its fields and its own attachments (not a revision's)."""
    values = {name: getattr(item, name) for name in FIELD_WHERE}
    attachments = list(item.attachments.filter(revision__isnull=True).order_by("pk"))
    parts, hidden, names = _attachment_parts(attachments)
    return review_findings([*_field_parts(values), *parts], hidden, **names)


def revision_findings(revision: ItemRevision) -> list[ReviewFinding]:
    """Warnings for a revision: the fields it changes and the attachments it adds."""
    attachments = list(revision.attachments.order_by("pk"))
    parts, hidden, names = _attachment_parts(attachments)
    return review_findings([*_field_parts(revision.changes), *parts], hidden, **names)
