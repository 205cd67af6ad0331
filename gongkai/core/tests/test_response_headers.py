"""Response headers (issue 11, point 5): a strict Content-Security-Policy and no inline code on every
HTML page, HSTS when the site is HTTPS-only, Permissions-Policy and Referrer-Policy, and no
response rendered for a signed-in user ever cacheable by a shared cache.

The pages are found by crawling, as a visitor, as office staff and as the system administrator,
from the home page, the workbench and the admin, following every same-site link and redirect; a
test then checks that every named URL of the site was reached (or is listed below with why not), so
a page added later is checked too.
"""

import datetime
import re
import runpy
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.conf import settings as django_settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.utils import timezone

from gongkai.applications import identity, services
from gongkai.applications.workflow import Action
from gongkai.catalogue import services as catalogue_services
from gongkai.core.roles import Role
from gongkai.search.models import SynonymGroup
from gongkai.testing import builders
from gongkai.testing.factories import staff
from gongkai.testing.files import pdf_upload
from gongkai.testing.fixtures import built_once
from gongkai.testing.world import Team, superuser

PHONE = "13812345678"

# Named URLs no GET crawl reaches, and why; each is still covered by a POST test below or elsewhere.
NOT_CRAWLED = {
    "workbench:logout": "POST only (sign-out form)",
    "catalogue_staff:action": "POST only",
    "catalogue_staff:validity": "POST only",
    "catalogue_staff:attachment_upload": "POST only",
    "catalogue_staff:attachment_delete": "POST only",
    "catalogue_staff:revision_attachment_upload": "POST only",
    "catalogue_staff:revision_action": "POST only",
    "applications_staff:action": "POST only",
    "applications_staff:reply": "POST only",
    "applications_staff:operate": "POST only",
    "applications_staff:extension_decide": "POST only",
    "applications_staff:appeal": "POST only",
    "applications_staff:unmask": "POST only",
    "applications_staff:notice_delivered": "POST only",
    "applications_staff:notice_failed": "POST only",
    "applications_staff:reply_attachment_add": "POST only",
    "applications_staff:reply_attachment_remove": "POST only",
    "applications_staff:reply_attachment": "a file, only once a reply attachment is uploaded (test_access)",
    "applications:notice_pdf": "a letter for the applicant, only after code + phone tail (test_status_page)",
    "search_staff:synonym_delete": "POST only",
    "api-v1:request_submit": "POST only (JSON API)",
    "twofactor:reset": "POST only (an officer resets an account's authenticator)",
    "applications:satisfaction": "POST only (the status page's satisfaction form)",
    "reports_staff:create": "POST only (the report list's create form)",
    "reports_staff:action": "POST only",
}
# Never followed: it would end the crawling session.
DO_NOT_FOLLOW = {"workbench:logout", "admin:logout"}
# Distinct URLs fetched per named URL: other pages and filters add nothing new; the case and item
# pages differ by state (each state offers its own forms), so all of those are fetched.
PER_ROUTE = 2
PER_ROUTE_OVERRIDE = {"applications_staff:detail": 12, "catalogue_staff:detail": 10, "catalogue:detail": 6}
PER_ROUTE_OVERRIDE["applications_staff:queue"] = 8  # each queue once
MAX_PAGES = 600
# <script> types a browser never runs: data blocks (ninja's Swagger page passes its settings so).
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "background"}


# -- the checks ------------------------------------------------------------------------------------


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def csp_problems(response) -> list[str]:
    """What is missing or too loose in the response's Content-Security-Policy."""
    header = response.headers.get("Content-Security-Policy")
    if not header:
        return ["no Content-Security-Policy header"]
    d = csp_directives(header)
    problems = []
    expected = {
        "default-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
    for name, value in expected.items():
        if d.get(name) != value:
            problems.append(f"{name} is {d.get(name)}, expected {value}")
    for name in ("script-src", "style-src"):
        sources = d.get(name, d["default-src"])
        loose = {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:", "http:", "https:"}
        if set(sources) & loose or any("://" in s for s in sources):
            problems.append(f"{name} allows {sources}")
    return problems


def inline_code(html: str) -> list[str]:
    """Inline script, event handler attributes, javascript: URLs, style attributes and elements."""
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for script in soup.find_all("script"):
        if script.get("src") or (script.get("type") or "").strip().lower() in DATA_SCRIPT_TYPES:
            continue
        found.append(f"inline script: {str(script)[:80]}")
    for element in soup.find_all("style"):
        found.append(f"style element: {str(element)[:80]}")
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if name.startswith("on"):
                found.append(f"event handler {name}= on <{tag.name}>")
            elif name == "style":
                found.append(f"style attribute on <{tag.name}>: {text[:40]}")
            elif name in URL_ATTRIBUTES and re.sub(r"[\s\x00-\x1f]", "", text).lower().startswith(
                "javascript:"
            ):
                found.append(f"javascript: URL in {name}= on <{tag.name}>")
    return found


def is_html(response) -> bool:
    return response.headers.get("Content-Type", "").startswith("text/html")


def cache_directives(response) -> set[str]:
    value = response.headers.get("Cache-Control", "")
    return {part.strip().split("=")[0].lower() for part in value.split(",") if part.strip()}


def not_shared_cacheable(response) -> list[str]:
    problems = []
    directives = cache_directives(response)
    if not {"private", "no-store"} <= directives:
        problems.append(f"Cache-Control is {response.headers.get('Cache-Control')!r}")
    if "public" in directives:
        problems.append("Cache-Control says public")
    if "cookie" not in response.headers.get("Vary", "").lower():
        problems.append(f"Vary is {response.headers.get('Vary')!r}")
    return problems


# -- the crawler -------------------------------------------------------------------------------------


@dataclass
class Fetched:
    url: str
    route: str
    response: object


@dataclass
class Crawl:
    pages: list[Fetched] = field(default_factory=list)

    @property
    def routes(self) -> set[str]:
        return {page.route for page in self.pages}


def links(url: str, html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    found = [a.get("href") for a in soup.find_all("a")]
    found += [f.get("action") for f in soup.find_all("form") if (f.get("method") or "get").lower() == "get"]
    return [
        urljoin(url, href)
        for href in found
        if isinstance(href, str) and href and not href.startswith(("#", "mailto:"))
    ]


def crawl(client: Client, seeds: list[str], *, within: tuple[str, ...] = ("/",)) -> Crawl:
    """Breadth-first GET of every same-site URL under `within` reachable from the seeds, PER_ROUTE
    per named URL."""
    result = Crawl()
    queue = deque(seeds)
    seen: set[str] = set()
    per_route: Counter[str] = Counter()
    while queue and len(result.pages) < MAX_PAGES:
        url = queue.popleft().split("#")[0]
        parts = urlsplit(url)
        if parts.netloc not in ("", "testserver") or url in seen or not parts.path.startswith(within):
            continue
        seen.add(url)
        try:
            route = resolve(parts.path).view_name
        except Resolver404:
            continue  # static files and the like
        if route in DO_NOT_FOLLOW or per_route[route] >= PER_ROUTE_OVERRIDE.get(route, PER_ROUTE):
            continue
        per_route[route] += 1
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        response = client.get(path)
        result.pages.append(Fetched(path, route, response))
        if response.status_code in (301, 302, 303, 307, 308):
            queue.append(urljoin(path, response.headers["Location"]))
        elif response.status_code == 200 and is_html(response):
            queue.extend(links(path, response.content.decode()))
    return result


def named_routes() -> set[str]:
    names = set()

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                inner = p.namespace and (f"{namespace}:{p.namespace}" if namespace else p.namespace)
                walk(p.url_patterns, inner or namespace)
            elif isinstance(p, URLPattern) and p.name:
                names.add(f"{namespace}:{p.name}" if namespace else p.name)

    walk(get_resolver().url_patterns, "")
    return {name for name in names if not name.startswith("admin:")}


# -- the data: one agency's site with items and cases in the states whose pages differ ---------------


def register(team, label: str, *, channel: str = "window", files=()):
    return builders.register(
        team,
        channel=channel,
        files=files,
        name=f"申请人{label}",
        id_number=identity.make_resident_id(datetime.date(1980, 5, 6)),
        phone=PHONE,
        address="广东省阳江市江城区东风路8号3栋502房",
        description=f"{team.agency.short_name}{label}：本县2024年度城乡低保资金发放情况",
    )


def build_site():
    team, other_team = Team(), Team()
    published = team.draft("关于城乡低保资金发放情况的公告")
    catalogue_services.attachment_add(actor=team.clerk, item=published, upload=pdf_upload("发放明细.pdf"))
    published = team.advance(published, to="published")
    catalogue_services.revision_save(
        note="测试修订", actor=team.clerk, item=published, title="关于低保资金发放情况的公告（修订）"
    )
    team.published("本机关内部公开的工作安排", scope="internal")
    team.advance(team.draft("待股室审核的通知"), to="dept_review")
    team.draft("起草中的通知")
    other_team.published("外局公开的通知")

    registered = register(team, "已登记", files=[pdf_upload("身份证复印件.pdf")])
    replied = builders.draft_reply(team.office, register(team, "已答复"), text="现答复如下。")
    services.application_transition(actor=team.office, application=replied, action=Action.ANSWER_ON_SPOT)
    forwarded = builders.forward(team, register(team, "承办中"))
    services.extension_request(actor=team.office, application=forwarded, days=10, reason="需调取档案")
    online = register(team, "网上提交", channel="online")
    admin = superuser()
    # Annual reports: last year's published (its public version page and downloads), the year
    # before's still a draft (its text page).
    last_year = timezone.localdate().year - 1
    published_report = builders.advance_report(team, builders.new_report(team, last_year), to="published")
    draft_report = builders.new_report(team, last_year - 1)
    return {
        "team": team,
        "published": published,
        "registered": registered,
        "online": online,
        "admin": admin,
        "published_report": published_report,
        "draft_report": draft_report,
    }


def signed_in(user, *, second_factor: bool = True) -> Client:
    """A client signed in as the user; with second_factor, past the TOTP step too (an enrolled
    authenticator recorded in the session as django-otp's login does)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    if second_factor:
        device = TOTPDevice.objects.create(user=user, name="测试", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def visitor_crawl(site) -> Crawl:
    client = Client()
    session = client.session
    session["receipt_codes"] = [site["online"].query_code]  # as if this browser had just applied
    session.save()
    code = site["online"].query_code
    seeds = ["/", f"/apply/receipt/{code}/", "/soon/complaints/", "/search/suggest/?q=低保"]
    # The API: its documentation page and one call of each GET endpoint.
    seeds += ["/api/v1/docs", "/api/v1/openapi.json", "/api/v1/agencies", "/api/v1/items?q=低保"]
    seeds += [f"/api/v1/requests/{code}?phone_tail={PHONE[-4:]}", "/api/v1/"]
    report = site["published_report"]
    seeds += [f"/annual-reports/{report.agency.slug}/{report.year}/v1/"]
    seeds += ["/healthz", "/readyz"]  # the load balancer's probes (JSON, never stored)
    return crawl(client, seeds)


def staff_crawl(site) -> Crawl:
    client = signed_in(site["team"].office)
    draft = site["draft_report"]
    seeds = ["/staff/", "/", "/staff/applications/?queue=open", "/staff/applications/?queue=done"]
    # The report pages: a drill-down list (zero cells carry no link) and the county roll-up.
    seeds += [f"/staff/reports/{draft.pk}/cases/table3/new/total/", "/staff/reports/rollup/"]
    seeds += [f"/staff/reports/figures/{draft.agency.slug}/{draft.year}/"]
    # The publication history answering a date query, and refusing a malformed date.
    history = f"/staff/items/{site['published'].pk}/history/"
    seeds += [f"{history}?date={timezone.localdate().isoformat()}", f"{history}?date=2025-02-30"]
    # The agency's own synonym group (the platform's, seeded, are the administrator's to edit).
    group = SynonymGroup.objects.create(agency=site["team"].agency, terms="就业援助、就业困难人员援助")
    seeds += [f"/staff/search/synonyms/{group.pk}/"]
    return crawl(client, seeds)


def admin_crawl(site) -> Crawl:
    return crawl(signed_in(site["admin"]), ["/admin/", "/staff/"], within=("/admin/", "/staff/"))


def officers_crawl(site) -> Crawl:
    """The three officers (三员: system administrator, security administrator, auditor), each alone."""
    pages = []
    for role in (Role.ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR):
        pages += crawl(signed_in(staff(site["team"].agency, role)), ["/staff/"], within=("/staff/",)).pages
    return Crawl(pages)


def second_factor_crawl(site) -> Crawl:
    """The second-factor steps: enrolment (no authenticator yet), then the code step (enrolled)."""
    team = site["team"]
    pages = crawl(signed_in(team.leader, second_factor=False), ["/staff/", "/"]).pages
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=team.secrecy, name="测试", confirmed=True)
    pages += crawl(signed_in(team.secrecy, second_factor=False), ["/staff/", "/"]).pages
    return Crawl(pages)


# -- the tests ---------------------------------------------------------------------------------------


CRAWLS = {"visitor": visitor_crawl, "office": staff_crawl, "admin": admin_crawl}
CRAWLS |= {"officers": officers_crawl, "second-factor": second_factor_crawl}
MIN_PAGES = {"visitor": 12, "office": 25, "admin": 20, "officers": 3, "second-factor": 2}


@pytest.fixture(scope="module")
def crawled(django_db_setup, django_db_blocker, tmp_path_factory):
    """The site built and crawled once for the module (fixtures.built_once)."""
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    storages = {**django_settings.STORAGES, "staticfiles": static}
    with built_once(django_db_blocker, tmp_path_factory.mktemp("media"), STORAGES=storages):
        site = build_site()
        yield site, {name: crawl_as(site) for name, crawl_as in CRAWLS.items()}


@pytest.fixture
def site(crawled, db):
    return crawled[0]


def test_every_named_page_is_crawled(crawled):
    reached = set().union(*(result.routes for result in crawled[1].values()))
    missing = named_routes() - reached - set(NOT_CRAWLED)
    assert not missing, (
        f"not reached by the crawl: {sorted(missing)}. Link them from a page, add a seed, or list them "
        "in NOT_CRAWLED with why (and check their headers in a test of their own)."
    )


@pytest.mark.parametrize("who", CRAWLS)
def test_every_html_page_has_a_strict_csp_and_no_inline_code(crawled, who):
    result = crawled[1][who]
    html_pages = [
        page for page in result.pages if is_html(page.response) and page.response.status_code == 200
    ]
    assert len(html_pages) >= MIN_PAGES[who], [p.url for p in result.pages]
    failures = {}
    for page in result.pages:
        assert page.response.status_code < 500, page.url
        if is_html(page.response):
            problems = csp_problems(page.response) + inline_code(page.response.content.decode())
        else:  # files and JSON: a policy too (downloads carry a stricter one of their own)
            problems = [] if "Content-Security-Policy" in page.response.headers else ["no CSP"]
        if problems:
            failures[page.url] = problems
    assert not failures, failures


def test_images_only_from_the_site_except_the_api_documentation_icons(crawled):
    """Swagger UI's stylesheet embeds its icons as data: URLs: that page alone allows them."""
    sources = {}
    for result in crawled[1].values():
        for page in result.pages:
            if is_html(page.response):
                header = page.response.headers["Content-Security-Policy"]
                sources[page.route] = csp_directives(header)["img-src"]
    assert sources.pop("api-v1:openapi-view") == ["'self'", "data:"]
    assert set(map(tuple, sources.values())) == {("'self'",)}


def test_every_response_for_a_signed_in_user_is_private_and_not_stored(crawled):
    failures = {}
    for who, result in crawled[1].items():
        if who == "visitor":
            continue
        for page in result.pages:
            if problems := not_shared_cacheable(page.response):
                failures[page.url] = problems
    assert not failures, failures


def test_public_pages_signed_in_are_private_the_same_pages_anonymous_are_not(crawled, site):
    """The public item URL shows internal items to the owning agency's staff (and the header shows
    the workbench link): signed in, nothing may be kept; anonymous without a session, the public
    pages are cacheable (issue 19)."""
    anonymous = crawled[1]["visitor"]
    public_routes = {"portal:home", "portal:agencies", "portal:column", "catalogue:list", "catalogue:detail"}
    public_routes |= {"search:search", "search:suggest", "feed_rss", "sitemap"}
    checked = [p for p in anonymous.pages if p.route in public_routes and p.response.status_code == 200]
    assert {p.route for p in checked} >= public_routes - {"search:suggest"}
    for page in checked:
        # This visitor's session (a receipt) is saved on every request, so each response sets the
        # session cookie and is theirs alone; a fresh visitor gets the shared, cacheable page.
        assert not not_shared_cacheable(page.response), page.url
        fresh = Client().get(page.url)
        assert "public" in cache_directives(fresh), page.url
        assert not cache_directives(fresh) & {"private", "no-store"}, page.url

    staff = signed_in(site["team"].office)
    for page in checked:
        response = staff.get(page.url)
        assert response.status_code == 200, page.url
        assert not not_shared_cacheable(response), page.url


def test_suggestions_cacheable_for_visitors_never_for_staff(site):
    """The suggestion JSON says `public, max-age=60`; for a signed-in user that is replaced."""
    anonymous = Client().get("/search/suggest/", {"q": "低保"})
    assert {"public", "max-age"} <= cache_directives(anonymous)
    response = signed_in(site["team"].clerk).get("/search/suggest/", {"q": "低保"})
    assert not not_shared_cacheable(response)
    assert "public" not in cache_directives(response)
    assert "max-age=60" not in response.headers["Cache-Control"]


def test_internal_item_on_the_public_url_is_not_cacheable(site):
    team = site["team"]
    internal = team.agency.items.get(title="本机关内部公开的工作安排")
    response = signed_in(team.clerk).get(internal.get_absolute_url())
    assert response.status_code == 200
    assert not not_shared_cacheable(response)


def test_posts_answered_to_staff_are_not_cacheable(site):
    team, application = site["team"], site["registered"]
    client = signed_in(team.office)
    responses = [
        client.post(f"/staff/applications/{application.pk}/unmask/"),
        client.post(f"/staff/applications/{application.pk}/action/", {"action": "nonsense"}),
        client.post(f"/staff/items/{team.agency.items.first().pk}/action/", {"action": "nonsense"}),
        client.post("/staff/applications/register/", {}),
        client.post("/staff/logout/"),  # signed out by the time the response leaves: anonymous now
    ]
    for response in responses[:-1]:
        assert response.status_code < 500
        assert not not_shared_cacheable(response), response.headers
    assert not csp_problems(responses[-1])


def test_forms_with_errors_and_error_pages_carry_the_policy(site):
    client = Client(raise_request_exception=False)
    pages = [
        client.post("/apply/", {"description": "x"}),  # the form again, with errors
        client.post("/apply/status/", {"query_code": site["online"].query_code, "phone_tail": PHONE[-4:]}),
        client.post("/staff/login/", {"username": "nobody", "password": "wrong"}),
        client.get("/no-such-page/"),
        client.get("/items/", {"page": "\ufffe"}),
    ]
    for response in pages:
        assert not csp_problems(response), response.status_code
        if is_html(response):
            assert not inline_code(response.content.decode()), response.status_code


def test_the_400_page_is_strict_too(client):
    from django.test import RequestFactory

    from gongkai.core.views import bad_request

    response = bad_request(RequestFactory().get("/"), Exception("bad"))
    assert not inline_code(response.content.decode())


def test_the_500_page_has_no_inline_code(client):
    from django.template import loader

    assert not inline_code(loader.get_template("500.html").render({}))


def test_the_503_page_has_no_inline_code(client):
    from django.template import loader

    assert not inline_code(loader.get_template("503.html").render({"detail": "系统繁忙，请稍后重试"}))


def test_permissions_referrer_and_content_type_headers(client):
    response = client.get("/")
    policy = response.headers["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


# -- HSTS ----------------------------------------------------------------------------------------------


def test_hsts_sent_over_https_when_configured(client, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    response = client.get("/", secure=True)
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in client.get("/")  # never over plain HTTP


def test_no_hsts_by_default(client):
    assert django_settings.SECURE_HSTS_SECONDS == 0
    assert "Strict-Transport-Security" not in client.get("/", secure=True)


SETTINGS_FILE = Path(django_settings.BASE_DIR) / "gongkai" / "settings.py"
HSTS_ENV: tuple[str, ...] = ("SECURE_COOKIES", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS")
HSTS_ENV += ("SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD")


@pytest.mark.parametrize(
    ("env", "seconds", "subdomains", "preload"),
    [
        ({}, 0, False, False),
        ({"SECURE_COOKIES": "1"}, 31_536_000, False, False),
        ({"SECURE_SSL_REDIRECT": "1"}, 31_536_000, False, False),
        ({"SECURE_COOKIES": "1", "SECURE_HSTS_SECONDS": "600"}, 600, False, False),
        ({"SECURE_COOKIES": "1", "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1"}, 31_536_000, True, False),
        ({"SECURE_COOKIES": "1", "SECURE_HSTS_PRELOAD": "1"}, 31_536_000, False, True),
    ],
)
def test_hsts_follows_the_https_settings(monkeypatch, tmp_path, env, seconds, subdomains, preload):
    for name in HSTS_ENV:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SECRET_KEY", "test-only")
    monkeypatch.setenv("GONGKAI_VAR_DIR", str(tmp_path))
    values = runpy.run_path(str(SETTINGS_FILE))
    assert values["SECURE_HSTS_SECONDS"] == seconds
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is subdomains
    assert values["SECURE_HSTS_PRELOAD"] is preload
    assert values["SESSION_COOKIE_SECURE"] is ("SECURE_COOKIES" in env)


def test_admin_pages_need_no_exemption():
    """The policy is the same everywhere: no URL prefix is excluded."""
    assert not django_settings.CONTENT_SECURITY_POLICY.get("EXCLUDE_URL_PREFIXES")
