"""The public 政务公开专栏: home page, the standard columns, display modes."""

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_safe

from gongkai.catalogue import selectors
from gongkai.catalogue.models import Column
from gongkai.core.views import paginate
from gongkai.organisation.models import Agency

COLUMN_SLUGS = {
    "guide": Column.GUIDE,
    "rules": Column.RULES,
    "statutory": Column.STATUTORY,
    "annual-reports": Column.ANNUAL_REPORT,
}


@require_safe
def home(request):
    public = selectors.items_public()
    columns = [
        {
            "slug": slug,
            "label": column.label,
            "items": list(selectors.in_column(public, column).order_by("-published_at", "-id")[:6]),
        }
        for slug, column in COLUMN_SLUGS.items()
    ]
    return render(
        request,
        "portal/home.html",
        {
            "columns": columns,
            "latest": list(public.order_by("-published_at", "-id")[:10]),
            "agencies": Agency.objects.filter(is_active=True),
        },
    )


@require_safe
def column(request, slug: str):
    if slug not in COLUMN_SLUGS:
        raise Http404("未找到该栏目。")
    col = COLUMN_SLUGS[slug]
    items = selectors.in_column(selectors.items_public(), col).order_by("-published_at", "-id")
    agencies = Agency.objects.filter(is_active=True)
    agency = agencies.filter(slug=request.GET.get("agency", "")).first()
    if agency:
        items = items.filter(agency=agency)
    return render(
        request,
        "portal/column.html",
        {
            "slug": slug,
            "column": col,
            "page": paginate(request, items),
            "agencies": agencies,
            "agency": agency,
            "tree": selectors.category_tree(agency.pk) if agency and col == Column.STATUTORY else [],
        },
    )


@require_safe
def not_yet_open(request, feature: str):
    titles = {"complaints": "投诉举报"}

    if feature == "apply":  # online application is open now; keep old links working
        return HttpResponseRedirect(reverse("applications:apply"))
    if feature not in titles:
        raise Http404
    return render(request, "portal/not_yet_open.html", {"title": titles[feature]}, status=200)


@require_safe
def agency_list(request):
    return render(request, "portal/agency_list.html", {"agencies": Agency.objects.filter(is_active=True)})


@require_safe
def display_mode(request):
    """Switch large-type, high-contrast reading on or off (a cookie; no JavaScript needed)."""
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = HttpResponseRedirect(target)
    if request.GET.get("mode") == "large":
        response.set_cookie("display", "large", max_age=365 * 24 * 3600, samesite="Lax")
    else:
        response.delete_cookie("display")
    return response
