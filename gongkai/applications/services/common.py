"""The shared steps of the request services: lock the case, ask the workflow, record a clock event.

Internal to gongkai.applications.services; each public service is one transaction and audits
itself. Refusals are `TransitionRefused` (the one domain error; ``field`` names the form field).
"""

import datetime

from django.utils import timezone

from gongkai.applications.cases import case_actor, case_facts, case_workflow
from gongkai.applications.clockview import case_events, case_rules
from gongkai.applications.models import Application, CaseEvent
from gongkai.applications.workflow import Action, CaseFacts, Status, Transition, TransitionRefused
from gongkai.organisation.models import User
from gongkai.workdays.clock import Event, EventKind, ExtensionRefused, check_event
from gongkai.workdays.selectors import current_calendar


def locked(application: Application) -> Application:
    """The case re-read under a row lock (select_for_update), with its agency."""
    return Application.objects.select_for_update().select_related("agency").get(pk=application.pk)


def check(
    actor: User, application: Application, action: Action, reason: str = "", facts: CaseFacts | None = None
) -> Transition[Action, Status]:
    """The workflow's verdict on ``action`` for this case now (TransitionRefused if not allowed)."""
    return case_workflow(application).check(
        action,
        application.status_enum,
        case_actor(actor, application),
        reason,
        facts or case_facts(application),
    )


def record_event(
    application: Application,
    kind: EventKind,
    on: datetime.date,
    *,
    actor: User | None = None,
    days: int = 0,
    note: str = "",
) -> CaseEvent:
    """Record a clock event, refusing one the clock cannot accept (wrong order, future date).

    Only the new event is judged: history a later calendar correction made irregular does not
    block further work on the case (it is shown with a warning on the case page)."""
    if on > timezone.localdate():
        raise TransitionRefused("日期不能晚于今天。", field="on")
    try:
        check_event(
            rules=case_rules(application),
            events=case_events(application),
            new=Event(kind=kind, on=on, days=days),
            calendar=current_calendar(),
            today=max(timezone.localdate(), on),
        )
    except ExtensionRefused as exc:
        raise TransitionRefused(exc.message) from exc
    except ValueError as exc:
        raise TransitionRefused(str(exc)) from exc
    return CaseEvent.objects.create(
        application=application,
        kind=kind,
        on=on,
        days=days,
        note=note,
        actor=actor if getattr(actor, "pk", None) else None,
    )
