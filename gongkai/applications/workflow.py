"""The handling of a request for disclosure as a state machine (seed 004 arts. 18-21).

Plain module, no Django import. Status changes only; the clock's pauses
(consultation, fee, force majeure) and extensions are events, not states.
"""

from enum import StrEnum

from gongkai.core import statemachine
from gongkai.core.statemachine import Actor, Transition, TransitionRefused
from gongkai.organisation.roles import Role

__all__ = ["Actor", "Transition", "TransitionRefused"]


class Status(StrEnum):
    REGISTERED = "registered"
    AWAITING_CORRECTION = "awaiting_correction"
    FORWARDED = "forwarded"
    DEPT_REVIEW = "dept_review"
    SECRECY_REVIEW = "secrecy_review"
    LEADER_REVIEW = "leader_review"
    APPROVED = "approved"
    REPLIED = "replied"
    CLOSED = "closed"


STATUS_LABELS: dict[Status, str] = {
    Status.REGISTERED: "已登记，待处理",
    Status.AWAITING_CORRECTION: "待申请人补正",
    Status.FORWARDED: "承办股室办理中",
    Status.DEPT_REVIEW: "待股室负责人审核",
    Status.SECRECY_REVIEW: "待保密审查",
    Status.LEADER_REVIEW: "待领导签发",
    Status.APPROVED: "答复已审定，待送达",
    Status.REPLIED: "已答复",
    Status.CLOSED: "已终止",
}

# What the applicant sees on the query page: no internal detail of who holds the case.
PUBLIC_STATUS_LABELS: dict[Status, str] = {
    Status.REGISTERED: "已受理",
    Status.AWAITING_CORRECTION: "待补正",
    Status.FORWARDED: "办理中",
    Status.DEPT_REVIEW: "办理中",
    Status.SECRECY_REVIEW: "办理中",
    Status.LEADER_REVIEW: "办理中",
    Status.APPROVED: "办理中",
    Status.REPLIED: "已答复",
    Status.CLOSED: "已终止",
}

OPEN_STATUSES = frozenset(set(Status) - {Status.REPLIED, Status.CLOSED})


class Action(StrEnum):
    REQUEST_CORRECTION = "request_correction"
    RECEIVE_CORRECTION = "receive_correction"
    LAPSE = "lapse"
    FORWARD = "forward"
    ANSWER_ON_SPOT = "answer_on_spot"
    SUBMIT_REPLY = "submit_reply"
    DEPT_APPROVE = "dept_approve"
    SECRECY_APPROVE = "secrecy_approve"
    LEADER_SIGN = "leader_sign"
    RETURN = "return"
    ISSUE_REPLY = "issue_reply"


ACTION_LABELS: dict[Action, str] = {
    Action.REQUEST_CORRECTION: "发出补正告知",
    Action.RECEIVE_CORRECTION: "收到补正材料",
    Action.LAPSE: "逾期未补正，终止办理",
    Action.FORWARD: "转承办股室",
    Action.ANSWER_ON_SPOT: "当场答复",
    Action.SUBMIT_REPLY: "提交答复稿",
    Action.DEPT_APPROVE: "股室负责人审核通过",
    Action.SECRECY_APPROVE: "保密审查通过",
    Action.LEADER_SIGN: "领导签发",
    Action.RETURN: "退回修改",
    Action.ISSUE_REPLY: "出具答复书",
}


OFFICE = frozenset({Role.OFFICE})
TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        Action.REQUEST_CORRECTION, Status.REGISTERED, Status.AWAITING_CORRECTION, OFFICE, reason_required=True
    ),
    Transition(Action.RECEIVE_CORRECTION, Status.AWAITING_CORRECTION, Status.REGISTERED, OFFICE),
    Transition(Action.LAPSE, Status.AWAITING_CORRECTION, Status.CLOSED, OFFICE),
    Transition(Action.FORWARD, Status.REGISTERED, Status.FORWARDED, OFFICE),
    # A request forwarded to the wrong department is re-assigned by the office.
    Transition(Action.FORWARD, Status.FORWARDED, Status.FORWARDED, OFFICE),
    Transition(Action.ANSWER_ON_SPOT, Status.REGISTERED, Status.REPLIED, OFFICE),
    Transition(
        Action.SUBMIT_REPLY,
        Status.FORWARDED,
        Status.DEPT_REVIEW,
        frozenset({Role.CLERK, Role.OFFICE}),
        same_department=True,
    ),
    Transition(
        Action.DEPT_APPROVE,
        Status.DEPT_REVIEW,
        Status.SECRECY_REVIEW,
        frozenset({Role.DEPT_HEAD}),
        same_department=True,
    ),
    # The target is LEADER_REVIEW for a refusal or partial refusal (否定报备), else APPROVED.
    Transition(
        Action.SECRECY_APPROVE, Status.SECRECY_REVIEW, Status.APPROVED, frozenset({Role.SECRECY_REVIEWER})
    ),
    Transition(Action.LEADER_SIGN, Status.LEADER_REVIEW, Status.APPROVED, frozenset({Role.LEADER})),
    Transition(
        Action.RETURN,
        Status.DEPT_REVIEW,
        Status.FORWARDED,
        frozenset({Role.DEPT_HEAD}),
        reason_required=True,
        same_department=True,
    ),
    Transition(
        Action.RETURN,
        Status.SECRECY_REVIEW,
        Status.FORWARDED,
        frozenset({Role.SECRECY_REVIEWER}),
        reason_required=True,
    ),
    Transition(
        Action.RETURN, Status.LEADER_REVIEW, Status.FORWARDED, frozenset({Role.LEADER}), reason_required=True
    ),
    Transition(Action.ISSUE_REPLY, Status.APPROVED, Status.REPLIED, OFFICE),
)


WORDING = statemachine.Wording(
    noun="申请", status_labels=STATUS_LABELS, action_labels=ACTION_LABELS, reason="理由或内容"
)


def check(action: Action, source: Status, actor: Actor, reason: str = "") -> Transition:
    """The transition, or TransitionRefused with a Chinese message saying why not."""
    return statemachine.check(TRANSITIONS, action, source, actor, reason, WORDING)


def available(source: Status, actor: Actor) -> list[Transition]:
    return statemachine.available(TRANSITIONS, source, actor, WORDING)
