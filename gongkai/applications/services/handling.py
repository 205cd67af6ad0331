"""Handling: the reply draft and every change of a request's state (the workflow's table)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from gongkai.applications import notices
from gongkai.applications.cases import case_actor, case_facts, case_workflow
from gongkai.applications.models import Application, NoticeKind
from gongkai.applications.outcomes import OUTCOMES, outcome
from gongkai.applications.review import reply_findings
from gongkai.applications.services.common import check, locked, record_event
from gongkai.applications.services.letter_content import correction_record
from gongkai.applications.workflow import STATUS_ACTIONS, Action, Status, TransitionRefused
from gongkai.audit.services import audit_record
from gongkai.core.review_findings import Decision, check_decision, decision_record
from gongkai.organisation.models import Department, User
from gongkai.workdays.clock import EventKind
from gongkai.workdays.selectors import current_calendar


@transaction.atomic
def reply_draft_save(
    *, actor: User, application: Application, outcome_code: str, reply_text: str, withheld_note: str = ""
) -> Application:
    application = locked(application)
    check(
        actor,
        application,
        Action.SAVE_REPLY_DRAFT,
        facts=case_facts(application, outcome_code=outcome_code),
    )
    if outcome_code not in OUTCOMES:
        raise TransitionRefused("请选择办理结果。", field="outcome")
    result = outcome(outcome_code)
    if not reply_text.strip():
        raise TransitionRefused("请填写答复内容。", field="reply_text")
    if result.withholds and not withheld_note.strip():
        raise TransitionRefused("部分公开或不予公开的，须写明不予公开的内容和理由。", field="withheld_note")
    application.outcome = outcome_code
    application.reply_text = reply_text.strip()
    application.withheld_note = withheld_note.strip()
    application.save()
    audit_record(
        actor=actor,
        action="application_reply_draft",
        target=application,
        agency=application.agency,
        data={"outcome": outcome_code},
    )
    return application


@transaction.atomic
def application_transition(
    *,
    actor: User,
    application: Application,
    action: Action,
    reason: str = "",
    department: Department | None = None,
    on: datetime.date | None = None,
    correction_days: int = 10,
    decision: Decision | None = None,
    corrected_description: str = "",
    files: Sequence[UploadedFile[bytes]] = (),
) -> Application:
    """The one way a request changes state: rules checked, events and letters written, audited.

    ``corrected_description`` and ``files``: what the applicant corrected, recorded with
    RECEIVE_CORRECTION (``letter_content.correction_record``) and cited by the letters after it.

    ``decision``: the reviewer's decision on the reply's review findings, required (TransitionRefused
    otherwise) by the rows the table marks ``findings_decision`` when there are findings.
    """
    if Action(action) not in STATUS_ACTIONS:
        raise TransitionRefused("该操作不能在此办理。")
    application = locked(application)
    source = application.status_enum
    facts = case_facts(application, on=on, department=department, correction_days=correction_days)
    workflow = case_workflow(application)
    transition = workflow.check(Action(action), source, case_actor(actor, application), reason, facts)
    on = facts.on
    target = Status(workflow.target(transition, facts))
    acknowledged: dict[str, object] = {}
    recorded: dict[str, object] = {}
    if transition.findings_decision:
        findings = reply_findings(application)
        check_decision(findings, decision)
        acknowledged = decision_record(findings, decision)
    action = transition.action
    if action == Action.REQUEST_CORRECTION:
        record_event(
            application, EventKind.CORRECTION_REQUESTED, on, actor=actor, days=correction_days, note=reason
        )
        notices.notice_issue(
            actor=actor,
            application=application,
            kind=NoticeKind.CORRECTION,
            day=on,
            extra={
                "补正事项": reason.strip(),
                # The period runs from delivery (the clock counts it so); the date is for a notice
                # delivered the day it is issued, for offices whose own template names a date.
                "补正工作日数": str(correction_days),
                "补正期限": notices.cn_date(current_calendar().add(on, correction_days)),
            },
        )
    elif action == Action.RECEIVE_CORRECTION:
        record_event(application, EventKind.CORRECTION_RECEIVED, on, actor=actor, note=reason)
        recorded = correction_record(
            actor=actor,
            application=application,
            on=on,
            corrected_description=corrected_description,
            files=files,
        )
    elif action == Action.LAPSE:
        record_event(application, EventKind.CORRECTION_LAPSED, on, actor=actor)
        application.outcome = "other_no_correction"
        application.replied_on = on
        notices.notice_issue(actor=actor, application=application, kind=NoticeKind.REPLY, day=on)
    elif action == Action.FEE_LAPSE:
        record_event(application, EventKind.FEE_LAPSED, on, actor=actor)
        application.outcome = "other_fee_unpaid"
        application.replied_on = on
        notices.notice_issue(actor=actor, application=application, kind=NoticeKind.REPLY, day=on)
    elif action == Action.FORWARD:
        assert department is not None  # the DEPARTMENT_OF_AGENCY guard refused a missing one
        application.department = department
        record_event(application, EventKind.FORWARDED, on, actor=actor, note=department.name)
    elif action == Action.ANSWER_ON_SPOT:
        _reply(actor, application, on)
    elif action == Action.SUBMIT_REPLY:
        application.return_reason = ""
        if not application.events.filter(kind=EventKind.DEPARTMENT_ANSWERED).exists():
            # The department's answer milestone (seed 004 art. 19) is met when its draft goes up.
            record_event(application, EventKind.DEPARTMENT_ANSWERED, on, actor=actor)
    elif action == Action.RETURN:
        application.return_reason = reason.strip()
    elif action == Action.ISSUE_REPLY:
        _reply(actor, application, on)
    elif action == Action.VOID:
        # No statutory outcome and no letter: the case is set aside as a repeat (REPORTED_STATUSES).
        application.outcome = ""
        application.void_reason = reason.strip()
    application.status = target
    application.save()
    audit_record(
        actor=actor,
        action=f"application_{action}",
        target=application,
        agency=application.agency,
        from_state=source,
        to_state=target,
        comment=reason.strip(),
        data={
            "department": department.name if department else "",
            **({"duplicate_of": application.duplicate_of_id} if action == Action.VOID else {}),
            **acknowledged,
            **recorded,
        },
    )
    return application


def _reply(actor: User, application: Application, on: datetime.date) -> None:
    record_event(application, EventKind.REPLIED, on, actor=actor)
    application.replied_on = on
    notices.notice_issue(actor=actor, application=application, kind=NoticeKind.REPLY, day=on)


def fee_lapse(*, actor: User, application: Application) -> Application:
    """Regulation art. 42: the fee was not paid in time; the table's FEE_LAPSE closes the request."""
    return application_transition(actor=actor, application=application, action=Action.FEE_LAPSE)
