"""Public catalogue pages: browse, item page, print view, attachments, feeds."""

from django.contrib.syndication.views import Feed
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_safe

from gongkai.catalogue import history_selectors, selectors
from gongkai.catalogue.models import Category
from gongkai.catalogue.validity_mark import title_with_validity
from gongkai.core.params import int_param, year_param
from gongkai.core.views import attachment_response, paginate
from gongkai.organisation.models import Agency, Department
from gongkai.search.selectors import related_items


def _int_or_none(value: str | None) -> int | None:
    return int_param(value)


@require_safe
def item_list(request):
    """Browse by agency, category (with its children), department and year."""
    items = selectors.items_public()
    agencies = Agency.objects.filter(is_active=True)
    agency = agencies.filter(slug=request.GET.get("agency", "")).first()
    category = department = None
    if agency:
        items = items.filter(agency=agency)
        category_pk = _int_or_none(request.GET.get("category"))
        department_pk = _int_or_none(request.GET.get("department"))
        if category_pk is not None:
            category = Category.objects.filter(agency=agency, pk=category_pk).first()
        if department_pk is not None:
            department = Department.objects.filter(agency=agency, pk=department_pk).first()
    if category:
        items = items.filter(category__in=[category, *category.children.all()])
    if department:
        items = items.filter(department=department)
    years = selectors.public_years(items)
    year = year_param(request.GET.get("year"))
    if year:
        items = items.filter(published_at__year=year)
    context = {
        "page": paginate(request, items.order_by("-published_at", "-id")),
        "agencies": agencies,
        "agency": agency,
        "category": category,
        "department": department,
        "year": year,
        "years": years,
        "tree": selectors.category_tree(agency.pk) if agency else [],
        "departments": agency.departments.all() if agency else [],
    }
    return render(request, "catalogue/public/item_list.html", context)


def _private_if_internal(item, response):
    """Staff-only pages must never be kept by a shared cache in front of the portal."""
    if not item.is_public:
        add_never_cache_headers(response)
        patch_cache_control(response, private=True)
    return response


@require_safe
def item_detail(request, pk: int):
    item = selectors.item_for_viewer(request.user, pk)
    public_history = history_selectors.public_history(item)
    return _private_if_internal(
        item,
        render(
            request,
            "catalogue/public/item_detail.html",
            {
                "item": item,
                "attachments": selectors.live_attachments(item),
                "related": related_items(item) if item.is_public else [],
                "public_history": public_history,
                "updates": history_selectors.public_updates(public_history),
            },
        ),
    )


@require_safe
def item_print(request, pk: int):
    item = selectors.item_for_viewer(request.user, pk)
    return _private_if_internal(
        item,
        render(
            request,
            "catalogue/public/item_print.html",
            {
                "item": item,
                "attachments": selectors.live_attachments(item),
                "updates": history_selectors.public_updates(history_selectors.public_history(item)),
            },
        ),
    )


@require_safe
def attachment_download(request, item_pk: int, pk: int):
    attachment = selectors.attachment_for_viewer(request.user, item_pk, pk)
    response = attachment_response(attachment)
    # A file is streamed, so its validator is its recorded digest (conditional GET in core.cache_headers).
    response["ETag"] = f'"{attachment.sha256}"'
    return _private_if_internal(attachment.item, response)


class LatestItemsFeed(Feed):
    title = "最新公开的政府信息"
    link = "/items/"
    description = "本平台最近发布的主动公开政府信息"

    def items(self):
        return selectors.items_public().order_by("-published_at", "-id")[:50]

    def item_title(self, item):
        # A reader of the feed sees only the title: a repealed or expired rule says so there.
        return title_with_validity(item.title, item.validity, item.get_validity_display())

    def item_description(self, item):
        return item.summary or f"{item.publisher} {item.index_number}"

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.publisher

    def item_categories(self, item):
        return [item.category.name]


class LatestItemsAtomFeed(LatestItemsFeed):
    feed_type = Atom1Feed
    subtitle = LatestItemsFeed.description
