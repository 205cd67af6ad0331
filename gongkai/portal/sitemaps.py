from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from gongkai.catalogue import selectors


class ItemSitemap(Sitemap):
    changefreq = "monthly"
    limit = 5000

    def items(self):
        return selectors.items_public().order_by("-published_at", "-id")

    def lastmod(self, item):
        return item.updated_at


class StaticSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return [
            "portal:home",
            "catalogue:list",
            "portal:agencies",
            *[("portal:column", slug) for slug in ("guide", "rules", "statutory", "annual-reports")],
        ]

    def location(self, item):
        if isinstance(item, tuple):
            return reverse(item[0], args=[item[1]])
        return reverse(item)
