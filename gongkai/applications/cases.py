"""What the request workflow needs to know of a case: the actor, the case's workflow, its facts.

Reads only. Services call these before they write; the case page calls the same ones to offer
its actions, so the page and the services can never disagree (gongkai.applications.workflow).
"""

import datetime
from typing import Any

from django.utils import timezone

from gongkai.applications.clockview import case_clock, case_rules
from gongkai.applications.models import Application, DeliveryWay, ExtensionRequest
from gongkai.applications.workflow import Action, Actor, CaseFacts, Status, Workflow, workflow_for
from gongkai.audit.models import AuditEvent
from gongkai.core.roles import Role
from gongkai.organisation.models import Agency, User
from gongkai.organisation.permissions import acts_for_department, workflow_actor
from gongkai.workdays.clock import extension_refusal
from gongkai.workdays.rules import rule_set

# The audit action that records a reply turned into a catalogue draft (Regulation art. 44).
TO_CATALOGUE_AUDIT_ACTION = "application_to_catalogue"


def case_actor(user: User, application: Application) -> Actor:
    """The acting user as the workflow sees them: roles, own agency, own department of the case."""
    return workflow_actor(user, agency_id=application.agency_id, department_id=application.department_id)


def leader_approves_extensions(application: Application) -> bool:
    """Whether the agency's rule set lets only the leader approve extensions (seed 004 art. 20)."""
    return case_rules(application).extension_approver == "局领导"


def agency_workflow(agency: Agency) -> Workflow[Action, Status]:
    """The workflow an agency's cases follow (who approves extensions differs by rule set)."""
    return workflow_for(rule_set(agency.rule_set).extension_approver == "局领导")


def case_workflow(application: Application) -> Workflow[Action, Status]:
    """The workflow the case's agency follows."""
    return agency_workflow(application.agency)


def extension_approver_roles(application: Application) -> frozenset[Role]:
    """Who approves this case's extensions: the roles of its workflow's approval rows."""
    return next(t.roles for t in case_workflow(application).table if t.action == Action.APPROVE_EXTENSION)


_NOT_CHOSEN: Any = object()


def case_facts(
    application: Application,
    *,
    on: datetime.date | None = None,
    outcome_code: str | None = None,
    department: Any = _NOT_CHOSEN,
    correction_days: int = 10,
) -> CaseFacts:
    """What the workflow's guards need to know of this case for the action being tried.

    ``on`` is the date the action is recorded for (default today, Beijing date);
    ``outcome_code`` stands for the draft's outcome when a new draft is being saved; ``department``
    is the one chosen for a forward (None or another agency's: refused), left out when listing
    the actions of the case page; ``correction_days`` the 补正 period asked for (working days).
    """
    today = timezone.localdate()
    clock = case_clock(application)
    rules = case_rules(application)
    pending = application.extensions.filter(state=ExtensionRequest.State.PENDING).first()
    return CaseFacts(
        today=today,
        on=on or today,
        received_on=application.received_on,
        outcome=application.outcome if outcome_code is None else outcome_code,
        has_reply_text=bool((application.reply_text or "").strip()),
        lapsed=clock.lapsed,
        department_chosen=department is not None,
        department_changes=department is _NOT_CHOSEN
        or department is None
        or department.pk != application.department_id,
        department_ok=department is _NOT_CHOSEN
        or (department is not None and department.agency_id == application.agency_id),
        forwarded=application.department_id is not None,
        correction_asked=clock.correction_requested,
        correction_notice_due=clock.correction_notice_due,
        correction_notice_days=rules.correction_notice_days,
        correction_days=correction_days,
        extension_pending=pending is not None,
        leader_approves_extensions=leader_approves_extensions(application),
        suspected_duplicate=application.duplicate_of_id is not None,
        open_pauses=frozenset(str(kind) for kind, _ in clock.open_pauses),
        extension_refusal=extension_refusal(rules, clock, 1, today) or "",
        correction_undelivered=clock.correction_undelivered,
        fee_notice_undelivered=clock.fee_notice_undelivered,
        approval_refusal=(extension_refusal(rules, clock, pending.days, today) or "") if pending else "",
        sent_to_catalogue=AuditEvent.objects.filter(
            action=TO_CATALOGUE_AUDIT_ACTION,
            target_id=str(application.pk),
            target_type=application._meta.label_lower,
        ).exists(),
    )


def handles_case(user: User, application: Application) -> bool:
    """The staff entitled to an applicant's personal data: those who handle or decide the case.

    The office, leaders and secrecy reviewers of the agency; clerks and department heads of the
    case's own department (organisation.permissions.acts_for_department).
    """
    return acts_for_department(
        user,
        agency_id=application.agency_id,
        department_id=application.department_id,
        agency_roles=(Role.OFFICE, Role.LEADER, Role.SECRECY_REVIEWER),
        department_roles=(Role.CLERK, Role.DEPT_HEAD),
    )


def sees_postal_address(user: User, application: Application) -> bool:
    """The disclosure office of the case's agency sees, unmasked, the address a reply is to be
    posted to (delivery by post): it prints the envelope. ID number and phone stay masked; other
    staff see the address masked unless they unmask it (audited)."""
    return (
        application.delivery == DeliveryWay.POST
        and handles_case(user, application)
        and user.has_role(Role.OFFICE)
    )
