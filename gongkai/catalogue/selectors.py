"""Reads of the catalogue, each scoped to what the viewer may see."""

from dataclasses import dataclass

from django.db.models import Count, Max, Min, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from gongkai.catalogue.article20 import basis_label
from gongkai.catalogue.models import Attachment, Category, Column, Item, ItemRevision, Scope
from gongkai.catalogue.workflow import ITEM_WORKFLOW, REVISION_WORKFLOW
from gongkai.core.roles import Role
from gongkai.core.tasks import waiting_filter
from gongkai.organisation.permissions import is_staff_of
from gongkai.search.text import normalise, traditional


def items_public() -> QuerySet[Item]:
    """Public items for listings (the body is left out: lists never show it)."""
    return Item.objects.public().select_related("agency", "department", "category").defer("body")


def items_visible_to(user) -> QuerySet[Item]:
    """Public items, plus the internal items of the viewer's own agency for its staff."""
    condition = Q(pk__in=Item.objects.public().values("pk"))
    if getattr(user, "is_agency_staff", False):
        condition |= Q(pk__in=Item.objects.internal_published(user.agency_id).values("pk"))
    return Item.objects.filter(condition).select_related("agency", "department", "category")


def item_for_viewer(user, pk: int) -> Item:
    """The live page of an item: public, or internal and the viewer is its agency's staff."""
    try:
        item = Item.objects.select_related("agency", "department", "category__parent").get(pk=pk)
    except Item.DoesNotExist:
        raise Http404("未找到该信息。") from None
    if item.is_public:
        return item
    if item.is_live and item.scope == Scope.INTERNAL and is_staff_of(user, item.agency_id):
        return item
    raise Http404("未找到该信息。")


def in_column(queryset: QuerySet[Item], column: str) -> QuerySet[Item]:
    """Items whose category belongs to one of the portal's standard columns."""
    ids = list(Category.objects.filter(column=column).values_list("pk", flat=True))
    return queryset.filter(category_id__in=ids)


def live_attachments(item: Item) -> QuerySet[Attachment]:
    return item.attachments.filter(revision__isnull=True)


def attachment_for_viewer(user, item_pk: int, pk: int) -> Attachment:
    item = item_for_viewer(user, item_pk)
    try:
        return live_attachments(item).get(pk=pk)
    except Attachment.DoesNotExist:
        raise Http404("未找到该附件。") from None


def items_for_staff(user) -> QuerySet[Item]:
    return Item.objects.filter(agency_id=user.agency_id).select_related(
        "department", "category", "created_by"
    )


def staff_item(user, pk: int) -> Item:
    """Any item of the viewer's own agency; other agencies' items do not exist for them."""
    try:
        return items_for_staff(user).select_related("agency").get(pk=pk)
    except Item.DoesNotExist:
        raise Http404("未找到该信息。") from None


def item_tasks(user) -> QuerySet[Item]:
    return items_for_staff(user).filter(waiting_filter(ITEM_WORKFLOW, user)).order_by("updated_at")


def revision_tasks(user) -> QuerySet[ItemRevision]:
    return (
        ItemRevision.objects.filter(item__agency_id=user.agency_id)
        .filter(waiting_filter(REVISION_WORKFLOW, user, department_field="item__department_id"))
        .select_related("item", "created_by")
        .order_by("updated_at")
    )


def status_counts(user) -> dict[str, int]:
    rows = items_for_staff(user).values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}


def internal_items(user) -> QuerySet[Item]:
    return Item.objects.internal_published(user.agency_id).select_related("department", "category")


def category_tree(agency_id: int) -> list[Category]:
    """Top-level categories with their children prefetched, in display order."""
    return list(
        Category.objects.filter(agency_id=agency_id, parent=None, is_active=True)
        .prefetch_related("children")
        .order_by("order", "id")
    )


def public_years(queryset: QuerySet[Item]) -> list[int]:
    """Years with at least one item, newest first: a few indexed look-ups, not a scan."""
    bounds = queryset.aggregate(first=Min("published_at"), last=Max("published_at"))
    if bounds["first"] is None:
        return []
    first = timezone.localtime(bounds["first"]).year
    last = timezone.localtime(bounds["last"]).year
    return [year for year in range(last, first - 1, -1) if queryset.filter(published_at__year=year).exists()]


def role_can(user, role: Role) -> bool:
    return user.is_authenticated and user.has_role(role)


def staff_search(items: QuerySet[Item], q: str) -> QuerySet[Item]:
    """Staff search over their own agency's items in every state: title, index number, text.

    Matches the words as typed, in Simplified and in Traditional form, so both kinds of drafts are found.
    """
    condition = Q()
    for term in {q, normalise(q), traditional(q)}:
        condition |= (
            Q(title__icontains=term)
            | Q(index_number__icontains=term)
            | Q(document_number__icontains=term)
            | Q(summary__icontains=term)
            | Q(body__icontains=term)
        )
    return items.filter(condition)


@dataclass(frozen=True)
class CatalogueEntry:
    """One category of the 法定主动公开内容 sub-catalogue with its count of public items."""

    category: Category
    count: int  # public items in the category and its children (what its list page shows)
    basis: str  # “第二十条第（一）项”, or “” when the category is not one of article 20's

    @property
    def url(self) -> str:
        return self.category.get_absolute_url()


def statutory_catalogue(agency_id: int) -> list[CatalogueEntry]:
    """The agency's 法定主动公开内容 sub-catalogue: each category under the column, in display order.

    Only public items are counted (published to society as proactive disclosure): drafts, items in
    review, withdrawn and internal-scope items are not. Two queries, whatever the tree's size.
    """
    categories = list(
        Category.objects.filter(agency_id=agency_id, column=Column.STATUTORY, is_active=True)
        .select_related("agency")
        .order_by("order", "id")
    )
    counts = dict(
        Item.objects.public()
        .filter(agency_id=agency_id, category__column=Column.STATUTORY)
        .order_by()
        .values_list("category_id")
        .annotate(n=Count("pk"))
        .values_list("category_id", "n")
    )
    children: dict[int, list[int]] = {}
    for c in categories:
        if c.parent_id is not None:
            children.setdefault(c.parent_id, []).append(c.pk)
    by_pk = {c.pk: c for c in categories}

    def entry(c: Category) -> CatalogueEntry:
        count = counts.get(c.pk, 0) + sum(counts.get(k, 0) for k in children.get(c.pk, []))
        return CatalogueEntry(category=c, count=count, basis=basis_label(c.name))

    entries = []
    for root in (c for c in categories if c.parent_id is None or c.parent_id not in by_pk):
        kids = [by_pk[k] for k in children.get(root.pk, [])]
        # A top category is shown through its children (the sub-catalogue), or as itself when it
        # has none (an agency's flat tree, or a top category it added to the column).
        entries.extend([entry(k) for k in kids] if kids else [entry(root)])
    return entries


def agency_column_items(agency_id: int, column: str) -> QuerySet[Item]:
    """An agency's public items in one standard column, newest first."""
    return (
        items_public().filter(agency_id=agency_id, category__column=column).order_by("-published_at", "-id")
    )
