"""The request-handling table pinned row by row, and its guards (pure; no database).

The expectations are written out here from the Regulation (2019) and seed 004 arts. 18-21, not read
from the table: a flag flipped in workflow.py must fail this file (see shared/research/mutation.md).
Each row: (action, source) → (target, roles, reason required, own department only, guard names,
branches as (condition name, target)).
"""

import dataclasses
import datetime
from enum import StrEnum

import pytest

from gongkai.applications import workflow
from gongkai.applications.workflow import Action, Actor, CaseFacts, Status, TransitionRefused
from gongkai.core import statemachine
from gongkai.core.roles import Role


def _workflow(facts: CaseFacts | None) -> statemachine.Workflow:
    return workflow.workflow_for(bool(facts and facts.leader_approves_extensions))


def check(action, source, actor, reason="", facts=None):
    return _workflow(facts).check(action, source, actor, reason, facts)


def may(action, source, actor, facts):
    return _workflow(facts).allowed(action, source, actor, facts)


def available(source, actor, facts):
    return [
        t for t in _workflow(facts).available(source, actor, facts) if t.action in workflow.STATUS_ACTIONS
    ]


OFFICE = frozenset({"office"})
CLERK_OR_OFFICE = frozenset({"clerk", "office"})
OPEN = (
    "registered",
    "awaiting_correction",
    "forwarded",
    "dept_review",
    "secrecy_review",
    "leader_review",
    "approved",
)
ALL = (*OPEN, "replied", "closed", "voided")

# The rows every rule set shares.
COMMON: dict[tuple[str, str], tuple] = {
    # Art. 30: one written notice of everything to correct, with a period (1-30 working days),
    # within the clock's 7 working days from receipt, also after forwarding (issue 13).
    **{
        ("request_correction", s): (
            "awaiting_correction",
            OFFICE,
            True,
            False,
            ("correction_not_yet_asked", "correction_window", "correction_period"),
            (),
        )
        for s in ("registered", "forwarded")
    },
    # Back to whoever held it: the department once forwarded.
    ("receive_correction", "awaiting_correction"): (
        "registered",
        OFFICE,
        False,
        False,
        (),
        (("was_forwarded", "forwarded"),),
    ),
    # Art. 30: lapses only once the correction period has run out, and only when the correction
    # notice reached the applicant (a notice whose delivery failed started no period).
    ("lapse", "awaiting_correction"): (
        "closed",
        OFFICE,
        False,
        False,
        ("correction_notice_arrived", "correction_ran_out"),
        (),
    ),
    # Seed 004 art. 19: the office forwards to one of its own departments (and may re-assign).
    # Issue 13: a department must be chosen (no default); re-assigning names another one.
    ("forward", "registered"): (
        "forwarded",
        OFFICE,
        False,
        False,
        ("department_chosen", "department_of_agency"),
        (),
    ),
    ("forward", "forwarded"): (
        "forwarded",
        OFFICE,
        False,
        False,
        ("department_chosen", "department_of_agency", "not_the_same_department"),
        (),
    ),
    # Art. 33 / seed 004 art. 19: on the spot = on the day of receipt, for outcomes no leader signs.
    ("answer_on_spot", "registered"): (
        "replied",
        OFFICE,
        False,
        False,
        ("on_day_of_receipt", "reply_without_signoff"),
        (),
    ),
    ("submit_reply", "forwarded"): ("dept_review", CLERK_OR_OFFICE, False, True, ("reply_drafted",), ()),
    ("dept_approve", "dept_review"): ("secrecy_review", frozenset({"dept_head"}), False, True, (), ()),
    # Seed 004 art. 18: refusals and partial refusals go to the leader (否定报备).
    ("secrecy_approve", "secrecy_review"): (
        "approved",
        frozenset({"secrecy"}),
        False,
        False,
        (),
        (("needs_leader_signoff", "leader_review"),),
    ),
    ("leader_sign", "leader_review"): ("approved", frozenset({"leader"}), False, False, (), ()),
    ("return", "dept_review"): ("forwarded", frozenset({"dept_head"}), True, True, (), ()),
    ("return", "secrecy_review"): ("forwarded", frozenset({"secrecy"}), True, False, (), ()),
    ("return", "leader_review"): ("forwarded", frozenset({"leader"}), True, False, (), ()),
    ("issue_reply", "approved"): ("replied", OFFICE, False, False, (), ()),
    # Art. 42: an unpaid fee closes the request once the payment period has run out.
    **{
        ("fee_lapse", s): ("closed", OFFICE, False, False, ("fee_notice_arrived", "fee_ran_out"), ())
        for s in OPEN
    },
    **{
        ("save_reply_draft", s): (s, CLERK_OR_OFFICE, False, True, ("outcome_draftable",), ())
        for s in ("registered", "forwarded")
    },
    # A pause starts only when it is not open and ends only when it is (the clock's PAUSES); none
    # starts while a correction is awaited (the clock is stopped then; issue 13).
    **{
        (action, s): (s, OFFICE, action == "suspend", False, (guard,), ())
        for action, guard in (
            ("consultation_start", "consultation_started_not_open"),
            ("consultation_answer", "consultation_started_open"),
            ("fee_notice", "fee_notice_sent_not_open"),
            ("fee_paid", "fee_notice_sent_open"),
            ("suspend", "suspended_not_open"),
            ("resume", "suspended_open"),
        )
        for s in OPEN
        if not guard.endswith("_not_open") or s != "awaiting_correction"
    },
    # Art. 33 / seed 004 art. 20: asked with a reason, by the department or the office, one at a time.
    **{
        ("extension_request", s): (
            s,
            CLERK_OR_OFFICE,
            True,
            True,
            ("no_pending_extension", "extension_possible"),
            (),
        )
        for s in OPEN
    },
    **{("notice_delivered", s): (s, OFFICE, False, False, (), ()) for s in ALL},
    **{("appeal", s): (s, OFFICE, False, False, (), ()) for s in ("replied", "closed")},
    # Art. 44: a disclosed reply becomes a catalogue draft once, by the office or the department.
    ("to_catalogue", "replied"): (
        "replied",
        CLERK_OR_OFFICE,
        False,
        True,
        ("reply_disclosed", "not_yet_in_catalogue"),
        (),
    ),
    # Issue 11: a same-day repeat flagged 疑似重复 is voided by the office, with a reason, before a
    # reply is in review; no statutory outcome.
    **{
        ("void", s): ("voided", OFFICE, True, False, ("suspected_duplicate",), ())
        for s in ("registered", "awaiting_correction", "forwarded")
    },
}


def _decisions(approvers: frozenset[str]) -> dict[tuple[str, str], tuple]:
    return {
        **{
            ("extension_approve", s): (
                s,
                approvers,
                False,
                False,
                ("extension_pending", "extension_fits"),
                (),
            )
            for s in OPEN
        },
        **{("extension_reject", s): (s, approvers, True, False, ("extension_pending",), ()) for s in ALL},
    }


# Art. 33: the head of the disclosure office approves; seed 004 art. 20: the leader alone.
NATIONAL = {**COMMON, **_decisions(frozenset({"office", "leader"}))}
LEADER_APPROVES = {**COMMON, **_decisions(frozenset({"leader"}))}


def _as_rows(table) -> dict[tuple[str, str], tuple]:
    rows = {}
    for t in table:
        key = (t.action.value, t.source.value)
        assert key not in rows, f"two rows for {key}"
        rows[key] = (
            t.target.value,
            frozenset(r.value for r in t.roles),
            t.reason_required,
            t.same_department,
            tuple(g.name for g in t.guards),
            tuple((g.name, s.value) for g, s in t.branches),
        )
    return rows


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        (workflow.NATIONAL_WORKFLOW.table, NATIONAL),
        (workflow.LEADER_APPROVES_WORKFLOW.table, LEADER_APPROVES),
    ],
    ids=["national", "leader-approves"],
)
def test_the_table_is_exactly_the_rules(table, expected):
    rows = _as_rows(table)
    assert set(rows) == set(expected)
    for key, row in expected.items():
        assert rows[key] == row, key


def test_every_action_has_a_label_and_the_rule_set_picks_the_table():
    assert set(workflow.ACTION_LABELS) == set(Action)
    assert workflow.workflow_for(False) is workflow.NATIONAL_WORKFLOW
    assert workflow.workflow_for(True) is workflow.LEADER_APPROVES_WORKFLOW


# -- guards and branches --------------------------------------------------------------------------

MON = datetime.date(2025, 9, 29)
TUE = datetime.date(2025, 9, 30)
OFFICE_ACTOR = Actor(roles=frozenset({Role.OFFICE}), same_agency=True, same_department=False)
CLERK_ACTOR = Actor(roles=frozenset({Role.CLERK}), same_agency=True, same_department=True)
SECRECY_ACTOR = Actor(roles=frozenset({Role.SECRECY_REVIEWER}), same_agency=True, same_department=False)
LEADER_ACTOR = Actor(roles=frozenset({Role.LEADER}), same_agency=True, same_department=False)
FACTS = CaseFacts(today=MON, on=MON, received_on=MON, outcome="disclosed", has_reply_text=True)


def _refusal(action, source, actor, facts, reason="-") -> str:
    with pytest.raises(TransitionRefused) as info:
        check(action, source, actor, reason, facts)
    return info.value.message


@pytest.mark.parametrize(
    ("today", "on", "allowed"),
    [
        (MON, MON, True),
        (TUE, TUE, False),  # the next day
        (TUE, MON, True),  # recorded the next day, dated the day of receipt (audited as such)
        (MON, TUE, False),  # dated the day after receipt
        (MON + datetime.timedelta(days=8), MON + datetime.timedelta(days=8), False),
    ],
)
def test_on_the_spot_only_on_the_day_of_receipt(today, on, allowed):
    facts = dataclasses.replace(FACTS, today=today, on=on)
    if allowed:
        assert check(Action.ANSWER_ON_SPOT, Status.REGISTERED, OFFICE_ACTOR, "", facts)
    else:
        assert _refusal(Action.ANSWER_ON_SPOT, Status.REGISTERED, OFFICE_ACTOR, facts).startswith(
            "当场答复只能在收到申请的当日作出"
        )


@pytest.mark.parametrize(("code", "allowed"), [("disclosed", True), ("partial", False), ("", False)])
def test_on_the_spot_only_for_outcomes_no_leader_signs(code, allowed):
    facts = dataclasses.replace(FACTS, outcome=code)
    assert may(Action.ANSWER_ON_SPOT, Status.REGISTERED, OFFICE_ACTOR, facts) is allowed


@pytest.mark.parametrize(
    ("code", "target"),
    [
        ("disclosed", Status.APPROVED),
        ("partial", Status.LEADER_REVIEW),
        ("nd_process_info", Status.LEADER_REVIEW),
    ],
)
def test_secrecy_approval_leads_refusals_to_the_leader(code, target):
    facts = dataclasses.replace(FACTS, outcome=code)
    transition = check(Action.SECRECY_APPROVE, Status.SECRECY_REVIEW, SECRECY_ACTOR, "", facts)
    assert workflow.NATIONAL_WORKFLOW.target(transition, facts) == target


@pytest.mark.parametrize(
    ("lapsed", "lapse", "fee_lapse"),
    [(None, False, False), ("逾期未补正", True, False), ("逾期未缴费", False, True)],
)
def test_each_lapse_needs_its_own_period_to_have_run_out(lapsed, lapse, fee_lapse):
    facts = dataclasses.replace(FACTS, lapsed=lapsed)
    assert may(Action.LAPSE, Status.AWAITING_CORRECTION, OFFICE_ACTOR, facts) is lapse
    assert may(Action.FEE_LAPSE, Status.AWAITING_CORRECTION, OFFICE_ACTOR, facts) is fee_lapse
    assert may(Action.FEE_LAPSE, Status.FORWARDED, OFFICE_ACTOR, facts) is fee_lapse
    assert not may(Action.FEE_LAPSE, Status.REPLIED, OFFICE_ACTOR, facts)


def test_no_lapse_for_want_of_correction_when_the_correction_notice_never_arrived():
    undelivered = dataclasses.replace(FACTS, lapsed="逾期未补正", correction_undelivered=True)
    assert not may(Action.LAPSE, Status.AWAITING_CORRECTION, OFFICE_ACTOR, undelivered)
    refusal = _refusal(Action.LAPSE, Status.AWAITING_CORRECTION, OFFICE_ACTOR, undelivered)
    assert "补正告知书未能送达" in refusal
    # The rule is about the correction: a fee not paid in time still lapses the request.
    fee = dataclasses.replace(undelivered, lapsed="逾期未缴费")
    assert may(Action.FEE_LAPSE, Status.AWAITING_CORRECTION, OFFICE_ACTOR, fee)


def test_no_lapse_for_want_of_payment_when_the_fee_notice_never_arrived():
    undelivered = dataclasses.replace(FACTS, lapsed="逾期未缴费", fee_notice_undelivered=True)
    assert not may(Action.FEE_LAPSE, Status.FORWARDED, OFFICE_ACTOR, undelivered)
    refusal = _refusal(Action.FEE_LAPSE, Status.FORWARDED, OFFICE_ACTOR, undelivered)
    assert "收费通知未能送达" in refusal


@pytest.mark.parametrize(("days", "allowed"), [(0, False), (1, True), (30, True), (31, False)])
def test_the_correction_period_is_one_to_thirty_working_days(days, allowed):
    facts = dataclasses.replace(FACTS, correction_days=days)
    assert may(Action.REQUEST_CORRECTION, Status.REGISTERED, OFFICE_ACTOR, facts) is allowed


@pytest.mark.parametrize("source", [Status.REGISTERED, Status.FORWARDED])
def test_a_correction_is_asked_once_within_the_clocks_window(source):
    window = dataclasses.replace(FACTS, correction_notice_due=TUE)
    assert may(Action.REQUEST_CORRECTION, source, OFFICE_ACTOR, window)
    assert may(Action.REQUEST_CORRECTION, source, OFFICE_ACTOR, dataclasses.replace(window, on=TUE))
    late = dataclasses.replace(
        window, today=TUE + datetime.timedelta(days=1), on=TUE + datetime.timedelta(days=1)
    )
    assert _refusal(Action.REQUEST_CORRECTION, source, OFFICE_ACTOR, late).startswith(
        "补正告知须在收到申请之日起7个工作日内作出（本申请至2025年9月30日止"
    )
    asked = dataclasses.replace(window, correction_asked=True)
    assert "一次性告知" in _refusal(Action.REQUEST_CORRECTION, source, OFFICE_ACTOR, asked)
    assert not may(Action.REQUEST_CORRECTION, Status.DEPT_REVIEW, OFFICE_ACTOR, window)


def test_a_corrected_request_returns_to_whoever_held_it():
    row = check(Action.RECEIVE_CORRECTION, Status.AWAITING_CORRECTION, OFFICE_ACTOR, "", FACTS)
    assert workflow.NATIONAL_WORKFLOW.target(row, FACTS) == Status.REGISTERED
    forwarded = dataclasses.replace(FACTS, forwarded=True)
    assert workflow.NATIONAL_WORKFLOW.target(row, forwarded) == Status.FORWARDED


def test_a_forward_names_a_department_of_the_agency():
    none = dataclasses.replace(FACTS, department_chosen=False, department_ok=False)
    with pytest.raises(TransitionRefused) as refused:
        check(Action.FORWARD, Status.REGISTERED, OFFICE_ACTOR, "", none)
    assert (refused.value.message, refused.value.field) == ("请选择承办股室。", "department")
    other = dataclasses.replace(FACTS, department_ok=False)
    assert _refusal(Action.FORWARD, Status.REGISTERED, OFFICE_ACTOR, other) == "请选择本机关的承办股室。"
    same = dataclasses.replace(FACTS, department_changes=False)
    assert _refusal(Action.FORWARD, Status.FORWARDED, OFFICE_ACTOR, same).startswith("该申请已由所选股室承办")


def test_extensions_one_pending_at_a_time_approved_by_the_rule_sets_approver():
    pending = dataclasses.replace(FACTS, extension_pending=True)
    assert (
        _refusal(Action.REQUEST_EXTENSION, Status.FORWARDED, CLERK_ACTOR, pending)
        == "已有一份待审批的延期申请。"
    )
    assert may(Action.REQUEST_EXTENSION, Status.FORWARDED, CLERK_ACTOR, FACTS)
    assert _refusal(Action.REQUEST_EXTENSION, Status.FORWARDED, CLERK_ACTOR, FACTS, reason=" ") == (
        "“申请延期”须填写理由或内容。"
    )
    assert _refusal(Action.APPROVE_EXTENSION, Status.FORWARDED, OFFICE_ACTOR, FACTS) == "该延期申请已审批。"
    assert may(Action.APPROVE_EXTENSION, Status.FORWARDED, OFFICE_ACTOR, pending)
    local = dataclasses.replace(pending, leader_approves_extensions=True)
    assert (
        _refusal(Action.APPROVE_EXTENSION, Status.FORWARDED, OFFICE_ACTOR, local)
        == "“批准延期”须由局领导办理。"
    )
    assert may(Action.APPROVE_EXTENSION, Status.FORWARDED, LEADER_ACTOR, local)
    assert not may(Action.APPROVE_EXTENSION, Status.REPLIED, LEADER_ACTOR, local)
    assert may(Action.REJECT_EXTENSION, Status.REPLIED, LEADER_ACTOR, local)


def test_a_draft_cannot_take_an_outcome_only_a_lapse_records():
    for code in workflow.LAPSE_OUTCOMES:
        facts = dataclasses.replace(FACTS, outcome=code)
        assert _refusal(Action.SAVE_REPLY_DRAFT, Status.REGISTERED, OFFICE_ACTOR, facts).startswith(
            "逾期不补正、逾期未缴费由系统"
        )


def test_the_case_page_offers_only_status_actions_whose_guards_hold():
    offered = {t.action for t in available(Status.REGISTERED, OFFICE_ACTOR, FACTS)}
    assert offered == {Action.REQUEST_CORRECTION, Action.FORWARD, Action.ANSWER_ON_SPOT}
    later = dataclasses.replace(FACTS, today=TUE, on=TUE, lapsed="逾期未缴费")
    offered = {t.action for t in available(Status.REGISTERED, OFFICE_ACTOR, later)}
    assert offered == {Action.REQUEST_CORRECTION, Action.FORWARD, Action.FEE_LAPSE}


# -- the shared mechanism -------------------------------------------------------------------------


class _S(StrEnum):
    A = "a"
    B = "b"
    C = "c"


class _A(StrEnum):
    GO = "go"


_WORDING = statemachine.Wording(
    noun="事项", status_labels={s: s.value for s in _S}, action_labels={_A.GO: "前进"}
)
_EVEN = statemachine.Guard("even", lambda n: n % 2 == 0, "须为偶数。")
_BIG = statemachine.Guard("big", lambda n: n > 10)
_ROW = statemachine.Transition(
    _A.GO, _S.A, _S.B, frozenset({Role.OFFICE}), guards=(_EVEN,), branches=((_BIG, _S.C),)
)
_ANYONE = Actor(roles=frozenset({Role.OFFICE}), same_agency=True, same_department=False)


def test_the_mechanism_checks_guards_after_roles_and_picks_the_first_branch_that_holds():
    assert statemachine.check((_ROW,), _A.GO, _S.A, _ANYONE, "", _WORDING, 4) is _ROW
    with pytest.raises(TransitionRefused, match="须为偶数。"):
        statemachine.check((_ROW,), _A.GO, _S.A, _ANYONE, "", _WORDING, 3)
    nobody = Actor(roles=frozenset(), same_agency=True, same_department=False)
    with pytest.raises(TransitionRefused, match="须由"):
        statemachine.check((_ROW,), _A.GO, _S.A, nobody, "", _WORDING, 3)  # roles before guards
    assert statemachine.target(_ROW, 4) == _S.B
    assert statemachine.target(_ROW, 12) == _S.C
    assert statemachine.available((_ROW,), _S.A, _ANYONE, _WORDING, 3) == []
    assert statemachine.available((_ROW,), _S.A, _ANYONE, _WORDING, 2) == [_ROW]


def test_a_guarded_row_without_a_context_is_a_programming_error():
    with pytest.raises(TypeError):
        statemachine.check((_ROW,), _A.GO, _S.A, _ANYONE, "", _WORDING)
    with pytest.raises(TypeError):
        statemachine.target(_ROW)
    plain = dataclasses.replace(_ROW, guards=(), branches=())
    assert statemachine.check((plain,), _A.GO, _S.A, _ANYONE, "", _WORDING) is plain
    assert statemachine.target(plain) == _S.B


def test_rows_and_guards_are_immutable():
    with pytest.raises(dataclasses.FrozenInstanceError):
        _ROW.target = _S.C  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        _EVEN.refusal = ""  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        FACTS.outcome = "partial"  # type: ignore[misc]
