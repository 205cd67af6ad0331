"""The shared mechanics of the project's state machines (catalogue review, request handling).

Plain module, no Django import. Each workflow module keeps its own states,
actions, labels and transition table, and asks `check` whether a transition
may be taken; refusals carry the Chinese message staff see.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from gongkai.organisation.roles import DEPARTMENT_SCOPED_ROLES, Role


@dataclass(frozen=True)
class Guard:
    """A named rule a transition obeys: a pure predicate on the workflow's context.

    ``test(context)`` is True when the transition may be taken; otherwise ``refusal`` (Chinese,
    shown to staff) says why not. The context is a small frozen dataclass each workflow defines
    (e.g. the request's facts: dates, outcome, clock); guards never touch the database.
    """

    name: str
    test: Callable[[Any], bool]
    refusal: str = ""


@dataclass(frozen=True)
class Transition:
    action: StrEnum
    source: StrEnum
    target: StrEnum
    roles: frozenset[Role]
    reason_required: bool = False
    # The actor must belong to the case's own department (clerk, department head).
    same_department: bool = False
    # Guard: findings of the personal-data and hidden-content scan (gongkai.core.review_findings)
    # need the actor's explicit, recorded decision before this transition is taken.
    findings_decision: bool = False
    # Named rules checked after roles and reason, in order; the first that fails refuses.
    guards: tuple[Guard, ...] = ()
    # Conditional targets: the first (condition, target) whose condition holds wins, else `target`.
    branches: tuple[tuple[Guard, StrEnum], ...] = ()
    # Who may take it, as staff call them, when the role labels do not say it (e.g. a rule set's
    # 政务公开工作机构负责人); used in the refusal to anyone else.
    who: str = ""


class TransitionRefused(Exception):
    """A transition the state machine or the actor's role does not allow."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Actor:
    """What the rules need to know about the person acting."""

    roles: frozenset[Role]
    same_agency: bool
    same_department: bool


@dataclass(frozen=True)
class Wording:
    """How refusals name the thing handled, e.g. 信息 (catalogue items) or 申请 (requests)."""

    noun: str
    status_labels: Mapping[StrEnum, str]
    action_labels: Mapping[StrEnum, str]
    reason: str = "理由"


def _context_for(transition: Transition, context: object | None) -> object:
    if context is None:
        raise TypeError(f"“{transition.action}” has guards or branches and needs a context")
    return context


def target(transition: Transition, context: object | None = None) -> StrEnum:
    """Where the transition leads in this context: the first branch that holds, else its target."""
    for condition, branch_target in transition.branches:
        if condition.test(_context_for(transition, context)):
            return branch_target
    return transition.target


def check(
    table: Iterable[Transition],
    action: StrEnum,
    source: StrEnum,
    actor: Actor,
    reason: str,
    wording: Wording,
    context: object | None = None,
) -> Transition:
    """The transition, or TransitionRefused saying why not.

    Order: own agency, a row for (action, source), role, department, reason, then each guard with
    ``context`` (required when the row has guards; TypeError otherwise, a programming error).
    """
    if not actor.same_agency:
        raise TransitionRefused(f"只能办理本机关的{wording.noun}。")
    name = wording.action_labels[action]
    for transition in table:
        if transition.action == action and transition.source == source:
            break
    else:
        raise TransitionRefused(f"当前状态为“{wording.status_labels[source]}”，不能执行“{name}”。")
    acting = actor.roles & transition.roles
    if not acting:
        names = transition.who or "、".join(sorted(r.label for r in transition.roles))
        raise TransitionRefused(f"“{name}”须由{names}办理。")
    # The office acts for every department; department-bound roles only for their own.
    if transition.same_department and acting <= DEPARTMENT_SCOPED_ROLES and not actor.same_department:
        raise TransitionRefused(f"只能办理本股室的{wording.noun}。")
    if transition.reason_required and not reason.strip():
        raise TransitionRefused(f"“{name}”须填写{wording.reason}。")
    for guard in transition.guards:
        if not guard.test(_context_for(transition, context)):
            raise TransitionRefused(guard.refusal)
    return transition


def available(
    table: Iterable[Transition],
    source: StrEnum,
    actor: Actor,
    wording: Wording,
    context: object | None = None,
) -> list[Transition]:
    """The transitions this actor may take from `source` (before giving a reason; guards included)."""
    result = []
    for transition in table:
        if transition.source != source:
            continue
        try:
            check(table, transition.action, source, actor, "-", wording, context)
        except TransitionRefused:
            continue
        result.append(transition)
    return result
