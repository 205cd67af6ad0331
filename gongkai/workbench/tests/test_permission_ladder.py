"""The permission ladder of every staff page.

anonymous → sign-in page; signed in without an agency role → 403; staff of
another agency → 404 (objects) or only their own rows (lists); same agency,
wrong role → 403 or a refusal message with nothing changed; right role → the
page, or the redirect and the state change.
"""

from collections.abc import Callable
from functools import cached_property
from typing import Any

import pytest
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.urls import reverse

from gongkai.catalogue import services
from gongkai.catalogue.models import Attachment, Item, ItemRevision
from gongkai.catalogue.workflow import Action
from gongkai.testing.factories import PASSWORD, UserFactory, category
from gongkai.testing.files import pdf_upload
from gongkai.testing.ladder import Case, call, case_ids
from gongkai.testing.world import OUTSIDERS, PERSONAS, World, superuser
from gongkai.testing.world import officers as three_officers

# Roles the views let through to drafting pages (the services then check the department).
DRAFTERS = frozenset({"clerk", "other_clerk", "office"})
# Who may draft for the item's own department: the page lets in only those (issue 12 §2).
OWN_DRAFTERS = frozenset({"clerk", "office"})


class CatalogueWorld(World):
    """The objects a staff URL points at, built only when a case asks for them."""

    def title(self, text: str) -> str:
        """Titles carry the agency's name, so two agencies' rows never look alike."""
        return f"{self.team.agency.short_name}{text}"

    def _at(self, state: str, title: str) -> Item:
        return self.team.advance(self.team.draft(self.title(title)), to=state)

    @cached_property
    def draft(self) -> Item:
        item = self.team.draft(self.title("本机关草稿甲"))
        services.attachment_add(actor=self.team.clerk, item=item, upload=pdf_upload("草稿附件.pdf"))
        return item

    @cached_property
    def draft_attachment(self) -> Attachment:
        return self.draft.attachments.get()

    @cached_property
    def dept_review(self) -> Item:
        return self._at("dept_review", "本机关待股室审核乙")

    @cached_property
    def secrecy_review(self) -> Item:
        return self._at("secrecy_review", "本机关待保密审查丙")

    @cached_property
    def leader_review(self) -> Item:
        return self._at("leader_review", "本机关待领导签发丁")

    @cached_property
    def published(self) -> Item:
        item = self.team.draft(self.title("本机关已发布戊"))
        services.attachment_add(actor=self.team.clerk, item=item, upload=pdf_upload("发布附件.pdf"))
        return self.team.advance(item, to="published")

    @cached_property
    def nondisclosure_review(self) -> Item:
        item = self.team.draft(self.title("本机关提请不予公开己"))
        return services.item_transition(
            actor=self.team.clerk, item=item, action=Action.PROPOSE_NONDISCLOSURE, reason="涉及个人隐私"
        )

    @cached_property
    def internal(self) -> Item:
        return self.team.published(self.title("本机关内部公开庚"), scope="internal")

    @cached_property
    def revision(self) -> ItemRevision:
        revision = services.revision_save(
            actor=self.team.clerk, item=self.published, title=self.title("本机关修订后的名称辛"), note="更正"
        )
        services.attachment_add(
            actor=self.team.clerk, item=self.published, upload=pdf_upload("修订附件.pdf"), revision=revision
        )
        return revision

    def own_items(self) -> list[str]:
        """Titles of items in every state: what this agency's staff list shows."""
        items = [self.draft, self.dept_review, self.secrecy_review, self.leader_review, self.published]
        items += [self.nondisclosure_review, self.internal]
        return [item.title for item in items]

    def own_rows(self) -> list[str]:
        """Everything of this agency a staff list or task list could show, revisions included."""
        return [*self.own_items(), ItemRevision.objects.get(pk=self.revision.pk).changes["title"]]


def status_of(item: Item) -> str:
    return Item.objects.get(pk=item.pk).status


def detail(w_item: Callable[[CatalogueWorld], Item]) -> Callable[[CatalogueWorld], str]:
    return lambda w: reverse("catalogue_staff:detail", args=[w_item(w).pk])


def action_case(action: Action, source: str, target: str, allowed: set[str], reason: str = "") -> Case:
    def item(w: CatalogueWorld) -> Item:
        return getattr(w, source)

    return Case(
        id=f"action-{action.value}",
        name="catalogue_staff:action",
        method="post",
        kwargs=lambda w: {"pk": item(w).pk},
        allowed=frozenset(allowed),
        data=lambda w, user: {"action": action.value, "reason": reason, "filed_on": ""},
        observe=lambda w: status_of(item(w)),
        expected=target,
        redirect=detail(item),
    )


def create_data(w: CatalogueWorld, user) -> dict[str, Any]:
    return {
        "title": "新起草的信息",
        "category": category(w.team.agency).pk,
        "department": getattr(user, "department_id", None) or w.team.department.pk,
        "genre": "notice",
        "disclosure_mode": "proactive",
        "scope": "public",
        "body": "<p>正文</p>",
    }


def content_data(*, title: str, item: Item) -> dict[str, Any]:
    return {
        "title": title,
        "category": item.category_id,
        "department": item.department_id,
        "genre": "notice",
        "disclosure_mode": "proactive",
        "scope": "public",
        "body": "<p>正文</p>",
        "note": "修订说明",
    }


CASES = [
    Case("home", "workbench:home", "get", kind="list"),
    Case("list", "catalogue_staff:list", "get", kind="list"),
    Case("internal", "catalogue_staff:internal", "get", kind="list"),
    Case(
        "create-get",
        "catalogue_staff:create",
        "get",
        kind="create",
        allowed=DRAFTERS,
        view_roles=DRAFTERS,
    ),
    Case(
        "create-post",
        "catalogue_staff:create",
        "post",
        kind="create",
        allowed=DRAFTERS,
        view_roles=DRAFTERS,
        data=create_data,
        observe=lambda w: Item.objects.filter(agency=w.team.agency, title="新起草的信息").count(),
        expected=1,
    ),
    Case("detail", "catalogue_staff:detail", "get", kwargs=lambda w: {"pk": w.draft.pk}),
    Case("history", "catalogue_staff:history", "get", kwargs=lambda w: {"pk": w.published.pk}),
    Case("version", "catalogue_staff:version", "get", kwargs=lambda w: {"pk": w.published.pk, "number": 1}),
    Case(
        "edit-get",
        "catalogue_staff:edit",
        "get",
        kwargs=lambda w: {"pk": w.draft.pk},
        allowed=OWN_DRAFTERS,
        view_roles=OWN_DRAFTERS,
    ),
    Case(
        "edit-post",
        "catalogue_staff:edit",
        "post",
        kwargs=lambda w: {"pk": w.draft.pk},
        allowed=frozenset({"clerk", "office"}),
        view_roles=OWN_DRAFTERS,
        refusal="form",
        data=lambda w, user: content_data(title="改过的名称", item=w.draft),
        observe=lambda w: Item.objects.get(pk=w.draft.pk).title,
        expected="改过的名称",
        redirect=detail(lambda w: w.draft),
    ),
    action_case(Action.SUBMIT, "draft", "dept_review", {"clerk", "office"}),
    action_case(Action.DEPT_APPROVE, "dept_review", "secrecy_review", {"dept_head"}),
    action_case(Action.SECRECY_APPROVE, "secrecy_review", "leader_review", {"secrecy"}),
    action_case(Action.LEADER_SIGN, "leader_review", "published", {"leader"}),
    action_case(Action.RETURN, "secrecy_review", "returned", {"secrecy"}, reason="涉密内容需删除"),
    action_case(Action.FILE, "published", "filed", {"office"}),
    action_case(Action.WITHDRAW, "published", "withdrawn", {"office", "leader"}, reason="内容有误"),
    action_case(
        Action.PROPOSE_NONDISCLOSURE, "draft", "nondisclosure_review", {"clerk", "office"}, reason="涉密"
    ),
    action_case(Action.APPROVE_NONDISCLOSURE, "nondisclosure_review", "not_disclosed", {"leading_group"}),
    action_case(
        Action.REJECT_NONDISCLOSURE, "nondisclosure_review", "returned", {"leading_group"}, reason="应当公开"
    ),
    Case(
        "validity",
        "catalogue_staff:validity",
        "post",
        kwargs=lambda w: {"pk": w.published.pk},
        allowed=frozenset({"office", "leader"}),
        data=lambda w, user: {"validity": "repealed", "note": "已被2024年1号文废止"},
        observe=lambda w: Item.objects.get(pk=w.published.pk).validity,
        expected="repealed",
        redirect=detail(lambda w: w.published),
    ),
    Case(
        "attachment-upload",
        "catalogue_staff:attachment_upload",
        "post",
        kwargs=lambda w: {"pk": w.draft.pk},
        allowed=frozenset({"clerk", "office"}),
        view_roles=OWN_DRAFTERS,
        data=lambda w, user: {"file": pdf_upload("新上传.pdf")},
        observe=lambda w: w.draft.attachments.count(),
        expected=2,
        redirect=detail(lambda w: w.draft),
    ),
    Case(
        "attachment-download",
        "catalogue_staff:attachment",
        "get",
        kwargs=lambda w: {"pk": w.draft.pk, "attachment_pk": w.draft_attachment.pk},
    ),
    Case(
        "attachment-delete",
        "catalogue_staff:attachment_delete",
        "post",
        kwargs=lambda w: {"pk": w.draft.pk, "attachment_pk": w.draft_attachment.pk},
        allowed=frozenset({"clerk", "office"}),
        observe=lambda w: Attachment.objects.filter(pk=w.draft_attachment.pk).exists(),
        expected=False,
        redirect=detail(lambda w: w.draft),
    ),
    Case(
        "revise-get",
        "catalogue_staff:revise",
        "get",
        kwargs=lambda w: {"pk": w.published.pk},
        allowed=OWN_DRAFTERS,
        view_roles=OWN_DRAFTERS,
    ),
    Case(
        "revise-post",
        "catalogue_staff:revise",
        "post",
        kwargs=lambda w: {"pk": w.published.pk},
        allowed=frozenset({"clerk", "office"}),
        view_roles=OWN_DRAFTERS,
        refusal="form",
        data=lambda w, user: content_data(title="修订名称", item=w.published),
        observe=lambda w: w.published.revisions.count(),
        expected=1,
    ),
    Case(
        "revision-attachment-upload",
        "catalogue_staff:revision_attachment_upload",
        "post",
        kwargs=lambda w: {"pk": w.published.pk, "revision_pk": w.revision.pk},
        allowed=frozenset({"clerk", "office"}),
        view_roles=OWN_DRAFTERS,
        data=lambda w, user: {"file": pdf_upload("修订新附件.pdf")},
        observe=lambda w: w.revision.attachments.count(),
        expected=2,
        redirect=lambda w: reverse("catalogue_staff:revision", args=[w.revision.pk]),
    ),
    Case("revision-get", "catalogue_staff:revision", "get", kwargs=lambda w: {"pk": w.revision.pk}),
    Case(
        "revision-post",
        "catalogue_staff:revision",
        "post",
        kwargs=lambda w: {"pk": w.revision.pk},
        allowed=OWN_DRAFTERS,
        view_roles=OWN_DRAFTERS,
        refusal="form",
        data=lambda w, user: content_data(title="再次修订的名称", item=w.published),
        observe=lambda w: ItemRevision.objects.get(pk=w.revision.pk).changes.get("title"),
        expected="再次修订的名称",
        redirect=lambda w: reverse("catalogue_staff:revision", args=[w.revision.pk]),
    ),
    Case(
        "revision-action-submit",
        "catalogue_staff:revision_action",
        "post",
        kwargs=lambda w: {"pk": w.revision.pk},
        allowed=frozenset({"clerk", "office"}),
        data=lambda w, user: {"action": "submit", "reason": ""},
        observe=lambda w: ItemRevision.objects.get(pk=w.revision.pk).status,
        expected="dept_review",
        redirect=lambda w: reverse("catalogue_staff:revision", args=[w.revision.pk]),
    ),
]

OBJECT_CASES = [c for c in CASES if c.kind == "object"]
LIST_CASES = [c for c in CASES if c.kind == "list"]
POST_ONLY = {
    "catalogue_staff:action",
    "catalogue_staff:validity",
    "catalogue_staff:attachment_upload",
    "catalogue_staff:attachment_delete",
    "catalogue_staff:revision_attachment_upload",
    "catalogue_staff:revision_action",
}


@pytest.fixture
def world(team, other_team) -> CatalogueWorld:
    return CatalogueWorld(team, other_team)


def levels(response) -> list[int]:
    return [m.level for m in get_messages(response.wsgi_request)]


def test_it_covers_every_staff_url_in_the_table():
    from gongkai.catalogue import urls_staff

    covered = {c.name for c in CASES}
    names = {f"catalogue_staff:{p.name}" for p in urls_staff.urlpatterns} | {"workbench:home"}
    assert names <= covered
    posted = {c.name for c in CASES if c.method == "post"}
    assert posted >= POST_ONLY


@pytest.mark.parametrize("case", CASES, ids=case_ids(CASES))
def test_it_sends_anonymous_visitors_to_the_login_page(client, world, case):
    url, before, response = call(client, case, world)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('workbench:login')}?next={url}"
    assert case.observe(world) == before


@pytest.mark.parametrize("who", ["no_role", "superuser"])
@pytest.mark.parametrize("case", CASES, ids=case_ids(CASES))
def test_it_forbids_signed_in_users_without_an_agency_role(client, world, case, who):
    if who == "no_role":
        user = UserFactory(agency=world.team.agency, department=world.team.department)
    else:
        user = superuser()

    _, before, response = call(client, case, world, user)

    assert response.status_code == 403
    assert case.observe(world) == before


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize("case", OBJECT_CASES, ids=case_ids(OBJECT_CASES))
def test_it_hides_another_agencys_objects_from_its_staff(client, world, case, who):
    _, before, response = call(client, case, world, world.person(who))

    assert response.status_code == 404
    assert case.observe(world) == before


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize("case", LIST_CASES, ids=case_ids(LIST_CASES))
def test_it_lists_nothing_of_another_agency(client, world, case, who):
    titles = world.own_rows()

    _, _, response = call(client, case, world, world.person(who))

    assert response.status_code == 200
    content = response.content.decode()
    for title in titles:
        assert title not in content


@pytest.mark.parametrize("who", PERSONAS)
@pytest.mark.parametrize("case", CASES, ids=case_ids(CASES))
def test_it_lets_each_role_do_only_its_own_work(client, world, case, who):
    user = world.person(who)
    _, before, response = call(client, case, world, user)

    if who in case.allowed:
        if case.method == "get":
            assert response.status_code == 200
            assert "no-store" in response["Cache-Control"]
        else:
            assert response.status_code == 302, response.content.decode()[:2000]
            if case.redirect:
                assert response["Location"] == case.redirect(world)
            else:
                assert response["Location"].startswith("/staff/items/")
            assert message_levels.ERROR not in levels(response)
            assert case.observe(world) == case.expected
        return

    if who not in case.view_roles:
        assert response.status_code == 403
    elif case.refusal == "message":
        # Refused by the service: the page again (nothing typed is lost), saying why (issue 13).
        assert response.status_code == 200
        assert message_levels.ERROR in levels(response)
        assert 'class="msg error"' in response.content.decode()
    else:
        assert response.status_code == 200
        assert "只有本股室经办人或政务公开办公室可以起草和修改信息" in response.content.decode()
    assert case.observe(world) == before


POST_ONLY_CASES = [c for c in CASES if c.name in POST_ONLY]


@pytest.mark.parametrize("case", POST_ONLY_CASES, ids=case_ids(POST_ONLY_CASES))
def test_it_refuses_get_on_post_only_views(client, world, case):
    url = reverse(case.name, kwargs=case.kwargs(world))
    before = case.observe(world)
    client.force_login(world.team.office)

    response = client.get(url)

    assert response.status_code == 405
    assert case.observe(world) == before


def test_it_lists_only_the_viewers_own_agency(client, team, other_team):
    ours = CatalogueWorld(team, other_team).own_rows()
    theirs = CatalogueWorld(other_team, team).own_items()
    client.force_login(other_team.office)

    listing = client.get(reverse("catalogue_staff:list")).content.decode()
    internal = client.get(reverse("catalogue_staff:internal")).content.decode()

    for title in theirs:
        assert title in listing
    assert f"{other_team.agency.short_name}本机关内部公开庚" in internal
    for title in ours:
        assert title not in listing
        assert title not in internal


def test_it_shows_each_reviewer_the_tasks_of_their_own_agency_only(client, team, other_team):
    ours = team.advance(team.draft("我方待股室审核"), to="dept_review")
    theirs = other_team.advance(other_team.draft("对方待股室审核"), to="dept_review")
    client.force_login(other_team.dept_head)

    content = client.get(reverse("workbench:home")).content.decode()

    assert theirs.title in content
    assert ours.title not in content


def test_it_does_not_let_another_agencys_clerk_draft_into_our_catalogue(client, team, other_team):
    client.force_login(other_team.clerk)
    data = {
        "title": "越权起草",
        "category": category(team.agency).pk,
        "department": team.department.pk,
        "genre": "notice",
        "disclosure_mode": "proactive",
        "scope": "public",
    }

    response = client.post(reverse("catalogue_staff:create"), data)

    assert response.status_code == 200
    assert "请选择本机关的主题分类" in response.content.decode()
    assert not Item.objects.filter(title="越权起草").exists()


# Sign-in and sign-out


def test_it_shows_the_login_page(client):
    response = client.get(reverse("workbench:login"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "工作人员登录" in content
    assert 'name="username"' in content
    assert 'name="password"' in content


def test_it_signs_staff_in_and_follows_next(client, team):
    response = client.post(
        reverse("workbench:login"),
        {"username": team.clerk.username, "password": PASSWORD, "next": "/staff/items/"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/staff/items/"
    assert client.get(reverse("workbench:home")).status_code == 200


def test_it_signs_staff_in_to_the_workbench_by_default(client, team):
    response = client.post(
        reverse("workbench:login"), {"username": team.leader.username, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("workbench:home")


def test_it_refuses_a_wrong_password_in_chinese(client, team):
    response = client.post(
        reverse("workbench:login"), {"username": team.clerk.username, "password": "wrong-password"}
    )

    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_does_not_follow_next_off_site_after_login(client, team):
    response = client.post(
        reverse("workbench:login"),
        {"username": team.clerk.username, "password": PASSWORD, "next": "https://evil.example/"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("workbench:home")


def test_it_logs_out_only_by_post(client, team):
    client.force_login(team.clerk)

    assert client.get(reverse("workbench:logout")).status_code == 405
    assert client.get(reverse("workbench:home")).status_code == 200

    response = client.post(reverse("workbench:logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    assert client.get(reverse("workbench:home")).status_code == 302


# 三员分立: the audit log (security auditor), accounts and second factors (security administrator),
# one's own account security (every staff member).

OFFICER_PAGES: list[tuple[str, dict[str, int], str | None]] = [
    ("audit_staff:log", {}, "auditor"),
    ("twofactor:accounts", {}, "security_admin"),
    ("twofactor:security", {}, None),
    ("workbench:signin_locks", {}, "security_admin"),
    ("workbench:password_change", {}, None),
]


def officers(team):
    return {
        **three_officers(team),
        "superuser": superuser(),
        "no_role": UserFactory(agency=team.agency),
    }


@pytest.mark.parametrize(("name", "kwargs", "only"), OFFICER_PAGES, ids=[p[0] for p in OFFICER_PAGES])
def test_officer_pages_follow_the_ladder(client, team, name, kwargs, only):
    url = reverse(name, kwargs=kwargs)
    people = officers(team)

    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('workbench:login')}?next={url}"

    for who in ("superuser", "no_role"):
        client.force_login(people[who])
        assert client.get(url).status_code == 403, who

    everyone = {
        **{r: getattr(team, r) for r in PERSONAS},
        **{k: people[k] for k in ("admin", "security_admin", "auditor")},
    }
    for who, user in everyone.items():
        client.force_login(user)
        response = client.get(url)
        if only is None or who == only:
            assert response.status_code == 200, who
            assert "no-store" in response["Cache-Control"]
        else:
            assert response.status_code == 403, who


def test_the_reset_is_post_only_and_for_the_security_administrator(client, team):
    people = officers(team)
    url = reverse("twofactor:reset", args=[team.leader.pk])

    assert client.post(url, {"reason": "手机丢失"})["Location"].startswith(reverse("workbench:login"))
    client.force_login(people["security_admin"])
    assert client.get(url).status_code == 405
    for who in ("admin", "auditor"):
        client.force_login(people[who])
        assert client.post(url, {"reason": "手机丢失"}).status_code == 403, who
