"""Each agency's 政府信息公开专栏 (landing page with the standard columns), its generated
政府信息公开指南, and the human-readable 网站地图."""

from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_safe

from gongkai.catalogue import selectors
from gongkai.catalogue.models import Category, Column
from gongkai.organisation.guide import missing_guide_elements
from gongkai.organisation.models import Agency
from gongkai.organisation.permissions import is_staff_of
from gongkai.portal.guide import GuideLinks, build_guide
from gongkai.workdays.rules import rule_set

# The printable 政府信息公开申请表 and the 申请须知 (served by gongkai.applications, which takes the
# agency as ``?agency=<pk>``). Linked when these URL names exist; otherwise the guide and the 专栏
# offer the online form alone, never a dead link.
APPLICATION_FORM_URL_NAME = "applications:paper_form"
APPLICATION_NOTES_URL_NAME = "applications:instructions"
LATEST = 6


def _url_if_any(name: str, agency: Agency | None = None) -> str:
    try:
        url = reverse(name)
    except NoReverseMatch:
        return ""
    return f"{url}?agency={agency.pk}" if agency is not None else url


def printable_form_url(agency: Agency | None = None) -> str:
    return _url_if_any(APPLICATION_FORM_URL_NAME, agency)


def application_notes_url(agency: Agency | None = None) -> str:
    return _url_if_any(APPLICATION_NOTES_URL_NAME, agency)


def _agency(slug: str) -> Agency:
    agency = Agency.objects.filter(slug=slug, is_active=True).first()
    if agency is None:
        raise Http404("未找到该机关。")
    return agency


def _column_url(slug: str, agency: Agency) -> str:
    return reverse("portal:column", args=[slug]) + f"?agency={agency.slug}"


@require_safe
def agency_home(request, slug: str):
    agency = _agency(slug)
    columns = {
        column: list(selectors.agency_column_items(agency.pk, column)[:LATEST])
        for column in (Column.RULES, Column.ANNUAL_REPORT, Column.GUIDE)
    }
    return render(
        request,
        "portal/agency_home.html",
        {
            "agency": agency,
            "catalogue": selectors.statutory_catalogue(agency.pk),
            "rules_items": columns[Column.RULES],
            "report_items": columns[Column.ANNUAL_REPORT],
            "guide_items": columns[Column.GUIDE],
            "rules_url": _column_url("rules", agency),
            "reports_url": _column_url("annual-reports", agency),
            "statutory_url": _column_url("statutory", agency),
            "form_url": printable_form_url(agency),
            "notes_url": application_notes_url(agency),
        },
    )


@require_safe
def agency_guide(request, slug: str):
    agency = _agency(slug)
    links = GuideLinks(
        landing=reverse("portal:agency", args=[agency.slug]),
        apply=reverse("applications:apply"),
        status=reverse("applications:status"),
        form=printable_form_url(agency),
        notes=application_notes_url(agency),
    )
    guide = build_guide(agency, rule_set(agency.rule_set), links)
    # The agency's own staff see which settings the guide still lacks; nobody else does.
    missing = missing_guide_elements(agency) if is_staff_of(request.user, agency.pk) else []
    # (A signed-in visitor's page is never kept by a shared cache: core.cache_headers.)
    return render(
        request,
        "portal/guide.html",
        {
            "agency": agency,
            "guide": guide,
            "missing": missing,
            "documents": selectors.agency_column_items(agency.pk, Column.GUIDE)[:LATEST],
        },
    )


@require_safe
def sitemap_page(request):
    agencies = list(Agency.objects.filter(is_active=True))
    categories: dict[int, list[Category]] = {}
    for entry in (
        Category.objects.filter(
            agency__in=agencies, column=Column.STATUTORY, is_active=True, parent__isnull=False
        )
        .select_related("agency")
        .order_by("order", "id")
    ):
        categories.setdefault(entry.agency_id, []).append(entry)
    return render(
        request,
        "portal/sitemap.html",
        {
            "agencies": [(agency, categories.get(agency.pk, [])) for agency in agencies],
            "form_url": printable_form_url(),
            "notes_url": application_notes_url(),
        },
    )
