"""The review and publication state machine (seed 004 arts. 16-17).

Plain module, no Django import. Declares the states, actions, labels and tables of catalogue
items and their revisions, and the two `Workflow` objects built from them; the services ask
those objects (check, available, waiting_for) and decide nothing themselves.
"""

from enum import StrEnum

from gongkai.core import statemachine
from gongkai.core.roles import Role
from gongkai.core.statemachine import Actor, Holder, Transition, TransitionRefused, Workflow

__all__ = ["Actor", "Transition", "TransitionRefused", "Workflow"]


class Status(StrEnum):
    DRAFT = "draft"
    DEPT_REVIEW = "dept_review"
    SECRECY_REVIEW = "secrecy_review"
    LEADER_REVIEW = "leader_review"
    RETURNED = "returned"
    PUBLISHED = "published"
    FILED = "filed"
    WITHDRAWN = "withdrawn"
    NONDISCLOSURE_REVIEW = "nondisclosure_review"
    NOT_DISCLOSED = "not_disclosed"
    # Revisions of a published item end in one of these two.
    APPLIED = "applied"
    DISCARDED = "discarded"


STATUS_LABELS: dict[Status, str] = {
    Status.DRAFT: "草稿",
    Status.DEPT_REVIEW: "待股室审核",
    Status.SECRECY_REVIEW: "待保密审查",
    Status.LEADER_REVIEW: "待领导签发",
    Status.RETURNED: "已退回",
    Status.PUBLISHED: "已发布",
    Status.FILED: "已发布（已备案）",
    Status.WITHDRAWN: "已撤回",
    Status.NONDISCLOSURE_REVIEW: "不予公开待审批",
    Status.NOT_DISCLOSED: "不予公开",
    Status.APPLIED: "已生效",
    Status.DISCARDED: "已放弃",
}


class Action(StrEnum):
    SUBMIT = "submit"
    DEPT_APPROVE = "dept_approve"
    SECRECY_APPROVE = "secrecy_approve"
    LEADER_SIGN = "leader_sign"
    RETURN = "return"
    FILE = "file"
    WITHDRAW = "withdraw"
    PROPOSE_NONDISCLOSURE = "propose_nondisclosure"
    APPROVE_NONDISCLOSURE = "approve_nondisclosure"
    REJECT_NONDISCLOSURE = "reject_nondisclosure"
    DISCARD = "discard"


ACTION_LABELS: dict[Action, str] = {
    Action.SUBMIT: "提交审核",
    Action.DEPT_APPROVE: "股室审核通过",
    Action.SECRECY_APPROVE: "保密审查通过",
    Action.LEADER_SIGN: "领导签发",
    Action.RETURN: "退回修改",
    Action.FILE: "报上级备案",
    Action.WITHDRAW: "撤回",
    Action.PROPOSE_NONDISCLOSURE: "提请不予公开",
    Action.APPROVE_NONDISCLOSURE: "领导小组批准不予公开",
    Action.REJECT_NONDISCLOSURE: "领导小组不同意不予公开",
    Action.DISCARD: "放弃修订",
}

PUBLIC_STATUSES = frozenset({Status.PUBLISHED, Status.FILED})
EDITABLE_STATUSES = frozenset({Status.DRAFT, Status.RETURNED})
REVIEW_STATUSES = frozenset({Status.DEPT_REVIEW, Status.SECRECY_REVIEW, Status.LEADER_REVIEW})


def _review_chain(final: Status) -> list[Transition[Action, Status]]:
    """Draft → department opinion → confidentiality review → leader sign-off."""
    chain = [
        # A draft waits for its author; returned work for the author or the department's clerks.
        Transition(
            Action.SUBMIT,
            Status.DRAFT,
            Status.DEPT_REVIEW,
            frozenset({Role.CLERK, Role.OFFICE}),
            same_department=True,
            waits=Holder.AUTHOR,
        ),
        Transition(
            Action.SUBMIT,
            Status.RETURNED,
            Status.DEPT_REVIEW,
            frozenset({Role.CLERK, Role.OFFICE}),
            same_department=True,
            waits=Holder.AUTHOR_OR_DEPARTMENT,
        ),
        Transition(
            Action.DEPT_APPROVE,
            Status.DEPT_REVIEW,
            Status.SECRECY_REVIEW,
            frozenset({Role.DEPT_HEAD}),
            same_department=True,
        ),
        # Both need a recorded decision when the scan finds personal data or hidden content.
        Transition(
            Action.SECRECY_APPROVE,
            Status.SECRECY_REVIEW,
            Status.LEADER_REVIEW,
            frozenset({Role.SECRECY_REVIEWER}),
            findings_decision=True,
        ),
        Transition(
            Action.LEADER_SIGN, Status.LEADER_REVIEW, final, frozenset({Role.LEADER}), findings_decision=True
        ),
        *statemachine.returns(
            Action.RETURN,
            Status.RETURNED,
            (
                (Status.DEPT_REVIEW, frozenset({Role.DEPT_HEAD}), True),
                (Status.SECRECY_REVIEW, frozenset({Role.SECRECY_REVIEWER}), False),
                (Status.LEADER_REVIEW, frozenset({Role.LEADER}), False),
            ),
        ),
    ]
    return chain


_PROPOSERS = {
    Status.DRAFT: frozenset({Role.CLERK, Role.OFFICE}),
    Status.RETURNED: frozenset({Role.CLERK, Role.OFFICE}),
    Status.DEPT_REVIEW: frozenset({Role.DEPT_HEAD}),
    Status.SECRECY_REVIEW: frozenset({Role.SECRECY_REVIEWER}),
    Status.LEADER_REVIEW: frozenset({Role.LEADER}),
}

ITEM_TRANSITIONS: tuple[Transition[Action, Status], ...] = (
    *_review_chain(Status.PUBLISHED),
    Transition(Action.FILE, Status.PUBLISHED, Status.FILED, frozenset({Role.OFFICE})),
    # Withdrawing a public item is for the office or a leader, with the reason recorded.
    *(
        Transition(
            Action.WITHDRAW,
            source,
            Status.WITHDRAWN,
            frozenset({Role.OFFICE, Role.LEADER}),
            reason_required=True,
            waits=Holder.NOBODY,
        )
        for source in (Status.PUBLISHED, Status.FILED)
    ),
    *(
        Transition(
            Action.PROPOSE_NONDISCLOSURE,
            source,
            Status.NONDISCLOSURE_REVIEW,
            roles,
            reason_required=True,
            same_department=True,
            waits=Holder.NOBODY,
        )
        for source, roles in _PROPOSERS.items()
    ),
    Transition(
        Action.APPROVE_NONDISCLOSURE,
        Status.NONDISCLOSURE_REVIEW,
        Status.NOT_DISCLOSED,
        frozenset({Role.LEADING_GROUP}),
    ),
    Transition(
        Action.REJECT_NONDISCLOSURE,
        Status.NONDISCLOSURE_REVIEW,
        Status.RETURNED,
        frozenset({Role.LEADING_GROUP}),
        reason_required=True,
        waits=Holder.NOBODY,
    ),
)

REVISION_TRANSITIONS: tuple[Transition[Action, Status], ...] = (
    *_review_chain(Status.APPLIED),
    # A revision not yet in review may be given up by whoever may draft it.
    *(
        Transition(
            Action.DISCARD,
            source,
            Status.DISCARDED,
            frozenset({Role.CLERK, Role.OFFICE}),
            same_department=True,
            waits=Holder.NOBODY,
        )
        for source in (Status.DRAFT, Status.RETURNED)
    ),
)


WORDING = statemachine.Wording(noun="信息", status_labels=STATUS_LABELS, action_labels=ACTION_LABELS)
ITEM_WORKFLOW = Workflow(ITEM_TRANSITIONS, WORDING)
REVISION_WORKFLOW = Workflow(REVISION_TRANSITIONS, WORDING)
