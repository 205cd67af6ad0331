"""The review and publication rules on their own: no database, every row of both tables."""

import contextlib
import itertools
import re

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from gongkai.catalogue.workflow import (
    ACTION_LABELS,
    EDITABLE_STATUSES,
    ITEM_TRANSITIONS,
    PUBLIC_STATUSES,
    REVISION_TRANSITIONS,
    STATUS_LABELS,
    WORDING,
    Action,
    Actor,
    Status,
    Transition,
    TransitionRefused,
)
from gongkai.core.roles import DEPARTMENT_SCOPED_ROLES, Role
from gongkai.core.statemachine import Workflow


def check_transition(table, action, source, actor, reason):
    return Workflow(table, WORDING).check(action, source, actor, reason)


def available_actions(table, source, actor):
    return Workflow(table, WORDING).available(source, actor)


TABLES = {"item": ITEM_TRANSITIONS, "revision": REVISION_TRANSITIONS}
CHINESE = re.compile(r"[\u4e00-\u9fff]")
REASON = "内容需要补充"
HYPOTHESIS = settings(database=None, deadline=None, max_examples=200)


def actor(*roles: Role, same_agency: bool = True, same_department: bool = True) -> Actor:
    return Actor(roles=frozenset(roles), same_agency=same_agency, same_department=same_department)


def _id(transition: Transition) -> str:
    return f"{transition.action}-from-{transition.source}"


def _rows(predicate=lambda table_name, transition, role: True):
    """(table name, transition, role) for every role of every transition, with readable ids."""
    return [
        pytest.param(name, transition, role, id=f"{name}-{_id(transition)}-{role}")
        for name, table in TABLES.items()
        for transition in table
        for role in sorted(transition.roles)
        if predicate(name, transition, role)
    ]


def _other_roles():
    return [
        pytest.param(name, transition, role, id=f"{name}-{_id(transition)}-{role}")
        for name, table in TABLES.items()
        for transition in table
        for role in sorted(set(Role) - transition.roles)
    ]


def _refused(table, action, source, who, reason=REASON) -> str:
    with pytest.raises(TransitionRefused) as caught:
        check_transition(table, action, source, who, reason)
    message = caught.value.message
    assert CHINESE.search(message), message
    assert str(caught.value) == message
    return message


# -- the tables themselves -------------------------------------------------------------------


@pytest.mark.parametrize("name", TABLES)
def test_it_has_one_transition_per_action_and_state(name):
    pairs = [(t.action, t.source) for t in TABLES[name]]
    assert len(pairs) == len(set(pairs))


def test_it_labels_every_status_and_action_in_chinese():
    assert set(STATUS_LABELS) == set(Status)
    assert set(ACTION_LABELS) == set(Action)
    for label in [*STATUS_LABELS.values(), *ACTION_LABELS.values()]:
        assert CHINESE.search(label)


def test_it_publishes_an_item_only_by_leader_sign_from_leader_review():
    into_public = [t for t in ITEM_TRANSITIONS if t.target in PUBLIC_STATUSES]
    assert {(t.action, t.source, t.target) for t in into_public} == {
        (Action.LEADER_SIGN, Status.LEADER_REVIEW, Status.PUBLISHED),
        (Action.FILE, Status.PUBLISHED, Status.FILED),
    }


def test_it_applies_a_revision_only_by_leader_sign_from_leader_review():
    applied = [t for t in REVISION_TRANSITIONS if t.target == Status.APPLIED]
    assert [(t.action, t.source) for t in applied] == [(Action.LEADER_SIGN, Status.LEADER_REVIEW)]


def test_it_leaves_no_way_out_of_withdrawn_or_not_disclosed_or_finished_revisions():
    assert not [t for t in ITEM_TRANSITIONS if t.source in (Status.WITHDRAWN, Status.NOT_DISCLOSED)]
    assert not [t for t in REVISION_TRANSITIONS if t.source in (Status.APPLIED, Status.DISCARDED)]


def test_it_lets_only_the_leading_group_decide_not_to_disclose():
    deciding = [t for t in ITEM_TRANSITIONS if t.source == Status.NONDISCLOSURE_REVIEW]
    assert {t.action for t in deciding} == {Action.APPROVE_NONDISCLOSURE, Action.REJECT_NONDISCLOSURE}
    assert all(t.roles == {Role.LEADING_GROUP} for t in deciding)
    assert [t.target for t in ITEM_TRANSITIONS if t.target == Status.NOT_DISCLOSED] == [Status.NOT_DISCLOSED]


# -- allowed ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "transition", "role"), _rows())
def test_it_allows_each_transition_for_its_roles(name, transition, role):
    table = TABLES[name]
    result = check_transition(table, transition.action, transition.source, actor(role), REASON)
    assert result == transition


@pytest.mark.parametrize(
    ("name", "transition", "role"),
    _rows(lambda name, transition, role: role not in DEPARTMENT_SCOPED_ROLES),
)
def test_it_lets_agency_wide_roles_act_for_any_department(name, transition, role):
    who = actor(role, same_department=False)
    assert check_transition(TABLES[name], transition.action, transition.source, who, REASON) == transition


@pytest.mark.parametrize(
    ("name", "transition", "role"),
    _rows(lambda name, transition, role: not transition.reason_required),
)
def test_it_needs_no_reason_where_none_is_required(name, transition, role):
    assert check_transition(TABLES[name], transition.action, transition.source, actor(role), "") == transition


def test_it_lets_a_clerk_who_is_also_the_office_act_for_another_department():
    who = actor(Role.CLERK, Role.OFFICE, same_department=False)
    transition = check_transition(ITEM_TRANSITIONS, Action.SUBMIT, Status.DRAFT, who, "")
    assert transition.target == Status.DEPT_REVIEW


# -- refused ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "transition", "role"), _other_roles())
def test_it_refuses_every_other_role(name, transition, role):
    message = _refused(TABLES[name], transition.action, transition.source, actor(role))
    assert ACTION_LABELS[transition.action] in message
    assert "须由" in message
    for allowed in transition.roles:
        assert allowed.label in message


@pytest.mark.parametrize(("name", "transition"), [(n, t) for n, table in TABLES.items() for t in table])
def test_it_refuses_someone_without_any_role(name, transition):
    _refused(TABLES[name], transition.action, transition.source, actor())


@pytest.mark.parametrize(("name", "transition", "role"), _rows())
def test_it_refuses_staff_of_another_agency(name, transition, role):
    who = actor(role, same_agency=False)
    message = _refused(TABLES[name], transition.action, transition.source, who)
    assert message == "只能办理本机关的信息。"


@pytest.mark.parametrize(("name", "transition"), [(n, t) for n, table in TABLES.items() for t in table])
def test_it_refuses_another_agency_whatever_roles_it_holds(name, transition):
    who = actor(*Role, same_agency=False)
    assert _refused(TABLES[name], transition.action, transition.source, who) == "只能办理本机关的信息。"


@pytest.mark.parametrize(
    ("name", "transition", "role"),
    _rows(lambda name, transition, role: transition.same_department and role in DEPARTMENT_SCOPED_ROLES),
)
def test_it_refuses_a_department_bound_role_of_another_department(name, transition, role):
    who = actor(role, same_department=False)
    assert _refused(TABLES[name], transition.action, transition.source, who) == "只能办理本股室的信息。"


def test_it_refuses_a_clerk_and_head_of_another_department_holding_both_roles():
    who = actor(Role.CLERK, Role.DEPT_HEAD, same_department=False)
    message = _refused(ITEM_TRANSITIONS, Action.DEPT_APPROVE, Status.DEPT_REVIEW, who)
    assert message == "只能办理本股室的信息。"


@pytest.mark.parametrize(
    ("name", "transition", "role"),
    _rows(lambda name, transition, role: transition.reason_required),
)
@pytest.mark.parametrize("reason", ["", "   ", "\n\t　"])
def test_it_refuses_a_missing_reason_where_one_is_required(name, transition, role, reason):
    message = _refused(TABLES[name], transition.action, transition.source, actor(role), reason)
    assert message == f"“{ACTION_LABELS[transition.action]}”须填写理由。"


def test_it_requires_a_reason_to_return_withdraw_and_propose_or_reject_nondisclosure():
    needing = {t.action for t in ITEM_TRANSITIONS if t.reason_required}
    assert needing == {
        Action.RETURN,
        Action.WITHDRAW,
        Action.PROPOSE_NONDISCLOSURE,
        Action.REJECT_NONDISCLOSURE,
    }
    assert {t.action for t in REVISION_TRANSITIONS if t.reason_required} == {Action.RETURN}


def _pairs_not_in(table):
    present = {(t.action, t.source) for t in table}
    return [(a, s) for a, s in itertools.product(Action, Status) if (a, s) not in present]


@pytest.mark.parametrize(
    ("name", "action", "source"),
    [
        pytest.param(name, action, source, id=f"{name}-{action}-from-{source}")
        for name, table in TABLES.items()
        for action, source in _pairs_not_in(table)
    ],
)
def test_it_refuses_every_action_not_in_the_table_even_for_someone_with_every_role(name, action, source):
    message = _refused(TABLES[name], action, source, actor(*Role))
    assert message == f"当前状态为“{STATUS_LABELS[source]}”，不能执行“{ACTION_LABELS[action]}”。"


# -- available actions -----------------------------------------------------------------------


@pytest.mark.parametrize("name", TABLES)
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("same_department", [True, False])
def test_it_offers_exactly_the_actions_the_rules_allow(name, role, same_department):
    table = TABLES[name]
    who = actor(role, same_department=same_department)
    for source in Status:
        expected = [
            t
            for t in table
            if t.source == source
            and role in t.roles
            and (same_department or not t.same_department or role not in DEPARTMENT_SCOPED_ROLES)
        ]
        assert available_actions(table, source, who) == expected


@pytest.mark.parametrize("name", TABLES)
def test_it_offers_nothing_to_another_agency(name):
    who = actor(*Role, same_agency=False)
    assert all(available_actions(TABLES[name], source, who) == [] for source in Status)


def test_it_offers_a_clerk_submit_and_nondisclosure_on_a_draft():
    actions = [t.action for t in available_actions(ITEM_TRANSITIONS, Status.DRAFT, actor(Role.CLERK))]
    assert actions == [Action.SUBMIT, Action.PROPOSE_NONDISCLOSURE]
    revision_actions = [
        t.action for t in available_actions(REVISION_TRANSITIONS, Status.DRAFT, actor(Role.CLERK))
    ]
    assert revision_actions == [Action.SUBMIT, Action.DISCARD]


# -- any sequence of actions -----------------------------------------------------------------

REASONS = st.sampled_from(["", "  ", REASON])


@st.composite
def attempts(draw, table, max_steps=40):
    """Attempts by anyone at anything; half of them aimed at a move the current state offers,
    so that long runs through the review chain are common, not only refusals."""
    state = Status.DRAFT
    steps = []
    for _ in range(draw(st.integers(0, max_steps))):
        offered = [t for t in table if t.source == state]
        if offered and draw(st.booleans()):
            aimed = draw(st.sampled_from(offered))
            action = aimed.action
            roles = draw(
                st.one_of(
                    st.frozensets(st.sampled_from(sorted(aimed.roles)), min_size=1),
                    st.frozensets(st.sampled_from(list(Role)), max_size=3),
                )
            )
        else:
            action = draw(st.sampled_from(list(Action)))
            roles = draw(st.frozensets(st.sampled_from(list(Role)), max_size=3))
        who = Actor(
            roles=roles,
            same_agency=draw(st.sampled_from([True, True, True, False])),
            same_department=draw(st.sampled_from([True, True, True, False])),
        )
        step = (action, who, draw(REASONS))
        steps.append(step)
        with contextlib.suppress(TransitionRefused):
            state = check_transition(table, action, state, who, step[2]).target
    return steps


def _walk(table, start, steps):
    """Apply each attempt the rules allow; return (transition, actor, reason) for each that passed."""
    state = start
    taken = []
    for action, who, reason in steps:
        try:
            transition = check_transition(table, action, state, who, reason)
        except TransitionRefused:
            continue
        assert transition.source == state
        state = transition.target
        taken.append((transition, who, reason))
    return taken


def _assert_reached_through_the_review_chain(taken, final):
    """Entering `final` must be the last of submit → dept → secrecy → leader, each by the right person."""
    for i, (transition, _, _) in enumerate(taken):
        if transition.target != final:
            continue
        chain = [t.action for t, _, _ in taken[max(0, i - 3) : i + 1]]
        assert chain == [Action.SUBMIT, Action.DEPT_APPROVE, Action.SECRECY_APPROVE, Action.LEADER_SIGN]
        (submit, submitter, _), (_, head, _), (_, reviewer, _), (_, leader, _) = taken[i - 3 : i + 1]
        assert submit.source in EDITABLE_STATUSES
        assert Role.DEPT_HEAD in head.roles and head.same_department
        assert Role.SECRECY_REVIEWER in reviewer.roles
        assert Role.LEADER in leader.roles
        assert submitter.roles & {Role.CLERK, Role.OFFICE}


@HYPOTHESIS
@given(attempts(ITEM_TRANSITIONS))
def test_it_only_ever_moves_an_item_along_the_table(steps):
    rows = {(t.action, t.source, t.target) for t in ITEM_TRANSITIONS}
    taken = _walk(ITEM_TRANSITIONS, Status.DRAFT, steps)
    event(f"reached {taken[-1][0].target if taken else Status.DRAFT}")
    for transition, who, reason in taken:
        assert (transition.action, transition.source, transition.target) in rows
        assert who.same_agency
        assert who.roles & transition.roles
        if transition.reason_required:
            assert reason.strip()
    _assert_reached_through_the_review_chain(taken, Status.PUBLISHED)
    for i, (transition, _, _) in enumerate(taken):
        if transition.target == Status.FILED:
            assert transition.action == Action.FILE
            assert taken[i - 1][0].target == Status.PUBLISHED
            _assert_reached_through_the_review_chain(taken[:i], Status.PUBLISHED)
        if transition.target == Status.NOT_DISCLOSED:
            assert taken[i - 1][0].action == Action.PROPOSE_NONDISCLOSURE
            assert Role.LEADING_GROUP in taken[i][1].roles


@HYPOTHESIS
@given(attempts(REVISION_TRANSITIONS))
def test_it_only_ever_applies_a_revision_through_the_review_chain(steps):
    rows = {(t.action, t.source, t.target) for t in REVISION_TRANSITIONS}
    taken = _walk(REVISION_TRANSITIONS, Status.DRAFT, steps)
    event(f"reached {taken[-1][0].target if taken else Status.DRAFT}")
    for transition, who, _ in taken:
        assert (transition.action, transition.source, transition.target) in rows
        assert who.same_agency
    _assert_reached_through_the_review_chain(taken, Status.APPLIED)
    # Nothing happens to a revision once it has been applied or discarded.
    ends = [i for i, (t, _, _) in enumerate(taken) if t.target in (Status.APPLIED, Status.DISCARDED)]
    assert not ends or ends[0] == len(taken) - 1


def test_it_publishes_along_the_chain_when_each_person_acts_in_turn():
    steps = [
        (Action.SUBMIT, actor(Role.CLERK), ""),
        (Action.DEPT_APPROVE, actor(Role.DEPT_HEAD), ""),
        (Action.SECRECY_APPROVE, actor(Role.SECRECY_REVIEWER, same_department=False), ""),
        (Action.LEADER_SIGN, actor(Role.LEADER, same_department=False), ""),
        (Action.FILE, actor(Role.OFFICE, same_department=False), ""),
    ]
    taken = _walk(ITEM_TRANSITIONS, Status.DRAFT, steps)
    assert [t.target for t, _, _ in taken] == [
        Status.DEPT_REVIEW,
        Status.SECRECY_REVIEW,
        Status.LEADER_REVIEW,
        Status.PUBLISHED,
        Status.FILED,
    ]
