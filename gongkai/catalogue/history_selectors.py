"""Reads of the publication history (发布历史).

Staff of the owning agency see every version (callers get the item through
``selectors.staff_item``, which is a 404 for anyone else); the public sees only the dates of the
versions that were shown to society, on the page of an item that is public now.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from gongkai.catalogue.content import SNAPSHOT_FIELDS, content_of, field_changes, field_label, from_json
from gongkai.catalogue.models import Attachment, Item, ItemRevision, ItemVersion, VersionCause, VersionEnd
from gongkai.core.html import html_to_text
from gongkai.core.textdiff import Paragraph, Skipped, line_diff, paragraph_diff

# Free-text fields whose change is shown character by character (the body paragraph by paragraph).
TEXT_FIELDS = frozenset({"title", "summary", "publisher", "document_number", "validity_note"})


def item_versions(item: Item) -> QuerySet[ItemVersion]:
    """The item's versions, newest first, with who started and ended each."""
    return item.versions.select_related("published_by", "ended_by", "revision").order_by("-number")


def changed_labels(previous: ItemVersion | None, version: ItemVersion) -> list[str]:
    """The Chinese names of what ``version`` changed from ``previous`` (附件 for the files)."""
    if previous is None:
        return []
    old, new = previous.content, version.content
    labels = [field_label(name) for name in SNAPSHOT_FIELDS if old.get(name) != new.get(name)]
    if [entry["id"] for entry in previous.attachments] != [entry["id"] for entry in version.attachments]:
        labels.append("附件")
    return labels


def history_rows(item: Item) -> list[dict]:
    """``[{"version", "changed": changed_labels(...)}]``, newest first."""
    versions = list(item_versions(item))
    return [
        {"version": version, "changed": changed_labels(older, version)}
        for version, older in zip(versions, [*versions[1:], None], strict=True)
    ]


def item_version(item: Item, number: int) -> ItemVersion:
    try:
        return item_versions(item).get(number=number)
    except ItemVersion.DoesNotExist:
        raise Http404("未找到该版本。") from None


def version_as_item(version: ItemVersion) -> Item:
    """An unsaved Item holding the version's content, for the templates that show an item.
    Never saved: it has no primary key."""
    item = version.item
    return Item(
        agency_id=item.agency_id,
        created_by_id=item.created_by_id,
        status=item.status,
        **from_json(version.content),
    )


@dataclass(frozen=True)
class VersionChanges:
    """What a version changed from the one before it (``previous`` None: the first one)."""

    previous: ItemVersion | None
    fields: list[dict]  # field_changes rows, the body left out
    body: list[Paragraph | Skipped]  # paragraph_diff of the body's text
    added: list[dict]  # attachment entries of the version (see ItemVersion.attachments)
    removed: list[dict]


def diffed_fields(before: Item, values: dict) -> list[dict]:
    """``field_changes`` rows for ``values`` other than the body, each with ``runs``: the
    character diff of a free-text field (名称, 内容概述, 文号 …), None for the others."""
    rows = field_changes(before, {name: value for name, value in values.items() if name != "body"})
    for row in rows:
        text = row["name"] in TEXT_FIELDS
        row["runs"] = line_diff(str(row["old"] or ""), str(row["new"] or "")) if text else None
    return rows


def body_diff(before: Item, body: str | None) -> list[Paragraph | Skipped]:
    """What a new body changes in the text a reader sees of ``before``'s ([] if nothing)."""
    if body is None:
        return []
    return paragraph_diff(html_to_text(before.body), html_to_text(body))


def version_changes(version: ItemVersion) -> VersionChanges:
    previous = version.item.versions.filter(number__lt=version.number).order_by("-number").first()
    if previous is None:
        return VersionChanges(None, [], [], [], [])
    before, after = version_as_item(previous), version_as_item(version)
    values = {
        name: value
        for name, value in content_of(after, SNAPSHOT_FIELDS).items()
        if getattr(before, name) != value
    }
    old_ids = {entry["id"] for entry in previous.attachments}
    new_ids = {entry["id"] for entry in version.attachments}
    return VersionChanges(
        previous=previous,
        fields=diffed_fields(before, values),
        body=body_diff(before, values.get("body")),
        added=[entry for entry in version.attachments if entry["id"] not in old_ids],
        removed=[entry for entry in previous.attachments if entry["id"] not in new_ids],
    )


def content_before(revision: ItemRevision) -> Item | None:
    """What the page showed just before ``revision`` took effect; None if it has not (or the
    history does not go back that far)."""
    version = revision.item.versions.filter(revision=revision).first()
    if version is None:
        return None
    previous = revision.item.versions.filter(number__lt=version.number).order_by("-number").first()
    return version_as_item(previous) if previous else None


@dataclass(frozen=True)
class RevisionChanges:
    """What a revision changes, for its reviewers: against the live item while it is pending,
    against what the page showed before it once it has taken effect."""

    fields: list[dict]  # diffed_fields rows
    body: list[Paragraph | Skipped]  # paragraph_diff of the body's text
    body_changed: bool  # the body changes, if only in its formatting when ``body`` is []


def revision_changes(revision: ItemRevision) -> RevisionChanges:
    before = content_before(revision) or revision.item
    values = from_json(revision.changes)
    body = values.get("body")
    return RevisionChanges(
        diffed_fields(before, values), body_diff(before, body), body is not None and body != before.body
    )


def version_files(item: Item, version: ItemVersion) -> list[dict]:
    """The version's attachment entries, each with ``attachment``: the stored file (None if gone)."""
    stored = Attachment.objects.filter(item=item).in_bulk([entry["id"] for entry in version.attachments])
    return [{**entry, "attachment": stored.get(entry["id"])} for entry in version.attachments]


def day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The first moment of the Beijing day and of the next."""

    def midnight(of: datetime.date) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(of, datetime.time.min))

    return midnight(day), midnight(day + datetime.timedelta(days=1))


@dataclass(frozen=True)
class SeenOn:
    """What the item's page showed on one Beijing day.

    ``versions``: live at some moment of the day, oldest first (several when it changed that day).
    When none: ``withdrawn`` is the version withdrawn before the day, ``first`` the first version
    if it came later (both None: never published).
    """

    day: datetime.date
    versions: list[ItemVersion]
    withdrawn: ItemVersion | None = None
    first: ItemVersion | None = None

    @property
    def public(self) -> bool:
        return any(version.is_public for version in self.versions)


def seen_on(item: Item, day: datetime.date) -> SeenOn:
    start, end = day_bounds(day)
    versions = list(
        item.versions.select_related("published_by")
        .filter(published_from__lt=end)
        .filter(Q(published_until__isnull=True) | Q(published_until__gt=start))
        .order_by("number")
    )
    if versions:
        return SeenOn(day, versions)
    earlier = item.versions.filter(published_from__lt=start).order_by("-number").first()
    if earlier is not None and earlier.end == VersionEnd.WITHDRAWN:
        return SeenOn(day, [], withdrawn=earlier)
    return SeenOn(day, [], first=item.versions.filter(published_from__gte=end).order_by("number").first())


def public_history(item: Item) -> list[ItemVersion]:
    """The dates of what society saw of a public item, oldest first; [] for any other item.

    Only versions shown to society, and only their dates and why they began: never their content
    (the live page is the authoritative text), never revisions that were not applied.
    """
    if not item.is_public:
        return []
    shown = item.versions.filter(is_public=True).only("number", "cause", "published_from")
    return list(shown.order_by("number"))


@dataclass(frozen=True)
class PublicUpdates:
    """What the public page says of later changes (both None: unchanged since it was published).

    ``updated``: the newest public version after the first (its start is the 更新日期);
    ``revised``: the newest one a revision put live (本信息已于…修订)."""

    updated: ItemVersion | None
    revised: ItemVersion | None


def public_updates(history: list[ItemVersion]) -> PublicUpdates:
    """From ``public_history(item)``, oldest first."""
    later = history[1:]
    revised = [version for version in later if version.cause == VersionCause.REVISED]
    return PublicUpdates(later[-1] if later else None, revised[-1] if revised else None)
