"""The search page of the portal: /search/?q=…"""

from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from gongkai.catalogue.models import Category, Genre, Validity
from gongkai.organisation.models import Agency, Department
from gongkai.search.expand import hint_terms
from gongkai.search.selectors import NotUTF8Database, search_public, suggestions

FILTERS = ("agency", "category", "department", "year", "validity", "genre")
MAX_INT = 2**31 - 1  # no id, year or page of ours is larger: such values are ignored, never queried


def _int(value: str | None) -> int | None:
    try:
        number = int(value) if value else None
    except ValueError:
        return None
    return number if number is not None and abs(number) <= MAX_INT else None


def _text(params, name: str) -> str:
    """A text parameter as the database may see it: PostgreSQL refuses NUL characters outright."""
    value = params.get(name) or ""
    return "" if "\x00" in value or len(value) > 200 else value


def public_filters(params) -> dict[str, object]:
    """Filters from the query string; unknown values are ignored rather than failing."""
    agency = Agency.objects.filter(slug=_text(params, "agency"), is_active=True).first()
    filters: dict[str, object] = {"agency_id": agency.pk if agency else None}
    category_pk = _int(params.get("category"))
    category = Category.objects.filter(pk=category_pk).first() if category_pk is not None else None
    if category:
        filters["category_id"] = [category.pk, *category.children.values_list("pk", flat=True)]
    department_pk = _int(params.get("department"))
    department = Department.objects.filter(pk=department_pk).first() if department_pk is not None else None
    filters["department_id"] = department.pk if department else None
    filters["year"] = _int(params.get("year"))
    filters["validity"] = params.get("validity") if params.get("validity") in Validity.values else None
    filters["genre"] = params.get("genre") if params.get("genre") in Genre.values else None
    return filters


@require_safe
def search(request):
    raw = request.GET.get("q", "")
    sort = "relevance" if request.GET.get("sort") == "relevance" else "date"
    filters = public_filters(request.GET)
    context = {"q": raw, "sort": sort, "results": None, "error": None}
    if raw.strip():
        try:
            page = _int(request.GET.get("page")) or 1
            results = search_public(raw, filters=filters, sort=sort, page=page, split_words=True)
        except NotUTF8Database as exc:
            context["error"] = str(exc)
        else:
            context["results"] = results
            if not results.hits and not results.query.error:
                context["hint_terms"] = hint_terms(raw, results.searched)
            context["error"] = results.query.error
            context["facets"] = _labelled_facets(results.facets)
    context["active"] = {k: _text(request.GET, k) for k in FILTERS}
    if context.get("facets"):
        _link_facets(context["facets"], raw, sort, context["active"])
    context["related_categories"] = (
        Category.objects.filter(parent__isnull=False, is_active=True)
        .values_list("name", flat=True)
        .distinct()[:12]
    )
    return render(request, "search/search.html", context)


def _labelled_facets(facets: dict[str, list[tuple[object, int]]]) -> dict[str, list[dict]]:
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in=[v for v, _ in facets.get("agency_id", [])])}
    categories = {
        c.pk: c
        for c in Category.objects.select_related("agency").filter(
            pk__in=[v for v, _ in facets.get("category_id", [])]
        )
    }
    # Each agency has its own tree: name the agency when results span several.
    several = len({c.agency_id for c in categories.values()}) > 1

    def category_label(category: Category) -> str:
        return f"{category.agency.short_name} · {category.name}" if several else category.name

    departments = {
        d.pk: d
        for d in Department.objects.select_related("agency").filter(
            pk__in=[v for v, _ in facets.get("department_id", []) if v]
        )
    }
    # Keyed by object: facet values are read from the index untyped.
    validity: dict[object, str] = dict(Validity.choices)
    genres: dict[object, str] = dict(Genre.choices)
    return {
        "agency": [
            {"value": agencies[v].slug, "label": agencies[v].name, "n": n}
            for v, n in facets.get("agency_id", [])
            if v in agencies
        ],
        "category": [
            {"value": v, "label": category_label(categories[v]), "n": n}
            for v, n in facets.get("category_id", [])
            if v in categories
        ],
        "department": [
            {"value": v, "label": f"{departments[v].agency.short_name} · {departments[v].name}", "n": n}
            for v, n in facets.get("department_id", [])
            if v in departments
        ],
        "year": [
            {"value": v, "label": f"{v}年", "n": n} for v, n in sorted(facets.get("year", []), reverse=True)
        ],
        "validity": [
            {"value": v, "label": validity.get(v, v), "n": n} for v, n in facets.get("validity", [])
        ],
        "genre": [{"value": v, "label": genres.get(v, v), "n": n} for v, n in facets.get("genre", [])],
    }


def _link_facets(facets: dict[str, list[dict]], q: str, sort: str, active: dict[str, str]) -> None:
    """Each facet value's link: the same query, sort and other filters, from the first page."""
    kept = {"q": q, "sort": sort, **{name: value for name, value in active.items() if value}}
    for name, values in facets.items():
        for facet in values:
            facet["url"] = "?" + urlencode({**kept, name: facet["value"]})


@require_safe
def suggest(request):
    """JSON suggestions for the search box (the page works without them)."""
    try:
        titles = suggestions(request.GET.get("q", "")[:50])
    except NotUTF8Database:
        titles = []
    response = JsonResponse({"suggestions": titles}, json_dumps_params={"ensure_ascii": False})
    patch_cache_control(response, public=True, max_age=60)
    return response
