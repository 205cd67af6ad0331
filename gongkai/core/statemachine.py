"""The shared mechanics of the project's state machines (catalogue review, request handling).

Plain module, no Django import. Each workflow module keeps its own states,
actions, labels and transition table, and asks `check` whether a transition
may be taken; refusals carry the Chinese message staff see.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from gongkai.organisation.roles import DEPARTMENT_SCOPED_ROLES, Role


@dataclass(frozen=True)
class Transition:
    action: StrEnum
    source: StrEnum
    target: StrEnum
    roles: frozenset[Role]
    reason_required: bool = False
    # The actor must belong to the case's own department (clerk, department head).
    same_department: bool = False


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


def check(
    table: Iterable[Transition], action: StrEnum, source: StrEnum, actor: Actor, reason: str, wording: Wording
) -> Transition:
    """The transition, or TransitionRefused saying why not."""
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
        names = "、".join(sorted(r.label for r in transition.roles))
        raise TransitionRefused(f"“{name}”须由{names}办理。")
    # The office acts for every department; department-bound roles only for their own.
    if transition.same_department and acting <= DEPARTMENT_SCOPED_ROLES and not actor.same_department:
        raise TransitionRefused(f"只能办理本股室的{wording.noun}。")
    if transition.reason_required and not reason.strip():
        raise TransitionRefused(f"“{name}”须填写{wording.reason}。")
    return transition


def available(
    table: Iterable[Transition], source: StrEnum, actor: Actor, wording: Wording
) -> list[Transition]:
    """The transitions this actor may take from `source` (before giving a reason)."""
    result = []
    for transition in table:
        if transition.source != source:
            continue
        try:
            check(table, transition.action, source, actor, "-", wording)
        except TransitionRefused:
            continue
        result.append(transition)
    return result
