"""Extensions of the reply period (Regulation art. 33; seed 004 art. 20): asked for, then decided."""

import dataclasses

from django.db import transaction
from django.utils import timezone

from gongkai.applications import notices
from gongkai.applications.cases import case_facts
from gongkai.applications.clockview import case_clock, case_events, case_rules
from gongkai.applications.models import Application, ExtensionRequest, NoticeKind
from gongkai.applications.services.common import check, locked, record_event
from gongkai.applications.workflow import Action, TransitionRefused
from gongkai.audit.services import audit_record
from gongkai.core.roles import Role
from gongkai.organisation.models import User
from gongkai.workdays.clock import EventKind, ExtensionRefused, check_extension
from gongkai.workdays.selectors import current_calendar


@transaction.atomic
def extension_request(*, actor: User, application: Application, days: int, reason: str) -> ExtensionRequest:
    application = locked(application)
    check(actor, application, Action.REQUEST_EXTENSION, reason)
    today = timezone.localdate()
    try:
        check_extension(
            rules=case_rules(application),
            events=case_events(application),
            calendar=current_calendar(),
            days=days,
            on=today,
        )
    except ExtensionRefused as exc:
        raise TransitionRefused(exc.message, field="days") from exc
    request = ExtensionRequest.objects.create(
        application=application, days=days, reason=reason.strip(), requested_by=actor, requested_on=today
    )
    audit_record(
        actor=actor,
        action="application_extension_request",
        target=application,
        agency=application.agency,
        comment=reason.strip(),
        data={"days": days},
    )
    return request


@transaction.atomic
def extension_decide(
    *, actor: User, extension: ExtensionRequest, approve: bool, note: str = ""
) -> ExtensionRequest:
    extension = (
        ExtensionRequest.objects.select_for_update()
        .select_related("application__agency")
        .get(pk=extension.pk)
    )
    application = extension.application
    facts = dataclasses.replace(
        case_facts(application), extension_pending=extension.state == ExtensionRequest.State.PENDING
    )
    action = Action.APPROVE_EXTENSION if approve else Action.REJECT_EXTENSION
    check(actor, application, action, note, facts)
    today = timezone.localdate()
    if approve:
        record_event(
            application, EventKind.EXTENDED, today, actor=actor, days=extension.days, note=extension.reason
        )
        state = case_clock(application)
        notices.notice_issue(
            actor=actor,
            application=application,
            kind=NoticeKind.EXTENSION,
            extra={
                "延期理由": extension.reason,
                "延期天数": str(extension.days),
                "延期依据": case_rules(application).extension_basis,
                "延期批准人": "局领导"
                if actor.has_role(Role.LEADER)
                else case_rules(application).extension_approver,
                "延长后期限": notices.cn_date(state.due),
            },
        )
    extension.state = ExtensionRequest.State.APPROVED if approve else ExtensionRequest.State.REJECTED
    extension.decided_by = actor
    extension.decided_on = today
    extension.decision_note = note.strip()
    extension.save()
    audit_record(
        actor=actor,
        action="application_extension_decide",
        target=application,
        agency=application.agency,
        to_state=extension.state,
        comment=note.strip(),
        data={"days": extension.days},
    )
    return extension
