"""Open requests' deadlines after a calendar correction: what moved, from what to what.

Registered with the calendar services (``ApplicationsConfig.ready``); runs inside the
transaction that changes the calendar, so the records and the change commit together.
"""

import datetime

from gongkai.applications.clockview import case_clock
from gongkai.applications.models import Application
from gongkai.applications.workflow import OPEN_STATUSES
from gongkai.audit.services import audit_record
from gongkai.organisation.models import User
from gongkai.workdays.calendar import WorkCalendar
from gongkai.workdays.clock import ClockState, cn_date

MOVED_ACTION = "application_deadline_moved"


def _pending(state: ClockState) -> dict[str, tuple[str, str]]:
    """Milestones not yet met: key → (label, due date)."""
    return {m.key: (m.label, str(m.due)) for m in state.milestones if m.done_on is None}


def _shown(iso: str) -> str:
    """An ISO date as the case page shows dates (2025年10月9日)."""
    return cn_date(datetime.date.fromisoformat(iso))


def record_deadline_moves(
    *, actor: User | None, before: WorkCalendar, after: WorkCalendar, reason: str
) -> int:
    """Audit, on each open case whose pending deadlines differ between ``before`` and ``after``,
    each moved deadline from its old date to its new one. Returns the number of cases recorded.

    Closed cases keep their history as it is; their clocks are no longer running.
    """
    moved_cases = 0
    cases = (
        Application.objects.filter(status__in=[s.value for s in OPEN_STATUSES])
        .select_related("agency")
        .prefetch_related("events")
    )
    for application in cases:
        old, new = (
            _pending(case_clock(application, calendar=before)),
            _pending(case_clock(application, calendar=after)),
        )
        moves = {
            key: (label, due, new[key][1])
            for key, (label, due) in old.items()
            if key in new and new[key][1] != due
        }
        if not moves:
            continue
        moved_cases += 1
        audit_record(
            actor=actor,
            action=MOVED_ACTION,
            target=application,
            agency=application.agency,
            comment=f"因工作日历调整（{reason}）："
            + "；".join(f"{label}由{_shown(was)}变为{_shown(now)}" for label, was, now in moves.values()),
            data={key: {"from": was, "to": now} for key, (_, was, now) in moves.items()},
        )
    return moved_cases
