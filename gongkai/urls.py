from django.contrib import admin
from django.urls import include, path

from gongkai.api.v1 import api
from gongkai.catalogue.views.public import LatestItemsAtomFeed, LatestItemsFeed
from gongkai.core import health
from gongkai.portal.sitemaps import sitemap

handler400 = "gongkai.core.views.bad_request"
handler500 = "gongkai.core.views.server_error"

admin.site.site_header = "政务公开平台 · 系统设置"
admin.site.site_title = "政务公开平台"

urlpatterns = [
    path("", include("gongkai.portal.urls")),
    path("items/", include("gongkai.catalogue.urls")),
    path("search/", include("gongkai.search.urls")),
    path("annual-reports/", include("gongkai.reports.urls")),
    path("feeds/items.rss", LatestItemsFeed(), name="feed_rss"),
    path("feeds/items.atom", LatestItemsAtomFeed(), name="feed_atom"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("staff/", include("gongkai.workbench.urls")),
    path("staff/security/", include("gongkai.twofactor.urls")),
    path("staff/audit/", include("gongkai.audit.urls_staff")),
    path("staff/items/", include("gongkai.catalogue.urls_staff")),
    path("staff/calendar/", include("gongkai.workdays.urls")),
    path("staff/search/", include("gongkai.search.urls_staff")),
    path("staff/applications/", include("gongkai.applications.urls_staff")),
    path("staff/reports/", include("gongkai.reports.urls_staff")),
    path("apply/", include("gongkai.applications.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    # For the load balancer and the monitoring (README, "Health checks").
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]
