"""The to-do lists: each person sees exactly what waits for them, and nothing of other agencies."""

import pytest

from gongkai.catalogue import selectors, services
from gongkai.catalogue.models import Item, ItemRevision
from gongkai.catalogue.workflow import Action, Status
from gongkai.core.roles import Role
from gongkai.testing.builders import advance_revision
from gongkai.testing.factories import staff
from gongkai.testing.world import PERSONAS


def step(actor, item, action, reason: str = "") -> Item:
    return services.item_transition(actor=actor, item=item, action=action, reason=reason)


class Catalogue:
    """One team's items in every state, in both departments, drafted by different people."""

    def __init__(self, team) -> None:
        t = team
        self.draft = t.draft("经办人草稿")
        self.other_draft = t.draft("综合股草稿", department=t.other_department)
        self.office_draft = t.draft("办公室代拟草稿", by=t.office)

        self.returned = step(
            t.dept_head, t.advance(t.draft("被退回"), to="dept_review"), Action.RETURN, "补充"
        )
        other = t.advance(t.draft("综合股被退回", department=t.other_department), to="dept_review")
        self.other_returned = step(t.other_dept_head, other, Action.RETURN, "补充")

        self.dept_review = t.advance(t.draft("待股室审核"), to="dept_review")
        self.other_dept_review = t.advance(
            t.draft("综合股待审核", department=t.other_department), to="dept_review"
        )
        self.secrecy_review = t.advance(t.draft("待保密审查"), to="secrecy_review")
        self.leader_review = t.advance(t.draft("待领导签发"), to="leader_review")
        self.published = t.published("已发布")
        self.filed = t.advance(t.draft("已备案"), to="filed")
        self.withdrawn = step(t.office, t.published("已撤回"), Action.WITHDRAW, "废止")
        self.nondisclosure_review = step(
            t.clerk, t.draft("提请不予公开"), Action.PROPOSE_NONDISCLOSURE, "涉密"
        )
        self.not_disclosed = step(
            t.leading_group,
            step(t.clerk, t.draft("不予公开"), Action.PROPOSE_NONDISCLOSURE, "涉密"),
            Action.APPROVE_NONDISCLOSURE,
        )


def tasks(user) -> set[str]:
    return {item.title for item in selectors.item_tasks(user)}


@pytest.fixture
def catalogues(team, other_team):
    return Catalogue(team), Catalogue(other_team)


EXPECTED_ITEM_TASKS = {
    # Own drafts, and everything the department got back.
    "clerk": {"经办人草稿", "被退回"},
    "other_clerk": {"综合股草稿", "综合股被退回"},
    "dept_head": {"待股室审核"},
    "other_dept_head": {"综合股待审核"},
    "secrecy": {"待保密审查"},
    "leader": {"待领导签发"},
    "leading_group": {"提请不予公开"},
    "supervisor": set(),
}


@pytest.mark.parametrize("persona", sorted(EXPECTED_ITEM_TASKS))
def test_it_lists_exactly_the_items_waiting_for_each_person(team, other_team, catalogues, persona):
    assert tasks(getattr(team, persona)) == EXPECTED_ITEM_TASKS[persona]
    assert tasks(getattr(other_team, persona)) == EXPECTED_ITEM_TASKS[persona]


def test_it_lists_published_unfiled_items_and_own_drafts_for_the_office(team, catalogues):
    listed = tasks(team.office)
    assert {"已发布", "办公室代拟草稿"} <= listed
    assert not listed & {"已备案", "已撤回", "经办人草稿", "综合股草稿", "待股室审核", "不予公开"}


def test_it_does_not_list_clerks_returned_items_for_the_office(team, catalogues):
    assert tasks(team.office) == {"已发布", "办公室代拟草稿"}


def test_it_never_lists_another_agencys_items(team, other_team, catalogues):
    ours = set(Item.objects.filter(agency=team.agency).values_list("pk", flat=True))
    for persona in PERSONAS:
        listed = {item.pk for item in selectors.item_tasks(getattr(team, persona))}
        assert listed <= ours
        theirs = {item.pk for item in selectors.item_tasks(getattr(other_team, persona))}
        assert not theirs & ours


def test_it_takes_an_item_off_a_list_once_it_has_been_handled(team, catalogues):
    mine, _ = catalogues
    assert "待股室审核" in tasks(team.dept_head)
    step(team.dept_head, mine.dept_review, Action.DEPT_APPROVE)
    assert "待股室审核" not in tasks(team.dept_head)
    assert "待股室审核" in tasks(team.secrecy)


def test_it_lists_the_union_for_someone_with_two_roles(team, catalogues):
    both = staff(team.agency, Role.SECRECY_REVIEWER, Role.LEADER)
    assert tasks(both) == {"待保密审查", "待领导签发"}


# -- revisions ---------------------------------------------------------------------------------


def revise(team, title: str, *, upto: Status, department=None) -> ItemRevision:
    """A revision of a newly published item of ``department`` (default: the team's), brought to ``upto``."""
    department = department or team.department
    item = team.published(title, department=department)
    other = department == team.other_department
    clerk, head = (team.other_clerk, team.other_dept_head) if other else (team.clerk, team.dept_head)
    revision = services.revision_save(note="测试修订", actor=clerk, item=item, summary=f"{title}的修订")
    if upto == Status.RETURNED:
        revision = advance_revision(team, revision, to=Status.DEPT_REVIEW)
        return services.revision_transition(actor=head, revision=revision, action=Action.RETURN, reason="改")
    if upto == Status.DISCARDED:
        return services.revision_transition(actor=clerk, revision=revision, action=Action.DISCARD)
    return advance_revision(team, revision, to=upto)


def revision_tasks(user) -> set[str]:
    return {revision.item.title for revision in selectors.revision_tasks(user)}


def revisions_of(team) -> None:
    revise(team, "修订草稿", upto=Status.DRAFT)
    revise(team, "综合股修订草稿", upto=Status.DRAFT, department=team.other_department)
    revise(team, "修订被退回", upto=Status.RETURNED)
    revise(team, "修订待股室审核", upto=Status.DEPT_REVIEW)
    revise(team, "综合股修订待审核", upto=Status.DEPT_REVIEW, department=team.other_department)
    revise(team, "修订待保密审查", upto=Status.SECRECY_REVIEW)
    revise(team, "修订待签发", upto=Status.LEADER_REVIEW)
    revise(team, "修订已生效", upto=Status.APPLIED)
    revise(team, "修订已放弃", upto=Status.DISCARDED)


EXPECTED_REVISION_TASKS = {
    "clerk": {"修订草稿", "修订被退回"},
    "other_clerk": {"综合股修订草稿"},
    "dept_head": {"修订待股室审核"},
    "other_dept_head": {"综合股修订待审核"},
    "secrecy": {"修订待保密审查"},
    "leader": {"修订待签发"},
    "leading_group": set(),
    "supervisor": set(),
}


@pytest.mark.parametrize("persona", sorted(EXPECTED_REVISION_TASKS))
def test_it_lists_exactly_the_revisions_waiting_for_each_person(team, other_team, persona):
    revisions_of(team)
    revisions_of(other_team)
    assert revision_tasks(getattr(team, persona)) == EXPECTED_REVISION_TASKS[persona]
    assert revision_tasks(getattr(other_team, persona)) == EXPECTED_REVISION_TASKS[persona]


def test_it_never_lists_another_agencys_revisions(team, other_team):
    revisions_of(team)
    revisions_of(other_team)
    for persona in PERSONAS:
        for revision in selectors.revision_tasks(getattr(team, persona)):
            assert revision.item.agency_id == team.agency.pk


def test_it_lists_no_revision_under_review_for_the_office(team):
    revisions_of(team)
    assert not revision_tasks(team.office) & {"修订草稿", "修订待股室审核", "修订待签发", "修订已生效"}


def test_it_does_not_list_clerks_returned_revisions_for_the_office(team):
    revisions_of(team)
    assert revision_tasks(team.office) == set()
