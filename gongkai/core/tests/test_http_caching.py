"""HTTP caching that cannot leak (issue 19, point 1).

Anonymous public pages, feeds, the sitemap, public annual reports and public attachments carry
``Cache-Control: public, max-age=GONGKAI_PUBLIC_MAX_AGE`` with a validator and answer conditional
GETs with a bodiless 304; they set no cookie. Anything a signed-in user sees, anything that sets a
cookie (a form's CSRF token) and the internal items are ``private, no-store`` with ``Vary: Cookie``.
"""

import pytest
from django.conf import settings as django_settings
from django.test import Client, override_settings

from gongkai.catalogue import services as catalogue_services
from gongkai.catalogue.workflow import Action
from gongkai.core.cache_headers import PUBLIC_FILE_ROUTES, PUBLIC_ROUTES
from gongkai.core.tests.test_response_headers import (
    cache_directives,
    crawl,
    named_routes,
    not_shared_cacheable,
    signed_in,
)
from gongkai.testing import builders
from gongkai.testing.files import pdf_upload
from gongkai.testing.fixtures import built_once
from gongkai.testing.world import Team

# Public routes the anonymous crawl below must reach (the rest are checked when it does).
MUST_REACH = {
    "portal:home",
    "portal:agencies",
    "portal:column",
    "portal:agency",
    "portal:guide",
    "portal:sitemap",
    "catalogue:list",
    "catalogue:detail",
    "catalogue:attachment",
    "search:search",
    "feed_rss",
    "sitemap",
    "reports:version",
    "reports:download",
}


def max_age(response) -> int | None:
    for part in response.headers.get("Cache-Control", "").split(","):
        name, _, value = part.strip().partition("=")
        if name.lower() == "max-age":
            return int(value)
    return None


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    storages = {**django_settings.STORAGES, "staticfiles": static}
    media = tmp_path_factory.mktemp("media")
    with built_once(django_db_blocker, media, STORAGES=storages):
        team = Team()
        public = team.draft("关于城乡低保资金发放情况的公告")
        catalogue_services.attachment_add(actor=team.clerk, item=public, upload=pdf_upload("发放明细.pdf"))
        public = team.advance(public, to="published")
        internal = team.draft("本机关内部公开的工作安排", scope="internal")
        catalogue_services.attachment_add(actor=team.clerk, item=internal, upload=pdf_upload("内部.pdf"))
        internal = team.advance(internal, to="published")
        report = builders.advance_report(team, builders.new_report(team, 2025), to="published")
        seeds = ["/", "/search/suggest/?q=低保", f"/annual-reports/{report.agency.slug}/{report.year}/v1/"]
        seeds += [f"/items/{public.pk}/attachments/{public.attachments.get().pk}/"]
        yield {
            "media": media,
            "team": team,
            "public": public,
            "internal": internal,
            "crawl": crawl(Client(), seeds),
        }


@pytest.fixture
def site(world, db, settings):
    settings.MEDIA_ROOT = world["media"]  # the files the module's world uploaded
    return world


def public_pages(site):
    return [p for p in site["crawl"].pages if p.route in PUBLIC_ROUTES | PUBLIC_FILE_ROUTES]


def test_anonymous_public_pages_are_cacheable_for_the_configured_time_with_a_validator(site):
    pages = [p for p in public_pages(site) if p.response.status_code == 200]
    assert {p.route for p in pages} >= MUST_REACH
    for page in pages:
        response = page.response
        assert "public" in cache_directives(response), page.url
        assert not cache_directives(response) & {"private", "no-store", "no-cache"}, page.url
        assert max_age(response) == django_settings.GONGKAI_PUBLIC_MAX_AGE, page.url
        assert response.has_header("ETag") or response.has_header("Last-Modified"), page.url


def test_anonymous_public_pages_set_no_cookie(site):
    """A shared cache must never store a Set-Cookie: no session, no CSRF token on public pages."""
    for page in public_pages(site):
        assert not page.response.cookies, (page.url, list(page.response.cookies))
        assert "Set-Cookie" not in page.response.headers, page.url


def test_conditional_get_answers_304_without_a_body(site):
    pages = [p for p in public_pages(site) if p.response.status_code == 200]
    for page in pages:
        # A fresh visitor: the crawl's client chose the large-text display mode (a cookie) on the way.
        client = Client()
        first = client.get(page.url)
        assert first.status_code == 200, page.url
        if first.has_header("ETag"):
            again = client.get(page.url, HTTP_IF_NONE_MATCH=first["ETag"])
            assert again.status_code == 304, page.url
            assert body(again) == b"", page.url
            assert again["ETag"] == first["ETag"], page.url
            assert "public" in cache_directives(again), page.url
            changed = client.get(page.url, HTTP_IF_NONE_MATCH='"something-else"')
            assert changed.status_code == 200, page.url
        if first.has_header("Last-Modified"):
            again = client.get(page.url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
            assert again.status_code == 304, page.url


def test_public_pages_vary_on_cookie(site):
    """The display mode is a cookie: a cache must not hand one visitor's large-text page to all."""
    for page in public_pages(site):
        assert "cookie" in page.response.headers.get("Vary", "").lower(), page.url
    plain = Client().get("/")
    large = Client()
    large.cookies["display"] = "large"
    assert large.get("/")["ETag"] != plain["ETag"]


@pytest.mark.django_db
def test_max_age_is_configurable(client):
    with override_settings(GONGKAI_PUBLIC_MAX_AGE=17):
        response = client.get("/")
    assert response.status_code == 200
    assert max_age(response) == 17
    assert "public" in cache_directives(response)


def test_signed_in_staff_never_get_a_public_page(site):
    staff = signed_in(site["team"].office)
    for page in public_pages(site):
        response = staff.get(page.url)
        assert not not_shared_cacheable(response), page.url
        assert "public" not in cache_directives(response), page.url


def test_internal_item_and_attachment_private_for_staff_not_found_for_visitors(site):
    internal = site["internal"]
    attachment = internal.attachments.get()
    staff = signed_in(site["team"].clerk)
    for url in (f"/items/{internal.pk}/", f"/items/{internal.pk}/attachments/{attachment.pk}/"):
        response = staff.get(url)
        assert response.status_code == 200, url
        assert not not_shared_cacheable(response), url
        # Even with a validator the staff's copy is never answered as public.
        assert "public" not in cache_directives(response), url
        anonymous = Client().get(url)
        assert anonymous.status_code == 404, url
        # A withdrawn or internal item's 404 is cached no longer than a public page.
        assert (max_age(anonymous) or 0) <= django_settings.GONGKAI_PUBLIC_MAX_AGE, url
        assert not anonymous.cookies, url


def test_public_attachment_public_for_visitors_private_for_staff(site):
    public = site["public"]
    url = f"/items/{public.pk}/attachments/{public.attachments.get().pk}/"
    response = Client().get(url)
    assert response.status_code == 200
    assert "public" in cache_directives(response)
    assert max_age(response) == django_settings.GONGKAI_ATTACHMENT_MAX_AGE
    assert Client().get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    assert not not_shared_cacheable(signed_in(site["team"].clerk).get(url))


@pytest.mark.django_db
def test_pages_with_a_post_form_are_private_not_public(client):
    """The request form needs a CSRF token (a cookie): that visitor's own, so never shared."""
    response = client.get("/apply/")
    assert response.status_code == 200
    assert not not_shared_cacheable(response)
    assert "public" not in cache_directives(response)


def test_withdrawn_item_answers_a_short_lived_404(site):
    """Once withdrawn, the page and its files are 404, cacheable no longer than the page was; a
    cache may serve the old page for at most GONGKAI_PUBLIC_MAX_AGE seconds (README, micro-cache)."""
    item = site["public"]
    urls = [f"/items/{item.pk}/", f"/items/{item.pk}/attachments/{item.attachments.get().pk}/"]
    for url in urls:
        assert Client().get(url).status_code == 200, url
    catalogue_services.item_transition(
        actor=site["team"].office, item=item, action=Action.WITHDRAW, reason="误发"
    )
    for url in urls:
        response = Client().get(url)
        assert response.status_code == 404, url
        assert (max_age(response) or 0) <= django_settings.GONGKAI_PUBLIC_MAX_AGE, url
        assert not response.has_header("ETag"), url
        assert not response.cookies, url


def test_public_route_names_exist():
    """A renamed URL would silently drop out of the public-cacheable list."""
    missing = (PUBLIC_ROUTES | PUBLIC_FILE_ROUTES) - named_routes()
    assert not missing, missing
