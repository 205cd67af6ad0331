"""sitemap.xml for the public portal: only public pages and public items.

Written directly rather than through the template-based sitemap framework:
a county platform lists tens of thousands of items and the template loop
cost more than half a second per request.
"""

from xml.sax.saxutils import escape

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from gongkai.catalogue.models import Item
from gongkai.organisation.models import Agency

PAGE_SIZE = 50000  # the sitemap protocol's limit per file
STATIC_PAGES = (
    ("portal:home", ()),
    ("catalogue:list", ()),
    ("portal:agencies", ()),
    ("portal:column", ("guide",)),
    ("portal:column", ("rules",)),
    ("portal:column", ("statutory",)),
    ("portal:column", ("annual-reports",)),
    ("portal:sitemap", ()),
)
# Each active agency's 政府信息公开专栏 and its generated 政府信息公开指南.
AGENCY_PAGES = ("portal:agency", "portal:guide")
HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n'
NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def _xml(body: str) -> HttpResponse:
    return HttpResponse(HEADER + body, content_type="application/xml; charset=utf-8")


@require_safe
def sitemap(request):
    base = request.build_absolute_uri("/").rstrip("/")
    items = Item.objects.public().order_by("-published_at", "-id")
    total = items.count()
    page_param = request.GET.get("p")
    if page_param is None and total > PAGE_SIZE:
        pages = range(1, (total + PAGE_SIZE - 1) // PAGE_SIZE + 1)
        entries = "".join(
            f"<sitemap><loc>{escape(base + reverse('sitemap'))}?p={n}</loc></sitemap>" for n in pages
        )
        return _xml(f"<sitemapindex {NS}>{entries}</sitemapindex>")
    try:
        page = int(page_param or 1)
    except ValueError:
        raise Http404 from None
    if page < 1 or (page - 1) * PAGE_SIZE >= max(total, 1):
        raise Http404
    lines: list[str] = []
    if page == 1:
        lines.extend(
            f"<url><loc>{escape(base + reverse(name, args=args))}</loc></url>" for name, args in STATIC_PAGES
        )
        lines.extend(
            f"<url><loc>{escape(base + reverse(name, args=[slug]))}</loc></url>"
            for slug in Agency.objects.filter(is_active=True).values_list("slug", flat=True)
            for name in AGENCY_PAGES
        )
    prefix = base + reverse("catalogue:list")
    rows = items.values_list("pk", "updated_at")[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    lines.extend(
        f"<url><loc>{prefix}{pk}/</loc><lastmod>{updated:%Y-%m-%d}</lastmod></url>" for pk, updated in rows
    )
    return _xml(f"<urlset {NS}>{''.join(lines)}</urlset>")
