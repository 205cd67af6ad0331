"""The review and publication chain of the annual report (政府信息公开工作年度报告).

Plain module, no Django import. The same chain as catalogue items (seed 004 art. 16): draft →
股室 (office) opinion → confidentiality review → leader sign-off → published. A correction after
publication (更正) takes the report back to a draft with a stated correction note; the published
version stays public until the corrected one is signed off (a new version, CASS 2016 evaluation:
"changed after publication without note" is marked down; anchors §1.3 #10).

Blocking check failures (gongkai.reports.checks) refuse submission and sign-off: the guard
``checks_pass`` reads them from the context the service builds. Approving in the
confidentiality review and signing off while the text holds personal data needs the reviewer's
recorded decision (``findings_decision``, gongkai.reports.review), as for catalogue items.
"""

from dataclasses import dataclass
from enum import StrEnum

from gongkai.catalogue import workflow as items
from gongkai.core import statemachine
from gongkai.core.roles import Role
from gongkai.core.statemachine import Actor, Guard, Holder, Transition, TransitionRefused, Workflow

__all__ = ["Actor", "Transition", "TransitionRefused", "Workflow"]


class Status(StrEnum):
    DRAFT = "draft"
    DEPT_REVIEW = "dept_review"
    SECRECY_REVIEW = "secrecy_review"
    LEADER_REVIEW = "leader_review"
    RETURNED = "returned"
    PUBLISHED = "published"


# The catalogue's words for the same states and steps: one wording for one review chain.
STATUS_LABELS: dict[Status, str] = {status: items.STATUS_LABELS[items.Status(status)] for status in Status}


class Action(StrEnum):
    SUBMIT = "submit"
    DEPT_APPROVE = "dept_approve"
    SECRECY_APPROVE = "secrecy_approve"
    LEADER_SIGN = "leader_sign"
    RETURN = "return"
    CORRECT = "correct"


_ITEM_ACTIONS = {action.value for action in items.Action}
ACTION_LABELS: dict[Action, str] = {
    **{a: items.ACTION_LABELS[items.Action(a)] for a in Action if a.value in _ITEM_ACTIONS},
    Action.LEADER_SIGN: "领导签发并发布",
    Action.CORRECT: "发起更正",
}

EDITABLE_STATUSES = frozenset({Status.DRAFT, Status.RETURNED})
REVIEW_STATUSES = frozenset({Status.DEPT_REVIEW, Status.SECRECY_REVIEW, Status.LEADER_REVIEW})


@dataclass(frozen=True)
class ReportFacts:
    """What the guards need: the number of blocking check failures of the report as it stands."""

    blocking_failures: int


CHECKS_PASS = Guard(
    name="checks_pass",
    test=lambda facts: facts.blocking_failures == 0,
    refusal="年度报告存在未通过的必查项，请先更正数据或文字后再提交。",
)

_OFFICE = frozenset({Role.OFFICE})

REPORT_TRANSITIONS: tuple[Transition[Action, Status], ...] = (
    # The disclosure office compiles the report (Regulation art. 49; 30号 明确责任).
    Transition(Action.SUBMIT, Status.DRAFT, Status.DEPT_REVIEW, _OFFICE, guards=(CHECKS_PASS,)),
    Transition(Action.SUBMIT, Status.RETURNED, Status.DEPT_REVIEW, _OFFICE, guards=(CHECKS_PASS,)),
    # The report covers every department: any 股室负责人 of the agency gives the opinion.
    Transition(Action.DEPT_APPROVE, Status.DEPT_REVIEW, Status.SECRECY_REVIEW, frozenset({Role.DEPT_HEAD})),
    Transition(
        Action.SECRECY_APPROVE,
        Status.SECRECY_REVIEW,
        Status.LEADER_REVIEW,
        frozenset({Role.SECRECY_REVIEWER}),
        findings_decision=True,
    ),
    Transition(
        Action.LEADER_SIGN,
        Status.LEADER_REVIEW,
        Status.PUBLISHED,
        frozenset({Role.LEADER}),
        guards=(CHECKS_PASS,),
        findings_decision=True,
    ),
    # The report covers every department: any 股室负责人 may send it back.
    *statemachine.returns(
        Action.RETURN,
        Status.RETURNED,
        (
            (Status.DEPT_REVIEW, frozenset({Role.DEPT_HEAD}), False),
            (Status.SECRECY_REVIEW, frozenset({Role.SECRECY_REVIEWER}), False),
            (Status.LEADER_REVIEW, frozenset({Role.LEADER}), False),
        ),
    ),
    # The reason is the correction note shown with the corrected version.
    Transition(
        Action.CORRECT, Status.PUBLISHED, Status.DRAFT, _OFFICE, reason_required=True, waits=Holder.NOBODY
    ),
)

WORDING = statemachine.Wording(
    noun="年度报告",
    status_labels=STATUS_LABELS,
    action_labels=ACTION_LABELS,
    reason="理由（更正时为更正说明）",
)

REPORT_WORKFLOW = Workflow(REPORT_TRANSITIONS, WORDING)
