"""The shared mechanics of the project's state machines (catalogue review, requests, reports).

Plain module, no Django import. A workflow module declares its states, actions, labels and
transition table and builds one `Workflow(table, wording)`; everything else asks that object:
`check` (may this transition be taken, or the Chinese refusal staff see), `available` (what the
page offers), `target` (where a row leads in this context) and `waiting_for` (in which states a
record waits for staff with these roles: the task lists and the reminders).
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Generic, TypeVar

from gongkai.core.roles import DEPARTMENT_SCOPED_ROLES, Role


@dataclass(frozen=True)
class Guard:
    """A named rule a transition obeys: a pure predicate on the workflow's context.

    ``test(context)`` is True when the transition may be taken; otherwise ``refusal`` (Chinese,
    shown to staff) says why not — a text, or a function of the context when the reason depends
    on it (e.g. the clock's own words for why no extension is possible). The context is a small
    frozen dataclass each workflow defines (e.g. the request's facts: dates, outcome, clock);
    guards never touch the database.
    """

    name: str
    test: Callable[[Any], bool]
    refusal: str | Callable[[Any], str] = ""
    # The form field the refusal concerns ("" for the action as a whole): shown beside it.
    field: str = ""

    def refusal_for(self, context: object) -> str:
        """The refusal text for this context."""
        return self.refusal(context) if callable(self.refusal) else self.refusal


# A workflow's own action and state enums (each workflow module declares its two).
A = TypeVar("A", bound=StrEnum)
S = TypeVar("S", bound=StrEnum)


class Holder(StrEnum):
    """Whom a transition row makes the record wait for (task lists, reminders)."""

    # Staff with one of the row's roles (department-bound roles: their own department's records
    # when the row is ``same_department``).
    ROLE = "role"
    # Only the record's author (a draft waits for whoever wrote it).
    AUTHOR = "author"
    # The author, or department-bound staff of the record's department (returned work).
    AUTHOR_OR_DEPARTMENT = "author_or_department"
    # Nobody: a thing one *may* do (record a clock event, withdraw), not a step the record awaits.
    NOBODY = "nobody"


class Scope(StrEnum):
    """Which records of a state wait for a given user (see Workflow.waiting_for)."""

    AGENCY = "agency"  # every record of the user's agency
    DEPARTMENT = "department"  # those of the user's department
    AUTHOR = "author"  # those the user wrote
    AUTHOR_OR_DEPARTMENT = "author_or_department"


@dataclass(frozen=True)
class Waiting(Generic[S]):
    """Records in ``status`` wait for the user, within ``scope``."""

    status: S
    scope: Scope


@dataclass(frozen=True)
class Transition(Generic[A, S]):
    """One row of a workflow's table: ``action`` from ``source`` leads to ``target``."""

    action: A
    source: S
    target: S
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
    branches: tuple[tuple[Guard, S], ...] = ()
    # Who may take it, as staff call them, when the role labels do not say it (e.g. a rule set's
    # 政务公开工作机构负责人); used in the refusal to anyone else.
    who: str = ""
    # Whom the record waits for while this row is open (Holder.NOBODY: not a task).
    waits: Holder = Holder.ROLE


class TransitionRefused(Exception):
    """The one domain refusal: an action the rules, the actor's role or the input do not allow.

    ``message`` is the Chinese text shown to staff; ``field`` names the form field it concerns
    ("" when it concerns the action as a whole), so a page can show it beside that field.
    """

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Actor:
    """What the rules need to know about the person acting."""

    roles: frozenset[Role]
    same_agency: bool
    same_department: bool


@dataclass(frozen=True)
class Wording(Generic[S, A]):
    """How refusals name the thing handled, e.g. 信息 (catalogue items) or 申请 (requests)."""

    noun: str
    status_labels: Mapping[S, str]
    action_labels: Mapping[A, str]
    reason: str = "理由"


def returns(
    action: A, target: S, reviewers: Iterable[tuple[S, frozenset[Role], bool]]
) -> tuple[Transition[A, S], ...]:
    """A review chain's "send back" rows: for each (state, the reviewers' roles, own department
    only), ``action`` from that state to ``target`` with a stated reason. Sending back is a
    thing a reviewer may do, not a step the record waits for (Holder.NOBODY)."""
    return tuple(
        Transition(
            action,
            source,
            target,
            roles,
            reason_required=True,
            same_department=same_department,
            waits=Holder.NOBODY,
        )
        for source, roles, same_department in reviewers
    )


def _context_for(transition: Transition[A, S], context: object | None) -> object:
    if context is None:
        raise TypeError(f"“{transition.action}” has guards or branches and needs a context")
    return context


def target(transition: Transition[A, S], context: object | None = None) -> S:
    """Where the transition leads in this context: the first branch that holds, else its target."""
    for condition, branch_target in transition.branches:
        if condition.test(_context_for(transition, context)):
            return branch_target
    return transition.target


def check(
    table: Iterable[Transition[A, S]],
    action: A,
    source: S,
    actor: Actor,
    reason: str,
    wording: Wording[S, A],
    context: object | None = None,
) -> Transition[A, S]:
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
        raise TransitionRefused(f"“{name}”须填写{wording.reason}。", field="reason")
    for guard in transition.guards:
        if not guard.test(_context_for(transition, context)):
            raise TransitionRefused(guard.refusal_for(context), field=guard.field)
    return transition


def available(
    table: Iterable[Transition[A, S]],
    source: S,
    actor: Actor,
    wording: Wording[S, A],
    context: object | None = None,
) -> list[Transition[A, S]]:
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


def _scope(transition: Transition[A, S], acting: frozenset[Role]) -> Scope:
    department_bound = bool(acting & DEPARTMENT_SCOPED_ROLES)
    if transition.waits == Holder.AUTHOR:
        return Scope.AUTHOR
    if transition.waits == Holder.AUTHOR_OR_DEPARTMENT:
        return Scope.AUTHOR_OR_DEPARTMENT if department_bound else Scope.AUTHOR
    if transition.same_department and acting <= DEPARTMENT_SCOPED_ROLES:
        return Scope.DEPARTMENT
    return Scope.AGENCY


@dataclass(frozen=True)
class Workflow(Generic[A, S]):
    """One state machine: its table of transitions and the words its refusals use.

    The only place a workflow's rules are decided; services call `check` before they write, pages
    call `available` to offer buttons, task lists and reminders call `waiting_for`/`waiting_roles`.
    """

    table: tuple[Transition[A, S], ...]
    wording: Wording[S, A]

    def check(
        self,
        action: A,
        source: S,
        actor: Actor,
        reason: str = "",
        context: object | None = None,
    ) -> Transition[A, S]:
        """The transition, or TransitionRefused saying why not (see the module function `check`)."""
        return check(self.table, action, source, actor, reason, self.wording, context)

    def available(self, source: S, actor: Actor, context: object | None = None) -> list[Transition[A, S]]:
        """The transitions this actor may take from ``source`` now (reason not yet given)."""
        return available(self.table, source, actor, self.wording, context)

    def allowed(self, action: A, source: S, actor: Actor, context: object | None = None) -> bool:
        """Whether ``action`` would be allowed (given a reason where one is needed)."""
        try:
            self.check(action, source, actor, "-", context)
        except TransitionRefused:
            return False
        return True

    def target(self, transition: Transition[A, S], context: object | None = None) -> S:
        """Where ``transition`` leads in this context (its first branch that holds, else its target)."""
        return target(transition, context)

    def waiting_for(self, roles: frozenset[Role]) -> tuple[Waiting[S], ...]:
        """The states in which a record waits for staff with ``roles``, each with its scope.

        A state waits for them when a row from it (other than Holder.NOBODY) lists one of their
        roles; guards are not consulted (they depend on the record). Sorted, without repeats.
        """
        found: set[Waiting[S]] = set()
        for transition in self.table:
            acting = roles & transition.roles
            if transition.waits == Holder.NOBODY or not acting:
                continue
            found.add(Waiting(transition.source, _scope(transition, acting)))
        return tuple(sorted(found, key=lambda w: (str(w.status), str(w.scope))))

    def waiting_roles(self, source: S) -> frozenset[Role]:
        """The roles a record in ``source`` waits for (the rows from it other than Holder.NOBODY)."""
        roles: set[Role] = set()
        for transition in self.table:
            if transition.source == source and transition.waits != Holder.NOBODY:
                roles |= transition.roles
        return frozenset(roles)

    def is_waiting_for(self, source: S, actor: Actor, *, is_author: bool = False) -> bool:
        """Whether a record in ``source`` waits for this actor (own agency assumed by the caller)."""
        for waiting in self.waiting_for(actor.roles):
            if waiting.status != source:
                continue
            if waiting.scope == Scope.AGENCY:
                return True
            if waiting.scope in (Scope.AUTHOR, Scope.AUTHOR_OR_DEPARTMENT) and is_author:
                return True
            if waiting.scope in (Scope.DEPARTMENT, Scope.AUTHOR_OR_DEPARTMENT) and actor.same_department:
                return True
        return False
