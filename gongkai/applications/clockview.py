"""The request clock of a case, from its stored events and the platform calendar."""

import datetime

from django.utils import timezone

from gongkai.applications.models import Application
from gongkai.workdays.clock import ClockState, Event, EventKind, compute
from gongkai.workdays.rules import RuleSet, rule_set
from gongkai.workdays.selectors import current_calendar


def case_rules(application: Application) -> RuleSet:
    return rule_set(application.agency.rule_set)


def case_events(application: Application) -> list[Event]:
    return [Event(kind=EventKind(e.kind), on=e.on, days=e.days) for e in application.events.all()]


def case_clock(application: Application, today: datetime.date | None = None, *, calendar=None) -> ClockState:
    """The clock as stored history and the current calendar give it; never refuses the history.

    Events the calendar or rules would not allow today (after a calendar correction) are listed in
    ``issues``; a case without a stored receipt event counts from its ``received_on``.
    """
    today = today or timezone.localdate()
    events = case_events(application)
    if not any(e.kind == EventKind.RECEIVED for e in events):
        events.insert(0, Event(kind=EventKind.RECEIVED, on=application.received_on))
    return compute(
        rules=case_rules(application),
        events=events,
        calendar=calendar or current_calendar(),
        today=today,
    )
