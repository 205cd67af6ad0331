"""The Workflow object: one answer to "who is this waiting for", pinned by hand (pure; no database).

Expectations are written out here from the review chain (seed 004 arts. 16-19) and the request
rules, not read from the tables, so a flag flipped in a table fails this file.
"""

import dataclasses
from enum import StrEnum

import pytest

from gongkai.applications import workflow as requests
from gongkai.catalogue import workflow as items
from gongkai.core.roles import Role
from gongkai.core.statemachine import (
    Actor,
    Guard,
    Holder,
    Scope,
    Transition,
    TransitionRefused,
    Waiting,
    Wording,
    Workflow,
)
from gongkai.reports import workflow as reports


class S(StrEnum):
    A = "a"
    B = "b"
    C = "c"
    D = "d"
    E = "e"


class Act(StrEnum):
    GO = "go"
    MAY = "may"


WORDS = Wording(noun="件", status_labels={s: s.value for s in S}, action_labels={a: a.value for a in Act})
CLERK_OR_OFFICE = frozenset({Role.CLERK, Role.OFFICE})
TOY = Workflow(
    (
        Transition(Act.GO, S.A, S.B, CLERK_OR_OFFICE, same_department=True, waits=Holder.AUTHOR),
        Transition(
            Act.GO, S.B, S.C, CLERK_OR_OFFICE, same_department=True, waits=Holder.AUTHOR_OR_DEPARTMENT
        ),
        Transition(Act.GO, S.C, S.D, frozenset({Role.CLERK, Role.DEPT_HEAD}), same_department=True),
        Transition(Act.GO, S.D, S.E, frozenset({Role.LEADER})),
        Transition(Act.MAY, S.D, S.D, frozenset({Role.OFFICE}), waits=Holder.NOBODY),
        Transition(Act.MAY, S.E, S.E, frozenset({Role.DEPT_HEAD}), waits=Holder.NOBODY),
    ),
    WORDS,
)


def roles(*names: Role) -> frozenset[Role]:
    return frozenset(names)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        # A clerk: drafts they wrote, returned work of the author or the department, and their
        # department's records in C (both CLERK and DEPT_HEAD listed: `<=` not `<`).
        (
            roles(Role.CLERK),
            {(S.A, Scope.AUTHOR), (S.B, Scope.AUTHOR_OR_DEPARTMENT), (S.C, Scope.DEPARTMENT)},
        ),
        # The office acts for every department, so returned work waits for it only as author.
        (roles(Role.OFFICE), {(S.A, Scope.AUTHOR), (S.B, Scope.AUTHOR)}),
        # Someone who is both: the department-bound role still gives the department's returned work.
        (
            roles(Role.CLERK, Role.OFFICE),
            {(S.A, Scope.AUTHOR), (S.B, Scope.AUTHOR_OR_DEPARTMENT), (S.C, Scope.DEPARTMENT)},
        ),
        (roles(Role.DEPT_HEAD), {(S.C, Scope.DEPARTMENT)}),
        # Holder.NOBODY rows (the office's MAY in D, the head's MAY in E) are not tasks.
        (roles(Role.LEADER), {(S.D, Scope.AGENCY)}),
        (roles(Role.AUDITOR), set()),
    ],
)
def test_waiting_for_gives_the_states_and_scopes_of_a_users_roles(who, expected):
    assert set(TOY.waiting_for(who)) == {Waiting(status, scope) for status, scope in expected}


def test_waiting_for_is_sorted_and_has_no_repeats():
    two_rows = Workflow((*TOY.table, Transition(Act.MAY, S.D, S.A, frozenset({Role.LEADER}))), WORDS)
    answer = two_rows.waiting_for(roles(Role.LEADER))
    assert answer == (Waiting(S.D, Scope.AGENCY),)
    assert TOY.waiting_for(roles(Role.CLERK)) == tuple(sorted(TOY.waiting_for(roles(Role.CLERK)), key=str))


def test_waiting_roles_leave_out_things_one_merely_may_do():
    assert TOY.waiting_roles(S.C) == roles(Role.CLERK, Role.DEPT_HEAD)
    assert TOY.waiting_roles(S.D) == roles(Role.LEADER)
    assert TOY.waiting_roles(S.E) == frozenset()


@pytest.mark.parametrize(
    ("status", "who", "is_author", "same_department", "expected"),
    [
        (S.A, roles(Role.CLERK), True, False, True),
        (S.A, roles(Role.CLERK), False, True, False),  # a draft waits for its author only
        (S.B, roles(Role.CLERK), False, True, True),  # returned: the department's clerks too
        (S.B, roles(Role.OFFICE), False, True, False),
        (S.C, roles(Role.DEPT_HEAD), False, True, True),
        (S.C, roles(Role.DEPT_HEAD), True, False, False),  # another department's head
        (S.D, roles(Role.LEADER), False, False, True),
        (S.D, roles(Role.OFFICE), True, True, False),
    ],
)
def test_is_waiting_for_applies_the_scope(status, who, is_author, same_department, expected):
    actor = Actor(roles=who, same_agency=True, same_department=same_department)
    assert TOY.is_waiting_for(status, actor, is_author=is_author) is expected


def test_a_guard_may_word_its_refusal_from_the_context():
    guard = Guard("room", lambda n: n > 0, lambda n: f"还差{1 - n}天")
    table = (Transition(Act.GO, S.A, S.B, roles(Role.OFFICE), guards=(guard,)),)
    flow = Workflow(table, WORDS)
    office = Actor(roles=roles(Role.OFFICE), same_agency=True, same_department=False)
    with pytest.raises(TransitionRefused) as info:
        flow.check(Act.GO, S.A, office, "", 0)
    assert (info.value.message, info.value.field) == ("还差1天", "")
    assert flow.allowed(Act.GO, S.A, office, 1)
    assert not flow.allowed(Act.GO, S.A, office, 0)
    assert flow.target(table[0], 1) == S.B


def test_a_refusal_names_the_field_it_concerns():
    refusal = TransitionRefused("请填写答复内容。", field="reply_text")
    assert (str(refusal), refusal.message, refusal.field) == (
        "请填写答复内容。",
        "请填写答复内容。",
        "reply_text",
    )


# -- the real workflows' answers, written out ------------------------------------------------------

I = items.Status  # noqa: E741


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (roles(Role.CLERK), {(I.DRAFT, Scope.AUTHOR), (I.RETURNED, Scope.AUTHOR_OR_DEPARTMENT)}),
        (
            roles(Role.OFFICE),
            {(I.DRAFT, Scope.AUTHOR), (I.RETURNED, Scope.AUTHOR), (I.PUBLISHED, Scope.AGENCY)},
        ),
        (roles(Role.DEPT_HEAD), {(I.DEPT_REVIEW, Scope.DEPARTMENT)}),
        (roles(Role.SECRECY_REVIEWER), {(I.SECRECY_REVIEW, Scope.AGENCY)}),
        (roles(Role.LEADER), {(I.LEADER_REVIEW, Scope.AGENCY)}),
        (roles(Role.LEADING_GROUP), {(I.NONDISCLOSURE_REVIEW, Scope.AGENCY)}),
        (roles(Role.SUPERVISOR), set()),
    ],
)
def test_catalogue_items_wait_for(who, expected):
    assert set(items.ITEM_WORKFLOW.waiting_for(who)) == {Waiting(s, scope) for s, scope in expected}


def test_catalogue_revisions_wait_like_items_until_applied():
    assert set(items.REVISION_WORKFLOW.waiting_for(roles(Role.LEADER))) == {
        Waiting(I.LEADER_REVIEW, Scope.AGENCY)
    }
    assert set(items.REVISION_WORKFLOW.waiting_for(roles(Role.OFFICE))) == {
        Waiting(I.DRAFT, Scope.AUTHOR),
        Waiting(I.RETURNED, Scope.AUTHOR),
    }


R = requests.Status


@pytest.mark.parametrize("flow", [requests.NATIONAL_WORKFLOW, requests.LEADER_APPROVES_WORKFLOW])
@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (
            roles(Role.OFFICE),
            {
                (R.REGISTERED, Scope.AGENCY),
                (R.AWAITING_CORRECTION, Scope.AGENCY),
                (R.FORWARDED, Scope.AGENCY),
                (R.APPROVED, Scope.AGENCY),
            },
        ),
        (roles(Role.CLERK), {(R.FORWARDED, Scope.DEPARTMENT)}),
        (roles(Role.DEPT_HEAD), {(R.DEPT_REVIEW, Scope.DEPARTMENT)}),
        (roles(Role.SECRECY_REVIEWER), {(R.SECRECY_REVIEW, Scope.AGENCY)}),
        # Extension decisions are things a leader may do, not steps every open case awaits.
        (roles(Role.LEADER), {(R.LEADER_REVIEW, Scope.AGENCY)}),
        (roles(Role.LEADING_GROUP), set()),
    ],
)
def test_requests_wait_for(flow, who, expected):
    assert set(flow.waiting_for(who)) == {Waiting(s, scope) for s, scope in expected}


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (R.REGISTERED, roles(Role.OFFICE)),
        (R.FORWARDED, roles(Role.CLERK, Role.OFFICE)),
        (R.DEPT_REVIEW, roles(Role.DEPT_HEAD)),
        (R.LEADER_REVIEW, roles(Role.LEADER)),
        (R.REPLIED, frozenset()),
        (R.VOIDED, frozenset()),
    ],
)
def test_a_request_waits_for_these_roles(status, expected):
    assert requests.NATIONAL_WORKFLOW.waiting_roles(status) == expected


def test_annual_reports_wait_for_the_office_then_the_review_chain():
    flow = reports.REPORT_WORKFLOW
    P = reports.Status
    assert set(flow.waiting_for(roles(Role.OFFICE))) == {
        Waiting(P.DRAFT, Scope.AGENCY),
        Waiting(P.RETURNED, Scope.AGENCY),
    }
    # The report covers every department: any department head gives the opinion.
    assert set(flow.waiting_for(roles(Role.DEPT_HEAD))) == {Waiting(P.DEPT_REVIEW, Scope.AGENCY)}
    assert flow.waiting_roles(P.PUBLISHED) == frozenset()


@pytest.mark.parametrize(
    ("value", "field"),
    [
        (TOY, "table"),
        (TOY.table[0], "roles"),
        (WORDS, "noun"),
        (Waiting(S.A, Scope.AGENCY), "scope"),
        (Actor(roles=frozenset(), same_agency=True, same_department=False), "same_agency"),
        (Guard("g", bool), "name"),
    ],
)
def test_the_rules_cannot_be_changed_once_declared(value, field):
    """Tables are shared by every request in the process: a row changed at run time would change
    the rules for everyone (mutation.md: `frozen=True` survivors)."""
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(value, field, None)


def test_a_row_defaults_to_the_least_it_can_do():
    """A row that does not say otherwise needs no reason, binds no department, has no guard, and
    makes the record wait for its roles (mutation.md: latent default survivors)."""
    row = Transition(Act.GO, S.A, S.B, roles(Role.CLERK, Role.DEPT_HEAD))
    assert (row.reason_required, row.same_department, row.findings_decision) == (False, False, False)
    assert (row.guards, row.branches, row.who, row.waits) == ((), (), "", Holder.ROLE)
    # Not department-bound, so a clerk of any department may act, and it waits agency-wide.
    flow = Workflow((row,), WORDS)
    other = Actor(roles=roles(Role.CLERK), same_agency=True, same_department=False)
    assert flow.allowed(Act.GO, S.A, other)
    assert flow.waiting_for(roles(Role.CLERK)) == (Waiting(S.A, Scope.AGENCY),)


def test_a_row_for_clerks_and_department_heads_binds_both_to_their_department():
    """`acting <= DEPARTMENT_SCOPED_ROLES`, not `<`: a row listing both department roles."""
    row = Transition(Act.GO, S.A, S.B, roles(Role.CLERK, Role.DEPT_HEAD), same_department=True)
    flow = Workflow((row,), WORDS)
    both = Actor(roles=roles(Role.CLERK, Role.DEPT_HEAD), same_agency=True, same_department=False)
    with pytest.raises(TransitionRefused) as info:
        flow.check(Act.GO, S.A, both)
    assert info.value.message == "只能办理本股室的件。"
