"""Invariant 1 (DESIGN.md §6): nothing unpublished leaks to anyone outside the owning agency.

One item in every non-public state, each with its own marker strings in the
title, summary, body and attachment name, looked for on every public page,
feed and sitemap, and by guessing its URLs — as an anonymous visitor and as
staff of another agency. A published item is the positive control.
"""

from dataclasses import dataclass, field

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.catalogue import services
from gongkai.catalogue.models import Attachment, Category, Item, ItemRevision
from gongkai.catalogue.workflow import Action
from gongkai.testing.builders import extract_attachments
from gongkai.testing.factories import category
from gongkai.testing.files import minimal_pdf, pdf_upload

PDF_BYTES = minimal_pdf()
VIEWERS = ("anonymous", "outsider_clerk", "outsider_leader")
COLUMN_SLUGS = ("guide", "rules", "statutory", "annual-reports")
# Hidden items are spread over every column, so a leak would show on some column page.
CATEGORY_NAMES = ("政府信息公开指南", "政府信息公开制度", "法规文件", "政府信息公开年报", "统计信息")


@dataclass
class Hidden:
    """An item nobody outside its agency may find, and the strings that would give it away."""

    state: str
    item: Item
    attachment: Attachment
    markers: list[str] = field(default_factory=list)
    revision: ItemRevision | None = None

    @property
    def public_urls(self) -> list[str]:
        """URLs a visitor could guess; all must be 404."""
        if self.revision is not None:
            # The live item is public; only the revision's attachment must stay hidden.
            return [reverse("catalogue:attachment", args=[self.item.pk, self.attachment.pk])]
        return [
            reverse("catalogue:detail", args=[self.item.pk]),
            reverse("catalogue:print", args=[self.item.pk]),
            reverse("catalogue:attachment", args=[self.item.pk, self.attachment.pk]),
        ]

    @property
    def staff_urls(self) -> list[str]:
        urls = [
            reverse("catalogue_staff:detail", args=[self.item.pk]),
            reverse("catalogue_staff:attachment", args=[self.item.pk, self.attachment.pk]),
            reverse("catalogue_staff:edit", args=[self.item.pk]),
        ]
        if self.revision is not None:
            urls.append(reverse("catalogue_staff:revision", args=[self.revision.pk]))
        return urls


def _draft(team, state: str, n: int, **fields) -> tuple[Item, Attachment, list[str]]:
    title = f"机密名称〔{state}〕"
    summary = f"机密概述〔{state}〕"
    body = f"机密正文〔{state}〕"
    filename = f"leak-{state}-attachment.pdf"
    fields.setdefault("category", category(team.agency, CATEGORY_NAMES[n % len(CATEGORY_NAMES)]))
    item = team.draft(title, summary=summary, body=f"<p>{body}</p>", **fields)
    attachment = services.attachment_add(actor=team.clerk, item=item, upload=pdf_upload(filename))
    return item, attachment, [title, summary, body, filename]


def build_hidden(team) -> list[Hidden]:
    hidden = []

    def add(state: str, item: Item, attachment: Attachment, markers: list[str], **kwargs) -> None:
        item.refresh_from_db()
        if item.index_number:
            markers = [*markers, item.index_number]
        hidden.append(Hidden(state, item, attachment, markers, **kwargs))

    for n, state in enumerate(["draft", "dept_review", "secrecy_review", "leader_review"]):
        item, attachment, markers = _draft(team, state, n)
        add(state, team.advance(item, to=state), attachment, markers)

    item, attachment, markers = _draft(team, "returned", 4)
    item = team.advance(item, to="leader_review")
    services.item_transition(actor=team.leader, item=item, action=Action.RETURN, reason="需要修改")
    add("returned", item, attachment, markers)

    item, attachment, markers = _draft(team, "withdrawn", 5)
    item = team.advance(item, to="published")
    services.item_transition(actor=team.office, item=item, action=Action.WITHDRAW, reason="发布有误")
    add("withdrawn", item, attachment, markers)

    item, attachment, markers = _draft(team, "filed_then_withdrawn", 6)
    item = team.advance(item, to="filed")
    services.item_transition(actor=team.leader, item=item, action=Action.WITHDRAW, reason="发布有误")
    add("filed_then_withdrawn", item, attachment, markers)

    item, attachment, markers = _draft(team, "nondisclosure_review", 7)
    item = team.advance(item, to="secrecy_review")
    services.item_transition(
        actor=team.secrecy, item=item, action=Action.PROPOSE_NONDISCLOSURE, reason="属于国家秘密"
    )
    add("nondisclosure_review", item, attachment, markers)

    item, attachment, markers = _draft(team, "not_disclosed", 8)
    item = services.item_transition(
        actor=team.clerk, item=item, action=Action.PROPOSE_NONDISCLOSURE, reason="涉及个人隐私"
    )
    services.item_transition(actor=team.leading_group, item=item, action=Action.APPROVE_NONDISCLOSURE)
    add("not_disclosed", item, attachment, markers)

    item, attachment, markers = _draft(team, "internal", 9, scope="internal")
    add("internal", team.advance(item, to="published"), attachment, markers)

    item, attachment, markers = _draft(team, "internal_filed", 10, scope="internal")
    add("internal_filed", team.advance(item, to="filed"), attachment, markers)

    # 依申请公开 items are published in the catalogue but not proactively to the public.
    item, attachment, markers = _draft(team, "on_request", 11, disclosure_mode="on_request")
    add("on_request", team.advance(item, to="published"), attachment, markers)

    # A published item whose pending revision must stay unseen until signed off.
    live = team.published("公开的现行版本", category=category(team.agency, "规划计划"))
    revision = services.revision_save(
        actor=team.clerk,
        item=live,
        title="机密名称〔revision〕",
        summary="机密概述〔revision〕",
        body="<p>机密正文〔revision〕</p>",
        note="修订",
    )
    attachment = services.attachment_add(
        actor=team.clerk, item=live, upload=pdf_upload("leak-revision-attachment.pdf"), revision=revision
    )
    extract_attachments(live)  # read before the review, as after the upload's commit
    for actor, action in [
        (team.clerk, Action.SUBMIT),
        (team.dept_head, Action.DEPT_APPROVE),
        (team.secrecy, Action.SECRECY_APPROVE),
    ]:
        revision = services.revision_transition(actor=actor, revision=revision, action=action)
    assert revision.status == "leader_review"
    hidden.append(
        Hidden(
            "revision",
            live,
            attachment,
            [
                "机密名称〔revision〕",
                "机密概述〔revision〕",
                "机密正文〔revision〕",
                "leak-revision-attachment.pdf",
            ],
            revision=revision,
        )
    )
    return hidden


@dataclass
class Scene:
    team: object
    other_team: object
    hidden: list[Hidden]
    control: Item
    control_attachment: Attachment


@pytest.fixture
def scene(team, other_team) -> Scene:
    item = team.draft(
        "公开对照信息",
        summary="公开对照概述",
        body="<p>公开对照正文</p>",
        category=category(team.agency, "法规文件"),
    )
    attachment = services.attachment_add(actor=team.clerk, item=item, upload=pdf_upload("public-control.pdf"))
    control = team.advance(item, to="published")
    # The other agency publishes too, so its staff have pages of their own to look at.
    other_team.published("另一机关公开的信息")
    return Scene(team, other_team, build_hidden(team), control, attachment)


def sign_in(client, scene: Scene, viewer: str) -> None:
    if viewer != "anonymous":
        client.force_login(getattr(scene.other_team, viewer.removeprefix("outsider_")))


def public_listing_urls(team) -> list[str]:
    """Every public page, feed and sitemap that lists items, with every filter."""
    slug = team.agency.slug
    year = timezone.localdate().year
    categories = Category.objects.filter(agency=team.agency)
    departments = [team.department.pk, team.other_department.pk]
    urls = [
        reverse("portal:home"),
        reverse("portal:agencies"),
        *[reverse("portal:column", args=[s]) for s in COLUMN_SLUGS],
        *[reverse("portal:column", args=[s]) + f"?agency={slug}" for s in COLUMN_SLUGS],
        "/items/",
        f"/items/?agency={slug}",
        f"/items/?year={year}",
        f"/items/?agency={slug}&year={year}",
        *[f"/items/?agency={slug}&category={c.pk}" for c in categories],
        *[f"/items/?agency={slug}&category={c.pk}&year={year}" for c in categories],
        *[f"/items/?category={c.pk}" for c in categories],
        *[f"/items/?agency={slug}&department={d}" for d in departments],
        *[f"/items/?agency={slug}&department={d}&year={year}" for d in departments],
        reverse("feed_rss"),
        reverse("feed_atom"),
        reverse("sitemap"),
        reverse("portal:sitemap"),
        reverse("portal:agency", args=[slug]),
        reverse("portal:guide", args=[slug]),
    ]
    return urls


def fetch(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize("viewer", VIEWERS)
def test_it_leaks_nothing_on_any_public_listing(client, scene, viewer):
    sign_in(client, scene, viewer)
    markers = [m for h in scene.hidden for m in h.markers]
    hidden_links = [reverse("catalogue:detail", args=[h.item.pk]) for h in scene.hidden if not h.revision]

    for url in public_listing_urls(scene.team):
        content = fetch(client, url)
        for marker in markers:
            assert marker not in content, (url, marker)
        for link in hidden_links:
            assert link not in content, (url, link)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_it_shows_the_published_item_everywhere_it_belongs(client, scene, viewer):
    sign_in(client, scene, viewer)
    slug = scene.team.agency.slug
    title = scene.control.title
    link = reverse("catalogue:detail", args=[scene.control.pk])

    for url in ["/", "/column/statutory/", "/items/", f"/items/?agency={slug}", "/feeds/items.rss"]:
        assert title in fetch(client, url), url
    assert title in fetch(client, "/feeds/items.atom")
    assert f"{link}</loc>" in fetch(client, "/sitemap.xml")
    page = fetch(client, link)
    assert "公开对照正文" in page
    assert "public-control.pdf" in page


@pytest.mark.parametrize("viewer", VIEWERS)
def test_it_serves_the_published_attachment_as_a_download(client, scene, viewer):
    sign_in(client, scene, viewer)

    response = client.get(
        reverse("catalogue:attachment", args=[scene.control.pk, scene.control_attachment.pk])
    )

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "public-control.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF_BYTES


@pytest.mark.parametrize("viewer", VIEWERS)
def test_it_answers_404_to_guessed_urls_of_unpublished_items(client, scene, viewer):
    sign_in(client, scene, viewer)

    for hidden in scene.hidden:
        for url in hidden.public_urls:
            assert client.get(url).status_code == 404, (hidden.state, url)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_it_keeps_a_pending_revision_off_the_live_page(client, scene, viewer):
    sign_in(client, scene, viewer)
    (hidden,) = [h for h in scene.hidden if h.revision]

    for url in [
        reverse("catalogue:detail", args=[hidden.item.pk]),
        reverse("catalogue:print", args=[hidden.item.pk]),
    ]:
        content = fetch(client, url)
        assert "公开的现行版本" in content
        for marker in hidden.markers:
            assert marker not in content, (url, marker)


@pytest.mark.parametrize("viewer", ["outsider_clerk", "outsider_leader", "outsider_office"])
def test_it_answers_404_to_another_agencys_staff_on_staff_urls(client, scene, viewer):
    client.force_login(getattr(scene.other_team, viewer.removeprefix("outsider_")))

    for hidden in scene.hidden:
        for url in hidden.staff_urls:
            assert client.get(url).status_code == 404, (hidden.state, url)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_it_does_not_serve_a_hidden_attachment_under_a_public_items_url(client, scene, viewer):
    sign_in(client, scene, viewer)

    for hidden in scene.hidden:
        url = reverse("catalogue:attachment", args=[scene.control.pk, hidden.attachment.pk])
        assert client.get(url).status_code == 404, (hidden.state, url)


def test_it_does_not_serve_our_attachment_under_another_agencys_own_item(client, scene):
    theirs = scene.other_team.draft("对方自己的草稿")
    client.force_login(scene.other_team.clerk)

    for hidden in [*scene.hidden, Hidden("control", scene.control, scene.control_attachment)]:
        url = reverse("catalogue_staff:attachment", args=[theirs.pk, hidden.attachment.pk])
        assert client.get(url).status_code == 404, (hidden.state, url)


def test_it_sends_anonymous_visitors_from_staff_urls_to_login(client, scene):
    login = reverse("workbench:login")

    for hidden in scene.hidden:
        for url in hidden.staff_urls:
            response = client.get(url)
            assert response.status_code == 302, url
            assert response["Location"] == f"{login}?next={url}"


def test_it_shows_the_same_agencys_staff_everything_on_staff_urls(client, scene):
    client.force_login(scene.team.clerk)

    for hidden in scene.hidden:
        for url in hidden.staff_urls:
            response = client.get(url)
            if url.endswith("/edit/") and hidden.item.status not in ("draft", "returned"):
                # Only drafts are edited in place; the rest send the clerk back to the item.
                assert response["Location"] == reverse("catalogue_staff:detail", args=[hidden.item.pk])
            else:
                assert response.status_code == 200, (hidden.state, url)


def internal_items(scene: Scene) -> list[Hidden]:
    return [h for h in scene.hidden if h.state.startswith("internal")]


def test_it_shows_internal_items_to_the_same_agencys_staff(client, scene):
    client.force_login(scene.team.clerk)
    internal_list = fetch(client, reverse("catalogue_staff:internal"))

    for hidden in internal_items(scene):
        page = fetch(client, reverse("catalogue:detail", args=[hidden.item.pk]))
        assert hidden.item.title in page
        assert "本机关内部公开" in page
        assert hidden.item.title in internal_list
        download = client.get(reverse("catalogue:attachment", args=[hidden.item.pk, hidden.attachment.pk]))
        assert download.status_code == 200
        assert download["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize("viewer", VIEWERS)
def test_it_hides_internal_items_from_everyone_else(client, scene, viewer):
    sign_in(client, scene, viewer)

    for hidden in internal_items(scene):
        assert client.get(reverse("catalogue:detail", args=[hidden.item.pk])).status_code == 404
        assert client.get(reverse("catalogue:print", args=[hidden.item.pk])).status_code == 404
        url = reverse("catalogue:attachment", args=[hidden.item.pk, hidden.attachment.pk])
        assert client.get(url).status_code == 404
    if viewer != "anonymous":
        internal_list = fetch(client, reverse("catalogue_staff:internal"))
        for hidden in internal_items(scene):
            assert hidden.item.title not in internal_list


def test_it_takes_a_withdrawn_item_off_every_public_listing_at_once(client, team):
    item = team.draft("即将撤回的信息", category=category(team.agency, "法规文件"))
    attachment = services.attachment_add(actor=team.clerk, item=item, upload=pdf_upload("to-withdraw.pdf"))
    item = team.advance(item, to="published")
    link = reverse("catalogue:detail", args=[item.pk])
    listings = [
        "/",
        "/column/statutory/",
        "/items/",
        f"/items/?agency={team.agency.slug}",
        f"/items/?agency={team.agency.slug}&category={item.category_id}",
        f"/items/?agency={team.agency.slug}&department={team.department.pk}",
        f"/items/?year={timezone.localdate().year}",
        "/feeds/items.rss",
        "/feeds/items.atom",
        "/sitemap.xml",
    ]
    for url in listings:
        assert link in fetch(client, url), url

    services.item_transition(actor=team.office, item=item, action=Action.WITHDRAW, reason="内容有误")

    for url in listings:
        content = fetch(client, url)
        assert link not in content, url
        assert "即将撤回的信息" not in content, url
    assert client.get(link).status_code == 404
    assert client.get(reverse("catalogue:print", args=[item.pk])).status_code == 404
    assert client.get(reverse("catalogue:attachment", args=[item.pk, attachment.pk])).status_code == 404


def test_it_marks_internal_pages_served_to_staff_as_private(client, scene):
    client.force_login(scene.team.clerk)

    for hidden in internal_items(scene):
        for url in [
            reverse("catalogue:detail", args=[hidden.item.pk]),
            reverse("catalogue:print", args=[hidden.item.pk]),
            reverse("catalogue:attachment", args=[hidden.item.pk, hidden.attachment.pk]),
        ]:
            response = client.get(url)
            assert response.status_code == 200
            assert "private" in response.get("Cache-Control", ""), url
