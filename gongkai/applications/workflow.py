"""The handling of a request for disclosure as a state machine (seed 004 arts. 18-21).

Plain module, no Django import. Declares the states, actions, labels, guards and table of
request handling and the two `Workflow` objects built from them (the national rule set and the
one where only the leader approves extensions). Every rule of request handling is a row of the
table (who may do what from which state, with or without a reason) or a named guard the row lists
(a pure predicate on the case's facts, CaseFacts, with the refusal staff see). The services obey
only the workflow; the case page offers exactly what `Workflow.available` returns.
The clock's pauses (consultation, fee, force majeure) and extensions are events, not states: their
actions are rows that stay in the same state. The clock's own arithmetic (how long an extension
may be, whether a date fits the history) stays in gongkai.workdays.clock.
"""

import datetime
from dataclasses import dataclass
from enum import StrEnum

from gongkai.applications.outcomes import OUTCOMES
from gongkai.core import statemachine
from gongkai.core.roles import Role
from gongkai.core.statemachine import Actor, Guard, Holder, Transition, TransitionRefused, Workflow
from gongkai.workdays.clock import LAPSED_CORRECTION, LAPSED_FEE, PAUSES, EventKind

__all__ = ["Actor", "CaseFacts", "Guard", "Transition", "TransitionRefused", "Workflow"]


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
    VOIDED = "voided"  # 作废: a repeat of another case, set aside without a statutory outcome


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
    Status.VOIDED: "已作废（重复提交）",
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
    Status.VOIDED: "已作废（重复提交）",
}

OPEN_STATUSES = frozenset(set(Status) - {Status.REPLIED, Status.CLOSED, Status.VOIDED})
# The cases statistics and the annual report count: every case but those voided as repeats.
REPORTED_STATUSES = frozenset(set(Status) - {Status.VOIDED})
# A repeat may be voided only before a reply is drafted into review.
VOIDABLE_STATUSES = (Status.REGISTERED, Status.AWAITING_CORRECTION, Status.FORWARDED)
# Where the office may still ask for a correction (within the art. 30 window): before and after
# forwarding, not once a reply is in review.
CORRECTABLE_STATUSES = (Status.REGISTERED, Status.FORWARDED)


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
    FEE_LAPSE = "fee_lapse"
    VOID = "void"
    # Actions that keep the state (the reply draft, the clock's events, extensions).
    SAVE_REPLY_DRAFT = "save_reply_draft"
    START_CONSULTATION = "consultation_start"
    RECORD_CONSULTATION_ANSWER = "consultation_answer"
    SEND_FEE_NOTICE = "fee_notice"
    RECORD_FEE_PAID = "fee_paid"
    SUSPEND = "suspend"
    RESUME = "resume"
    REQUEST_EXTENSION = "extension_request"
    APPROVE_EXTENSION = "extension_approve"
    REJECT_EXTENSION = "extension_reject"
    RECORD_DELIVERY = "notice_delivered"
    RECORD_APPEAL = "appeal"
    TO_CATALOGUE = "to_catalogue"


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
    Action.FEE_LAPSE: "终止办理（逾期未缴费）",
    Action.VOID: "作废（重复提交）",
    Action.SAVE_REPLY_DRAFT: "保存答复稿",
    Action.START_CONSULTATION: "征求第三方意见",
    Action.RECORD_CONSULTATION_ANSWER: "记录第三方意见",
    Action.SEND_FEE_NOTICE: "发出收费通知",
    Action.RECORD_FEE_PAID: "记录缴费",
    Action.SUSPEND: "中止办理",
    Action.RESUME: "恢复办理",
    Action.REQUEST_EXTENSION: "申请延期",
    Action.APPROVE_EXTENSION: "批准延期",
    Action.REJECT_EXTENSION: "不批准延期",
    Action.RECORD_DELIVERY: "登记送达",
    Action.RECORD_APPEAL: "记录行政复议或行政诉讼",
    Action.TO_CATALOGUE: "转为主动公开",
}

# The actions offered as buttons on the case page; the others have forms of their own.
STATUS_ACTIONS = frozenset(
    {
        Action.REQUEST_CORRECTION,
        Action.RECEIVE_CORRECTION,
        Action.LAPSE,
        Action.FORWARD,
        Action.ANSWER_ON_SPOT,
        Action.SUBMIT_REPLY,
        Action.DEPT_APPROVE,
        Action.SECRECY_APPROVE,
        Action.LEADER_SIGN,
        Action.RETURN,
        Action.ISSUE_REPLY,
        Action.FEE_LAPSE,
        Action.VOID,
    }
)

# Recorded only by LAPSE / FEE_LAPSE once the period has run out (annual report 其他处理 1 and 2).
LAPSE_OUTCOMES = frozenset({"other_no_correction", "other_fee_unpaid"})
DISCLOSING_OUTCOMES = frozenset({"disclosed", "partial"})
CORRECTION_DAYS = range(1, 31)


@dataclass(frozen=True)
class CaseFacts:
    """What the guards know of a request when an action is tried (services.case_facts builds it).

    Dates are China dates. ``on`` is the day the action is recorded for (default today);
    ``lapsed`` is the clock's lapse (workdays.clock.LAPSED_*) or None; ``department_ok`` is whether
    the department chosen for a forward belongs to the case's agency; ``leader_approves_extensions``
    is the agency's rule set saying only the leader approves (seed 004 art. 20);
    ``suspected_duplicate`` is the intake's 疑似重复 flag (a same-day case of the same applicant);
    ``open_pauses`` the clock's pauses still open (start event kinds, workdays.clock.PAUSES);
    ``sent_to_catalogue`` whether the reply has already been turned into a catalogue draft;
    ``department_chosen`` whether a forward names a department at all (there is no default),
    ``department_changes`` whether it names another than the one already handling the case;
    ``forwarded`` whether a department already handles the case; ``correction_asked`` whether a
    correction has been asked for (once only), ``correction_notice_due`` the clock's last day for
    asking (None: not known, no limit applied), ``correction_notice_days`` the rule set's period
    for it (art. 30);
    ``extension_refusal`` the clock's reason no extension (of even one working day) may be asked
    for now, ``approval_refusal`` its reason the pending extension may not be granted now ("" when
    they may; workdays.clock.extension_refusal); ``correction_undelivered`` whether a correction is
    awaited while its notice's delivery failed (workdays.clock: no correction period has started);
    ``fee_notice_undelivered`` the same for an unpaid fee's notice (no payment period has started).
    """

    today: datetime.date
    on: datetime.date
    received_on: datetime.date
    outcome: str = ""
    has_reply_text: bool = False
    lapsed: str | None = None
    department_ok: bool = True
    correction_days: int = 10
    extension_pending: bool = False
    leader_approves_extensions: bool = False
    suspected_duplicate: bool = False
    open_pauses: frozenset[str] = frozenset()
    sent_to_catalogue: bool = False
    extension_refusal: str = ""
    approval_refusal: str = ""
    correction_undelivered: bool = False
    fee_notice_undelivered: bool = False
    department_chosen: bool = True
    department_changes: bool = True
    forwarded: bool = False
    correction_asked: bool = False
    correction_notice_due: datetime.date | None = None
    correction_notice_days: int = 7


def _cn_date(day: datetime.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def _needs_signoff(facts: CaseFacts) -> bool:
    found = OUTCOMES.get(facts.outcome)
    return found is not None and found.needs_leader_signoff


# -- guards: each a named rule with its refusal ---------------------------------------------------

# The reply is dated the day of receipt. Like every event it may be recorded afterwards with that
# date (``on``; the audit keeps the real time), but never dated later: eight days on it is a reply.
ON_DAY_OF_RECEIPT = Guard(
    "on_day_of_receipt",
    lambda f: f.on == f.received_on,
    "当场答复只能在收到申请的当日作出；已过当日的，请转承办股室办理或按程序答复。",
)
REPLY_WITHOUT_SIGNOFF = Guard(
    "reply_without_signoff",
    lambda f: bool(f.outcome) and not _needs_signoff(f),
    "当场答复只适用于予以公开等无需领导签发的结果，请先填写答复稿。",
)
REPLY_DRAFTED = Guard(
    "reply_drafted",
    lambda f: bool(f.outcome) and f.has_reply_text,
    "请先填写答复稿（办理结果和答复内容）。",
)
OUTCOME_DRAFTABLE = Guard(
    "outcome_draftable",
    lambda f: f.outcome not in LAPSE_OUTCOMES,
    "逾期不补正、逾期未缴费由系统在期限届满后终止办理时记录，不能作为答复结果选择。",
)
CORRECTION_PERIOD = Guard(
    "correction_period",
    lambda f: f.correction_days in CORRECTION_DAYS,
    "补正期限应为1至30个工作日。",
    field="correction_days",
)
# Regulation art. 30: the correction period runs from the notice reaching the applicant; one that
# never arrived (送达失败, no delivery since) started no period, so nobody failed to correct in time.
CORRECTION_NOTICE_ARRIVED = Guard(
    "correction_notice_arrived",
    lambda f: not f.correction_undelivered,
    "补正告知书未能送达申请人，补正期限尚未起算，不能以申请人逾期不补正终止办理；请重新送达补正告知书。",
)
# Regulation art. 30: the applicant is told once, within 7 working days of receipt (the clock's
# date), everything to correct; also after the office has forwarded the request.
CORRECTION_NOT_YET_ASKED = Guard(
    "correction_not_yet_asked",
    lambda f: not f.correction_asked,
    "补正应当一次性告知申请人，本申请已告知过补正，不能再次要求补正。",
)
CORRECTION_WINDOW = Guard(
    "correction_window",
    lambda f: f.correction_notice_due is None or f.on <= f.correction_notice_due,
    lambda f: (
        f"补正告知须在收到申请之日起{f.correction_notice_days}个工作日内作出"
        f"（本申请至{_cn_date(f.correction_notice_due)}止，条例第三十条），已过该期限，"
        "不能再要求补正，请按现有申请内容办理并答复。"
    ),
)
# After a correction the case goes back to whoever held it: the department once forwarded.
WAS_FORWARDED = Guard("was_forwarded", lambda f: f.forwarded)
CORRECTION_RAN_OUT = Guard(
    "correction_ran_out", lambda f: f.lapsed == LAPSED_CORRECTION, "补正期限尚未届满，不能终止办理。"
)
# 国办函〔2020〕109号: the applicant pays within 20 working days of receiving the fee notice.
FEE_NOTICE_ARRIVED = Guard(
    "fee_notice_arrived",
    lambda f: not f.fee_notice_undelivered,
    "收费通知未能送达申请人，缴费期限尚未起算，不能以申请人逾期未缴费终止办理；请重新送达收费通知。",
)
FEE_RAN_OUT = Guard("fee_ran_out", lambda f: f.lapsed == LAPSED_FEE, "缴费期限尚未届满，或没有待缴的费用。")
# A forward names its department: there is no default (not the office's own either).
DEPARTMENT_CHOSEN = Guard(
    "department_chosen", lambda f: f.department_chosen, "请选择承办股室。", field="department"
)
NOT_THE_SAME_DEPARTMENT = Guard(
    "not_the_same_department",
    lambda f: f.department_changes,
    "该申请已由所选股室承办，改派请选择其他股室。",
    field="department",
)
DEPARTMENT_OF_AGENCY = Guard(
    "department_of_agency", lambda f: f.department_ok, "请选择本机关的承办股室。", field="department"
)
NO_PENDING_EXTENSION = Guard(
    "no_pending_extension", lambda f: not f.extension_pending, "已有一份待审批的延期申请。"
)
EXTENSION_PENDING = Guard("extension_pending", lambda f: f.extension_pending, "该延期申请已审批。")
# Regulation art. 33 as the clock reads the case: before the due date, within the maximum, not
# while a correction is awaited (the clock's own words are the refusal).
EXTENSION_POSSIBLE = Guard(
    "extension_possible", lambda f: not f.extension_refusal, lambda f: f"{f.extension_refusal}。"
)
EXTENSION_FITS = Guard(
    "extension_fits", lambda f: not f.approval_refusal, lambda f: f"{f.approval_refusal}。"
)
# A same-day repeat by the same applicant (疑似重复, flagged at intake) is what may be voided.
SUSPECTED_DUPLICATE = Guard(
    "suspected_duplicate",
    lambda f: f.suspected_duplicate,
    "只有标记为疑似重复的申请可以作废；其他申请须依法作出答复。",
)
# Regulation art. 44: a reply that disclosed information may become proactive disclosure, once.
REPLY_DISCLOSED = Guard(
    "reply_disclosed",
    lambda f: f.outcome in DISCLOSING_OUTCOMES,
    "只有已答复且予以公开（或部分公开）的申请可以转为主动公开。",
)
NOT_YET_IN_CATALOGUE = Guard(
    "not_yet_in_catalogue",
    lambda f: not f.sent_to_catalogue,
    "该答复已转为主动公开信息草稿，请在信息管理中查看。",
)


def _pause_guards(start: EventKind, started: str, not_started: str) -> tuple[Guard, Guard]:
    """(not yet open, open): a pause starts only when it is not open, ends only when it is."""
    return (
        Guard(f"{start}_not_open", lambda f: start not in f.open_pauses, started),
        Guard(f"{start}_open", lambda f: start in f.open_pauses, not_started),
    )


# One pair per pause of the clock's table (gongkai.workdays.clock.PAUSES).
_PAUSE_REFUSALS = {
    EventKind.CONSULTATION_STARTED: ("已在征求第三方意见，尚未收到答复。", "没有正在进行的征求第三方意见。"),
    EventKind.FEE_NOTICE_SENT: ("已发出收费通知，尚未缴费。", "没有待缴费的收费通知。"),
    EventKind.SUSPENDED: ("已中止办理，尚未恢复。", "当前没有中止办理。"),
}
PAUSE_GUARDS: dict[EventKind, tuple[Guard, Guard]] = {
    pause.start: _pause_guards(pause.start, *_PAUSE_REFUSALS[pause.start]) for pause in PAUSES
}
_PAUSE_ACTIONS = {
    EventKind.CONSULTATION_STARTED: (Action.START_CONSULTATION, Action.RECORD_CONSULTATION_ANSWER),
    EventKind.FEE_NOTICE_SENT: (Action.SEND_FEE_NOTICE, Action.RECORD_FEE_PAID),
    EventKind.SUSPENDED: (Action.SUSPEND, Action.RESUME),
}

# A condition for a branch, not a refusal: every refusal or partial refusal goes to the leader
# (否定报备, seed 004 art. 18).
NEEDS_LEADER_SIGNOFF = Guard("needs_leader_signoff", _needs_signoff)


OFFICE = frozenset({Role.OFFICE})
TRANSITIONS: tuple[Transition[Action, Status], ...] = (
    # Regulation art. 30: once, within the clock's window from receipt, also once forwarded (the
    # department may be the one who finds the request unclear); the office sends the letter.
    *(
        Transition(
            Action.REQUEST_CORRECTION,
            status,
            Status.AWAITING_CORRECTION,
            OFFICE,
            reason_required=True,
            guards=(CORRECTION_NOT_YET_ASKED, CORRECTION_WINDOW, CORRECTION_PERIOD),
            waits=Holder.ROLE if status == Status.REGISTERED else Holder.NOBODY,
        )
        for status in CORRECTABLE_STATUSES
    ),
    Transition(
        Action.RECEIVE_CORRECTION,
        Status.AWAITING_CORRECTION,
        Status.REGISTERED,
        OFFICE,
        branches=((WAS_FORWARDED, Status.FORWARDED),),
    ),
    Transition(
        Action.LAPSE,
        Status.AWAITING_CORRECTION,
        Status.CLOSED,
        OFFICE,
        guards=(CORRECTION_NOTICE_ARRIVED, CORRECTION_RAN_OUT),
    ),
    Transition(
        Action.FORWARD,
        Status.REGISTERED,
        Status.FORWARDED,
        OFFICE,
        guards=(DEPARTMENT_CHOSEN, DEPARTMENT_OF_AGENCY),
    ),
    # A request forwarded to the wrong department is re-assigned by the office.
    Transition(
        Action.FORWARD,
        Status.FORWARDED,
        Status.FORWARDED,
        OFFICE,
        guards=(DEPARTMENT_CHOSEN, DEPARTMENT_OF_AGENCY, NOT_THE_SAME_DEPARTMENT),
        waits=Holder.NOBODY,
    ),
    # Regulation art. 33 / seed 004 art. 19: on the spot means on the day of receipt.
    Transition(
        Action.ANSWER_ON_SPOT,
        Status.REGISTERED,
        Status.REPLIED,
        OFFICE,
        guards=(ON_DAY_OF_RECEIPT, REPLY_WITHOUT_SIGNOFF),
    ),
    Transition(
        Action.SUBMIT_REPLY,
        Status.FORWARDED,
        Status.DEPT_REVIEW,
        frozenset({Role.CLERK, Role.OFFICE}),
        same_department=True,
        guards=(REPLY_DRAFTED,),
    ),
    Transition(
        Action.DEPT_APPROVE,
        Status.DEPT_REVIEW,
        Status.SECRECY_REVIEW,
        frozenset({Role.DEPT_HEAD}),
        same_department=True,
    ),
    # LEADER_REVIEW for a refusal or partial refusal (否定报备), else APPROVED.
    Transition(
        Action.SECRECY_APPROVE,
        Status.SECRECY_REVIEW,
        Status.APPROVED,
        frozenset({Role.SECRECY_REVIEWER}),
        branches=((NEEDS_LEADER_SIGNOFF, Status.LEADER_REVIEW),),
        findings_decision=True,  # personal data in the reply needs a recorded decision
    ),
    Transition(
        Action.LEADER_SIGN,
        Status.LEADER_REVIEW,
        Status.APPROVED,
        frozenset({Role.LEADER}),
        findings_decision=True,
    ),
    *statemachine.returns(
        Action.RETURN,
        Status.FORWARDED,
        (
            (Status.DEPT_REVIEW, frozenset({Role.DEPT_HEAD}), True),
            (Status.SECRECY_REVIEW, frozenset({Role.SECRECY_REVIEWER}), False),
            (Status.LEADER_REVIEW, frozenset({Role.LEADER}), False),
        ),
    ),
    Transition(Action.ISSUE_REPLY, Status.APPROVED, Status.REPLIED, OFFICE),
    # 作废: a repeat of another case is set aside by the office with a reason, without a statutory
    # outcome; it is never counted in statistics or the annual report (REPORTED_STATUSES).
    *(
        Transition(
            Action.VOID,
            status,
            Status.VOIDED,
            OFFICE,
            reason_required=True,
            guards=(SUSPECTED_DUPLICATE,),
            waits=Holder.NOBODY,
        )
        for status in VOIDABLE_STATUSES
    ),
    # Regulation art. 42: a fee not paid in time closes the request (其他处理 2), from any open state.
    *(
        Transition(
            Action.FEE_LAPSE,
            status,
            Status.CLOSED,
            OFFICE,
            guards=(FEE_NOTICE_ARRIVED, FEE_RAN_OUT),
            waits=Holder.NOBODY,
        )
        for status in sorted(OPEN_STATUSES)
    ),
    # The reply is drafted while the office or the department holds the case.
    *(
        Transition(
            Action.SAVE_REPLY_DRAFT,
            status,
            status,
            frozenset({Role.CLERK, Role.OFFICE}),
            same_department=True,
            guards=(OUTCOME_DRAFTABLE,),
            waits=Holder.NOBODY,
        )
        for status in (Status.REGISTERED, Status.FORWARDED)
    ),
    # The clock's events are recorded by the office while the case is open: a pause starts when it
    # is not already open and ends only when it is (the clock's PAUSES). None starts while the
    # applicant's correction is awaited: the clock is stopped then and restarts on its receipt.
    *(
        Transition(
            action,
            status,
            status,
            OFFICE,
            reason_required=action == Action.SUSPEND,
            guards=(guard,),
            waits=Holder.NOBODY,
        )
        for start, (not_open, is_open) in PAUSE_GUARDS.items()
        for action, guard in zip(_PAUSE_ACTIONS[start], (not_open, is_open), strict=True)
        for status in sorted(OPEN_STATUSES)
        if guard is is_open or status != Status.AWAITING_CORRECTION
    ),
    # Seed 004 art. 20 / Regulation art. 33: the department or the office asks, with a reason, one
    # request at a time; the office (national rules) or the leader approves.
    *(
        Transition(
            Action.REQUEST_EXTENSION,
            status,
            status,
            frozenset({Role.CLERK, Role.OFFICE}),
            reason_required=True,
            same_department=True,
            guards=(NO_PENDING_EXTENSION, EXTENSION_POSSIBLE),
            waits=Holder.NOBODY,
        )
        for status in sorted(OPEN_STATUSES)
    ),
    # The office records how each letter was delivered (any state: receipts are delivered early).
    *(Transition(Action.RECORD_DELIVERY, status, status, OFFICE, waits=Holder.NOBODY) for status in Status),
    # Reconsideration and litigation follow a reply (or a lapse, which is a written decision too).
    *(
        Transition(Action.RECORD_APPEAL, status, status, OFFICE, waits=Holder.NOBODY)
        for status in (Status.REPLIED, Status.CLOSED)
    ),
    # Regulation art. 44: the office, or the department that answered, drafts it for the catalogue.
    Transition(
        Action.TO_CATALOGUE,
        Status.REPLIED,
        Status.REPLIED,
        frozenset({Role.CLERK, Role.OFFICE}),
        same_department=True,
        guards=(REPLY_DISCLOSED, NOT_YET_IN_CATALOGUE),
        waits=Holder.NOBODY,
    ),
)


def _extension_decisions(approvers: frozenset[Role], who: str) -> tuple[Transition[Action, Status], ...]:
    approve = (
        Transition(
            Action.APPROVE_EXTENSION,
            status,
            status,
            approvers,
            guards=(EXTENSION_PENDING, EXTENSION_FITS),
            who=who,
            waits=Holder.NOBODY,
        )
        for status in sorted(OPEN_STATUSES)
    )
    # A pending request may still be turned down (with a reason) after the case has closed.
    reject = (
        Transition(
            Action.REJECT_EXTENSION,
            status,
            status,
            approvers,
            reason_required=True,
            guards=(EXTENSION_PENDING,),
            who=who,
            waits=Holder.NOBODY,
        )
        for status in Status
    )
    return (*approve, *reject)


# Who approves an extension depends on the agency's rule set: the national rule names the head of
# the disclosure office (the office role, or a leader), seed 004 art. 20 the leader alone.
NATIONAL_TRANSITIONS = TRANSITIONS + _extension_decisions(
    frozenset({Role.OFFICE, Role.LEADER}), "政务公开工作机构负责人（政务公开办公室或局领导）"
)
LEADER_APPROVES_TRANSITIONS = TRANSITIONS + _extension_decisions(frozenset({Role.LEADER}), "局领导")


WORDING = statemachine.Wording(
    noun="申请", status_labels=STATUS_LABELS, action_labels=ACTION_LABELS, reason="理由或内容"
)
NATIONAL_WORKFLOW = Workflow(NATIONAL_TRANSITIONS, WORDING)
LEADER_APPROVES_WORKFLOW = Workflow(LEADER_APPROVES_TRANSITIONS, WORDING)


def workflow_for(leader_approves_extensions: bool) -> Workflow[Action, Status]:
    """The workflow of an agency whose rule set lets only the leader approve extensions, or not."""
    return LEADER_APPROVES_WORKFLOW if leader_approves_extensions else NATIONAL_WORKFLOW
