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


def case_clock(application: Application, today: datetime.date | None = None) -> ClockState:
    today = today or timezone.localdate()
    return compute(
        rules=case_rules(application),
        events=case_events(application),
        calendar=current_calendar(),
        today=today,
    )
